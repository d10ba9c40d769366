"""The sandbox page and its small JSON API (aiohttp), served on 127.0.0.1 only.

    GET  /                       the page (static/index.html, app.js, style.css, teams_cards.*)
    GET  /favicon.png, /favicon.ico   its icon: the Teams app's (manifest/color.png)
    GET  /vendor/adaptivecards.* the official Adaptive Cards renderer, from node_modules
    GET  /cgi-bin/showqrcode     QR images (WECHAT_QR_BASE_URL points here), from the WeChat simulators
    GET  /api/snapshot?guest=&conversation=&known=   what the page shows; sections whose hash is in
                                 `known` (comma-separated) are left out
    POST /api/guests             {name, account, language}: a new guest
    GET  /wechat-media/<account>/<media_id>   a medium WeChat's API holds (a guest's PicUrl points here)
    POST /api/guest/<action>     {guest, text?, employee?}: say | follow | scan | unfollow | voice (the
                                 sample) | photo (the sample, or {data: base64, a PNG, JPEG or GIF})
    POST /api/teams/say          {conversation, employee, text, thread?, mentions?, card?}: mentions are
                                 members' keys, each <at>Name</at> in the text; card: from the extension
    POST /api/teams/search       {conversation, employee, query, thread?}: the message extension
                                 (query null: its initial run) -> {results: [{title, text, card}], message}
    POST /api/teams/press        {conversation, employee, activityId, data, thread?}: an Action.Submit
    POST /api/clock              {hours}
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable

from aiohttp import web

from sandbox import views
from sandbox.samples import Medium
from sandbox.world import WECHAT_MEDIA_PATH, World

log = logging.getLogger("sandbox")
STATIC = Path(__file__).resolve().parent / "static"
RENDERER = Path(__file__).resolve().parents[1] / "node_modules" / "adaptivecards" / "dist"
ICON = Path(__file__).resolve().parents[1] / "manifest" / "color.png"
RENDERER_MISSING = ("The Adaptive Cards renderer is missing (node_modules/adaptivecards): run scripts/setup.sh "
                    "(its npm ci installs it).")
WORLD = web.AppKey("world", World)
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".png": "image/png"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024  # a picture of the person's own: its first bytes say its type
PHOTO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


def create_web_app(world: World) -> web.Application:
    # A JSON body may carry a photo (base64: 4 bytes for 3).
    app = web.Application(middlewares=[_local_only], client_max_size=PHOTO_MAX_BYTES * 4 // 3 + 64 * 1024)
    app[WORLD] = world
    r = app.router
    r.add_get("/", _serving(STATIC / "index.html"))
    for name in ("/favicon.png", "/favicon.ico"):  # browsers ask for /favicon.ico when a page names none
        r.add_get(name, _serving(ICON))
    for name in ("app.js", "media.js", "style.css", "teams_cards.js", "teams_cards.css"):
        r.add_get(f"/static/{name}", _serving(STATIC / name))
    for name in ("adaptivecards.min.js", "adaptivecards.css"):
        r.add_get(f"/vendor/{name}", _serving(RENDERER / name, RENDERER_MISSING))
    r.add_get("/cgi-bin/showqrcode", _qr_image)
    r.add_get(WECHAT_MEDIA_PATH.format(account="{account}", media_id="{media_id}"), _wechat_medium)
    r.add_get("/api/snapshot", _snapshot)
    r.add_post("/api/guests", _action(_new_guest))
    for name, operation in GUEST_ACTIONS.items():
        r.add_post(f"/api/guest/{name}", _action(operation))
    r.add_post("/api/teams/say", _action(_teams_say))
    r.add_post("/api/teams/press", _action(_teams_press))
    r.add_post("/api/teams/search", _action(_teams_search))
    r.add_post("/api/clock", _action(_clock))
    return app


@web.middleware
async def _local_only(request: web.Request, handler):
    """Only this machine's pages: a Host other than 127.0.0.1/localhost (DNS rebinding) is refused,
    and every POST must be JSON (so another site's form cannot post to the sandbox)."""
    host = (request.host or "").rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost"):
        return web.json_response({"error": "the sandbox answers on 127.0.0.1 only"}, status=403)
    if request.method == "POST" and request.content_type != "application/json":
        return web.json_response({"error": "JSON only"}, status=415)
    return await handler(request)


def _serving(path: Path, missing: str = ""):
    """A handler answering with the file (read at each request, off the event loop: edit the page
    and reload)."""
    async def handler(request: web.Request) -> web.StreamResponse:
        if not await asyncio.to_thread(path.is_file):
            return web.Response(status=404, text=missing or "not found")
        return web.FileResponse(path, headers={"Cache-Control": "no-cache",
                                               "Content-Type": TYPES.get(path.suffix, "application/octet-stream")})

    return handler


async def _qr_image(request: web.Request) -> web.StreamResponse:
    world = request.app[WORLD]
    ticket = request.query.get("ticket", "")
    for account in world.accounts:
        qr = world.wechat(account).tickets.get(ticket)
        if qr is not None:
            from simulators.wechat_api import placeholder_png

            return web.Response(body=placeholder_png(qr.ticket.encode()), content_type="image/png")
    raise web.HTTPNotFound(text="invalid ticket")


async def _wechat_medium(request: web.Request) -> web.Response:
    world, account = request.app[WORLD], request.match_info["account"]
    found = views.wechat_medium(world, account, request.match_info["media_id"]) if account in world.accounts \
        else None
    if found is None:
        raise web.HTTPNotFound(text="no such medium")
    content, content_type = found
    return web.Response(body=content, headers={"Content-Type": content_type, "Cache-Control": "private, max-age=3600",
                                               "X-Content-Type-Options": "nosniff"})


async def snapshot(world: World, guest: str, conversation: str) -> dict[str, Any]:
    return {
        "clock": {"now": world.clock.now(), "offsetHours": round(world.clock.offset / 3600, 2)},
        "accounts": [{"id": a.id, "name": a.name} for a in world.accounts.values()],
        "employees": [{"key": e.key, "name": e.name, "account": e.account} for e in world.employees.values()],
        "guests": views.guests(world),
        "phone": views.phone(world, guest),
        "conversations": views.conversations(world),
        "teams": views.teams(world, conversation),
        "api": views.api_log(world),
        "threads": await views.threads(world),
    }


async def _snapshot(request: web.Request) -> web.Response:
    q = request.query
    whole = await snapshot(request.app[WORLD], q.get("guest", ""), q.get("conversation", ""))
    known = set(filter(None, q.get("known", "").split(",")))
    out: dict[str, Any] = {"hashes": {}}
    for section, value in whole.items():
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        digest = hashlib.blake2s(text.encode(), digest_size=8).hexdigest()
        out["hashes"][section] = digest
        if digest not in known:
            out[section] = value
    return web.json_response(out, dumps=lambda o: json.dumps(o, ensure_ascii=False))


Operation = Callable[[World, dict[str, Any]], Awaitable[Any]]


def _action(operation: Operation):
    async def handler(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            result = await operation(request.app[WORLD], body)
        except (ValueError, KeyError, TypeError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            return web.json_response({"error": str(message)}, status=400)
        except Exception as exc:  # the bridge or a simulator failed: say so on the page
            log.exception("sandbox operation failed")
            return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=500)
        return web.json_response(result or {"ok": True})

    return handler


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected text")
    return value


async def _new_guest(world: World, body: dict[str, Any]) -> dict[str, Any]:
    guest = world.new_guest(_text(body, "name"), _text(body, "account") or "default", _text(body, "language") or "en")
    return {"id": guest.id}


GUEST_ACTIONS = {
    "say": lambda w, b: w.guest_says(_text(b, "guest"), _text(b, "text")),
    "follow": lambda w, b: w.guest_follows(_text(b, "guest")),
    "scan": lambda w, b: w.guest_scans(_text(b, "guest"), _text(b, "employee")),
    "unfollow": lambda w, b: w.guest_unfollows(_text(b, "guest")),
    "photo": lambda w, b: w.guest_sends(_text(b, "guest"), "image", _photo(b)),
    "voice": lambda w, b: w.guest_sends(_text(b, "guest"), "voice"),
}


def _photo(body: dict[str, Any]) -> Medium | None:
    """The person's own picture (`data`, base64), or None: the sample."""
    data = _text(body, "data")
    if not data:
        return None
    try:
        content = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("data: expected the picture in base64") from None
    if len(content) > PHOTO_MAX_BYTES:
        raise ValueError(f"the picture is over {PHOTO_MAX_BYTES // (1024 * 1024)} MB")
    content_type = next((kind for magic, kind in PHOTO_TYPES.items() if content.startswith(magic)), None)
    if content_type is None:
        raise ValueError("a picture in PNG, JPEG or GIF, please")
    return Medium(content, content_type)


async def _teams_say(world: World, body: dict[str, Any]) -> None:
    mentions, card = body.get("mentions") or [], body.get("card")
    if not isinstance(mentions, list) or not all(isinstance(m, str) for m in mentions):
        raise ValueError("mentions: expected a list of employees")
    if card is not None and not (isinstance(card, dict) and card.get("type") == "AdaptiveCard"):
        raise ValueError("card: expected an Adaptive Card")
    await world.employee_says(_text(body, "conversation"), _text(body, "employee"), _text(body, "text"),
                              thread=_text(body, "thread"), mentions=mentions, card=card)


async def _teams_search(world: World, body: dict[str, Any]) -> dict[str, Any]:
    query = body.get("query")
    if query is not None and not isinstance(query, str):
        raise ValueError("query: expected text (or null: the extension opens)")
    return await world.employee_searches(_text(body, "conversation"), _text(body, "employee"), query,
                                         thread=_text(body, "thread"))


async def _teams_press(world: World, body: dict[str, Any]) -> None:
    data = body.get("data")
    if data is not None and not isinstance(data, (dict, str)):
        raise ValueError("data: expected an object")
    await world.employee_presses(_text(body, "conversation"), _text(body, "employee"), _text(body, "activityId"),
                                 data, thread=_text(body, "thread"))


async def _clock(world: World, body: dict[str, Any]) -> None:
    hours = body.get("hours")
    if not isinstance(hours, (int, float)) or isinstance(hours, bool):
        raise ValueError("hours: expected a number")
    await world.advance(float(hours))
