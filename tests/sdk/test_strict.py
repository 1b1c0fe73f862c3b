"""Signatures as the official SDKs see them. Every other test of the suite proves, in its `[strict]`
run, that the mock accepts what the SDKs sign; these prove the other half: a client signing with the
wrong secret, an unknown key or a clock 20 minutes off gets the provider's own authentication error,
raised as the SDK's typed exception (Huawei: ClientRequestException 401 with the gateway's
APIGW.0301; Tencent: TencentCloudSDKException with AuthFailure.*). In the `[plain]` run the same
calls go through: a mock without --verify-signatures never looks at signatures."""

import time
import types
from datetime import datetime, timedelta, timezone

import huaweicloudsdkcore.signer.signer as huawei_signer
import tencentcloud.common.abstract_client as tencent_client
from conftest import cdn_client, cls_client_for, iotda_client
from huaweicloudsdkcdn.v2 import ListExportTasksRequest as CdnListExportTasksRequest
from huaweicloudsdkiotda.v5 import AddExportTask, CreateExportTaskRequest
from huaweicloudsdkiotda.v5 import ListExportTasksRequest as IotdaListExportTasksRequest
from support import huawei_error, tencent_error
from tencentcloud.cls.v20201016 import models

NGINX = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80"
SKEW = timedelta(minutes=20)


def list_cdn(cdn):
    return cdn.list_export_tasks(CdnListExportTasksRequest(limit=10, offset=0))


def list_iotda(iotda):
    return iotda.list_export_tasks(IotdaListExportTasksRequest(resource_type="BatchTask"))


def create_iotda(iotda):
    body = AddExportTask(resource_type="BatchTask", resource_condition={"task_id": "5f9a1c2b3d4e5f6a7b8c9d0e"})
    return iotda.create_export_task(CreateExportTaskRequest(body=body))


def describe_cls(cls):
    request = models.DescribeExportsRequest()
    request.TopicId = NGINX
    return cls.DescribeExports(request)


def refused_when_strict(mock, call, check):
    """In strict mode `check(call)` asserts the refusal and returns the exception; a plain mock must
    answer the same call normally (returns None)."""
    if mock.verifies_signatures:
        return check(call)
    call()
    return None


def test_a_wrong_huawei_secret_raises_the_gateways_401(mock):
    wrong_cdn = cdn_client(mock, sk="not-the-secret-key")
    wrong_iotda = iotda_client(mock, sk="not-the-secret-key")

    def signature_fail(call):
        return huawei_error(call, 401, "APIGW.0301", "verify aksk signature fail")

    error = refused_when_strict(mock, lambda: list_cdn(wrong_cdn), signature_fail)
    if error is not None:
        assert error.error_msg.startswith("Incorrect IAM authentication information: "), error.error_msg
        assert "canonicalRequest:GET|/v1/cdn/statistics/export-tasks/|limit=10&offset=0|" in error.error_msg
    refused_when_strict(mock, lambda: list_iotda(wrong_iotda), signature_fail)


def test_a_refused_call_changes_nothing_and_is_journaled_with_its_401(mock, iotda):
    wrong_iotda = iotda_client(mock, sk="not-the-secret-key")
    error = refused_when_strict(
        mock, lambda: create_iotda(wrong_iotda), lambda call: huawei_error(call, 401, "APIGW.0301")
    )
    tasks = list_iotda(iotda).export_tasks
    entry = mock.journal("iotda:CreateExportTask", limit=1)[-1]
    if error is None:
        assert len(tasks) == 1 and entry["status"] == 201
    else:
        assert tasks == [], "the refused create made no task"
        assert (entry["status"], entry["request_id"]) == (401, error.request_id)


def test_an_unknown_huawei_access_key_is_named(mock):
    stranger = cdn_client(mock, ak="NOSUCHAK00000000", sk="whatever")
    refused_when_strict(
        mock,
        lambda: list_cdn(stranger),
        lambda call: huawei_error(call, 401, "APIGW.0301", "ak NOSUCHAK00000000 not exist"),
    )


def test_a_wrong_tencent_secret_raises_signature_failure(mock):
    wrong = cls_client_for(mock, secret_key="not-the-secret-key")
    refused_when_strict(
        mock,
        lambda: describe_cls(wrong),
        lambda call: tencent_error(call, "AuthFailure.SignatureFailure", "could not be validated"),
    )


def test_an_unknown_tencent_secret_id_raises_secret_id_not_found(mock):
    stranger = cls_client_for(mock, secret_id="AKIDnosuchsecretid000000000000000000", secret_key="whatever")
    refused_when_strict(
        mock,
        lambda: describe_cls(stranger),
        lambda call: tencent_error(call, "AuthFailure.SecretIdNotFound", "SecretId"),
    )


def test_a_client_clock_twenty_minutes_behind_has_expired_signatures(mock, cdn, cls, monkeypatch):
    class Behind(datetime):
        """What huaweicloudsdkcore's signer reads the time from, 20 minutes late."""

        @classmethod
        def utcnow(cls):
            return datetime.now(timezone.utc).replace(tzinfo=None) - SKEW

    monkeypatch.setattr(huawei_signer, "datetime", Behind)
    monkeypatch.setattr(tencent_client, "time", types.SimpleNamespace(time=lambda: time.time() - SKEW.total_seconds()))

    refused_when_strict(
        mock, lambda: list_cdn(cdn), lambda call: huawei_error(call, 401, "APIGW.0301", "signature expired")
    )
    refused_when_strict(
        mock, lambda: describe_cls(cls), lambda call: tencent_error(call, "AuthFailure.SignatureExpire", "five minutes")
    )


def test_signatures_follow_the_wall_clock_not_the_mock_clock(mock, cdn, cls):
    # The SDKs sign with the real time; a mock clock days ahead must not make them look expired.
    mock.advance(3 * 86_400)
    assert list_cdn(cdn).total == 0
    assert describe_cls(cls).TotalCount == 0
