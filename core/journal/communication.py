"""The communications a record entry holds: what a supervisor reads, one journal message each. Pure.

The record keeps decisions and WeChat's answers (core/record.py); a supervisor reads who said what to
whom. `communications(entry)` turns one sealed entry into zero or more `Communication`s, each a message
as the people involved sent and received it:

- a guest's message (the `guest_message` decision): From the guest To the employees taking part then
  (the entry's `participants`), or nobody yet, To the inbox channel it was posted in (the entry's
  `inbox`), the body as the employees received it (DLP's redaction); withheld by DLP: not delivered,
  the body as written; a guest's answer to the phone validation (a `validation` entry): as written, or
  "[withheld: …]" while a PIN was outstanding (it may be the PIN);
- a message that reached the guest (WeChat's answer, errcode 0, to a send): the body exactly as it went to
  WeChat (the entry's `message`: "<name>: " attribution and DLP applied), From the employee who wrote it
  (Cc the other employees) or, automatic (a notice, a template), From the bot To the guest;
- a message WeChat never answered (`unconfirmed`): the same, marked "not confirmed";
- an automatic message to employees (a notice, a receipt's words in Teams): From the bot To the employees;
- a dialog's message to the guest (the routing assistant's reply, a `routing` entry; what the phone
  validation asked, a `validation` entry): From the bot, marked SENT (the record keeps no answer of WeChat's
  to it);
- a message refused or blocked (DLP, the media rules, a closed chat, a full queue, WeChat's refusal):
  From its writer To the guest, not delivered, with the reason and the rules, the body as written;
- a queued message cancelled (an employee's Cancel: "cancelled by <who>"; everyone left, the chat
  expired: the policy's reason): From its writer, not delivered, as written (the entry's `cancelled`).

A message queued is not yet a communication: it becomes one when WeChat answers its send. Every other
entry (timers, joins, WeChat's answers to what was put back) holds none: `internal` says so.

An answer recorded before answers kept their message holds a communication that cannot be derived:
`underived` says so, for an export to say it rather than drop it.

Each communication points back to its entry (`entry_hash`, `seq`) and has a stable id, the entry's hash
and its index in the entry: the journal's Message-ID and the delivery job's id are made of it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

from core.dlp import rule_names
from core.journal.entry import mapping_field
from core.journal.names import author_id

GUEST, EMPLOYEE, BOT, INBOX = "guest", "employee", "bot", "inbox"  # who a party is (an inbox: a team channel)
DELIVERED, NOT_DELIVERED, NOT_CONFIRMED = "delivered", "not delivered", "not confirmed"
SENT = "sent (WeChat's answer not recorded)"  # a dialog's reply: its send is not answered in the record
FROM_GUEST, TO_GUEST, AUTOMATIC_TO_GUEST, AUTOMATIC_TO_EMPLOYEES = (
    "guest message", "message to the guest", "automatic message to the guest", "automatic message to employees")
_REFUSED = frozenset({"refused", "cancelled"})  # a receipt's outcomes that end a message undelivered


@dataclass(frozen=True)
class Party:
    role: str  # GUEST | EMPLOYEE | BOT | INBOX
    id: str = ""  # the guest's openid, an employee's Azure AD object id, an inbox's channel id; "" for the bot or
    #               an unknown writer
    name: str = ""  # as the entry names them, where it does


@dataclass(frozen=True)
class Communication:
    thread: str
    seq: int
    entry_hash: str
    index: int  # its place among the entry's communications
    at: float
    kind: str  # FROM_GUEST | TO_GUEST | AUTOMATIC_TO_GUEST | AUTOMATIC_TO_EMPLOYEES
    sender: Party
    to: tuple[Party, ...]
    body: str  # as the recipient received it; not delivered: as written
    cc: tuple[Party, ...] = ()
    delivery: str = DELIVERED  # DELIVERED | NOT_DELIVERED | NOT_CONFIRMED | SENT
    reason: str = ""  # why not delivered (the policy's cause: dlp, closed, wechat:45015 …)
    rules: tuple[str, ...] = ()  # the DLP rules that acted on it
    message_id: str = ""  # the bridge's id of the message, where it has one
    notice: str = ""  # the policy notice it is, for automatic messages
    media: bool = False  # the entry's media belong to it (attached to its journal message)

    @property
    def id(self) -> str:
        """Stable: the same entry always gives the same communications, in the same order."""
        return f"{self.entry_hash}.{self.index}"


def communications(entry: Mapping[str, Any], names: Mapping[str, str] | None = None) -> list[Communication]:
    """The communications `entry` holds, in order. `names`: display names by id (to tie an author the
    record names by their name to their Azure AD id); the entry's own fields are enough otherwise."""
    what = mapping_field(entry, "what") or {}
    found = list(_DERIVED.get(str(what.get("type") or ""), _none)(entry, what, names or {}))
    found += list(_cancelled(entry, names or {})) + list(_to_employees(entry)) + list(_dialog_replies(entry))
    return [dataclasses.replace(one, index=i) for i, one in enumerate(found)]


def underived(entry: Mapping[str, Any]) -> str:
    """Why a communication `entry` held cannot be derived from it ("" if none is missing): WeChat's
    answer to a send recorded before answers kept the message they answer (`message`)."""
    what = mapping_field(entry, "what") or {}
    kind = what.get("type")
    if kind not in ("we_chat_answer", "unconfirmed") or mapping_field(entry, "message") is not None:
        return ""
    message_id = str(what.get("message_id") or "")
    if kind == "we_chat_answer" and what.get("errcode") != 0 and _refusal(entry, message_id) is None:
        return ""  # put back in the queue: no communication yet
    answer = "no answer" if kind == "unconfirmed" else f"errcode {what.get('errcode')}"
    return (f"WeChat's answer to message {message_id} ({answer}) was recorded before answers kept the message "
            "they answer: what went to the guest cannot be derived from it")


def internal(entry: Mapping[str, Any]) -> bool:
    """True for an entry that holds no communication (a timer, a join, a legal hold, a menu click)."""
    return not communications(entry)


# -- the derivation, per event --------------------------------------------------------------------------


Found = Iterator[Communication]
Derive = Callable[[Mapping[str, Any], Mapping[str, Any], Mapping[str, str]], Found]


def _made(entry: Mapping[str, Any], kind: str, sender: Party, to: tuple[Party, ...], body: str,
          **more: Any) -> Communication:
    return Communication(entry["thread"], entry["seq"], entry["hash"], 0, float(entry["at"]), kind, sender, to, body,
                         **more)


def _none(entry: Mapping[str, Any], what: Mapping[str, Any], names: Mapping[str, str]) -> Found:
    return iter(())


def _guest(entry: Mapping[str, Any]) -> Party:
    return Party(GUEST, entry["thread"])


def _employees(entry: Mapping[str, Any], but: str = "") -> tuple[Party, ...]:
    ids = dict.fromkeys(p for p in entry.get("participants") or () if isinstance(p, str) and p and p != but)
    return tuple(Party(EMPLOYEE, aad) for aad in ids)


def _inbox(entry: Mapping[str, Any]) -> tuple[Party, ...]:
    """The team channel a guest's message went to while nobody took part (the entry's `inbox`)."""
    inbox = mapping_field(entry, "inbox")
    return (Party(INBOX, str(inbox.get("id") or ""), str(inbox.get("name") or "")),) if inbox else ()


def _writer(entry: Mapping[str, Any], author: str, by: str, names: Mapping[str, str]) -> Party:
    """The employee who wrote a message: their id where the entry gives it or their name ties to one."""
    participants = [p for p in entry.get("participants") or () if isinstance(p, str)]
    aad = by or author_id(author, participants, names) or ""
    return Party(EMPLOYEE, aad, author if author != aad else "")


def _dlp(entry: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, tuple[str, ...]]:
    dlp = mapping_field(entry, "dlp")
    return dlp, tuple(rule_names(dlp)) if dlp else ()


def _guest_message(entry: Mapping[str, Any], what: Mapping[str, Any], names: Mapping[str, str]) -> Found:
    dlp, rules = _dlp(entry)
    written = str(what.get("text") or "")
    to = _employees(entry) or _inbox(entry)
    if dlp is not None and not isinstance(dlp.get("delivered"), str):  # withheld: the employees never saw it
        yield _made(entry, FROM_GUEST, _guest(entry), to, str(dlp.get("original") or written),
                    delivery=NOT_DELIVERED, reason="dlp", rules=rules, media=True)
        return
    body = str(dlp["delivered"]) if dlp is not None else written
    yield _made(entry, FROM_GUEST, _guest(entry), to, body, rules=rules, media=True)


def _sent(entry: Mapping[str, Any], what: Mapping[str, Any], names: Mapping[str, str]) -> Found:
    """WeChat's answer to a send (or its silence): the message as it went, if it reached the guest, was
    refused for good, or may have reached them. A refusal that puts it back in the queue holds none yet."""
    message = mapping_field(entry, "message")
    if message is None:  # recorded before answers said what they answer
        return
    delivery = NOT_CONFIRMED if what.get("type") == "unconfirmed" else DELIVERED
    reason = ""
    if what.get("type") == "we_chat_answer" and what.get("errcode") != 0:
        refused = _refusal(entry, str(what.get("message_id") or ""))
        if refused is None:
            return
        delivery, reason = NOT_DELIVERED, refused
    yield _to_guest(entry, message, names, delivery, reason)


def _to_guest(entry: Mapping[str, Any], message: Mapping[str, Any], names: Mapping[str, str], delivery: str,
              reason: str) -> Communication:
    _, rules = _dlp(entry)
    body, message_id = str(message.get("text") or ""), str(message.get("message_id") or "")
    if message.get("kind") == "employee":
        writer = _writer(entry, str(message.get("author") or ""), str(message.get("by") or ""), names)
        return _made(entry, TO_GUEST, writer, (_guest(entry),), body, cc=_employees(entry, but=writer.id),
                     delivery=delivery, reason=reason, rules=rules, message_id=message_id,
                     media=bool(message.get("media")))
    return _made(entry, AUTOMATIC_TO_GUEST, Party(BOT), (_guest(entry),), body, cc=_employees(entry),
                 delivery=delivery, reason=reason, rules=rules, message_id=message_id,
                 notice=str(message.get("notice") or ""))


def _refusal(entry: Mapping[str, Any], message_id: str) -> str | None:
    """Why the decision ended message `message_id` undelivered (a receipt refusing or cancelling it)."""
    for command in entry.get("decided") or ():
        if isinstance(command, Mapping) and command.get("type") == "receipt" \
                and command.get("message_id") == message_id and command.get("outcome") in _REFUSED:
            return str(command.get("reason") or command.get("outcome"))
    return None


def _blocked(entry: Mapping[str, Any], what: Mapping[str, Any], names: Mapping[str, str]) -> Found:
    """DLP or the media rules refused an employee's message: From its writer, as written."""
    dlp, _ = _dlp(entry)
    message = dict(mapping_field(entry, "message") or {"kind": "employee", "message_id": what.get("message_id")})
    if dlp is not None and isinstance(dlp.get("original"), str):
        message["text"] = dlp["original"]
    message["media"] = message.get("media") or bool(entry.get("media"))  # the files it would have sent
    yield _to_guest(entry, message, names, NOT_DELIVERED, str(what.get("cause") or "dlp"))


def _employee_message(entry: Mapping[str, Any], what: Mapping[str, Any],
                      names: Mapping[str, str]) -> Found:
    """Refused as it was written (a closed chat, a full queue); sent or queued, it is journaled when WeChat answers."""
    reason = _refusal(entry, str(what.get("message_id") or ""))
    if reason is not None:
        yield _to_guest(entry, {"kind": "employee", "message_id": what.get("message_id"), "author": what.get("author"),
                                "text": what.get("text"), "media": bool(entry.get("media"))}, names,
                        NOT_DELIVERED, reason)


def _system_message(entry: Mapping[str, Any], what: Mapping[str, Any], names: Mapping[str, str]) -> Found:
    reason = _refusal(entry, str(what.get("message_id") or ""))
    if reason is not None:
        yield _to_guest(entry, {"kind": "system", "message_id": what.get("message_id"), "text": what.get("text")},
                        names, NOT_DELIVERED, reason)


def _cancelled(entry: Mapping[str, Any], names: Mapping[str, str]) -> Found:
    """Queued messages the decision cancelled (an employee's Cancel, everyone left, the chat expired):
    From their writer, as written (the entry's `cancelled`: core.record.decision_fields), not delivered."""
    what = mapping_field(entry, "what") or {}
    for message in entry.get("cancelled") or ():
        if not isinstance(message, Mapping):
            continue
        reason = _refusal(entry, str(message.get("message_id") or "")) or "cancelled"
        who = names.get(str(what.get("by") or "")) or what.get("name") or what.get("by")  # by: an id (a name, before)
        if what.get("type") == "cancel_queued" and who:
            reason = f"cancelled by {who}"
        yield _to_guest(entry, message, names, NOT_DELIVERED, reason)


def _to_employees(entry: Mapping[str, Any]) -> Found:
    """What the bot told the employees in Teams: its notices, and a receipt's words next to a message."""
    for command in entry.get("decided") or ():
        if not isinstance(command, Mapping) or not command.get("text"):
            continue
        if command.get("type") in ("notify_employees", "receipt"):
            yield _made(entry, AUTOMATIC_TO_EMPLOYEES, Party(BOT), _employees(entry), str(command["text"]),
                        message_id=str(command.get("message_id") or ""), notice=str(command.get("notice") or ""))


def _dialog_replies(entry: Mapping[str, Any]) -> Found:
    """What a dialog said to the guest: the routing assistant (its `send_to_guest` commands) and the phone
    validation (what it `asked`; the PIN's SMS is not a journal message: its text is the PIN)."""
    said = _DIALOG_SAYS.get(str(entry.get("kind")))
    if said is None:
        return
    for command in entry.get("decided") or ():
        if isinstance(command, Mapping) and said(command) and command.get("text"):
            yield _made(entry, AUTOMATIC_TO_GUEST, Party(BOT), (_guest(entry),), str(command["text"]), delivery=SENT,
                        message_id=str(command.get("message_id") or ""),
                        notice=str(command.get("notice") or command.get("asked") or ""))


# A dialog's entry kind -> which of its decided items is a message to the guest.
_DIALOG_SAYS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "routing": lambda command: command.get("type") == "send_to_guest",
    "validation": lambda fact: "asked" in fact,
}


def _validation_answer(entry: Mapping[str, Any], what: Mapping[str, Any], names: Mapping[str, str]) -> Found:
    """What the guest wrote to the phone validation (its own entries, before anyone takes part): as written,
    or, while a PIN was outstanding, that it is withheld (it may be the PIN)."""
    if entry.get("kind") != "validation":
        return
    text = str(what["text"]) if "text" in what else f"[withheld: {what.get('withheld') or 'it may hold a PIN'}]"
    yield _made(entry, FROM_GUEST, _guest(entry), (), text)


_DERIVED: dict[str, Derive] = {
    "guest_message": _guest_message,
    "GuestText": _validation_answer,
    "we_chat_answer": _sent,
    "unconfirmed": _sent,
    "blocked": _blocked,
    "employee_message": _employee_message,
    "system_message": _system_message,
}
