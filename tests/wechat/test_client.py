"""WeChatClient against the WeChat API simulator, over real HTTP on 127.0.0.1."""
import logging
import socket
from urllib.parse import quote

import pytest

from adapters.wechat.client import QrCode, WeChatClient
from adapters.wechat.errors import (
    AccessTokenInvalid,
    ContentTooLong,
    DailyApiQuota,
    InvalidOpenId,
    InvalidTemplateId,
    MinuteApiQuota,
    NotFollower,
    OutsideWindow,
    ResponseQuotaExhausted,
    SystemBusy,
    WeChatApiError,
    WeChatOutcomeUnknown,
    WeChatTransportError,
)
from adapters.wechat.token_cache import TokenCache
from tests.memory_storage import MemoryStorage
from tests.wechat.conftest import APP_ID, SECRET, SleepRecorder, build

SEND = "/cgi-bin/message/custom/send"
STABLE = "/cgi-bin/stable_token"


def codes(state, path=SEND):
    return [r.errcode for r in state.calls(path)]


async def test_send_text(client, state):
    state.follow("o1")
    state.user_message("o1")
    await client.send_text("o1", "你好，世界")
    assert state.texts("o1") == ["你好，世界"]
    assert len(state.calls(STABLE)) == 1
    assert state.calls(STABLE)[0].json["force_refresh"] is False
    assert state.calls(STABLE)[0].json["secret"] == "***"  # the simulator keeps no secret either


async def test_body_is_utf8_not_unicode_escapes(client, state):
    state.follow("o1")
    state.user_message("o1")
    await client.send_text("o1", "你好")
    raw = state.calls(SEND)[0].raw
    assert "你好".encode("utf-8") in raw
    assert b"\\u" not in raw


async def test_kf_account(client, state):
    state.follow("o1")
    state.user_message("o1")
    await client.send_text("o1", "hi", kf_account="anna@gh_test")
    assert state.delivered[0].json["customservice"] == {"kf_account": "anna@gh_test"}


async def test_outside_48_hours_is_45015(client, state, clock):
    state.follow("o1")
    state.user_message("o1")
    await client.send_text("o1", "within")
    clock.advance(48 * 3600)
    with pytest.raises(OutsideWindow) as info:
        await client.send_text("o1", "too late")
    assert info.value.errcode == 45015 and not info.value.transient
    state.user_message("o1")  # the user writes again: the window reopens
    await client.send_text("o1", "again")
    assert state.texts("o1") == ["within", "again"]


async def test_unfollowed_user_is_45015(client, state):
    state.follow("o1")
    state.user_message("o1")
    state.unfollow("o1")
    with pytest.raises(OutsideWindow):
        await client.send_text("o1", "hello?")


async def test_sixth_message_is_45047(client, state):
    state.follow("o1")
    state.user_message("o1")
    for i in range(5):
        await client.send_text("o1", f"m{i}")
    with pytest.raises(ResponseQuotaExhausted) as info:
        await client.send_text("o1", "m5")
    assert info.value.errcode == 45047
    assert codes(state) == [0, 0, 0, 0, 0, 45047]


async def test_expired_token_is_refreshed_and_the_call_retried_once(client, state):
    state.follow("o1")
    state.user_message("o1")
    await client.send_text("o1", "one")
    state.expire_tokens()
    await client.send_text("o1", "two")
    assert [c.json["force_refresh"] for c in state.calls(STABLE)] == [False, True]
    assert codes(state) == [0, 42001, 0]
    assert state.texts("o1") == ["one", "two"]


async def test_token_refused_twice_is_raised_after_one_refresh(client, state, sleeps):
    state.follow("o1")
    state.user_message("o1")
    state.fail_next(SEND, 40001, times=2)
    with pytest.raises(AccessTokenInvalid):
        await client.send_text("o1", "x")
    assert len(state.calls(STABLE)) == 2
    assert codes(state) == [40001, 40001]
    assert sleeps.delays == []


async def test_system_busy_is_retried_with_backoff(client, state, sleeps):
    state.follow("o1")
    state.user_message("o1")
    state.fail_next(SEND, -1, times=2)
    await client.send_text("o1", "eventually")
    assert codes(state) == [-1, -1, 0]
    assert len(sleeps.delays) == 2
    first, second = sleeps.delays
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0  # 0.5·2^n with jitter in [½, 1]
    assert state.texts("o1") == ["eventually"]


async def test_transient_errors_stop_after_max_attempts(client, state, sleeps):
    state.follow("o1")
    state.user_message("o1")
    state.fail_next(SEND, -1, times=3)
    with pytest.raises(SystemBusy) as info:
        await client.send_text("o1", "x")
    assert info.value.transient
    assert codes(state) == [-1, -1, -1]
    assert len(sleeps.delays) == 2


async def test_minute_quota_is_retried(client, state, sleeps):
    state.follow("o1")
    state.user_message("o1")
    state.fail_next(SEND, 45011)
    await client.send_text("o1", "x")
    assert codes(state) == [45011, 0]
    assert len(sleeps.delays) == 1


async def test_minute_quota_error_is_typed_transient():
    assert MinuteApiQuota(45011).transient


async def test_daily_quota_is_not_retried(client, state, sleeps):
    state.follow("o1")
    state.user_message("o1")
    state.fail_next(SEND, 45009)
    with pytest.raises(DailyApiQuota):
        await client.send_text("o1", "x")
    assert codes(state) == [45009]
    assert sleeps.delays == []


async def test_http_5xx_is_retried(client, state, sleeps):
    state.follow("o1")
    state.user_message("o1")
    state.fail_next(SEND, status=502)
    await client.send_text("o1", "x")
    assert len(state.calls(SEND)) == 2
    assert len(sleeps.delays) == 1


async def test_a_send_whose_answer_was_lost_is_not_sent_again(client, state, sleeps):
    """WeChat took the message and the connection dropped before its answer (as when it answers
    after the client gave up): the outcome is unknown, and a second try could show it twice."""
    state.follow("o1")
    state.user_message("o1")
    state.lose_answer(SEND)
    with pytest.raises(WeChatOutcomeUnknown) as info:
        await client.send_text("o1", "only once")
    assert not info.value.transient and state.texts("o1") == ["only once"] and len(state.calls(SEND)) == 1
    assert sleeps.delays == []


async def test_a_gateway_timeout_on_a_send_is_unknown_and_on_a_read_is_retried(client, state, sleeps):
    state.follow("o1")
    state.user_message("o1")
    state.fail_next(SEND, status=504)
    with pytest.raises(WeChatOutcomeUnknown):
        await client.send_text("o1", "x")
    assert len(state.calls(SEND)) == 1
    state.fail_next("/cgi-bin/user/info", status=504)
    assert (await client.user_info("o1"))["subscribe"] == 1  # reading twice costs nothing
    assert len(state.calls("/cgi-bin/user/info")) == 2


async def test_a_lost_answer_to_a_read_is_retried(client, state, sleeps):
    state.follow("o1")
    state.lose_answer("/cgi-bin/user/info")
    assert (await client.user_info("o1"))["subscribe"] == 1
    assert len(state.calls("/cgi-bin/user/info")) == 2


async def test_network_failure_is_a_transient_transport_error(session, clock):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"

    class FixedToken:
        async def get(self):
            return "tok-SECRET-VALUE"

        async def invalidate(self, bad_token):
            raise AssertionError("not a token problem")

    sleeps = SleepRecorder()
    client = WeChatClient(session, dead, APP_ID, SECRET, FixedToken(), sleep=sleeps, timeout_seconds=2)
    with pytest.raises(WeChatTransportError) as refused:  # nothing was sent: a send is tried again too
        await client.send_text("o1", "x")
    assert refused.value.transient and not isinstance(refused.value, WeChatOutcomeUnknown)
    sleeps.delays.clear()
    with pytest.raises(WeChatTransportError) as info:
        await client.user_info("o1")
    assert info.value.transient and info.value.errcode is None
    assert len(sleeps.delays) == 2  # three attempts
    assert "tok-SECRET-VALUE" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__  # the URL-bearing cause is dropped


async def test_invalid_openid(client, state):
    with pytest.raises(InvalidOpenId):
        await client.send_text("nobody", "x")
    with pytest.raises(InvalidOpenId):
        await client.user_info("nobody")


async def test_text_over_2048_bytes_is_too_long(client, state):
    state.follow("o1")
    state.user_message("o1")
    with pytest.raises(ContentTooLong):
        await client.send_text("o1", "中" * 683)  # 2049 bytes
    await client.send_text("o1", "中" * 682)  # 2046 bytes
    assert codes(state) == [45002, 0]


async def test_template_message(client, state, clock):
    state.follow("o1")
    clock.advance(72 * 3600)  # far outside any customer-service window: templates do not care
    data = {"first": "You have new messages", "remark": {"value": "Reply to continue", "color": "#173177"}}
    msgid = await client.send_template("o1", "tmpl-notice", data, url="https://example.com/x")
    assert isinstance(msgid, int) and msgid > 0
    sent = state.delivered[-1].json
    assert sent["data"] == {"first": {"value": "You have new messages"},
                            "remark": {"value": "Reply to continue", "color": "#173177"}}
    assert sent["url"] == "https://example.com/x"


async def test_template_to_a_non_follower_is_43004(client, state):
    state.follow("o1")
    state.unfollow("o1")
    with pytest.raises(NotFollower) as info:
        await client.send_template("o1", "tmpl-notice", {"first": "x"})
    assert info.value.errcode == 43004


async def test_unknown_template_is_40037(client, state):
    state.follow("o1")
    with pytest.raises(InvalidTemplateId):
        await client.send_template("o1", "tmpl-unknown", {"first": "x"})


async def test_permanent_qr_code(client, state, session, base):
    qr = await client.create_qr("emp_0f8fad5b-d9cb-469f-a165-70867728950e", permanent=True)
    assert isinstance(qr, QrCode)
    assert qr.expire_seconds is None
    assert qr.url.startswith("http://weixin.qq.com/q/")
    assert qr.image_url == f"{base}/cgi-bin/showqrcode?ticket={quote(qr.ticket, safe='')}"
    body = state.calls("/cgi-bin/qrcode/create")[0].json
    assert body == {"action_name": "QR_LIMIT_STR_SCENE",
                    "action_info": {"scene": {"scene_str": "emp_0f8fad5b-d9cb-469f-a165-70867728950e"}}}
    again = await client.create_qr("emp_0f8fad5b-d9cb-469f-a165-70867728950e", permanent=True)
    assert again.ticket == qr.ticket  # one permanent code per scene
    async with session.get(qr.image_url) as resp:
        assert resp.status == 200 and resp.content_type == "image/png"
        assert (await resp.read()).startswith(b"\x89PNG")


async def test_temporary_qr_code(client, state):
    qr = await client.create_qr("invite-7", permanent=False, expire_seconds=600)
    assert qr.expire_seconds == 600
    assert state.calls("/cgi-bin/qrcode/create")[0].json["action_name"] == "QR_STR_SCENE"


async def test_qr_scene_too_long_is_refused(client):
    with pytest.raises(WeChatApiError) as info:
        await client.create_qr("x" * 65, permanent=True)
    assert info.value.errcode == 40053


async def test_qr_image_defaults_to_mp_weixin(session, base, clock, sleeps):
    client = WeChatClient(session, base, APP_ID, SECRET,
                          lambda fetch: TokenCache(MemoryStorage(), clock, fetch, app_id=APP_ID, instance_id="i"),
                          sleep=sleeps)
    qr = await client.create_qr("s", permanent=True)
    assert qr.image_url.startswith("https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=")


async def test_user_info(client, state):
    state.follow("o1", nickname="王小明", scene="emp_42")
    info = await client.user_info("o1")
    assert info["subscribe"] == 1 and info["openid"] == "o1"
    assert info["nickname"] == "王小明" and info["qr_scene_str"] == "emp_42"
    assert info["language"] == "zh_CN" and isinstance(info["subscribe_time"], int)
    assert state.calls("/cgi-bin/user/info")[0].query == {"openid": "o1", "lang": "zh_CN"}
    state.unfollow("o1")
    assert await client.user_info("o1") == {"subscribe": 0, "openid": "o1"}


async def test_wrong_secret_is_not_retried(session, base, clock, sleeps, state):
    client = build(session, base, clock, sleeps, secret="wrong")
    state.follow("o1")
    state.user_message("o1")
    with pytest.raises(WeChatApiError) as info:
        await client.send_text("o1", "x")
    assert info.value.errcode == 40125
    assert len(state.calls(STABLE)) == 1 and state.calls(SEND) == []


async def test_token_cache_can_be_set_later(session, base, clock, sleeps, state):
    client = WeChatClient(session, base, APP_ID, SECRET, sleep=sleeps)
    with pytest.raises(RuntimeError, match="token cache"):
        await client.user_info("o1")
    client.token_cache = TokenCache(MemoryStorage(), clock, client.fetch_stable_token, app_id=APP_ID,
                                    instance_id="i1", sleep=sleeps)
    state.follow("o1")
    assert (await client.user_info("o1"))["subscribe"] == 1


async def test_neither_token_nor_secret_is_logged(client, state, caplog):
    caplog.set_level(logging.DEBUG)
    state.follow("o1")
    state.user_message("o1")
    await client.send_text("o1", "a")
    state.expire_tokens()
    state.fail_next(SEND, -1)
    await client.send_text("o1", "b")
    await client.user_info("o1")
    # Our loggers only: the simulator's server side has its own access log (WeChat's, in reality).
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("adapters.wechat"))
    assert "custom/send" in ours
    assert SECRET not in ours
    for token in state.tokens:
        assert token not in ours
    assert SECRET not in repr(client)
