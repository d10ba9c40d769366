"""The WeChat API simulator: the window rules, and the endpoints behaving like WeChat's."""
import pytest
from aiohttp.test_utils import TestClient, TestServer

from simulators.wechat_api import STATE_KEY, Window, WindowRules, create_wechat_simulator

HOUR = 3600
APP_ID, SECRET = "wxsim0000000000001", "sim-secret"
T0 = 1_750_000_000.0


# --- Window: the customer-service quota, as a pure rule ---------------------------------------


def sends(window: Window, now: float, n: int) -> list[int]:
    return [window.consume(now) for _ in range(n)]


def test_closed_until_the_user_acts():
    assert Window().check(T0) == 45015


def test_a_message_opens_five_for_48_hours():
    w = Window()
    w.user_message(T0)
    assert sends(w, T0 + 10, 6) == [0, 0, 0, 0, 0, 45047]
    assert w.check(T0 + 48 * HOUR - 1) == 45047  # spent, still inside the window
    assert w.check(T0 + 48 * HOUR) == 45015  # the window is over


def test_unused_quota_expires_with_the_window():
    w = Window()
    w.user_message(T0)
    assert w.consume(T0 + 48 * HOUR - 1) == 0
    assert w.consume(T0 + 48 * HOUR) == 45015


def test_a_new_message_resets_to_five_not_adds():
    w = Window()
    w.user_message(T0)
    sends(w, T0, 3)
    w.user_message(T0 + HOUR)
    assert w.remaining(T0 + HOUR) == 5
    assert sends(w, T0 + HOUR, 6) == [0, 0, 0, 0, 0, 45047]
    # …and restarts the 48 hours from the new message.
    assert w.check(T0 + HOUR + 48 * HOUR - 1) == 45047
    w.user_message(T0 + 2 * HOUR)
    assert w.check(T0 + 49 * HOUR) == 0


def test_follow_opens_three_for_one_minute():
    w = Window()
    w.user_event(T0)
    assert sends(w, T0 + 59, 4) == [0, 0, 0, 45047]
    w2 = Window()
    w2.user_event(T0)
    assert w2.consume(T0 + 60) == 45015


def test_events_reset_not_add():
    w = Window()
    w.user_event(T0)
    w.consume(T0)
    w.user_event(T0 + 10)
    assert w.remaining(T0 + 10) == 3
    assert w.check(T0 + 69) == 0 and w.check(T0 + 70) == 45015


def test_follow_then_message_allows_five_not_eight():
    w = Window()
    w.user_event(T0)
    w.user_message(T0 + 5)
    assert sends(w, T0 + 6, 6) == [0, 0, 0, 0, 0, 45047]


def test_event_inside_a_message_window_adds_a_short_grant():
    w = Window()
    w.user_message(T0)
    sends(w, T0, 5)
    assert w.check(T0 + HOUR) == 45047
    w.user_event(T0 + HOUR)  # e.g. a menu click: 3 more within the minute
    assert sends(w, T0 + HOUR, 4) == [0, 0, 0, 45047]
    assert w.check(T0 + HOUR + 60) == 45047  # back to the spent 48 h window, not closed


def test_the_short_grant_is_used_first():
    w = Window()
    w.user_message(T0)
    w.user_event(T0 + 1)
    sends(w, T0 + 2, 3)
    assert w.remaining(T0 + 2) == 5  # the three came out of the one-minute grant
    assert w.remaining(T0 + 61) == 5


def test_limits_are_configurable():
    w = Window(WindowRules(message_quota=20, message_seconds=HOUR))
    w.user_message(T0)
    assert sends(w, T0, 21)[-2:] == [0, 45047]
    assert w.check(T0 + HOUR) == 45015


# --- the HTTP API ------------------------------------------------------------------------------


@pytest.fixture
async def http(clock):
    app = create_wechat_simulator(clock=clock, app_id=APP_ID, app_secret=SECRET, templates=["tmpl"])
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


@pytest.fixture
def state(http):
    return http.server.app[STATE_KEY]


async def call(http, method, path, *, token=None, json=None, params=None, data=None):
    params = dict(params or {})
    if token is not None:
        params["access_token"] = token
    async with http.request(method, path, params=params, json=json, data=data) as resp:
        assert resp.status == 200  # WeChat answers every outcome with 200
        return await resp.json(content_type=None)


async def stable(http, force=False, **over):
    body = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET, "force_refresh": force}
    return await call(http, "POST", "/cgi-bin/stable_token", json={**body, **over})


async def control(http, action, **body):
    async with http.post(f"/sim/{action}", json=body) as resp:
        return resp.status, await resp.json()


@pytest.mark.parametrize("over, code", [({"appid": "wxother"}, 40013), ({"secret": "nope"}, 40125),
                                        ({"grant_type": "password"}, 40002)])
async def test_stable_token_checks_credentials(http, over, code):
    assert (await stable(http, **over))["errcode"] == code


async def test_stable_token_is_the_same_while_valid(http, clock):
    first = await stable(http)
    assert first["expires_in"] == 7200 and "errcode" not in first
    clock.advance(1000)
    again = await stable(http)
    assert again["access_token"] == first["access_token"]
    assert again["expires_in"] == 6200  # what is left of it


async def test_stable_token_renews_in_its_last_five_minutes(http, clock):
    first = (await stable(http))["access_token"]
    clock.advance(7200 - 300)
    second = (await stable(http))["access_token"]
    assert second != first
    # The old token keeps working until its own expiry.
    assert (await call(http, "GET", "/cgi-bin/user/info", token=first, params={"openid": "x"}))["errcode"] == 40003
    clock.advance(300)
    assert (await call(http, "GET", "/cgi-bin/user/info", token=first, params={"openid": "x"}))["errcode"] == 42001
    assert (await call(http, "GET", "/cgi-bin/user/info", token=second, params={"openid": "x"}))["errcode"] == 40003


async def test_force_refresh_revokes_the_old_token_and_is_rate_limited(http, clock):
    old = (await stable(http))["access_token"]
    new = (await stable(http, force=True))["access_token"]
    assert new != old
    assert (await call(http, "GET", "/cgi-bin/user/info", token=old, params={"openid": "x"}))["errcode"] == 40001
    clock.advance(10)
    assert (await stable(http, force=True))["errcode"] == 45011  # at most every 30 s
    clock.advance(20)
    assert "access_token" in await stable(http, force=True)


async def test_token_errors(http, clock, state):
    assert (await call(http, "GET", "/cgi-bin/user/info", params={"openid": "x"}))["errcode"] == 41001
    assert (await call(http, "GET", "/cgi-bin/user/info", token="made-up", params={"openid": "x"}))["errcode"] == 40001
    token = (await stable(http))["access_token"]
    await control(http, "expire_tokens")
    assert (await call(http, "GET", "/cgi-bin/user/info", token=token, params={"openid": "x"}))["errcode"] == 42001
    fresh = (await stable(http))["access_token"]  # normal mode hands out a new one after expiry
    assert fresh != token


async def test_classic_token_replaces_with_grace(http, clock):
    q = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}
    first = (await call(http, "GET", "/cgi-bin/token", params=q))["access_token"]
    stable_token = (await stable(http))["access_token"]
    second = (await call(http, "GET", "/cgi-bin/token", params=q))["access_token"]
    assert first != second
    clock.advance(299)
    assert (await call(http, "GET", "/cgi-bin/user/info", token=first, params={"openid": "x"}))["errcode"] == 40003
    clock.advance(1)
    assert (await call(http, "GET", "/cgi-bin/user/info", token=first, params={"openid": "x"}))["errcode"] == 42001
    # The two kinds of token do not affect each other.
    info = await call(http, "GET", "/cgi-bin/user/info", token=stable_token, params={"openid": "x"})
    assert info["errcode"] == 40003
    assert (await call(http, "GET", "/cgi-bin/token", params={**q, "secret": "x"}))["errcode"] == 40125
    assert state_secret_hidden(http)


def state_secret_hidden(http) -> bool:
    calls = http.server.app[STATE_KEY].sent
    return all(SECRET not in str(c.to_dict()) for c in calls)


async def test_custom_send_rules_over_http(http, clock):
    token = (await stable(http))["access_token"]

    def text(openid, content="hi"):
        return call(http, "POST", "/cgi-bin/message/custom/send", token=token,
                    json={"touser": openid, "msgtype": "text", "text": {"content": content}})

    assert (await text("stranger"))["errcode"] == 40003
    assert (await control(http, "follow", openid="o1", nickname="Li"))[0] == 200
    assert [(await text("o1"))["errcode"] for _ in range(4)] == [0, 0, 0, 45047]  # follow: 3 in the minute
    clock.advance(60)
    assert (await text("o1"))["errcode"] == 45015
    await control(http, "user_message", openid="o1")
    assert (await text("o1", ""))["errcode"] == 44004
    assert (await text("o1", "x" * 2049))["errcode"] == 45002
    assert (await text("o1", "x" * 2048)) == {"errcode": 0, "errmsg": "ok"}
    bad_type = await call(http, "POST", "/cgi-bin/message/custom/send", token=token,
                          json={"touser": "o1", "msgtype": "hologram"})
    assert bad_type["errcode"] == 40008
    status, user = await control(http, "unfollow", openid="o1")
    assert status == 200 and user["subscribed"] is False
    assert (await text("o1"))["errcode"] == 45015


async def test_invalid_json_is_47001(http):
    token = (await stable(http))["access_token"]
    answer = await call(http, "POST", "/cgi-bin/message/custom/send", token=token, data=b"{not json")
    assert answer["errcode"] == 47001


async def test_templates(http, state):
    token = (await stable(http))["access_token"]

    def send(openid, template_id="tmpl"):
        return call(http, "POST", "/cgi-bin/message/template/send", token=token,
                    json={"touser": openid, "template_id": template_id, "data": {"first": {"value": "x"}}})

    assert (await send("nobody"))["errcode"] == 40003
    await control(http, "follow", openid="o1")
    first, second = await send("o1"), await send("o1")
    assert first["errcode"] == 0 and second["msgid"] == first["msgid"] + 1
    assert (await send("o1", "other"))["errcode"] == 40037
    await control(http, "templates", template_id="other")
    assert (await send("o1", "other"))["errcode"] == 0
    await control(http, "unfollow", openid="o1")
    assert (await send("o1"))["errcode"] == 43004


@pytest.mark.parametrize("body", [
    {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": ""}}},
    {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "x" * 65}}},
    {"action_name": "QR_STR_SCENE", "action_info": {"scene": {"scene_str": "x" * 65}}},
    {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {}}},
    {"action_name": "QR_LIMIT_SCENE", "action_info": {"scene": {"scene_id": 100001}}},
    {"action_name": "QR_SOMETHING", "action_info": {"scene": {"scene_str": "x"}}},
    {"action_name": "QR_LIMIT_STR_SCENE"},
])
async def test_qr_refuses_bad_scenes(http, body):
    token = (await stable(http))["access_token"]
    assert (await call(http, "POST", "/cgi-bin/qrcode/create", token=token, json=body))["errcode"] == 40053


async def test_qr_codes_and_their_images(http, clock):
    token = (await stable(http))["access_token"]

    async def create(body):
        return await call(http, "POST", "/cgi-bin/qrcode/create", token=token, json=body)

    longest = await create({"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "s" * 64}}})
    assert set(longest) == {"ticket", "url"}  # permanent: no expire_seconds
    temp = await create({"action_name": "QR_STR_SCENE", "action_info": {"scene": {"scene_str": "t"}}})
    assert temp["expire_seconds"] == 60  # WeChat's default
    month = await create({"expire_seconds": 10**9, "action_name": "QR_STR_SCENE",
                          "action_info": {"scene": {"scene_str": "t"}}})
    assert month["expire_seconds"] == 2592000  # capped at 30 days
    async with http.get("/cgi-bin/showqrcode", params={"ticket": temp["ticket"]}) as resp:
        assert resp.status == 200 and resp.content_type == "image/png"
    clock.advance(60)
    async with http.get("/cgi-bin/showqrcode", params={"ticket": temp["ticket"]}) as resp:
        assert resp.status == 404
    async with http.get("/cgi-bin/showqrcode", params={"ticket": longest["ticket"]}) as resp:
        assert resp.status == 200
    async with http.get("/cgi-bin/showqrcode", params={"ticket": "nope"}) as resp:
        assert resp.status == 404


async def test_scanning_follows_through_the_code(http, state):
    token = (await stable(http))["access_token"]
    qr = await call(http, "POST", "/cgi-bin/qrcode/create", token=token,
                    json={"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "emp_7"}}})
    status, user = await control(http, "scan", openid="o9", ticket=qr["ticket"])
    assert status == 200 and user["subscribed"] and user["qr_scene_str"] == "emp_7" and user["remaining"] == 3
    info = await call(http, "GET", "/cgi-bin/user/info", token=token, params={"openid": "o9"})
    assert info["subscribe"] == 1 and info["qr_scene_str"] == "emp_7"
    assert info["subscribe_scene"] == "ADD_SCENE_QR_CODE"
    # A follower scanning another code keeps the scene they followed with.
    await control(http, "scan", openid="o9", scene="emp_8")
    assert state.users["o9"].qr_scene_str == "emp_7"


async def test_control_api_refuses_nonsense(http):
    assert (await control(http, "user_message", openid="never-followed"))[0] == 400
    assert (await control(http, "follow"))[0] == 400
    assert (await control(http, "scan", openid="o1", ticket="nope"))[0] == 400
    assert (await control(http, "fail_next", path="/cgi-bin/token"))[0] == 400
    async with http.get("/sim/users/ghost") as resp:
        assert resp.status == 404
    for body in (b"[1]", b"{nope"):
        async with http.post("/sim/follow", data=body, headers={"Content-Type": "application/json"}) as resp:
            assert resp.status == 400 and "JSON" in (await resp.json())["error"]


async def test_fail_next_is_per_path_and_counted(http, state):
    token = (await stable(http))["access_token"]
    await control(http, "fail_next", path="/cgi-bin/user/info", errcode=-1, times=2)
    await control(http, "follow", openid="o1")
    results = [(await call(http, "GET", "/cgi-bin/user/info", token=token, params={"openid": "o1"})).get("errcode", 0)
               for _ in range(3)]
    assert results == [-1, -1, 0]
    await control(http, "fail_next", path="/cgi-bin/user/info", status=503)
    async with http.get("/cgi-bin/user/info", params={"openid": "o1", "access_token": token}) as resp:
        assert resp.status == 503


async def test_sent_lists_everything_and_reset_clears_it(http, state):
    token = (await stable(http))["access_token"]
    await control(http, "follow", openid="o1")
    await call(http, "POST", "/cgi-bin/message/custom/send", token=token,
               json={"touser": "o1", "msgtype": "text", "text": {"content": "你好"}})
    async with http.get("/sim/sent") as resp:
        sent = await resp.json()
    assert [s["path"] for s in sent["sent"]] == ["/cgi-bin/stable_token", "/cgi-bin/message/custom/send"]
    assert sent["sent"][0]["json"]["secret"] == "***"
    assert "access_token" not in sent["sent"][1]["query"]
    assert sent["delivered"][0]["json"]["text"]["content"] == "你好"
    assert state.texts("o1") == ["你好"]
    await control(http, "reset")
    assert state.sent == [] and state.users == {} and state.tokens == {}
    assert state.templates == {"tmpl"}  # the constructor's templates stay
    assert (await call(http, "GET", "/cgi-bin/user/info", token=token, params={"openid": "o1"}))["errcode"] == 40001


async def test_users_view_shows_the_window(http, clock):
    await control(http, "follow", openid="o1", nickname="Li")
    await control(http, "user_message", openid="o1")
    async with http.get("/sim/users/o1") as resp:
        view = await resp.json()
    assert view["remaining"] == 5 and view["can_send"] and view["window_until"] == clock.now() + 48 * HOUR
