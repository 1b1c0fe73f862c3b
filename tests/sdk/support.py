"""Assertions shared by the SDK conformance tests: the typed exceptions each SDK raises for an error
answer, with the provider's code, a message and a request id."""

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException


def is_request_id(text):
    """The mock's request ids: 32 lower-case hex digits, as Huawei's gateway sends them."""
    return isinstance(text, str) and len(text) == 32 and all(c in "0123456789abcdef" for c in text)


def huawei_error(call, status, code, mentions=()):
    """Runs `call`, which must raise ClientRequestException with this status and code, a message
    naming every string in `mentions`, and a request id; returns the exception."""
    with pytest.raises(ClientRequestException) as raised:
        call()
    error = raised.value
    assert (error.status_code, error.error_code) == (status, code), f"{error} (request {error.request_id})"
    assert error.error_msg and error.error_msg.strip(), f"an empty message: {error}"
    for text in (mentions,) if isinstance(mentions, str) else mentions:
        assert text in error.error_msg, f"the message should mention {text!r}: {error.error_msg}"
    assert is_request_id(error.request_id), f"request id {error.request_id!r}"
    return error


def tencent_error(call, code, mentions=()):
    """Runs `call`, which must raise TencentCloudSDKException with this code, a message naming every
    string in `mentions`, and a request id; returns the exception."""
    with pytest.raises(TencentCloudSDKException) as raised:
        call()
    error = raised.value
    assert error.get_code() == code, f"{error.get_code()}: {error.get_message()} (request {error.get_request_id()})"
    message = error.get_message()
    assert message and message.strip(), f"an empty message: {error}"
    for text in (mentions,) if isinstance(mentions, str) else mentions:
        assert text in message, f"the message should mention {text!r}: {message}"
    assert error.get_request_id(), f"no request id: {error}"
    return error
