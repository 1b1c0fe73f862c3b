"""Huawei Cloud CDN through the official `huaweicloudsdkcdn` v2 client: statistics export tasks
(CreateExportTask, ListExportTasks and the file behind `download_link`) and refresh/preheat tasks
(CreateRefreshTasks, CreatePreheatingTasks, ShowHistoryTasks, ShowHistoryTaskDetails), on the success
paths and on every documented error, which the SDK must raise as ClientRequestException with CDN's code."""

import pytest
from huaweicloudsdkcdn.v2 import (
    CreateExportTaskRequest,
    CreateExportTaskResponse,
    CreatePreheatingTasksRequest,
    CreateRefreshTasksRequest,
    ExportTask,
    ExportTaskVo,
    ListExportTasksRequest,
    ListExportTasksResponse,
    PreheatingTaskRequest,
    PreheatingTaskRequestBody,
    RefreshTaskRequest,
    RefreshTaskRequestBody,
    ShowHistoryTaskDetailsRequest,
    ShowHistoryTaskDetailsResponse,
    ShowHistoryTasksRequest,
    ShowHistoryTasksResponse,
    TasksObject,
    UrlObject,
)
from huaweicloudsdkcore.exceptions.exceptions import ServerResponseException
from support import huawei_error, is_request_id

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
# 2025-11-24T00:00Z: a midnight, so hourly rows line up with the span.
START_MS = 1_763_942_400_000


def export_body(**changes):
    """A valid export (reports_detail, two domains, one day hourly, English); a change to None drops the field."""
    fields = dict(
        action="reports_detail",
        domain_name="a.example.com,b.example.com",
        start_time=START_MS,
        end_time=START_MS + DAY_MS,
        interval=3600,
        language="en",
    )
    fields.update(changes)
    return ExportTaskVo(**{name: value for name, value in fields.items() if value is not None})


def create_export(cdn, **changes):
    return cdn.create_export_task(CreateExportTaskRequest(body=export_body(**changes)))


def list_exports(cdn, **query):
    response = cdn.list_export_tasks(ListExportTasksRequest(**query))
    assert isinstance(response, ListExportTasksResponse)
    assert response.status_code == 200
    assert isinstance(response.total, int)
    assert all(isinstance(task, ExportTask) for task in response.data), response
    return response


def page_urls(count, directory=False):
    return [f"https://www.example.com/d{i}/" if directory else f"https://www.example.com/f{i}.js" for i in range(count)]


def refresh(cdn, urls, **options):
    body = RefreshTaskRequest(refresh_task=RefreshTaskRequestBody(urls=urls, **options))
    return cdn.create_refresh_tasks(CreateRefreshTasksRequest(body=body))


def preheat(cdn, urls):
    body = PreheatingTaskRequest(preheating_task=PreheatingTaskRequestBody(zh_url_encode=False, urls=urls))
    return cdn.create_preheating_tasks(CreatePreheatingTasksRequest(body=body))


def history(cdn, **query):
    response = cdn.show_history_tasks(ShowHistoryTasksRequest(**query))
    assert isinstance(response, ShowHistoryTasksResponse)
    assert is_request_id(response.x_request_id), "the X-Request-Id header is mapped onto the response"
    for task in response.tasks:
        assert isinstance(task, TasksObject)
        assert task.processing + task.succeed + task.failed == task.total, task
    return response


def detail(cdn, task_id, **query):
    response = cdn.show_history_task_details(ShowHistoryTaskDetailsRequest(history_tasks_id=task_id, **query))
    assert isinstance(response, ShowHistoryTaskDetailsResponse)
    assert is_request_id(response.x_request_id)
    assert all(isinstance(url, UrlObject) for url in response.urls), response
    return response


# ------------------------------------------------------------------------------------ statistics exports


def test_an_export_is_processing_then_succeeds_with_a_csv_behind_its_download_link(cdn, mock):
    created = create_export(cdn)
    assert isinstance(created, CreateExportTaskResponse)
    assert created.status_code == 200
    assert created.to_json_object() == {}, "the documented answer is an empty object"

    listed = list_exports(cdn)
    assert listed.total == 1
    task = listed.data[0]
    assert task.status == "processing"
    assert task.task_name == "reports_detail_flux_20251124T0000Z-20251125T0000Z_3600s"
    assert is_request_id(task.task_id), "task ids are 32 hex digits, like the docs' example"
    assert task.create_time == task.update_time
    assert task.download_link is None

    mock.settle()
    done = list_exports(cdn, task_id=task.task_id)
    assert done.total == 1
    finished = done.data[0]
    assert (finished.task_id, finished.task_name, finished.status) == (task.task_id, task.task_name, "success")
    assert finished.create_time == task.create_time
    assert finished.update_time > finished.create_time
    expected_link = f"{mock.base_url}/_mock/files/cdn-stats/{task.task_id}/{task.task_name}.csv"
    assert finished.download_link == expected_link

    status, headers, body = mock.download(finished.download_link)
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    text = body.decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so spreadsheets read UTF-8"
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[0] == "Time (UTC),Traffic (Byte)"
    assert len(lines) == 1 + 24, "one row per hour of the day"
    assert lines[1].startswith("2025-11-24 00:00:00,") and lines[24].startswith("2025-11-24 23:00:00,")


def test_a_failed_export_has_no_download_link(failing_mock, failing_cdn):
    create_export(failing_cdn)
    failing_mock.settle()
    task = list_exports(failing_cdn).data[0]
    assert task.status == "fail"
    assert task.download_link is None
    assert task.update_time > task.create_time


def test_the_list_pages_newest_first_and_filters_by_id_and_name(cdn):
    # Distinct days give distinct names; created one after another, the last is the newest.
    for day in range(4):
        create_export(cdn, start_time=START_MS + day * DAY_MS, end_time=START_MS + (day + 1) * DAY_MS)
    create_export(cdn, action="top_url_detail", group_by=None)
    everything = list_exports(cdn, limit=100)
    assert everything.total == 5
    ids = [task.task_id for task in everything.data]
    assert everything.data[0].task_name.startswith("top_url_detail_"), "newest first"
    updates = [task.update_time for task in everything.data]
    assert updates == sorted(updates, reverse=True)

    assert [t.task_id for t in list_exports(cdn).data] == ids, "the default page holds up to 10"
    page = list_exports(cdn, limit=2, offset=1)
    assert (page.total, [t.task_id for t in page.data]) == (5, ids[1:3])
    empty = list_exports(cdn, limit=0)
    assert (empty.total, empty.data) == (5, []), "limit 0 answers just the total"
    assert list_exports(cdn, offset=5).data == []

    by_id = list_exports(cdn, task_id=ids[2])
    assert (by_id.total, [t.task_id for t in by_id.data]) == (1, [ids[2]])
    assert list_exports(cdn, task_id=ids[2][:8]).total == 0, "task_id matches exactly"
    by_name = list_exports(cdn, task_name="TOP_URL")
    assert (by_name.total, by_name.data[0].task_id) == (1, ids[0]), "task_name: case-insensitive substring"
    assert list_exports(cdn, task_name="20251126T0000Z-").total == 1


@pytest.mark.parametrize(
    ("case", "changes", "field"),
    [
        ("missing action", {"action": None}, "action"),
        ("unknown action", {"action": "reports"}, "action"),
        ("missing domain_name", {"domain_name": None}, "domain_name"),
        ("bad domain name", {"domain_name": "not a domain"}, "domain_name"),
        ("missing start_time", {"start_time": None}, "start_time"),
        ("interval 60", {"interval": 60}, "interval"),
        ("5-minute data over 91 days", {"start_time": START_MS + DAY_MS - 91 * DAY_MS, "interval": 300}, "interval"),
        ("span over 366 days", {"start_time": START_MS - 400 * DAY_MS}, "end_time"),
        ("end before start", {"start_time": START_MS + DAY_MS, "end_time": START_MS}, "end_time"),
        ("country with carrier data", {"action": "isp_detail", "country": "cn"}, "country"),
        ("country with top URLs", {"action": "top_url_detail", "country": "cn"}, "country"),
        ("province outside cn", {"country": "us", "province": "all"}, "province"),
        ("unknown service_area", {"service_area": "moon"}, "service_area"),
        ("unknown stat_type", {"stat_type": "bandwidth"}, "stat_type"),
        ("unknown language", {"language": "fr"}, "language"),
        ("group_by other than domain", {"group_by": "country"}, "group_by"),
        # The SDK does not check types, so a string goes out as a JSON string.
        ("interval as a string", {"interval": "300"}, "interval"),
    ],
)
def test_invalid_exports_raise_cdn_0001_naming_the_field(cdn, case, changes, field):
    huawei_error(lambda: create_export(cdn, **changes), 400, "CDN.0001", field)
    assert list_exports(cdn).total == 0, f"{case}: nothing was created"


def test_every_broken_rule_is_named_in_one_error(cdn):
    error = huawei_error(lambda: create_export(cdn, action="nope", interval=7), 400, "CDN.0001")
    assert "action" in error.error_msg and "interval" in error.error_msg, error.error_msg


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 101}, "limit"), ({"limit": -1}, "limit"), ({"offset": -1}, "offset")],
)
def test_list_paging_out_of_range_raises_cdn_0001(cdn, query, field):
    huawei_error(lambda: list_exports(cdn, **query), 400, "CDN.0001", field)


def test_list_paging_bounds_are_accepted(cdn):
    assert list_exports(cdn, limit=100, offset=0).total == 0


# ----------------------------------------------------------------------------------- refresh and preheat


def test_a_refresh_task_progresses_to_done_with_per_url_detail(cdn, mock):
    urls = page_urls(5)
    created = refresh(cdn, urls, type="file")
    assert created.refresh_task.isdigit(), f"a numeric id, as documented: {created.refresh_task}"
    assert is_request_id(created.x_request_id)
    task_id = created.refresh_task

    listed = history(cdn)
    assert listed.total == 1
    task = listed.tasks[0]
    assert (task.id, task.task_type, task.status, task.file_type) == (task_id, "refresh", "task_inprocess", "file")
    assert (task.total, task.processing, task.succeed, task.failed) == (5, 5, 0, 0)

    running = detail(cdn, task_id)
    assert (running.id, running.task_type, running.status, running.total) == (task_id, "refresh", "task_inprocess", 5)
    assert sorted(url.url for url in running.urls) == sorted(urls)
    for url in running.urls:
        assert url.task_id == task_id
        assert url.task_type == "REFRESH", "URL-level task_type is upper case"
        assert url.status in ("waiting", "processing")
        assert url.id.startswith(task_id)
        assert url.fail_classify is None

    mock.settle()
    done = detail(cdn, task_id)
    assert (done.status, done.processing, done.succeed, done.failed) == ("task_done", 0, 5, 0)
    assert {url.status for url in done.urls} == {"succeed"}
    assert history(cdn, status="task_done").tasks[0].id == task_id
    assert history(cdn, status="task_inprocess").total == 0


def test_failed_urls_carry_a_classification_and_description(failing_mock, failing_cdn):
    task_id = refresh(failing_cdn, page_urls(3)).refresh_task
    failing_mock.settle()
    done = detail(failing_cdn, task_id, status="failed")
    assert (done.status, done.failed, done.succeed) == ("task_done", 3, 0)
    assert len(done.urls) == 3
    for url in done.urls:
        assert url.status == "failed"
        assert url.fail_classify in ("ORIGIN_ERROR", "INNER_ERROR", "UNKNOWN_ERROR")
        assert url.fail_desc


def test_directory_refreshes_are_listed_only_with_file_type_directory(cdn):
    task_id = refresh(cdn, page_urls(2, directory=True), type="directory", mode="detect_modify_refresh").refresh_task
    refresh(cdn, page_urls(1))
    assert [task.id for task in history(cdn, file_type="directory").tasks] == [task_id]
    assert history(cdn, file_type="directory").tasks[0].file_type == "directory"
    assert history(cdn).total == 1, "file_type defaults to file"


def test_preheating_tasks_are_created_and_told_apart_from_refreshes(cdn, mock):
    created = preheat(cdn, page_urls(3))
    assert created.preheating_task.isdigit()
    assert is_request_id(created.x_request_id)
    refresh(cdn, page_urls(2))

    preheats = history(cdn, task_type="preheating")
    assert [(t.id, t.task_type) for t in preheats.tasks] == [(created.preheating_task, "preheating")]
    assert history(cdn, task_type="refresh").total == 1
    assert history(cdn).total == 2

    running = detail(cdn, created.preheating_task, status="preheating")
    assert all(url.task_type == "PREHEATING" for url in running.urls)
    mock.settle()
    assert {url.status for url in detail(cdn, created.preheating_task).urls} == {"succeed"}


def test_history_pages_sorts_and_filters_by_date(cdn, mock):
    ids = []
    for count in (3, 1, 4, 2):
        ids.append(refresh(cdn, page_urls(count)).refresh_task)
        mock.advance(1)  # distinct create times

    newest_first = [task.id for task in history(cdn).tasks]
    assert newest_first == ids[::-1]

    def totals(**query):
        return [task.total for task in history(cdn, **query).tasks]

    assert totals(order_field="total", order_type="asc") == [1, 2, 3, 4]
    assert totals(order_field="total", order_type="desc") == [4, 3, 2, 1]
    assert totals(order_field="total") == [2, 4, 1, 3], "order_field alone falls back to create_time desc"
    assert totals(order_field="total", order_type="asc", page_size=2, page_number=2) == [3, 4]
    page = history(cdn, page_size=3, page_number=2)
    assert (page.total, [t.total for t in page.tasks]) == (4, [3])

    first_created = history(cdn).tasks[-1].create_time
    assert history(cdn, start_date=first_created + 1).total == 3
    assert history(cdn, end_date=first_created).total == 1


def test_detail_pages_and_filters_urls(cdn, mock):
    task_id = refresh(cdn, page_urls(60)).refresh_task
    mock.settle()
    second = detail(cdn, task_id, page_size=25, page_number=2)
    assert second.total == 60, "task counters describe the whole task"
    assert [url.url for url in second.urls] == [f"https://www.example.com/f{i}.js" for i in range(25, 50)]
    assert [url.url for url in detail(cdn, task_id, url="f59.js").urls] == ["https://www.example.com/f59.js"]
    assert len(detail(cdn, task_id, status="succeed", page_size=100, page_number=1).urls) == 60
    assert detail(cdn, task_id, status="failed").urls == []
    assert detail(cdn, task_id, create_time=mock.now_ms()).id == task_id


def test_the_url_limits_are_accepted_and_one_more_raises_cdn_0110(cdn):
    refresh(cdn, page_urls(1000))
    refresh(cdn, page_urls(100, directory=True), type="directory")
    too_many = [
        lambda: refresh(cdn, page_urls(1001)),
        lambda: refresh(cdn, page_urls(101, directory=True), type="directory"),
        lambda: preheat(cdn, page_urls(1001)),
    ]
    for call in too_many:
        huawei_error(call, 400, "CDN.0110", "upper limit")
    assert history(cdn).total == 1 and history(cdn, file_type="directory").total == 1, "refused calls stored nothing"


@pytest.mark.parametrize(
    ("case", "call", "mentions"),
    [
        ("no URLs", lambda cdn: refresh(cdn, []), "at least one URL"),
        ("no scheme", lambda cdn: refresh(cdn, ["www.example.com/a"]), "line 1"),
        ("ftp URL", lambda cdn: refresh(cdn, ["https://a.example.com/ok", "ftp://a.example.com/x"]), "line 2"),
        ("URL over 4096", lambda cdn: refresh(cdn, ["https://a.example.com/" + "x" * 4100]), "4096"),
        (
            "file in a directory refresh",
            lambda cdn: refresh(cdn, ["https://a.example.com/f.js"], type="directory"),
            "directory",
        ),
        ("unknown type", lambda cdn: refresh(cdn, page_urls(1, directory=True), type="dir"), "type"),
        ("unknown mode", lambda cdn: refresh(cdn, page_urls(1), mode="some"), "mode"),
        (
            "no refresh_task",
            lambda cdn: cdn.create_refresh_tasks(CreateRefreshTasksRequest(body=RefreshTaskRequest())),
            "refresh_task",
        ),
        ("preheat without URLs", lambda cdn: preheat(cdn, []), "at least one URL"),
        ("directory in a preheat", lambda cdn: preheat(cdn, page_urls(1, directory=True)), "cannot be preheated"),
    ],
)
def test_refresh_and_preheat_rules_raise_cdn_0001(cdn, case, call, mentions):
    huawei_error(lambda: call(cdn), 400, "CDN.0001", mentions)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": 10001, "page_number": 1}, "page_size"),
        ({"page_size": 0, "page_number": 1}, "page_size"),
        ({"page_size": 10, "page_number": 65536}, "page_number"),
        ({"page_size": 10}, "page_number"),
        ({"page_number": 2}, "page_size"),
        ({"status": "running"}, "status"),
        ({"task_type": "purge"}, "task_type"),
        ({"file_type": "folder"}, "file_type"),
        ({"order_field": "name", "order_type": "desc"}, "order_field"),
        ({"order_field": "total", "order_type": "up"}, "order_type"),
        ({"start_date": 2000, "end_date": 1000}, "end_date"),
    ],
)
def test_bad_history_queries_raise_cdn_0001(cdn, query, field):
    huawei_error(lambda: history(cdn, **query), 400, "CDN.0001", field)


def test_bad_detail_queries_raise_cdn_0001(cdn, mock):
    task_id = refresh(cdn, page_urls(1)).refresh_task
    huawei_error(lambda: detail(cdn, task_id, status="done"), 400, "CDN.0001", "status")
    huawei_error(lambda: detail(cdn, task_id, page_size=5), 400, "CDN.0001", "page_number")
    twenty_days_ago = mock.now_ms() - 20 * 86_400_000
    huawei_error(lambda: detail(cdn, task_id, create_time=twenty_days_ago), 400, "CDN.0001", "15 days")
    huawei_error(lambda: detail(cdn, task_id, create_time=1000), 400, "CDN.0001", "2000-01-01")
    huawei_error(lambda: detail(cdn, "424242"), 400, "CDN.0001", "history_tasks_id")


# ---------------------------------------------------------------------------------------- injected faults


def test_an_injected_error_is_raised_with_its_status_code_message_and_request_id(cdn, faults):
    faults.fault(
        operation="cdn:ListExportTasks",
        error_code="CDN.0005",
        http_status=403,
        error_msg="The upper limit is exceeded.",
        times=1,
    )
    error = huawei_error(lambda: list_exports(cdn), 403, "CDN.0005", "The upper limit is exceeded.")
    journal = faults.journal("cdn:ListExportTasks", limit=1)
    assert journal[-1]["request_id"] == error.request_id, "the exception carries the id the mock logged"
    assert list_exports(cdn).total == 0, "times=1: the next call goes through"


def test_injected_errors_reach_every_operation(cdn, faults):
    calls = {
        "cdn:CreateExportTask": lambda: create_export(cdn),
        "cdn:ShowHistoryTasks": lambda: history(cdn),
        "cdn:ShowHistoryTaskDetails": lambda: detail(cdn, "7620240"),
        "cdn:CreateRefreshTasks": lambda: refresh(cdn, page_urls(1)),
        "cdn:CreatePreheatingTasks": lambda: preheat(cdn, page_urls(1)),
    }
    for operation, call in calls.items():
        faults.fault(operation=operation, error_code="CDN.0021", times=1)
        error = huawei_error(call, 400, "CDN.0021", "Fault injected by the mock: CDN.0021")
        assert error.error_msg == "Fault injected by the mock: CDN.0021", operation


def test_an_injected_server_error_raises_server_response_exception(cdn, faults):
    faults.fault(operation="cdn:CreateRefreshTasks", error_code="CDN.0500", http_status=503, times=1)
    with pytest.raises(ServerResponseException) as raised:
        refresh(cdn, page_urls(1))
    assert (raised.value.status_code, raised.value.error_code) == (503, "CDN.0500")
    assert is_request_id(raised.value.request_id)
    assert history(cdn).total == 0, "the refused call created nothing"
