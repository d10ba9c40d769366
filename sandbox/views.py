"""What the sandbox page shows, as JSON-ready data, read from the simulators and the bridge's storage:
the phone (what a guest did, what WeChat's API delivered to them, the SMS their number received),
a Teams conversation (the bot's messages as the Bot Connector keeps them, updates folded in, and
what employees wrote), the requests WeChat's API received, and every thread's state."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.conversation_policy import ACTIVE, INACTIVE_COUNT, status_view
from core.storage import KV, THREADS
from sandbox.world import GUEST_MEDIA, WECHAT_MEDIA_PATH

if TYPE_CHECKING:
    from sandbox.world import World

API_LOG_ROWS = 40
CARD = "application/vnd.microsoft.card.adaptive"
PLAYABLE = ("image/", "audio/", "video/")  # attachments the Teams pane shows as a picture or a player
HIDDEN_PATHS = {"/cgi-bin/stable_token", "/cgi-bin/token"}  # token fetches: noise, and no guest in them


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


# --- the phone ----------------------------------------------------------------------------------

def phone(world: "World", guest_id: str) -> dict[str, Any] | None:
    guest = world.guests.get(guest_id)
    if guest is None:
        return None
    items = [_guest_event(world, guest.account, e) for e in guest.events]
    for d in world.wechat(guest.account).delivered:
        if d.openid != guest.id:
            continue
        media_id = (d.json.get(d.msgtype) or {}).get("media_id") if d.msgtype == "image" else None
        if media_id and wechat_medium(world, guest.account, media_id):
            items.append({"at": d.at, "from": "account", "text": "[image]",
                          "image": WECHAT_MEDIA_PATH.format(account=guest.account, media_id=media_id)})
        elif d.msgtype == "text":
            items.append({"at": d.at, "from": "account", "text": d.text or ""})
        elif d.msgtype == "template":
            data = d.json.get("data") or {}
            lines = [str(v.get("value", "")) if isinstance(v, dict) else str(v) for v in data.values()]
            items.append({"at": d.at, "from": "template", "text": "\n".join(filter(None, lines))})
        else:
            items.append({"at": d.at, "from": "account", "text": f"[{d.msgtype}]"})
    items.sort(key=lambda item: item["at"])
    number = _digits(guest.phone)
    sms = [{"at": m.created_at, "from": m.from_ or "", "text": m.body} for m in world.twilio.messages if m.to == number]
    sms += [{"at": c.created_at, "from": c.from_, "text": f"📞 Voice call: {c.said}"} for c in world.twilio.calls
            if c.to == number]
    sms.sort(key=lambda s: s["at"], reverse=True)
    samples = world.samples
    return {"id": guest.id, "name": guest.name, "account": guest.account,
            "accountName": world.accounts[guest.account].name, "phone": guest.phone,
            "following": guest.following, "chat": items, "sms": sms[:3],
            "voice": bool(samples and samples.voice), "noVoice": samples.why_no_voice if samples else ""}


def _guest_event(world: "World", account: str, event: dict[str, Any]) -> dict[str, Any]:
    """What the guest did, as their phone shows it: what they wrote or sent, or a line about it."""
    kind = event["kind"]
    item = {"at": event["at"], "from": "guest" if kind == "text" or kind in GUEST_MEDIA else "event",
            "text": event["text"]}
    if kind == "image" and wechat_medium(world, account, event["media"]):
        item["image"] = WECHAT_MEDIA_PATH.format(account=account, media_id=event["media"])
    elif kind == "voice":
        item["seconds"] = event["seconds"]
    return item


def wechat_medium(world: "World", account: str, media_id: str) -> tuple[bytes, str] | None:
    """The bytes and type of a medium the Official Account's WeChat API holds (while it keeps them)."""
    medium = world.wechat(account).media.find(media_id)
    return (medium.content, medium.content_type) if medium is not None else None


def guests(world: "World") -> list[dict[str, Any]]:
    return [{"id": g.id, "name": g.name, "account": g.account, "following": g.following}
            for g in world.guests.values()]


# --- Teams --------------------------------------------------------------------------------------

def conversations(world: "World") -> list[dict[str, Any]]:
    """Each employee's chat with the bot and each inbox channel, with how many messages it holds."""
    ids = world.conversation_ids()
    count = dict.fromkeys(ids.values(), 0)
    seen = set()
    for entry in [*world.connector.activities, *world.said]:
        base = entry["conversationId"].split(";", 1)[0]
        key = (base, entry.get("activityId") or entry["id"])
        if base in count and key not in seen and entry.get("operation") != "delete":
            seen.add(key)
            count[base] += 1
    found = [{"key": f"chat:{e.key}", "title": f"{e.name} · chat with the bot", "kind": "chat",
              "employees": [e.key]} for e in world.employees.values()]
    found += [{"key": f"channel:{i.key}", "title": i.title, "kind": "channel",
               "employees": [e.key for e in world.members(f"channel:{i.key}")]} for i in world.inboxes.values()]
    for c in found:
        c["messages"] = count[ids[c["key"]]]
    return found


def teams(world: "World", key: str) -> dict[str, Any] | None:
    """The conversation's messages in order, each at its latest version; in a channel, each with
    the root of its thread (`thread`)."""
    conversation_id = world.conversation_ids().get(key)
    if conversation_id is None:
        return None
    messages: dict[str, dict[str, Any]] = {}
    for entry in world.connector.activities_for(conversation_id):
        activity_id = entry["activityId"]
        if entry["operation"] == "delete":
            if activity_id in messages:
                messages[activity_id]["deleted"] = True
            continue
        activity = entry["activity"]
        shown = messages.setdefault(activity_id, {"id": activity_id, "at": entry["at"], "from": "bot",
                                                  "name": (activity.get("from") or {}).get("name") or "WeChat Bridge",
                                                  "thread": _thread_of(entry["conversationId"], activity_id),
                                                  "deleted": False, "edits": -1})
        shown["edits"] += 1
        shown["version"] = entry["seq"]
        shown["text"] = activity.get("text") or ""
        shown["mentions"] = [e.get("text") for e in activity.get("entities") or [] if e.get("type") == "mention"]
        attachments = activity.get("attachments") or []
        shown["cards"] = [a.get("content") for a in attachments if a.get("contentType") == CARD]
        shown["media"] = [{"type": a["contentType"], "url": a["contentUrl"], "name": a.get("name") or ""}
                          for a in attachments if _playable(a)]
        shown["other"] = [a.get("contentType") for a in attachments
                          if a.get("contentType") != CARD and not _playable(a)]
    for said in world.said:
        if said["conversationId"] == conversation_id or said["conversationId"].startswith(conversation_id + ";"):
            employee = world.employees[said["employee"]]
            messages[said["id"]] = {"id": said["id"], "at": said["at"], "from": employee.key, "name": employee.name,
                                    "thread": _thread_of(said["conversationId"], said["id"]), "text": said["text"],
                                    "mentions": said["mentions"], "cards": said["cards"], "media": [], "other": [],
                                    "deleted": False, "edits": 0, "version": 0}
    ordered = sorted(messages.values(), key=lambda m: (m["at"], m["id"]))
    threads = []
    if key.startswith("channel:"):
        names = sorted((g.name for g in world.guests.values()), key=len, reverse=True)
        for m in ordered:
            if m["thread"] == m["id"]:
                threads.append({"root": m["id"], "title": _thread_title(m, names)})
    return {"key": key, "messages": ordered, "threads": threads}


def _playable(attachment: dict[str, Any]) -> bool:
    """An inline image, or audio or video, at an address a Teams client fetches (contentUrl)."""
    return str(attachment.get("contentType") or "").startswith(PLAYABLE) and bool(attachment.get("contentUrl"))


def _thread_of(conversation_id: str, activity_id: str) -> str:
    _, _, root = conversation_id.partition(";messageid=")
    return root or activity_id


def _thread_title(root: dict[str, Any], names: list[str]) -> str:
    """The guest the thread is about (the bot's first post names them), else its first line."""
    text = root.get("text") or ""
    for name in names:
        if name and name in text:
            return name
    first = text.splitlines()[0] if text else "card"
    return first[:40]


# --- the panel ----------------------------------------------------------------------------------

def api_log(world: "World") -> list[dict[str, Any]]:
    """The requests WeChat's API received (every Official Account's), newest first."""
    rows = []
    for account in world.accounts.values():
        times = world.api_times.get(account.id, [])
        for i, r in enumerate(world.wechat(account.id).sent):
            if r.path in HIDDEN_PATHS:
                continue
            body = r.json if isinstance(r.json, dict) else {}
            openid = body.get("touser") or r.query.get("openid") or ""
            text = ((body.get("text") or {}).get("content") if body.get("msgtype") == "text" else None) or \
                (f"template {body.get('template_id')}" if "template_id" in body else "") or \
                (((body.get("action_info") or {}).get("scene") or {}).get("scene_str") or "")
            rows.append({"at": times[i] if i < len(times) else 0.0, "n": i, "account": account.name,
                         "path": r.path.removeprefix("/cgi-bin/").removeprefix("message/"), "openid": openid,
                         "guest": world.guests[openid].name if openid in world.guests else "",
                         "text": text, "errcode": r.errcode})
    rows.sort(key=lambda row: (row["at"], row["n"]), reverse=True)
    return rows[:API_LOG_ROWS]


async def threads(world: "World") -> list[dict[str, Any]]:
    from core.threads import Thread

    c = world.components
    now = world.clock.now()
    rows = []
    seen = set()
    for item in await c.storage.query(THREADS):
        thread = Thread.from_body(item.body)
        seen.add(thread.openid)
        settings = c.directory.get(thread.sub_org).conversation
        state = thread.policy
        window_open = state.status in (ACTIVE, INACTIVE_COUNT) and state.window_ends_at and now < state.window_ends_at
        view = status_view(state, settings)
        guest = world.guests.get(thread.openid)
        rows.append({
            "created": thread.created_at,
            "guest": guest.name if guest else thread.label,
            "account": world.accounts.get(thread.account).name if thread.account in world.accounts else thread.account,
            "assigned": _assigned(world, thread),
            "status": "closed" if thread.status == "closed" else state.status.replace("_", " "),
            "left": max(0, settings.wechat_quota - state.sent) if window_open else 0,
            "quota": settings.wechat_quota,
            "employeeLeft": view.messages_left, "employeeQuota": settings.employee_quota,
            "windowCloses": state.window_ends_at if window_open else None,
            "queued": [q.text for q in state.queue],
        })
    rows.sort(key=lambda row: row.pop("created"))
    for guest in world.guests.values():  # not connected yet: with the routing assistant or validating
        if guest.id in seen or not guest.events:
            continue
        step = await _dialog_step(c.storage, guest.id)
        rows.append({"guest": guest.name, "account": world.accounts[guest.account].name, "assigned": "—",
                     "status": step or ("following" if guest.following else "not following"), "left": None,
                     "quota": None, "employeeLeft": None, "employeeQuota": None, "windowCloses": None, "queued": []})
    return rows


def _assigned(world: "World", thread) -> str:
    people = [p.name for p in thread.participants]
    if thread.target.kind == "employee":
        employee = next((e for e in world.employees.values() if e.user.aad_object_id == thread.target.id), None)
        who = employee.name if employee else thread.target.id
        return ", ".join(dict.fromkeys([who, *people]))
    inbox = next((i for i in world.inboxes.values() if i.channel.id == thread.target.id), None)
    where = f"#{inbox.channel.channel_name} ({inbox.channel.team_name})" if inbox else thread.target.id
    return where + (f": {', '.join(people)}" if people else "")


async def _dialog_step(storage, openid: str) -> str:
    for kind, label in (("validation", "phone validation"), ("routing", "routing assistant")):
        item = await storage.get(KV, f"{kind}:{openid}", f"{kind}:{openid}")
        if item is not None:
            step = (item.body.get("state") or {}).get("step", "")
            return f"{label}: {step.replace('_', ' ')}" if step else label
    return ""
