"""The message's readable body: the entry as a transcript (who, what happened, what the bridge did,
the push, the record chain), and the unredacted original's part when data-loss prevention acted."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from email.headerregistry import Address
from typing import Any, Mapping

from core.dlp import NOT_DELIVERED, as_delivered, rule_names
from core.journal.media import MediaNote, media_lines
from core.journal.names import file_part, shown_name
from core.journal.settings import JournalSettings

DLP_PART_LABEL = "Unredacted original (before DLP)"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


def dlp_original(dlp: Mapping[str, Any]) -> str:
    lines = [DLP_PART_LABEL,
             f"DLP action: {dlp.get('action') or 'unknown'}",
             f"Rules: {', '.join(rule_names(dlp)) or '(none given)'}"]
    if dlp.get("direction"):
        lines.append(f"Direction: {dlp['direction']}")
    for rule in dlp.get("rules") or []:
        if isinstance(rule, Mapping):
            lines.append(f"  - {_json(rule)}")
    findings = [f for f in dlp.get("findings") or () if isinstance(f, Mapping)]
    if findings:
        lines.append("Findings:")
        for f in findings:
            lines.append(f"  - rule {f.get('rule')}, {f.get('detector')}, {f.get('action')}, "
                         f"characters {f.get('start')}-{f.get('end')}: {_text(f.get('text', ''))}")
    delivered = dlp.get("delivered")
    lines += ["", "Original, as written:", _text(dlp.get("original", "")),
              "", "Delivered:", _text(delivered) if delivered is not None else NOT_DELIVERED]
    return "\r\n".join(lines) + "\r\n"


def _indent(text: Any, prefix: str = "    ") -> list[str]:
    lines = _text(text).splitlines() or [""]
    return [prefix + line for line in lines]


def _when(at: Any) -> str:
    return datetime.fromtimestamp(float(at), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _person(aad: str, names: Mapping[str, str], settings: JournalSettings) -> str:
    name = shown_name(names, aad)
    return f"{name} <{settings.employee_address(aad)}> (Azure AD {aad})" if name \
        else f"<{settings.employee_address(aad)}> (Azure AD {aad})"


def _event_lines(what: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    kind = what.get("type")
    if kind == "guest_message":
        lang = f" (language: {what['language']})" if what.get("language") else ""
        return [f"The guest wrote{lang}:", *_indent(what.get("text", ""))]
    if kind == "employee_message":
        return [f"{what.get('author') or 'An employee'} wrote (message {what.get('message_id')}):",
                *_indent(what.get("text", ""))]
    if kind == "system_message":
        return [f"A system message for the guest (message {what.get('message_id')}):", *_indent(what.get("text", ""))]
    if kind == "follow":
        return ["The guest followed the Official Account."]
    if kind == "scan":
        return ["The guest scanned a QR code (or used a menu) of the Official Account."]
    if kind == "unfollow":
        return ["The guest unfollowed the Official Account."]
    if kind == "tick":
        return ["Time passed: the conversation's timers (reply warning, window expiry) were checked."]
    if kind == "participants_changed":
        added = ", ".join(shown_name(names, a) or a for a in what.get("added") or ()) or "nobody"
        removed = ", ".join(shown_name(names, a) or a for a in what.get("removed") or ()) or "nobody"
        return [f"The employees taking part changed: added {added}; removed {removed}."]
    if kind == "leave":
        if what.get("by", "guest") == "guest":
            return ["The guest left the conversation."]
        who = what.get("name") or shown_name(names, str(what.get("by"))) or what.get("by")
        return [f"{who} ({what.get('by')}) left the conversation"
                + ("." if what.get("closes", True) else "; other employees stay in it.")]
    if kind == "cancel_queued":
        who = shown_name(names, str(what.get("by") or "")) or what.get("name") or what.get("by") or "An employee"
        return [f"{who} cancelled the queued message {what.get('message_id')}."]
    if kind == "unconfirmed":
        return [f"WeChat did not answer for message {what.get('message_id')}: delivery not confirmed (it may or "
                f"may not have reached the guest; it is not sent again unless an employee asks)."]
    if kind == "send_again":
        return [f"{shown_name(names, str(what.get('by') or '')) or what.get('by') or 'An employee'} asked to send "
                f"message {what.get('message_id')} again."]
    if kind == "we_chat_answer":
        verdict = "accepted" if what.get("errcode") == 0 else "refused"
        return [f"WeChat {verdict} message {what.get('message_id')}: errcode {what.get('errcode')}"
                + (f" ({what.get('errmsg')})" if what.get("errmsg") else "") + "."]
    return _generic(what)


def _command_lines(command: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    kind = command.get("type")
    if kind == "send_to_guest":
        by = f" by {command['author']}" if command.get("author") else ""
        notice = f", notice {command['notice']}" if command.get("notice") else ""
        return [f"- Sent to the guest ({command.get('kind')} message{by}{notice}; "
                f"message {command.get('message_id')}):",
                *_indent(command.get("text", ""), "      ")]
    if kind == "send_template":
        lines = [f"- Template message {command.get('template_id')} sent to the guest "
                 f"(notice {command.get('notice')}; message {command.get('message_id')}):",
                 *_indent(command.get("text", ""), "      ")]
        if command.get("params"):
            lines.append(f"      parameters: {_json(command['params'])}")
        return lines
    if kind == "notify_employees":
        return [f"- Told the employees (notice {command.get('notice')}):", *_indent(command.get("text", ""), "      ")]
    if kind == "receipt":
        lines = [f"- Message {command.get('message_id')} {command.get('outcome')} ({command.get('reason')})"]
        if command.get("text"):
            lines += _indent(command["text"], "      ")
        return lines
    return ["- " + line if i == 0 else "  " + line for i, line in enumerate(_generic(command))]


def _generic(value: Mapping[str, Any]) -> list[str]:
    lines = [f"{value.get('type') or 'entry'}:"]
    for key in sorted(k for k in value if k != "type"):
        item = value[key]
        if isinstance(item, str) and "\n" not in item:
            lines.append(f"    {key}: {item}")
        else:
            rendered = _text(item).splitlines() or [""]
            lines.append(f"    {key}: {rendered[0]}")
            lines += ["      " + line for line in rendered[1:]]
    return lines


def transcript(entry: Mapping[str, Any], settings: JournalSettings, names: Mapping[str, str], way: str,
                kind: str, what: Mapping[str, Any], push: Mapping[str, Any], dlp: Mapping[str, Any] | None,
                participants: list[str], sender: Address, author_id: str | None,
                media: Mapping[str, MediaNote]) -> str:
    thread = entry["thread"]
    contact = shown_name(names, thread)
    what, push = as_delivered(what, dlp), as_delivered(push, dlp)
    lines = ["WeChat conversation record", "",
             f"Contact:      {contact + ' ' if contact else ''}<{settings.contact_address(thread)}> "
             f"(WeChat openid {thread})",
             f"Entry:        #{entry['seq']} of the thread's record ({entry.get('kind') or 'entry'}: {kind})",
             f"Time:         {_when(entry['at'])}",
             f"Direction:    {way}",
             f"From:         {sender}"]
    if entry.get("account"):
        lines.append(f"Account:      {entry['account']}")
    if entry.get("teams_activity_id"):
        lines.append(f"Teams post:   {entry['teams_activity_id']}")
    lines += ["", "Employees taking part:"]
    lines += [f"  - {_person(aad, names, settings)}" for aad in participants] or ["  (none)"]

    lines += ["", "What happened:"]
    if what:
        lines += ["  " + line for line in _event_lines(what, names)]
    elif push:
        lines.append("  A push from WeChat that no conversation shows (recorded as received).")
    else:
        lines.append("  (not given)")

    if dlp is not None:
        lines += ["", f"Data loss prevention: {dlp.get('action') or 'unknown'}"
                  + (f" (rules: {', '.join(rule_names(dlp))})" if rule_names(dlp) else ""),
                  "  What was delivered:",
                  *_indent(dlp["delivered"] if dlp.get("delivered") is not None else NOT_DELIVERED),
                  f"  The unredacted original is in the part \"{DLP_PART_LABEL}\"."]

    decided = [as_delivered(c, dlp) for c in entry.get("decided") or () if isinstance(c, Mapping)]
    if decided or entry.get("kind") == "decision":
        lines += ["", "What the bridge did:"]
        lines += ["  " + line for command in decided for line in _command_lines(command, names)] or ["  nothing"]

    if push:
        lines += ["", "The push as WeChat sent it:"]
        for key in ("from_user", "to_user", "msg_type", "msg_id", "create_time", "event", "event_key", "content"):
            if push.get(key) not in (None, ""):
                if key == "content":
                    lines += ["  content:", *_indent(push[key])]
                else:
                    lines.append(f"  {key}: {push[key]}")
        if isinstance(entry.get("received_at"), (int, float)) and not isinstance(entry["received_at"], bool):
            lines.append(f"  received at: {_when(entry['received_at'])}")

    lines += media_lines(entry, media)
    lines += ["", "Record chain:",
              f"  hash: {entry['hash']}",
              f"  prev: {entry['prev']}",
              f"  The full entry is attached as record-{file_part(thread)}-{entry['seq']}.json (canonical JSON)."]
    return "\r\n".join(lines) + "\r\n"
