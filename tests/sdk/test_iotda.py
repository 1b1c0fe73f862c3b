"""Huawei Cloud IoTDA export tasks through the official `huaweicloudsdkiotda` v5 client:
CreateExportTask, ListExportTasks, ShowExportTask (which downloads the result zip) and
DeleteExportTask, on the success paths and on the documented errors, which the SDK must raise as
ClientRequestException with IoTDA's flat `{"error_code","error_msg"}` parsed into its fields."""

import io
import json
import re
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest
from huaweicloudsdkiotda.v5 import (
    AddExportTask,
    CreateExportTaskRequest,
    CreateExportTaskResponse,
    DeleteExportTaskRequest,
    DeleteExportTaskResponse,
    ExportTask,
    ListExportTasksRequest,
    ListExportTasksResponse,
    Page,
    ShowExportTaskRequest,
    ShowExportTaskResponse,
)
from support import huawei_error

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SPREADSHEET = "{urn:schemas-microsoft-com:office:spreadsheet}"
# Documented: one download per user every 30 s.
DOWNLOAD_INTERVAL_S = 30
BATCH_TASK = "5f9a1c2b3d4e5f6a7b8c9d0e"


def create(iotda, batch_task_id=BATCH_TASK, instance_id=None, **fields):
    body = AddExportTask(resource_type="BatchTask", resource_condition={"task_id": batch_task_id})
    for name, value in fields.items():
        setattr(body, name, value)
    response = iotda.create_export_task(CreateExportTaskRequest(instance_id=instance_id, body=body))
    assert isinstance(response, CreateExportTaskResponse)
    return response


def list_tasks(iotda, **query):
    query.setdefault("resource_type", "BatchTask")
    response = iotda.list_export_tasks(ListExportTasksRequest(**query))
    assert isinstance(response, ListExportTasksResponse)
    assert response.status_code == 200
    assert isinstance(response.page, Page)
    assert all(isinstance(task, ExportTask) for task in response.export_tasks), response
    return response


def ids(response):
    return [task.export_task_id for task in response.export_tasks]


def download(iotda, export_task_id, instance_id=None):
    response = iotda.show_export_task(ShowExportTaskRequest(instance_id=instance_id, export_task_id=export_task_id))
    assert isinstance(response, ShowExportTaskResponse)
    return response


def delete(iotda, export_task_id, instance_id=None):
    response = iotda.delete_export_task(DeleteExportTaskRequest(instance_id=instance_id, export_task_id=export_task_id))
    assert isinstance(response, DeleteExportTaskResponse)
    return response


def assert_task(task, batch_task_id=BATCH_TASK):
    assert re.fullmatch(r"[0-9a-f]{24}", task.export_task_id), task.export_task_id
    assert task.resource_type == "BatchTask"
    assert task.resource_condition == {"task_id": batch_task_id}
    assert task.export_format == "xls"
    assert task.status in ("Processing", "Success", "Failed")
    assert 1 <= task.progress <= 100
    assert TIME.match(task.create_time), task.create_time
    assert (task.end_time is None) == (task.status == "Processing"), task
    assert task.end_time is None or TIME.match(task.end_time), task.end_time


def workbook_rows(zip_bytes, batch_task_id=BATCH_TASK):
    """The rows of the workbook inside a downloaded export, heading first."""
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    assert archive.testzip() is None, "every entry's CRC checks out"
    assert archive.namelist() == [f"BatchTask_{batch_task_id}.xls"]
    workbook = ElementTree.fromstring(archive.read(archive.namelist()[0]))
    return [
        [data.text or "" for data in row.iter(SPREADSHEET + "Data")]
        for row in workbook.iter(SPREADSHEET + "Row")
    ]


# -------------------------------------------------------------------------------------------- lifecycle


def test_an_export_runs_to_success_and_downloads_a_zip_holding_the_xls(iotda, mock):
    created = create(iotda)
    assert created.status_code == 201
    assert_task(created)
    assert created.status == "Processing"
    assert created.app_type == "GLOBAL"

    listed = list_tasks(iotda)
    assert ids(listed) == [created.export_task_id]
    assert listed.page.count == 1
    assert listed.page.marker == created.export_task_id, "the marker is the last listed id"

    mock.settle()
    done = list_tasks(iotda).export_tasks[0]
    assert_task(done)
    assert (done.status, done.progress) == ("Success", 100)
    assert done.create_time == created.create_time
    assert done.end_time > done.create_time
    assert done.export_count > 0

    file = download(iotda, done.export_task_id)
    assert file.status_code == 200
    assert isinstance(file.body, str), "the SDK models the file as text; the bytes are in raw_content"
    rows = workbook_rows(file.raw_content)
    assert rows[0] == ["Device ID", "Node ID", "Status", "Error"]
    assert len(rows) - 1 == done.export_count, "export_count is the rows in the file"
    assert all(row[2] in ("Success", "Fail") for row in rows[1:])

    mock.advance(DOWNLOAD_INTERVAL_S)
    again = download(iotda, done.export_task_id)
    assert again.raw_content == file.raw_content, "the same task always downloads the same bytes"


def test_delete_removes_the_task_and_its_file(iotda, mock):
    keep = create(iotda, batch_task_id="aaaa").export_task_id
    gone = create(iotda, batch_task_id="bbbb").export_task_id
    mock.settle()

    deleted = delete(iotda, gone)
    assert deleted.status_code == 204
    assert ids(list_tasks(iotda)) == [keep]
    huawei_error(lambda: delete(iotda, gone), 404, "IOTDA.024001", gone)
    huawei_error(lambda: download(iotda, gone), 404, "IOTDA.024001", gone)
    huawei_error(lambda: delete(iotda, "f" * 24), 404, "IOTDA.024001")


def test_a_task_with_the_same_conditions_replaces_its_predecessor(iotda, mock):
    first = create(iotda).export_task_id
    mock.settle()
    second = create(iotda).export_task_id
    assert second != first
    assert ids(list_tasks(iotda)) == [second], "documented: the same conditions overwrite the previous result"
    huawei_error(lambda: download(iotda, first), 404, "IOTDA.024001")
    app_scoped = create(iotda, app_type="APP", app_id="meter_app-1").export_task_id
    assert ids(list_tasks(iotda)) == [app_scoped, second], "another scope is another condition"


def test_a_running_task_can_be_deleted(iotda):
    task_id = create(iotda).export_task_id
    delete(iotda, task_id)
    assert list_tasks(iotda).page.count == 0


def test_a_running_task_has_no_file_yet(iotda):
    task_id = create(iotda).export_task_id
    huawei_error(lambda: download(iotda, task_id), 404, "IOTDA.024003")


def test_a_failed_task_has_no_file(failing_mock, failing_iotda):
    task_id = create(failing_iotda).export_task_id
    failing_mock.settle()
    task = list_tasks(failing_iotda).export_tasks[0]
    assert_task(task)
    assert task.status == "Failed"
    huawei_error(lambda: download(failing_iotda, task_id), 404, "IOTDA.024004")


def test_downloads_are_limited_to_one_per_30_seconds(iotda, mock):
    first = create(iotda, batch_task_id="aaaa").export_task_id
    second = create(iotda, batch_task_id="bbbb").export_task_id
    mock.settle()
    mock.advance(DOWNLOAD_INTERVAL_S)
    download(iotda, first)
    huawei_error(lambda: download(iotda, second), 403, "IOTDA.021101", "30 seconds")
    mock.advance(DOWNLOAD_INTERVAL_S)
    assert download(iotda, second).raw_content.startswith(b"PK"), "a zip again after 30 s"


# ---------------------------------------------------------------------------------------------- listing


def test_the_list_is_newest_first_and_pages_by_marker_and_offset(iotda, mock):
    created = []
    for n in range(7):
        created.append(create(iotda, batch_task_id=f"{n:x}{n:x}").export_task_id)
        if n % 5 == 4:
            mock.settle()  # at most 5 unfinished tasks at a time
    newest_first = sorted(created, reverse=True)
    assert newest_first == created[::-1], "ids grow, so the largest id is the newest"

    everything = list_tasks(iotda, limit=50)
    assert (ids(everything), everything.page.count) == (newest_first, 7)

    first_page = list_tasks(iotda, limit=3)
    assert ids(first_page) == newest_first[:3]
    assert first_page.page.marker == newest_first[2]
    assert first_page.page.count == 7, "count is every match, not the page"
    next_page = list_tasks(iotda, limit=3, marker=first_page.page.marker)
    assert ids(next_page) == newest_first[3:6]
    assert ids(list_tasks(iotda, limit=2, offset=4)) == newest_first[4:6]
    assert ids(list_tasks(iotda, limit=10, marker=newest_first[0], offset=5)) == newest_first[6:]
    assert ids(list_tasks(iotda, marker="0" * 24)) == []
    assert len(list_tasks(iotda).export_tasks) == 7, "the default limit is 10"


def test_the_list_filters_by_batch_task_with_a_json_string_condition(iotda, mock):
    wanted = create(iotda, batch_task_id="abc123").export_task_id
    create(iotda, batch_task_id="def456")
    condition = json.dumps({"task_id": "abc123"})
    assert ids(list_tasks(iotda, resource_condition=condition)) == [wanted]
    assert ids(list_tasks(iotda, resource_condition='{"task_id":"999"}')) == []
    assert list_tasks(iotda, resource_condition="{}").page.count == 2


def test_app_scoped_tasks_are_listed_by_app(iotda):
    app = create(iotda, batch_task_id="aaaa", app_type="APP", app_id="meter_app-1")
    assert (app.app_type, app.app_id) == ("APP", "meter_app-1")
    tenant = create(iotda, batch_task_id="bbbb")
    assert tenant.app_id is None
    assert ids(list_tasks(iotda, app_type="APP", app_id="meter_app-1")) == [app.export_task_id]
    assert ids(list_tasks(iotda, app_type="APP", app_id="other")) == []
    assert list_tasks(iotda, app_type="GLOBAL").page.count == 2, "the tenant-wide list holds every task"


def test_tasks_are_kept_apart_per_instance(iotda):
    mine = create(iotda, instance_id="instance-a").export_task_id
    assert ids(list_tasks(iotda, instance_id="instance-a")) == [mine]
    assert list_tasks(iotda).page.count == 0
    assert list_tasks(iotda, instance_id="instance-b").page.count == 0
    huawei_error(lambda: delete(iotda, mine), 404, "IOTDA.024001")
    delete(iotda, mine, instance_id="instance-a")


# --------------------------------------------------------------------------------------------- limits


def test_at_most_five_unfinished_tasks(iotda, mock):
    for n in range(5):
        create(iotda, batch_task_id=f"{n + 1:x}")
    huawei_error(lambda: create(iotda, batch_task_id="6"), 403, "IOTDA.024002")
    assert list_tasks(iotda).page.count == 5, "the refused task was not stored"
    mock.settle()
    create(iotda, batch_task_id="6")


def test_at_most_fifty_tasks_and_the_oldest_goes(iotda, mock):
    created = []
    for n in range(51):
        created.append(create(iotda, batch_task_id=f"{n:04x}").export_task_id)
        if n % 5 == 4:
            mock.settle()
    listed = list_tasks(iotda, limit=50)
    assert listed.page.count == 50
    assert created[0] not in ids(listed), "the oldest task was removed"
    assert ids(listed) == sorted(created[1:], reverse=True)


# ------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("case", "body", "mentions"),
    [
        ("no resource_type", {"resource_type": None}, "resource_type"),
        ("plural resource_type", {"resource_type": "BatchTasks"}, "resource_type"),
        ("no resource_condition", {"resource_condition": None}, "resource_condition"),
        ("condition without task_id", {"resource_condition": {}}, "task_id"),
        ("unknown condition key", {"resource_condition": {"task_id": "abc", "device_id": "d1"}}, "device_id"),
        ("task_id not hex", {"resource_condition": {"task_id": "not-a-task"}}, "task_id"),
        ("task_id too long", {"resource_condition": {"task_id": "a" * 25}}, "task_id"),
        ("task_id a number", {"resource_condition": {"task_id": 42}}, "task_id"),
        ("csv format", {"export_format": "csv"}, "export_format"),
        ("unknown app_type", {"app_type": "TENANT"}, "app_type"),
        ("bad app_id", {"app_id": "has space"}, "app_id"),
    ],
)
def test_invalid_creates_raise_iotda_000006(iotda, case, body, mentions):
    task = AddExportTask(resource_type="BatchTask", resource_condition={"task_id": BATCH_TASK})
    for name, value in body.items():
        setattr(task, name, value)
    request = CreateExportTaskRequest(body=task)
    huawei_error(lambda: iotda.create_export_task(request), 400, "IOTDA.000006", mentions)
    assert list_tasks(iotda).page.count == 0, f"{case}: nothing was created"


def test_a_wrongly_typed_field_raises_iotda_000008(iotda):
    # The SDK does not check types, so a list goes out as a JSON array.
    task = AddExportTask(resource_type=["BatchTask"], resource_condition={"task_id": BATCH_TASK})
    huawei_error(lambda: iotda.create_export_task(CreateExportTaskRequest(body=task)), 400, "IOTDA.000008")


@pytest.mark.parametrize(
    ("query", "code", "mentions"),
    [
        ({"limit": 0}, "IOTDA.000017", "limit"),
        ({"limit": 51}, "IOTDA.000017", "limit"),
        ({"offset": 501}, "IOTDA.000006", "offset"),
        ({"offset": -1}, "IOTDA.000006", "offset"),
        ({"marker": "xyz"}, "IOTDA.000006", "marker"),
        ({"resource_type": "Device"}, "IOTDA.000006", "resource_type"),
        ({"resource_type": None}, "IOTDA.000006", "resource_type"),
        ({"resource_condition": "task_id=abc"}, "IOTDA.000006", "resource_condition"),
        ({"app_type": "ALL"}, "IOTDA.000006", "app_type"),
    ],
)
def test_invalid_list_queries_raise_iotda_errors(iotda, query, code, mentions):
    huawei_error(lambda: list_tasks(iotda, **query), 400, code, mentions)


def test_list_bounds_are_accepted(iotda):
    assert list_tasks(iotda, limit=1, offset=500).export_tasks == []
    assert list_tasks(iotda, limit=50, offset=0, marker="f" * 24).page.count == 0


def test_a_malformed_export_task_id_or_instance_id_is_refused(iotda):
    huawei_error(lambda: download(iotda, "not-an-id"), 400, "IOTDA.000006", "export_task_id")
    huawei_error(lambda: delete(iotda, "not-an-id"), 400, "IOTDA.000006", "export_task_id")
    huawei_error(lambda: list_tasks(iotda, instance_id="no spaces"), 400, "IOTDA.000006", "Instance-Id")


# ---------------------------------------------------------------------------------------- injected faults


def test_injected_errors_reach_every_operation_in_the_flat_envelope(iotda, faults):
    task_id = create(iotda).export_task_id
    calls = {
        "iotda:CreateExportTask": lambda: create(iotda, batch_task_id="ffff"),
        "iotda:ListExportTasks": lambda: list_tasks(iotda),
        "iotda:ShowExportTask": lambda: download(iotda, task_id),
        "iotda:DeleteExportTask": lambda: delete(iotda, task_id),
    }
    for operation, call in calls.items():
        faults.fault(operation=operation, error_code="IOTDA.000004", http_status=403, times=1)
        error = huawei_error(call, 403, "IOTDA.000004", "Fault injected by the mock: IOTDA.000004")
        entry = faults.journal(operation, limit=1)[-1]
        assert entry["request_id"] == error.request_id, operation
    assert ids(list_tasks(iotda)) == [task_id], "the refused calls changed nothing"
