"""Bad requests to both endpoints of the real application (create_app on 127.0.0.1), in local
mode and in production mode (Bot Framework authentication on): each is answered 4xx at once, with
one log line and no traceback, and nothing of it is stored."""
from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
import logging
import time

import pytest
from aiohttp.test_utils import TestServer

from app import COMPONENTS, create_app
from config import load_settings
from core.storage import CONTAINERS
from simulators.teams_client import personal_message
from simulators.wechat_push import DEFAULT_ACCOUNT, build_push, event, text_message
from tests.e2e.conftest import ALICE, TOKEN, _close, _stack, base_env

PRODUCTION = {
    "APP_ENV": "production", "MicrosoftAppId": "00000000-0000-0000-0000-00000000b07a",
    "MicrosoftAppPassword": "secret", "MicrosoftAppTenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    # Nothing here may fetch keys; if something did, it would fail at once rather than reach Microsoft.
    "BotOpenIdMetadata": "http://127.0.0.1:9/v1/.well-known/openidconfiguration",
}
MODES = {"local": {}, "production": PRODUCTION}


@pytest.fixture(params=list(MODES))
async def stack(request, tmp_path):
    s = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", **MODES[request.param])
    try:
        yield s
    finally:
        await _close(s)


async def stored(stack) -> dict[str, int]:
    return {c: len(await stack.components.storage.query(c)) for c in CONTAINERS}


def refusals(caplog) -> list[logging.LogRecord]:
    """What was logged at WARNING or above; no record may carry a traceback."""
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def activity(**changes) -> dict:
    a = personal_message("hello", service_url="http://127.0.0.1:9/", user=ALICE)
    for name, value in changes.items():
        if value is None:
            a.pop(name, None)
        else:
            a[name] = value
    return a


def as_json(value) -> bytes:
    return json.dumps(value).encode()


def nested(depth: int) -> object:
    value: object = "bottom"
    for _ in range(depth):
        value = {"a": value}
    return value


JSON = {"Content-Type": "application/json"}
NOT_ACTIVITIES = {
    "not JSON": (b"{not json", JSON, 400),
    "a list": (b"[]", JSON, 400),
    "empty": (b"", JSON, 400),
    "invalid UTF-8": (b'{"type": "message", "text": "\xff\xfe"}', JSON, 400),
    "no conversation": (as_json(activity(conversation=None)), JSON, 400),
    "no serviceUrl": (as_json(activity(serviceUrl=None)), JSON, 400),
    "serviceUrl not http": (as_json(activity(serviceUrl="javascript:alert(1)")), JSON, 400),
    "no from": (as_json(activity(**{"from": None})), JSON, 400),
    "conversation a string": (as_json(activity(conversation="19:abc")), JSON, 400),
    "timestamp not a time": (as_json(activity(timestamp="yesterday")), JSON, 400),
    "attachments not a list": (as_json(activity(attachments="x")), JSON, 400),
    "nested 100 deep": (as_json(activity(channelData=nested(100))), JSON, 400),
    "nested past the parser": (b"[" * 30_000 + b"]" * 30_000, JSON, 400),
    "not JSON's content type": (as_json(activity()), {"Content-Type": "text/plain"}, 415),
    "no content type": (as_json(activity()), {}, 415),
    "gzip that is not": (b"\x1f\x8bnot gzip at all", {**JSON, "Content-Encoding": "gzip"}, 415),
    "larger than the cap": (as_json(activity(text="x" * 70_000)), JSON, 413),
    "a gzip bomb": (gzip.compress(b"[" + b" " * 5_000_000 + b"]"), {**JSON, "Content-Encoding": "gzip"}, 415),
}


@pytest.mark.parametrize("case", list(NOT_ACTIVITIES))
async def test_what_is_not_an_activity_is_refused_at_once_before_authentication(stack, caplog, case):
    body, headers, status = NOT_ACTIVITIES[case]
    before = await stored(stack)
    started = time.monotonic()
    async with stack.session.post(stack.app_server.make_url("/api/messages"), data=body, headers=headers,
                                  skip_auto_headers=["Content-Type"]) as r:
        assert r.status == status, await r.text()
    assert time.monotonic() - started < 2  # an activity without serviceUrl took 9.6 s to fail
    await stack.settle()
    [refusal] = refusals(caplog)
    assert refusal.getMessage().startswith(f"teams endpoint refused {status} from 127.0.0.1: ")
    assert await stored(stack) == before


@pytest.mark.parametrize("authorization", ["Bearer abc.def.ghi", "Bearer ", "Bearer", "Basic YTpi", "Bearer a.b.c d"])
async def test_a_token_that_is_not_one_is_a_401(stack, caplog, authorization):
    before = await stored(stack)
    async with stack.session.post(stack.app_server.make_url("/api/messages"), json=activity(),
                                  headers={"Authorization": authorization}) as r:
        assert r.status == 401
    assert len(refusals(caplog)) == 1
    assert await stored(stack) == before


async def push(stack, xml: bytes):
    """A push WeChat signed (and, in safe mode, encrypted): only its XML is wrong."""
    query, body = build_push(xml, token=TOKEN, timestamp=int(stack.clock.now()), nonce="n1",
                             aes=stack.wechat.aes)
    async with stack.session.post(stack.wechat.webhook_url, params=query, data=body) as r:
        return r.status, await r.text()


def _xml_with(extra: bytes) -> bytes:
    return text_message("o_guest", "hi", create_time=1_750_000_000).replace(b"</xml>", extra + b"</xml>")


HOSTILE_XML = {
    "nested 1,000 deep": _xml_with(b"<a>" * 1000 + b"</a>" * 1000),
    "nested 11 deep": _xml_with(b"<a>" * 10 + b"</a>" * 10),
    "5,000 elements": _xml_with(b"".join(b"<e%d/>" % i for i in range(5000))),
    "a root nested 1,000 deep": b"<a>" * 1000 + b"</a>" * 1000,
}


@pytest.mark.parametrize("safe_mode", [False, True], ids=["plaintext", "safe mode"])
@pytest.mark.parametrize("case", list(HOSTILE_XML))
async def test_xml_shaped_like_no_push_is_a_400_in_both_modes(tmp_path, caplog, case, safe_mode):
    extra = {"WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"} if safe_mode else {}
    s = await _stack(tmp_path, **extra)
    caplog.clear()  # start-up's own warnings
    try:
        before = await stored(s)
        status, text = await push(s, HOSTILE_XML[case])
        assert status == 400 and ("nested deeper" in text or "elements" in text), text
        assert len(refusals(caplog)) == 1
        assert await stored(s) == before
    finally:
        await _close(s)


async def test_a_push_from_an_openid_wechat_would_not_issue_is_a_400_and_not_logged(stack, caplog):
    # The openid becomes the thread's id, where Cosmos DB (and so SQLite) refuse a "/": the push was
    # taken, and its job failed at every attempt, with the openid in the log.
    openid = "oGuest/../threads/oGuestBad000001"
    before = await stored(stack)
    status, text = await push(stack, text_message(openid, "hi", create_time=int(stack.clock.now())))
    assert (status, text) == (400, "malformed message: FromUserName is not an openid")
    await stack.settle()
    [refusal] = refusals(caplog)
    assert refusal.getMessage() == "wechat webhook refused 400 from 127.0.0.1: " + text
    assert "oGuest" not in caplog.text  # no openid in logs, not even a bad one
    assert await stored(stack) == before


async def test_a_documented_push_listing_several_items_is_taken(stack, caplog):
    # WeChat's pic_weixin menu event, two pictures: one <item> each. It was a 400, and WeChat told
    # the guest "该公众号暂时无法提供服务".
    items = b"".join(b"<item><PicMd5Sum><![CDATA[%s]]></PicMd5Sum></item>" % md5
                     for md5 in (b"1b5f7c23b5bf75682a53e7b6d163e185", b"5a75aaca956d97be686719218f275c6b"))
    xml = event("oGuestPictures00000000000001", "pic_weixin", create_time=int(stack.clock.now()), event_key="6")
    xml = xml.replace(b"</xml>", b"<SendPicsInfo><Count>2</Count><PicList>%s</PicList></SendPicsInfo></xml>" % items)
    assert await push(stack, xml) == (200, "success")
    await stack.settle()
    assert refusals(caplog) == []
    [job] = await stack.components.storage.query("jobs", pk="oGuestPictures00000000000001")
    assert job.body["payload"]["push"]["SendPicsInfo.PicList.item[2].PicMd5Sum"] == (
        "5a75aaca956d97be686719218f275c6b")


async def test_a_push_to_another_official_account_is_refused(tmp_path, caplog):
    s = await _stack(tmp_path, WECHAT_ORIGINAL_ID=DEFAULT_ACCOUNT)
    caplog.clear()
    try:
        before = await stored(s)
        status, text = await push(s, text_message("o_guest", "hi", create_time=int(s.clock.now()),
                                                  to_user="gh_0123456789ab"))
        assert (status, text) == (403, "addressed to another Official Account")
        assert len(refusals(caplog)) == 1
        assert await stored(s) == before
        status, text = await push(s, text_message("o_guest", "hi", create_time=int(s.clock.now()),
                                                  to_user=DEFAULT_ACCOUNT))
        assert (status, text) == (200, "success")
    finally:
        await _close(s)


# --- A body that arrives too slowly -----------------------------------------------------------

@pytest.fixture
async def impatient_app(tmp_path):
    """The application with a body deadline of a quarter of a second (the default is 10 s)."""
    settings = dataclasses.replace(load_settings(base_env("http://127.0.0.1:9", str(tmp_path / "b.sqlite3"))),
                                   body_timeout_seconds=0.25)
    server = TestServer(create_app(settings), host="127.0.0.1")
    await server.start_server()
    try:
        yield server
    finally:
        await server.close()


async def trickle(port: int, path: str, headers: bytes, length: int) -> bytes:
    """POSTs announcing `length` bytes and sends one every 20 ms; the status line of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def drip() -> None:
        for _ in range(length):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.02)  # a slow client's pace, not a wait for the app

    writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n".encode() + headers
                 + b"\r\n")
    dripping = asyncio.create_task(drip())
    try:
        async with asyncio.timeout(5):
            return await reader.readline()
    finally:
        dripping.cancel()
        writer.close()


@pytest.mark.parametrize("path, headers", [("/api/messages", b"Content-Type: application/json\r\n"),
                                           ("/api/wechat?signature={s}&timestamp={t}&nonce=n", b"")],
                         ids=["teams", "wechat"])
async def test_a_body_that_trickles_is_dropped_at_the_deadline(impatient_app, caplog, path, headers):
    components = impatient_app.app[COMPONENTS]
    query, _ = build_push(b"<xml/>", token=TOKEN, timestamp=int(time.time()), nonce="n", aes=None)
    path = path.format(s=query["signature"], t=query["timestamp"])
    before = {c: len(await components.storage.query(c)) for c in CONTAINERS}
    started = time.monotonic()
    status_line = await trickle(impatient_app.port, path, headers, length=1000)
    assert status_line.startswith(b"HTTP/1.1 408"), status_line
    assert time.monotonic() - started < 2  # 1,000 bytes at this pace would take 20 s
    [refusal] = refusals(caplog)
    assert refusal.getMessage().endswith("refused 408 from 127.0.0.1: body not received within 0.25 s")
    assert {c: len(await components.storage.query(c)) for c in CONTAINERS} == before


NOT_HTTP = {
    "a chunk that is not one": b"POST /api/wechat HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "a header too long": (b"POST /api/messages HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + b"a" * 10_000
                          + b"\r\n\r\n"),
    "two lengths": b"POST /api/messages HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
}


@pytest.mark.parametrize("case", list(NOT_HTTP))
async def test_a_request_that_is_not_http_is_a_400_logged_in_one_line(stack, caplog, case):
    before = await stored(stack)
    reader, writer = await asyncio.open_connection("127.0.0.1", stack.app_server.port)
    try:
        writer.write(NOT_HTTP[case])
        async with asyncio.timeout(5):
            status_line = await reader.readline()
    finally:
        writer.close()
    assert status_line.split()[1] == b"400", status_line
    [line] = refusals(caplog)  # aiohttp's own, with its parser's traceback before
    assert line.getMessage().startswith("Error handling request from 127.0.0.1: 400, message:")
    assert await stored(stack) == before
