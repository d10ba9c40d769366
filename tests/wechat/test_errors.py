import pytest

from adapters.wechat import errors
from adapters.wechat.errors import WeChatApiError, WeChatTransportError, error_for


@pytest.mark.parametrize("code, cls, transient", [
    (45015, errors.OutsideWindow, False),
    (45047, errors.ResponseQuotaExhausted, False),
    (43004, errors.NotFollower, False),
    (40003, errors.InvalidOpenId, False),
    (45009, errors.DailyApiQuota, False),
    (45011, errors.MinuteApiQuota, True),
    (-1, errors.SystemBusy, True),
    (40001, errors.AccessTokenInvalid, False),
    (40014, errors.AccessTokenInvalid, False),
    (42001, errors.AccessTokenInvalid, False),
    (45002, errors.ContentTooLong, False),
    (43019, errors.Blacklisted, False),
    (48002, errors.MessagesRefused, False),
    (48001, errors.ApiUnauthorized, False),
    (40007, errors.InvalidMediaId, False),
    (40037, errors.InvalidTemplateId, False),
])
def test_error_table(code, cls, transient):
    exc = error_for(code, "msg")
    assert type(exc) is cls and isinstance(exc, WeChatApiError)
    assert exc.errcode == code and exc.errmsg == "msg" and exc.transient is transient
    assert str(code) in str(exc)


def test_unknown_code_is_the_base_class():
    exc = error_for(99999, "new")
    assert type(exc) is WeChatApiError and not exc.transient


def test_transport_error():
    exc = WeChatTransportError("POST /x: ClientConnectorError", status=None)
    assert isinstance(exc, WeChatApiError) and exc.transient and exc.errcode is None
    assert str(exc) == "POST /x: ClientConnectorError"
    assert not WeChatTransportError("HTTP 404", status=404, transient=False).transient
