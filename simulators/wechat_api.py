"""WeChat's Official Account API, simulated: the endpoints the bridge calls, with WeChat's rules.

An aiohttp application for the tests and the local sandbox. It answers like the real API (HTTP
200 with an errcode JSON body, the same codes and messages) and enforces what matters to the
bridge: access tokens that expire by the injected clock, the customer-service window (see
`Window`), followers for template messages, QR scene rules.

Control API (JSON), for tests and the sandbox to play the WeChat user's part:
  POST /sim/follow        {openid, nickname?, scene?}   follows (opens 3 messages for 60 s)
  POST /sim/unfollow      {openid}
  POST /sim/user_message  {openid}                       the user wrote (5 messages for 48 h)
  POST /sim/scan          {openid, scene? | ticket?}     scanned a parametric QR code (3 for 60 s)
  POST /sim/click         {openid}                       a click / scancode menu event (3 for 60 s)
  POST /sim/expire_tokens
  POST /sim/fail_next     {path, errcode, times?, errmsg?, status?}  the next calls to path fail
  POST /sim/lose_answer   {path, times?}                 the next calls to path are carried out, and
                                                         the connection is dropped before the answer
  POST /sim/templates     {template_id}                  register a template id
  POST /sim/media?kind=   the bytes, with their Content-Type  a guest sent a medium (image, voice, thumb,
                                                         video): {"media_id"} (see wechat_media.py)
  GET  /sim/media/{media_id}                             a medium's bytes (sent by a guest or uploaded)
  GET  /sim/sent          every API call received, and the messages accepted
  GET  /sim/users/{openid}
  POST /sim/reset
The same operations are methods of the state object, `app[STATE_KEY]`.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import secrets
import struct
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from core.clock import Clock, SystemClock
from simulators.control import json_control
from simulators.wechat_media import (MEDIA_ERRMSG, VIDEO_ROUTE, GuestMedia, GuestMedium, VideoLink, put_from_request,
                                     read_upload, serve_medium, serve_video)

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40007: "invalid media_id",
    40008: "invalid message type",
    40013: "invalid appid",
    40037: "invalid template_id",
    # 40053 is what WeChat answered for a too-long scene_str in reports we found; we use it for
    # every malformed action_name/action_info, the exact codes for the other cases are unconfirmed.
    40053: "invalid action info, please check document",
    40125: "invalid appsecret",
    41001: "access_token missing",
    42001: "access_token expired",
    43004: "require subscribe",
    44004: "empty content",
    45002: "content size out of limit",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit mustslower retry next minute",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    47001: "data format error",
    **MEDIA_ERRMSG,
}

TEXT_LIMIT_BYTES = 2048  # undocumented; the limit developers report
RENEW_BEFORE_SECONDS = 300  # stable_token: "the platform renews the token 5 minutes early"
CLASSIC_GRACE_SECONDS = 300  # /cgi-bin/token: the previous token keeps working ~5 minutes
QR_MAX_EXPIRE = 2592000
QR_DEFAULT_EXPIRE = 60
MSG_TYPES = {"text", "image", "voice", "video", "music", "news", "mpnews", "mpnewsarticle", "msgmenu",
             "wxcard", "miniprogrampage"}


def error(code: int, errmsg: str | None = None) -> dict[str, Any]:
    return {"errcode": code, "errmsg": errmsg or ERRMSG.get(code, "error")}


class SimError(ValueError):
    """A control-API request that makes no sense (e.g. a message from a user who never followed)."""


# --- the customer-service window -----------------------------------------------------------------


@dataclass(frozen=True)
class WindowRules:
    message_quota: int = 5  # was 20 before mid-2023
    message_seconds: float = 48 * 3600
    event_quota: int = 3  # follow, parametric QR scan, click / scancode menu events
    event_seconds: float = 60


@dataclass
class Grant:
    remaining: int
    until: float


class Window:
    """How many customer-service messages the account may still send one user, and until when.

    Two grants, each opened by a user action and reset (never added to) when that action repeats:
    the user's message gives `message_quota` messages for 48 h; a follow, QR scan or menu click
    gives `event_quota` for one minute. A user message resets the quota as a whole, so it also
    ends an open event grant (follow then write: 5 messages, not 8); an event during an open
    message window adds its own short grant. A send uses the open grant that ends first.
    No open grant: 45015. Open grants, all spent: 45047.
    (WeChat documents each action's quota, not how they combine: this is our reading, the
    stricter one where it matters.)
    """

    def __init__(self, rules: WindowRules | None = None) -> None:
        self.rules = rules or WindowRules()
        self.message: Grant | None = None
        self.event: Grant | None = None

    def user_message(self, now: float) -> None:
        self.message = Grant(self.rules.message_quota, now + self.rules.message_seconds)
        self.event = None

    def user_event(self, now: float) -> None:
        self.event = Grant(self.rules.event_quota, now + self.rules.event_seconds)

    def close(self) -> None:
        self.message = self.event = None

    def _open(self, now: float) -> list[Grant]:
        return [g for g in (self.message, self.event) if g is not None and now < g.until]

    def check(self, now: float) -> int:
        """0 if a message may go now, else the errcode WeChat would answer."""
        grants = self._open(now)
        if not grants:
            return 45015
        if all(g.remaining <= 0 for g in grants):
            return 45047
        return 0

    def consume(self, now: float) -> int:
        code = self.check(now)
        if code == 0:
            min((g for g in self._open(now) if g.remaining > 0), key=lambda g: g.until).remaining -= 1
        return code

    def remaining(self, now: float) -> int:
        return sum(max(g.remaining, 0) for g in self._open(now))

    def until(self, now: float) -> float | None:
        grants = self._open(now)
        return max(g.until for g in grants) if grants else None


# --- state ---------------------------------------------------------------------------------------


@dataclass
class SimUser:
    openid: str
    window: Window
    nickname: str = ""
    subscribed: bool = False
    subscribe_time: int = 0
    qr_scene_str: str = ""
    language: str = "zh_CN"


@dataclass
class IssuedToken:
    value: str
    kind: str  # "stable" (stable_token) or "classic" (/cgi-bin/token): WeChat keeps them apart
    expires_at: float
    revoked: bool = False


@dataclass
class Received:
    method: str
    path: str
    json: Any
    query: dict[str, str]
    errcode: int | None = None
    raw: bytes = b""  # the body as sent (empty for the token endpoints: it holds the secret)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "json": self.json, "query": self.query,
                "errcode": self.errcode, "raw": self.raw.decode("utf-8", "replace")}


@dataclass
class Delivered:
    openid: str
    msgtype: str
    json: dict[str, Any]
    at: float

    @property
    def text(self) -> str | None:
        return (self.json.get("text") or {}).get("content") if self.msgtype == "text" else None


@dataclass
class Failure:
    errcode: int | None
    errmsg: str | None
    status: int | None  # an HTTP status instead of an errcode: what a broken gateway does


@dataclass
class QrTicket:
    ticket: str
    url: str
    scene: str
    permanent: bool
    expires_at: float | None


@dataclass
class SimState:
    clock: Clock
    app_id: str
    app_secret: str
    token_ttl: int = 7200
    rules: WindowRules = field(default_factory=WindowRules)
    initial_templates: frozenset[str] = frozenset()
    force_refresh_interval: float = 30  # stable_token force_refresh: at most once per 30 s …
    force_refresh_per_day: int = 20  # … and 20 times a day (errcodes for these: our guess, 45011/45009)
    users: dict[str, SimUser] = field(default_factory=dict)
    templates: set[str] = field(default_factory=set)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    stable: str | None = None
    classic: str | None = None
    forced_at: list[float] = field(default_factory=list)
    sent: list[Received] = field(default_factory=list)
    delivered: list[Delivered] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    tickets: dict[str, QrTicket] = field(default_factory=dict)
    next_msgid: int = 1000000001
    # Paths whose calls wait until released: a stalled WeChat, to catch the app in mid-work.
    holds: dict[str, asyncio.Event] = field(default_factory=dict)
    # Paths whose next calls are carried out and then never answered (the connection dropped): what
    # a client sees when WeChat answers after it gave up.
    lost_answers: dict[str, int] = field(default_factory=dict)
    held: list[str] = field(default_factory=list)
    media: GuestMedia = field(init=False)

    def hold(self, path: str) -> None:
        self.holds.setdefault(path, asyncio.Event())

    def release(self, path: str) -> None:
        event = self.holds.pop(path, None)
        if event is not None:
            event.set()

    def __post_init__(self) -> None:
        self.templates = set(self.initial_templates)
        self.media = GuestMedia(self.clock)

    # control operations --------------------------------------------------------------------

    def reset(self) -> None:
        for path in list(self.holds):
            self.release(path)
        self.users.clear()
        self.templates = set(self.initial_templates)
        self.tokens.clear()
        self.stable = self.classic = None
        self.forced_at.clear()
        self.sent.clear()
        self.delivered.clear()
        self.failures.clear()
        self.tickets.clear()
        self.media.clear()

    def user(self, openid: str) -> SimUser:
        if openid not in self.users:
            raise SimError(f"unknown user {openid}")
        return self.users[openid]

    def follow(self, openid: str, nickname: str = "", scene: str | None = None, language: str = "") -> SimUser:
        if not openid:
            raise SimError("openid is required")
        now = self.clock.now()
        user = self.users.get(openid) or SimUser(openid, Window(self.rules))
        self.users[openid] = user
        if nickname:
            user.nickname = nickname
        if language:
            user.language = language  # the language the user set in WeChat (user info gives it)
        if not user.subscribed:
            user.subscribed = True
            user.subscribe_time = int(now)
            user.qr_scene_str = scene or ""
        user.window.user_event(now)
        return user

    def unfollow(self, openid: str) -> SimUser:
        user = self.user(openid)
        user.subscribed = False
        user.window.close()
        return user

    def user_message(self, openid: str) -> SimUser:
        user = self.user(openid)
        if not user.subscribed:
            raise SimError(f"{openid} does not follow the account and cannot write to it")
        user.window.user_message(self.clock.now())
        return user

    def scan(self, openid: str, scene: str | None = None, ticket: str | None = None) -> SimUser:
        if ticket is not None:
            qr = self.tickets.get(ticket)
            if qr is None:
                raise SimError("unknown ticket")
            scene = qr.scene
        user = self.users.get(openid)
        if user is None or not user.subscribed:
            return self.follow(openid, scene=scene)  # a non-follower scanning follows through the code
        user.window.user_event(self.clock.now())
        return user

    def click(self, openid: str) -> SimUser:
        user = self.user(openid)
        if not user.subscribed:
            raise SimError(f"{openid} does not follow the account")
        user.window.user_event(self.clock.now())
        return user

    def expire_tokens(self) -> None:
        now = self.clock.now()
        for token in self.tokens.values():
            token.expires_at = min(token.expires_at, now)

    def fail_next(self, path: str, errcode: int | None = None, times: int = 1, *, errmsg: str | None = None,
                  status: int | None = None) -> None:
        if errcode is None and status is None:
            raise SimError("give an errcode or an HTTP status")
        self.failures.setdefault(path, []).extend(Failure(errcode, errmsg, status) for _ in range(times))

    def lose_answer(self, path: str, times: int = 1) -> None:
        self.lost_answers[path] = self.lost_answers.get(path, 0) + times

    def add_template(self, template_id: str) -> None:
        self.templates.add(template_id)

    # views ---------------------------------------------------------------------------------

    def calls(self, path: str) -> list[Received]:
        return [r for r in self.sent if r.path == path]

    def texts(self, openid: str | None = None) -> list[str]:
        return [d.text for d in self.delivered if d.text is not None and (openid is None or d.openid == openid)]

    def user_view(self, openid: str) -> dict[str, Any]:
        user = self.user(openid)
        now = self.clock.now()
        return {"openid": user.openid, "nickname": user.nickname, "subscribed": user.subscribed,
                "qr_scene_str": user.qr_scene_str, "remaining": user.window.remaining(now),
                "window_until": user.window.until(now), "can_send": user.window.check(now) == 0}

    # tokens --------------------------------------------------------------------------------

    def _issue(self, kind: str) -> IssuedToken:
        token = IssuedToken(secrets.token_urlsafe(96), kind, self.clock.now() + self.token_ttl)
        self.tokens[token.value] = token
        return token

    def _credentials(self, grant_type: Any, appid: Any, secret: Any) -> dict[str, Any] | None:
        if grant_type != "client_credential":
            return error(40002)
        if appid != self.app_id:
            return error(40013)
        if secret != self.app_secret:
            return error(40125)
        return None

    def stable_token(self, body: dict[str, Any]) -> dict[str, Any]:
        refused = self._credentials(body.get("grant_type"), body.get("appid"), body.get("secret"))
        if refused:
            return refused
        now = self.clock.now()
        current = self.tokens.get(self.stable) if self.stable else None
        if body.get("force_refresh") is True:
            if self.forced_at and now - self.forced_at[-1] < self.force_refresh_interval:
                return error(45011)
            if len([t for t in self.forced_at if now - t < 86400]) >= self.force_refresh_per_day:
                return error(45009)
            self.forced_at.append(now)
            if current is not None:
                current.revoked = True  # force_refresh invalidates the previous token at once
            current = None
        if current is None or now >= current.expires_at - RENEW_BEFORE_SECONDS:
            current = self._issue("stable")  # the old one stays valid until its own expiry
            self.stable = current.value
        return {"access_token": current.value, "expires_in": int(current.expires_at - now)}

    def classic_token(self, query: dict[str, str]) -> dict[str, Any]:
        refused = self._credentials(query.get("grant_type"), query.get("appid"), query.get("secret"))
        if refused:
            return refused
        now = self.clock.now()
        previous = self.tokens.get(self.classic) if self.classic else None
        if previous is not None:
            previous.expires_at = min(previous.expires_at, now + CLASSIC_GRACE_SECONDS)
        token = self._issue("classic")
        self.classic = token.value
        return {"access_token": token.value, "expires_in": self.token_ttl}

    def check_token(self, value: str | None) -> dict[str, Any] | None:
        if not value:
            return error(41001)
        token = self.tokens.get(value)
        if token is None or token.revoked:
            return error(40001)
        if self.clock.now() >= token.expires_at:
            return error(42001)
        return None

    # API operations (already past the token check) ----------------------------------------

    def custom_send(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(body.get("touser", "")))
        if user is None:
            return error(40003)
        msgtype = body.get("msgtype")
        if msgtype not in MSG_TYPES:
            return error(40008)
        if msgtype == "text":
            content = (body.get("text") or {}).get("content")
            if not isinstance(content, str) or not content:
                return error(44004)
            if len(content.encode("utf-8")) > TEXT_LIMIT_BYTES:
                return error(45002)
        media_refused = self.media.send_refusal(msgtype, body)
        if media_refused:
            return error(media_refused)
        if not user.subscribed:
            return error(45015)
        now = self.clock.now()
        code = user.window.consume(now)
        if code:
            return error(code)
        self.delivered.append(Delivered(user.openid, msgtype, body, now))
        return {"errcode": 0, "errmsg": "ok"}

    def template_send(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(body.get("touser", "")))
        if user is None:
            return error(40003)
        if body.get("template_id") not in self.templates:
            return error(40037)
        if not isinstance(body.get("data", {}), dict):
            return error(47001)
        if not user.subscribed:
            return error(43004)
        msgid = self.next_msgid
        self.next_msgid += 1
        self.delivered.append(Delivered(user.openid, "template", body, self.clock.now()))
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}

    def qrcode_create(self, body: dict[str, Any]) -> dict[str, Any]:
        action = body.get("action_name")
        scene_info = ((body.get("action_info") or {}).get("scene") or {}) if isinstance(
            body.get("action_info"), dict) else {}
        if action in ("QR_STR_SCENE", "QR_LIMIT_STR_SCENE"):
            scene = scene_info.get("scene_str")
            if not isinstance(scene, str) or not 1 <= len(scene) <= 64:
                return error(40053)
        elif action in ("QR_SCENE", "QR_LIMIT_SCENE"):
            scene_id = scene_info.get("scene_id")
            limit = 100000 if action == "QR_LIMIT_SCENE" else 2**32 - 1
            if not isinstance(scene_id, int) or isinstance(scene_id, bool) or not 1 <= scene_id <= limit:
                return error(40053)
            scene = str(scene_id)
        else:
            return error(40053)
        permanent = action.startswith("QR_LIMIT")
        now = self.clock.now()
        if permanent:
            for qr in self.tickets.values():
                if qr.permanent and qr.scene == scene:  # a permanent scene has one code
                    return {"ticket": qr.ticket, "url": qr.url}
            expires_at = None
        else:
            seconds = body.get("expire_seconds", QR_DEFAULT_EXPIRE)
            if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
                return error(40053)
            seconds = min(seconds, QR_MAX_EXPIRE)
            expires_at = now + seconds
        qr = QrTicket("gQ" + secrets.token_urlsafe(48), "http://weixin.qq.com/q/" + secrets.token_urlsafe(16),
                      scene, permanent, expires_at)
        self.tickets[qr.ticket] = qr
        answer: dict[str, Any] = {"ticket": qr.ticket, "url": qr.url}
        if not permanent:
            answer["expire_seconds"] = seconds
        return answer

    def media_get(self, query: dict[str, str]) -> dict[str, Any] | GuestMedium | VideoLink:
        return self.media.answer(query.get("media_id", "")) or error(40007)

    def user_info(self, query: dict[str, str]) -> dict[str, Any]:
        user = self.users.get(query.get("openid", ""))
        if user is None:
            return error(40003)
        if not user.subscribed:
            return {"subscribe": 0, "openid": user.openid}  # "nothing else can be pulled"
        # Real WeChat stopped returning nicknames in December 2021 (always ""); the simulator
        # returns what /sim/follow was given, so leave it empty to be faithful.
        return {"subscribe": 1, "openid": user.openid, "nickname": user.nickname, "sex": 0,
                "language": user.language, "city": "", "province": "", "country": "", "headimgurl": "",
                "subscribe_time": user.subscribe_time, "remark": "", "groupid": 0, "tagid_list": [],
                "subscribe_scene": "ADD_SCENE_QR_CODE" if user.qr_scene_str else "ADD_SCENE_SEARCH",
                "qr_scene": 0, "qr_scene_str": user.qr_scene_str}


STATE_KEY = web.AppKey("wechat_simulator_state", SimState)


# --- HTTP ----------------------------------------------------------------------------------------

# A JSON answer, or (media/get) an answer with its own body
Operation = Callable[[SimState, dict[str, str], Any], dict[str, Any] | GuestMedium | VideoLink]

# (method, path) -> (needs an access token, operation)
API: dict[tuple[str, str], tuple[bool, Operation]] = {
    ("POST", "/cgi-bin/stable_token"): (False, lambda s, q, b: s.stable_token(b)),
    ("GET", "/cgi-bin/token"): (False, lambda s, q, b: s.classic_token(q)),
    ("POST", "/cgi-bin/message/custom/send"): (True, lambda s, q, b: s.custom_send(b)),
    ("POST", "/cgi-bin/message/template/send"): (True, lambda s, q, b: s.template_send(b)),
    ("POST", "/cgi-bin/qrcode/create"): (True, lambda s, q, b: s.qrcode_create(b)),
    ("GET", "/cgi-bin/user/info"): (True, lambda s, q, b: s.user_info(q)),
    ("GET", "/cgi-bin/media/get"): (True, lambda s, q, b: s.media_get(q)),
    ("POST", "/cgi-bin/media/upload"): (True, lambda s, q, b: s.media.upload(q.get("type", ""), b.get("content", b""))),
}
UPLOAD_PATH = "/cgi-bin/media/upload"  # a multipart form, not JSON
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # past video's 10 MB, so an upload too large gets WeChat's errcode
SECRET_PATHS = {"/cgi-bin/stable_token", "/cgi-bin/token"}


def _answer(payload: dict[str, Any]) -> web.Response:
    # WeChat answers every API outcome with HTTP 200; the errcode says what happened.
    return web.json_response(payload, dumps=lambda o: json.dumps(o, ensure_ascii=False))


async def _api(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    needs_token, operation = API[(request.method, request.path)]
    query = dict(request.query)
    raw = await request.read() if request.method == "POST" and request.path != UPLOAD_PATH else b""
    body: Any = None
    parse_error = False
    if request.path == UPLOAD_PATH:
        body = await read_upload(request)
        parse_error = body is None
    elif request.method == "POST":
        try:
            body = json.loads(raw.decode("utf-8"))
            parse_error = not isinstance(body, dict)
        except (UnicodeDecodeError, ValueError):
            parse_error = True
    token = query.pop("access_token", None)
    # What is recorded (and shown by /sim/sent) never holds the secret; the operation sees it.
    shown_json = {**body, "secret": "***"} if isinstance(body, dict) and "secret" in body else body
    if request.path == UPLOAD_PATH and body:  # the file is kept once, by the media store
        shown_json = {**body, "content": f"{len(body.get('content') or b'')} bytes"}
    shown_query = {**query, "secret": "***"} if "secret" in query else query
    received = Received(request.method, request.path, shown_json, shown_query,
                        raw=b"" if request.path in SECRET_PATHS else raw)
    state.sent.append(received)
    if request.path in state.holds:
        state.held.append(request.path)
        await state.holds[request.path].wait()

    pending = state.failures.get(request.path)
    if pending:
        failure = pending.pop(0)
        if failure.status is not None:
            received.errcode = None
            return web.Response(status=failure.status, text="<html>502 Bad Gateway</html>", content_type="text/html")
        result = error(failure.errcode, failure.errmsg)
    elif parse_error:
        result = error(47001)
    else:
        result = (state.check_token(token) if needs_token else None) or operation(state, query, body)
    if not isinstance(result, dict):
        received.errcode = 0
        return await result.send(request)
    received.errcode = int(result.get("errcode", 0))
    if state.lost_answers.get(request.path):
        state.lost_answers[request.path] -= 1
        if request.transport is not None:
            request.transport.close()  # carried out, never answered
    return _answer(result)


async def _show_qr(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    qr = state.tickets.get(request.query.get("ticket", ""))
    if qr is None or (qr.expires_at is not None and state.clock.now() >= qr.expires_at):
        raise web.HTTPNotFound(text="invalid ticket")
    return web.Response(body=placeholder_png(qr.ticket.encode()), content_type="image/png")


def placeholder_png(seed: bytes, modules: int = 25, scale: int = 8) -> bytes:
    """A QR-looking (not scannable) black-and-white PNG, so cards in the sandbox show an image."""
    bits, digest = [], seed
    while len(bits) < modules * modules:
        digest = hashlib.sha256(digest).digest()
        bits.extend((byte >> i) & 1 for byte in digest for i in range(8))
    rows = []
    for y in range(modules * scale):
        row = bytes(0 if bits[(y // scale) * modules + x // scale] else 255 for x in range(modules * scale))
        rows.append(b"\x00" + row)
    size = modules * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


async def _video(request: web.Request) -> web.StreamResponse:
    return await serve_video(request, request.app[STATE_KEY].media)


async def _put_media(request: web.Request) -> web.Response:
    return await put_from_request(request, request.app[STATE_KEY].media)


async def _get_media(request: web.Request) -> web.StreamResponse:
    return await serve_medium(request, request.app[STATE_KEY].media)


def _control(operation: Callable[[SimState, dict[str, Any]], Any]):
    return json_control(operation, STATE_KEY, refusals=(SimError,),
                        view=lambda state, result: state.user_view(result.openid) if isinstance(result, SimUser)
                        else result)


def _sent(state: SimState, _: dict[str, Any]) -> dict[str, Any]:
    return {"sent": [r.to_dict() for r in state.sent],
            "delivered": [asdict(d) for d in state.delivered]}


async def _user(request: web.Request) -> web.Response:
    try:
        return web.json_response(request.app[STATE_KEY].user_view(request.match_info["openid"]))
    except SimError as exc:
        return web.json_response({"error": str(exc)}, status=404)


def create_wechat_simulator(
    *,
    clock: Clock,
    app_id: str,
    app_secret: str,
    token_ttl: int = 7200,
    templates: Iterable[str] = (),
    rules: WindowRules | None = None,
) -> web.Application:
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[STATE_KEY] = SimState(clock=clock, app_id=app_id, app_secret=app_secret, token_ttl=token_ttl,
                              rules=rules or WindowRules(), initial_templates=frozenset(templates))
    for method, path in API:
        app.router.add_route(method, path, _api)
    app.router.add_get("/cgi-bin/showqrcode", _show_qr)
    app.router.add_get(VIDEO_ROUTE, _video)
    app.router.add_post("/sim/media", _put_media)
    app.router.add_get("/sim/media/{media_id}", _get_media)
    app.router.add_post("/sim/follow", _control(lambda s, b: s.follow(b["openid"], b.get("nickname", ""),
                                                                       b.get("scene"), b.get("language", ""))))
    app.router.add_post("/sim/unfollow", _control(lambda s, b: s.unfollow(b["openid"])))
    app.router.add_post("/sim/user_message", _control(lambda s, b: s.user_message(b["openid"])))
    app.router.add_post("/sim/scan", _control(lambda s, b: s.scan(b["openid"], b.get("scene"), b.get("ticket"))))
    app.router.add_post("/sim/click", _control(lambda s, b: s.click(b["openid"])))
    app.router.add_post("/sim/expire_tokens", _control(lambda s, b: s.expire_tokens()))
    app.router.add_post("/sim/fail_next", _control(lambda s, b: s.fail_next(
        b["path"], b.get("errcode"), int(b.get("times", 1)), errmsg=b.get("errmsg"), status=b.get("status"))))
    app.router.add_post("/sim/lose_answer", _control(lambda s, b: s.lose_answer(b["path"], int(b.get("times", 1)))))
    app.router.add_post("/sim/hold", _control(lambda s, b: s.hold(b["path"])))
    app.router.add_post("/sim/release", _control(lambda s, b: s.release(b["path"])))
    app.router.add_post("/sim/templates", _control(lambda s, b: s.add_template(b["template_id"])))
    app.router.add_get("/sim/sent", _control(_sent))
    app.router.add_get("/sim/users/{openid}", _user)
    app.router.add_post("/sim/reset", _control(lambda s, b: s.reset()))
    return app


class PathOnlyAccessLogger(AbstractAccessLogger):
    """aiohttp's default access log prints the request line, query string and access_token with it."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.3fs", request.method, request.path, response.status, time)


def main() -> None:  # python -m simulators.wechat_api --port 9001
    parser = argparse.ArgumentParser(description="WeChat API simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9001)
    parser.add_argument("--app-id", default="wx0000000000000000")
    parser.add_argument("--app-secret", default="simulator-secret")
    parser.add_argument("--template", action="append", default=[])
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    app = create_wechat_simulator(clock=SystemClock(), app_id=args.app_id, app_secret=args.app_secret,
                                  templates=args.template)
    web.run_app(app, host=args.host, port=args.port, access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
