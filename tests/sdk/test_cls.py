"""Tencent Cloud CLS log exports through the official `tencentcloud-sdk-python-cls` client
(API 2020-10-16): CreateExport, DescribeExports, DeleteExport and the file behind `CosPath`, on the
success paths and on the documented errors, which the SDK must raise as TencentCloudSDKException
with Tencent's code, message and request id."""

import csv
import io
import json
import re
import tarfile

import pytest
from conftest import cls_client_for
from support import tencent_error
from tencentcloud.cls.v20201016 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

# Topics of the mock account (fixed, so tests and docs can name them).
NGINX = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80"
BACKEND = "7b1e9a24-3c5d-4e6f-8a90-b1c2d3e4f5a6"
CLOSED = "e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3"
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
CREATE_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def create_request(mock, **changes):
    """A valid CreateExport (nginx topic, the last hour, 100 logs); a change to None leaves the field out."""
    now = mock.now_ms()
    fields = {"TopicId": NGINX, "Count": 100, "Query": "*", "From": now - HOUR_MS, "To": now - MINUTE_MS}
    fields.update(changes)
    request = models.CreateExportRequest()
    for name, value in fields.items():
        if value is not None:
            setattr(request, name, value)
    return request


def create(cls, mock, **changes):
    response = cls.CreateExport(create_request(mock, **changes))
    assert isinstance(response, models.CreateExportResponse)
    assert response.RequestId, "every answer has a RequestId"
    return response.ExportId


def describe(cls, topic_id=NGINX, **paging):
    request = models.DescribeExportsRequest()
    request.TopicId = topic_id
    for name, value in paging.items():
        setattr(request, name, value)
    response = cls.DescribeExports(request)
    assert isinstance(response, models.DescribeExportsResponse)
    assert response.RequestId
    assert all(isinstance(export, models.ExportInfo) for export in response.Exports)
    return response


def delete(cls, export_id):
    request = models.DeleteExportRequest()
    request.ExportId = export_id
    response = cls.DeleteExport(request)
    assert isinstance(response, models.DeleteExportResponse)
    assert response.RequestId
    return response


def only_export(cls, topic_id=NGINX):
    response = describe(cls, topic_id)
    assert response.TotalCount == 1 and len(response.Exports) == 1, response.to_json_string()
    return response.Exports[0]


def member_lines(archive_bytes):
    """The lines of the one file inside a downloaded .tar.gz."""
    with tarfile.open(fileobj=io.BytesIO(archive_bytes), mode="r:gz") as archive:
        members = archive.getmembers()
        assert len(members) == 1 and members[0].isfile(), [m.name for m in members]
        text = archive.extractfile(members[0]).read().decode("utf-8")
    assert text.endswith("\n")
    return text.splitlines()


# -------------------------------------------------------------------------------------------- lifecycle


def test_an_export_completes_with_a_cos_path_serving_count_json_lines(cls, mock):
    request = create_request(mock, Count=250)
    created = cls.CreateExport(request)
    assert isinstance(created, models.CreateExportResponse)
    assert created.RequestId
    export_id = created.ExportId
    assert re.fullmatch(r"export-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", export_id), export_id

    running = only_export(cls)
    assert running.ExportId == export_id
    assert running.Status in ("Queuing", "Processing")
    assert (running.TopicId, running.Query, running.Count) == (NGINX, "*", 250)
    assert (running.From, running.To) == (request.From, request.To)
    assert (running.Order, running.Format, running.SyntaxRule) == ("desc", "json", 1), "the documented defaults"
    assert running.CosPath == "" and running.FileSize == 0, "no file until it completes"
    assert CREATE_TIME.match(running.CreateTime), running.CreateTime
    assert isinstance(running.CreateTimestamp, int)
    assert re.fullmatch(rf"log_\d+_{NGINX}_\d{{8}}_\d{{6}}_\d+\.tar\.gz", running.FileName), running.FileName

    mock.settle()
    done = only_export(cls)
    assert done.Status == "Completed"
    assert done.CosPath.startswith(mock.base_url + "/"), done.CosPath
    assert "q-signature=" in done.CosPath, "a presigned link, shaped like COS's"

    status, headers, body = mock.download(done.CosPath)
    assert status == 200, body[:200]
    assert len(body) == done.FileSize, "FileSize is the bytes CosPath serves"
    lines = member_lines(body)
    assert len(lines) == 250, "Count logs"
    logs = [json.loads(line) for line in lines]
    times = [log["__TIMESTAMP__"] for log in logs]
    assert times == sorted(times, reverse=True), "Order desc: newest first"
    assert all(request.From <= t < request.To for t in times)
    assert all("status" in log and "__SOURCE__" in log for log in logs)


def test_csv_ascending_exports_with_derived_fields(cls, mock):
    create(cls, mock, Count=40, Format="csv", Order="asc", SyntaxRule=0, DerivedFields=["status", "url"])
    mock.settle()
    done = only_export(cls)
    assert (done.Format, done.Order, done.SyntaxRule, done.DerivedFields) == ("csv", "asc", 0, ["status", "url"])
    status, _, body = mock.download(done.CosPath)
    assert status == 200
    rows = list(csv.reader(member_lines(body)))
    assert rows[0] == ["status", "url"], "the heading names the derived fields"
    assert len(rows) == 1 + 40


def test_a_field_query_shapes_the_exported_logs(cls, mock):
    create(cls, mock, Count=30, Query="status:500 AND method:GET")
    mock.settle()
    _, _, body = mock.download(only_export(cls).CosPath)
    logs = [json.loads(line) for line in member_lines(body)]
    assert len(logs) == 30
    assert all((log["status"], log["method"]) == ("500", "GET") for log in logs)


def test_a_failed_export_has_no_file(failing_mock, failing_cls):
    create(failing_cls, failing_mock)
    failing_mock.settle()
    failed = only_export(failing_cls)
    assert failed.Status == "Failed"
    assert failed.CosPath == ""


def test_cos_path_links_expire_and_cannot_be_edited(cls, mock):
    create(cls, mock)
    mock.settle()
    link = only_export(cls).CosPath
    edited = re.sub(r"q-signature=[0-9a-f]+", "q-signature=" + "0" * 40, link)
    assert mock.download(edited)[0] == 403
    mock.advance(3_601)
    assert mock.download(link)[0] == 403, "a CosPath link works for an hour"
    fresh = only_export(cls).CosPath
    assert fresh != link and mock.download(fresh)[0] == 200, "listing again hands out a new link"


def test_files_expire_three_days_after_completion(cls, mock):
    create(cls, mock)
    mock.settle()
    mock.advance(3 * 24 * 3600 + 60)
    expired = only_export(cls)
    assert expired.Status == "Expired"
    assert expired.CosPath == ""


def test_delete_removes_the_export(cls, mock):
    keep = create(cls, mock)
    gone = create(cls, mock, Count=5)
    delete(cls, gone)
    assert [e.ExportId for e in describe(cls).Exports] == [keep]
    tencent_error(lambda: delete(cls, gone), "ResourceNotFound.ExportNotExist", gone)


def test_describe_pages_newest_first_per_topic(cls, mock):
    ids = []
    for count in range(1, 8):
        ids.append(create(cls, mock, Count=count))
        mock.advance(1)
    other = create(cls, mock, TopicId=BACKEND)

    everything = describe(cls)
    assert everything.TotalCount == 7
    assert [e.ExportId for e in everything.Exports] == ids[::-1], "newest first"
    page = describe(cls, Offset=2, Limit=3)
    assert (page.TotalCount, [e.ExportId for e in page.Exports]) == (7, ids[::-1][2:5])
    assert describe(cls, Offset=7).Exports == []
    assert [e.ExportId for e in describe(cls, BACKEND).Exports] == [other]


# ------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("case", "changes", "code", "mentions"),
    [
        ("no TopicId", {"TopicId": None}, "MissingParameter", "TopicId"),
        ("no Count", {"Count": None}, "MissingParameter", "Count"),
        ("no Query", {"Query": None}, "MissingParameter", "Query"),
        ("no From", {"From": None}, "MissingParameter", "From"),
        ("no To", {"To": None}, "MissingParameter", "To"),
        ("Count 0", {"Count": 0}, "InvalidParameterValue", "Count"),
        ("Count over 50 million", {"Count": 50_000_001}, "InvalidParameterValue", "Count"),
        ("SQL query", {"Query": "* | select count(*)"}, "InvalidParameterValue", "SQL"),
        ("blank Query", {"Query": "  "}, "InvalidParameterValue", "blank"),
        ("field name with a space", {"DerivedFields": ["status", "a b"]}, "InvalidParameterValue", "a b"),
        ("field name with markup", {"DerivedFields": ["<x>"]}, "InvalidParameterValue", "<x>"),
        ("To before From", {"From": 2_000_000_000_000, "To": 1_000_000_000_000}, "InvalidParameterValue", "To"),
        ("unknown Order", {"Order": "newest"}, "InvalidParameterValue", "Order"),
        ("unknown Format", {"Format": "xml"}, "InvalidParameterValue", "Format"),
        ("SyntaxRule 2", {"SyntaxRule": 2}, "InvalidParameterValue", "SyntaxRule"),
        # The SDK does not check types, so these go out as given.
        ("Count as text", {"Count": "ten"}, "InvalidParameter", "Count"),
        ("DerivedFields as text", {"DerivedFields": "status"}, "InvalidParameter", "DerivedFields"),
        ("unknown topic", {"TopicId": "00000000-0000-4000-8000-000000000000"}, "ResourceNotFound.TopicNotExist", None),
        ("closed topic", {"TopicId": CLOSED}, "FailedOperation.TopicClosed", None),
    ],
)
def test_invalid_creates_raise_the_documented_codes(cls, mock, case, changes, code, mentions):
    tencent_error(lambda: cls.CreateExport(create_request(mock, **changes)), code, mentions or ())
    assert describe(cls).TotalCount == 0, f"{case}: nothing was created"


@pytest.mark.parametrize(
    ("paging", "code", "mentions"),
    [
        ({"Limit": 0}, "InvalidParameterValue", "Limit"),
        ({"Limit": 101}, "InvalidParameterValue", "Limit"),
        ({"Offset": -1}, "InvalidParameterValue", "Offset"),
        ({"Limit": "ten"}, "InvalidParameter", "Limit"),
    ],
)
def test_invalid_describe_paging_raises_the_documented_codes(cls, paging, code, mentions):
    tencent_error(lambda: describe(cls, **paging), code, mentions)


def test_the_sdks_default_language_gets_chinese_messages_with_the_same_codes(mock):
    # ClientProfile() asks for zh-CN, as most of the console's users do: the messages are Chinese,
    # the codes the same as in English.
    chinese = cls_client_for(mock, language="zh-CN")
    tencent_error(lambda: chinese.CreateExport(create_request(mock, Query="  ")), "InvalidParameterValue", "不能为空")
    tencent_error(lambda: describe(chinese, Limit=101), "InvalidParameterValue", "Limit")
    unknown = "00000000-0000-4000-8000-000000000000"
    tencent_error(lambda: describe(chinese, topic_id=unknown), "ResourceNotFound.TopicNotExist", "日志主题")


def test_describe_and_delete_name_what_is_missing_or_unknown(cls):
    tencent_error(lambda: cls.DescribeExports(models.DescribeExportsRequest()), "MissingParameter", "TopicId")
    tencent_error(lambda: describe(cls, "no-such-topic"), "ResourceNotFound.TopicNotExist")
    tencent_error(lambda: cls.DeleteExport(models.DeleteExportRequest()), "MissingParameter", "ExportId")
    tencent_error(lambda: delete(cls, "export-00000000-0000-4000-8000-000000000000"), "ResourceNotFound.ExportNotExist")


def test_an_undeclared_parameter_raises_unknown_parameter(cls):
    # The SDK sends every attribute a model holds, so an extra one travels as an older or newer SDK
    # would send a parameter this API version does not declare.
    request = models.DescribeExportsRequest()
    request.TopicId = NGINX
    request._Region = "ap-guangzhou"
    tencent_error(lambda: cls.DescribeExports(request), "UnknownParameter", "Region")


def test_describe_paging_bounds_are_accepted(cls):
    assert describe(cls, Offset=0, Limit=100).TotalCount == 0
    assert describe(cls, Limit=1).Exports == []


def test_a_full_topic_raises_limit_exceeded_export_until_one_is_deleted(cls, mock):
    # The mock keeps at most 1000 exports a topic. Creating them through the SDK would take 50 s at
    # 20 calls a second, so demo exports fill the topics: 4000 spread over the three open ones.
    mock.reset(demo_tasks=4000)
    full = describe(cls, Limit=1)
    assert full.TotalCount == 1000
    tencent_error(lambda: create(cls, mock), "LimitExceeded.Export", "1000")
    assert describe(cls).TotalCount == 1000, "the refused export was not stored"
    delete(cls, full.Exports[0].ExportId)
    create(cls, mock)
    assert describe(cls).TotalCount == 1000


def test_more_than_20_calls_a_second_raise_request_limit_exceeded(cls):
    # A burst of 40 takes far less than the second it would need to stay within 20 per second.
    outcomes = []
    for _ in range(40):
        try:
            describe(cls)
            outcomes.append("ok")
        except TencentCloudSDKException as error:
            outcomes.append(error.get_code())
    assert outcomes[:20] == ["ok"] * 20, f"a burst of 20 goes through: {outcomes}"
    assert "RequestLimitExceeded" in outcomes, outcomes
    assert set(outcomes) == {"ok", "RequestLimitExceeded"}, outcomes


# ---------------------------------------------------------------------------------------- injected faults


def test_injected_errors_reach_every_action_in_tencents_envelope(cls, mock, faults):
    export_id = create(cls, mock)
    calls = {
        "cls:CreateExport": lambda: create(cls, mock),
        "cls:DescribeExports": lambda: describe(cls),
        "cls:DeleteExport": lambda: delete(cls, export_id),
    }
    for operation, call in calls.items():
        faults.fault(
            operation=operation,
            error_code="RequestLimitExceeded",
            error_msg="Your current request times equals to `21` in a second",
            times=1,
        )
        error = tencent_error(call, "RequestLimitExceeded", "in a second")
        entry = faults.journal(operation, limit=1)[-1]
        assert entry["request_id"] == error.get_request_id(), operation
    assert [e.ExportId for e in describe(cls).Exports] == [export_id], "the refused calls changed nothing"


def test_an_injected_http_error_status_surfaces_as_server_network_error(cls, faults):
    # The SDK reads a body only from HTTP 200; anything else is its own ServerNetworkError.
    faults.fault(operation="cls:DescribeExports", error_code="InternalError", http_status=502, times=1)
    with pytest.raises(TencentCloudSDKException) as raised:
        describe(cls)
    assert raised.value.get_code() == "ServerNetworkError"
    assert "InternalError" in str(raised.value.get_message())


# ---------------------------------------------------------------------------------------- DescribeTopics


def describe_topics(cls, filters=(), **fields):
    """DescribeTopics with `filters` as (Key, [Values]) pairs, each built as the SDK's Filter model."""
    request = models.DescribeTopicsRequest()
    if filters:
        request.Filters = []
        for key, values in filters:
            item = models.Filter()
            item.Key = key
            item.Values = values
            request.Filters.append(item)
    for name, value in fields.items():
        setattr(request, name, value)
    response = cls.DescribeTopics(request)
    assert isinstance(response, models.DescribeTopicsResponse)
    assert response.RequestId
    assert all(isinstance(topic, models.TopicInfo) for topic in response.Topics)
    return response


def test_describe_topics_lists_the_account_with_the_sdk_types(cls):
    response = describe_topics(cls)
    assert response.TotalCount == 4 and len(response.Topics) == 4
    by_id = {topic.TopicId: topic for topic in response.Topics}
    assert set(by_id) >= {NGINX, BACKEND, CLOSED}
    for topic in response.Topics:
        assert isinstance(topic.LogsetId, str) and topic.LogsetId
        assert isinstance(topic.TopicName, str) and topic.TopicName
        assert CREATE_TIME.match(topic.CreateTime), topic.CreateTime
        for name in ("PartitionCount", "MaxSplitPartitions", "Period", "HotPeriod", "BizType"):
            assert isinstance(getattr(topic, name), int), name
        for name in ("Index", "Status", "AutoSplit", "IsWebTracking"):
            assert isinstance(getattr(topic, name), bool), name
        assert topic.StorageType in ("hot", "cold")
        assert all(isinstance(tag, models.Tag) and tag.Key and tag.Value for tag in topic.Tags)
    assert by_id[NGINX].TopicName == "nginx-access" and by_id[NGINX].Status is True
    assert by_id[CLOSED].Status is False, "a closed topic keeps its status"
    created = [topic.CreateTime for topic in response.Topics]
    assert created == sorted(created, reverse=True), "newest created first"


def test_describe_topics_filters_by_name_id_and_logset(cls):
    assert [t.TopicName for t in describe_topics(cls, [("topicName", ["Nginx"])]).Topics] == ["nginx-access"]
    assert describe_topics(cls, [("topicName", ["nginx"])], PreciseSearch=1).TotalCount == 0, "exact on request"
    by_id = describe_topics(cls, [("topicId", [BACKEND, CLOSED])])
    assert {t.TopicId for t in by_id.Topics} == {BACKEND, CLOSED} and by_id.TotalCount == 2
    assert describe_topics(cls, [("topicId", ["no-such-topic"])]).TotalCount == 0, "a search, not a look-up"
    nginx = describe_topics(cls, [("topicId", [NGINX])]).Topics[0]
    same_logset = describe_topics(cls, [("logsetId", [nginx.LogsetId])])
    assert NGINX in {t.TopicId for t in same_logset.Topics}
    assert all(t.LogsetId == nginx.LogsetId for t in same_logset.Topics)
    both = describe_topics(cls, [("logsetId", [nginx.LogsetId]), ("topicName", ["backend"])])
    assert [t.TopicId for t in both.Topics] == [BACKEND], "every filter applies"
    assert describe_topics(cls, [("tag:team", ["security"])]).TotalCount == 1


def test_describe_topics_pages_with_offset_and_limit(cls):
    everything = [t.TopicId for t in describe_topics(cls).Topics]
    first = describe_topics(cls, Offset=0, Limit=3)
    second = describe_topics(cls, Offset=3, Limit=3)
    assert (first.TotalCount, second.TotalCount) == (4, 4)
    assert [t.TopicId for t in first.Topics + second.Topics] == everything
    assert describe_topics(cls, Offset=10).Topics == []
    assert len(describe_topics(cls, Limit=100).Topics) == 4


def test_every_listed_topic_is_one_create_export_knows(cls, mock):
    for topic in describe_topics(cls).Topics:
        if topic.Status:
            assert create(cls, mock, TopicId=topic.TopicId)
        else:
            tencent_error(lambda: create(cls, mock, TopicId=topic.TopicId), "FailedOperation.TopicClosed")


@pytest.mark.parametrize(
    ("filters", "fields", "code", "mentions"),
    [
        ([("name", ["nginx"])], {}, "InvalidParameterValue", ("Filters", "Key", "`name`")),
        ([("tag:", ["x"])], {}, "InvalidParameterValue", "`tag:`"),
        ([("topicId", [])], {}, "InvalidParameterValue", "Values"),
        ([("topicId", ["x"])] * 11, {}, "InvalidParameterValue", ("Filters", "10")),
        ([("storageType", ["warm"])], {}, "InvalidParameterValue", "warm"),
        ([("topicId", None)], {}, "MissingParameter", "Filters.0.Values"),
        ([], {"Limit": 0}, "InvalidParameterValue", "Limit"),
        ([], {"Limit": 101}, "InvalidParameterValue", "Limit"),
        ([], {"Offset": -1}, "InvalidParameterValue", "Offset"),
        ([], {"PreciseSearch": 4}, "InvalidParameterValue", "PreciseSearch"),
        ([], {"Limit": "ten"}, "InvalidParameter", "Limit"),
    ],
)
def test_bad_describe_topics_raise_the_documented_codes(cls, filters, fields, code, mentions):
    tencent_error(lambda: describe_topics(cls, filters, **fields), code, mentions)


def test_describe_topics_refusals_follow_the_sdk_language(mock):
    # The SDK's ClientProfile says language="zh-CN" unless told otherwise, and sends it as X-TC-Language.
    chinese = cls_client_for(mock, language="zh-CN")
    assert chinese.profile.language == "zh-CN"
    error = tencent_error(lambda: describe_topics(chinese, Limit=101), "InvalidParameterValue", "Limit")
    assert "须在 1 到 100 之间" in error.get_message()
    english = cls_client_for(mock)
    assert english.profile.language == "en-US"
    error = tencent_error(lambda: describe_topics(english, Limit=101), "InvalidParameterValue", "Limit")
    assert "must be from 1 to 100, not 101" in error.get_message()


def test_an_injected_describe_topics_error_reaches_the_sdk(cls, faults):
    faults.fault(operation="cls:DescribeTopics", error_code="InternalError", times=1)
    error = tencent_error(lambda: describe_topics(cls), "InternalError", "InternalError")
    assert faults.journal("cls:DescribeTopics", limit=1)[-1]["request_id"] == error.get_request_id()
    assert describe_topics(cls).TotalCount == 4, "one call only"
