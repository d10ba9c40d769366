"""Which lines an employee types are commands, who may use each, and what each does: decided on the
line's first word(s), before anything is relayed, so a command never reaches a WeChat guest.

A command's word (in English or Chinese, any case) starts the message. Commands that take something
(`find <query>`, `add @colleague`) are commands whatever follows the word, and are answered when what
follows will not do (`add` without an @mention, `find` with nothing to find); the others are commands
only when the word is the whole message ("help", but not "Help is on the way"). A message that
starts with a backslash is never a command: the backslash is dropped and the rest goes to the guest
as written, for the rare line that reads like a command ("\\find attached the report").

Each command runs where its answer is for the people who see it: a team channel's members all see
what the bot posts there, so `find` (contacts and their validated numbers), `qr` (the employee's own
code) and `admin` run only in the employee's personal chat with the bot; `add` concerns a WeChat
contact's thread of an inbox channel. The app's manifest offers each where it runs (tools/app_package.py).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Awaitable, Callable

from botbuilder.core.teams import TeamsInfo

from adapters.teams.errors import TeamsError
from adapters.wechat.errors import WeChatApiError
from bots import card_actions
from bots.activity import CHANNEL, PERSONAL, mentioned_people, place
from bots.permissions import ANYONE, Who, refused
from bots.turn import Turn
from cards.admin import admin_card
from cards.contacts import ContactsTexts, contacts_card
from cards.help import HelpTexts, help_card
from cards.leave import LEAVE
from cards.qr_code import QrTexts, qr_code_card
from services.jobs import RetryLater
from services.participants import NOT_VALID

log = logging.getLogger(__name__)

AS_WRITTEN = "\\"
# a command used where it does not run → the answer, by where it runs (its first place)
RUNS_ONLY_IN = {PERSONAL: "teams_only_personal", CHANNEL: "teams_only_inbox_thread"}


async def show_help(turn: Turn, argument: str = "") -> None:
    """What the bot does for this employee here, and the commands that run here."""
    enablement = turn.services.enablement
    here = place(turn.activity)
    await turn.send_card(help_card(
        enabled=await enablement.allows(turn.aad), admin=enablement.is_admin(turn.aad),
        texts=turn.texts.card(HelpTexts), runs_here=frozenset(c.name for c in COMMANDS if here in c.where)))


async def _admin(turn: Turn, argument: str) -> None:
    await turn.send_card(admin_card(await turn.services.admin.view(turn.texts)))


async def _qr(turn: Turn, argument: str) -> None:
    if not turn.aad:
        await turn.say(turn.texts("teams_who_are_you"))
        return
    try:
        qr = await turn.services.qr_codes.for_employee(turn.aad)
    except WeChatApiError as exc:
        log.warning("QR code for an employee failed: %s", exc)
        await turn.say(turn.texts("teams_qr_wechat_error", errcode=exc.errcode)
                       if exc.errcode is not None else turn.texts("teams_qr_unreachable"))
        return
    await turn.send_card(qr_code_card(image_url=qr.image_url, url=qr.url, account_name=qr.account_name,
                                      texts=turn.texts.card(QrTexts)))


async def _queue(turn: Turn, argument: str) -> None:
    """The messages waiting in this chat's WeChat conversations: their live cards, posted again
    as the latest messages here (the copies before become pointers to them)."""
    waiting = [t for t in await turn.services.threads.in_conversation(turn.activity.conversation.id) if t.policy.queue]
    if not waiting:
        await turn.say(turn.texts("teams_nothing_queued"))
    for thread in waiting:
        try:
            await turn.services.live_cards.repost_live_card(thread)
        except (RetryLater, TeamsError):
            await turn.say(turn.texts("teams_open_unreachable"))


async def _leave(turn: Turn, argument: str) -> None:
    """`leave` typed: the same as Leave conversation on the card of the one conversation here."""
    threads = await turn.services.threads.in_conversation(turn.activity.conversation.id)
    if len(threads) != 1:
        await turn.say(turn.texts("teams_leave_which" if threads else "teams_leave_none"))
        return
    await card_actions.leave(turn, {"verb": LEAVE, "thread": threads[0].openid, "generation": threads[0].generation})


async def _find(turn: Turn, query: str) -> None:
    if not query:
        await turn.say(turn.texts("teams_find_whom"))
        return
    found = await turn.services.contacts.find(turn.aad or "", query)
    await turn.send_card(contacts_card(query, [f.view for f in found], turn.texts.card(ContactsTexts)))


async def _add(turn: Turn, argument: str) -> None:
    """`add @colleague` in a guest's channel thread, by someone taking part in it."""
    services, texts = turn.services, turn.texts
    threads = await services.threads.in_conversation(turn.activity.conversation.id)
    if len(threads) != 1:  # a channel (see where `add` runs), but not a WeChat contact's thread
        await turn.say(texts("teams_add_where"))
        return
    thread = threads[0]
    if thread.participant(turn.aad or "") is None:
        log.warning("refused an add to thread %s by someone not taking part in it", thread.openid)
        await turn.say(texts("teams_add_not_participant"))
        return
    people = mentioned_people(turn.activity)
    if not people:  # "add @Alice Wong" typed, not picked: a name is not a person
        await turn.say(texts("teams_add_mention"))
        return
    for mentioned in people:
        try:  # the mention gives the Teams user id; the organization knows people by AAD object id
            member = await TeamsInfo.get_member(turn.context, mentioned.id)
        except Exception as exc:  # noqa: BLE001 - told, not raised: the others may still be added
            log.warning("could not look up a mentioned member: %s", type(exc).__name__)
            await turn.say(texts("teams_add_not_found", name=mentioned.name))
            continue
        found = await services.threads.get(thread.openid)
        refusal = await services.participants.admit(found[0], member.aad_object_id or "", member.name or "") \
            if found else texts(NOT_VALID)
        await turn.say(refusal or texts("teams_added", name=mentioned.name))


@dataclass(frozen=True)
class Command:
    name: str
    words: tuple[str, ...]  # lower case, English and Chinese
    where: tuple[str, ...]  # PERSONAL, CHANNEL; used elsewhere, it is answered with where it runs (the first)
    who: tuple[Who, ...]  # who may use it (bots/permissions.py)
    run: Callable[[Turn, str], Awaitable[None]]  # with what followed the word
    takes_argument: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("help", ("help", "?", "帮助"), (PERSONAL, CHANNEL), ANYONE, show_help),
    Command("admin", ("admin", "管理"), (PERSONAL,), (Who.ADMIN,), _admin),
    Command("qr", ("qr", "qr code", "my qr", "my qr code", "二维码", "我的二维码"), (PERSONAL,), (Who.ENABLED,), _qr),
    Command("queue", ("queue", "队列"), (PERSONAL, CHANNEL), (Who.ENABLED,), _queue),
    Command("leave", ("leave", "退出", "离开"), (PERSONAL, CHANNEL), (Who.ENABLED, Who.PARTICIPANT), _leave),
    Command("find", ("find", "查找"), (PERSONAL,), (Who.ENABLED,), _find, takes_argument=True),
    Command("add", ("add", "添加"), (CHANNEL,), (Who.ENABLED, Who.PARTICIPANT), _add, takes_argument=True),
)
RELAY_WHO = (Who.ENABLED,)  # a line that is no command goes to a guest: only from whom WeChat is enabled for
# the longest first, so "qr code" is not read as "qr" followed by "code"
_WORDS = sorted(((word, command) for command in COMMANDS for word in command.words), key=lambda p: -len(p[0]))
_END = re.compile(r"\s|@|$")  # a command word ends the message, or is followed by a space or an @mention


@dataclass(frozen=True)
class Parsed:
    command: Command
    argument: str  # what follows the word ("" if nothing)
    word: str  # the command's word, as the employee wrote it (in lower case)


def parse_command(text: str) -> Parsed | None:
    """The command a message is, or None if it is a message for the guest."""
    line = text.strip()
    for word, command in _WORDS:
        if line[:len(word)].casefold() == word and _END.match(line, len(word)):
            argument = line[len(word):].strip()
            if argument and not command.takes_argument:
                return None  # "help me with this": words, not a command
            return Parsed(command, argument, word)
    return None


def as_written(text: str) -> str | None:
    """The message without its leading backslash, if it has one: sent as written, never a command."""
    line = text.lstrip()
    return line[len(AS_WRITTEN):] if line.startswith(AS_WRITTEN) else None


async def run(turn: Turn, parsed: Parsed) -> None:
    """A command carried out where it runs, for whom may use it; else they are told why not."""
    if place(turn.activity) not in parsed.command.where:
        await turn.say(turn.texts(RUNS_ONLY_IN[parsed.command.where[0]], command=parsed.word))
    elif not await refused(turn, parsed.command.who):
        await parsed.command.run(turn, parsed.argument)
