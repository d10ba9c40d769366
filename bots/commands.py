"""Which lines an employee types are commands: decided on the line's first word(s), before anything
is relayed, so a command never reaches a WeChat guest.

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

import re
from dataclasses import dataclass

AS_WRITTEN = "\\"
PERSONAL, CHANNEL = "personal", "channel"  # where a command runs: the employee's chat with the bot, a team channel


@dataclass(frozen=True)
class Command:
    name: str
    words: tuple[str, ...]  # lower case, English and Chinese
    where: tuple[str, ...]  # PERSONAL, CHANNEL; used elsewhere, it is answered with where it runs (the first)
    takes_argument: bool = False
    for_everyone: bool = False  # also for someone WeChat is not enabled for


COMMANDS: tuple[Command, ...] = (
    Command("help", ("help", "?", "帮助"), (PERSONAL, CHANNEL), for_everyone=True),
    Command("admin", ("admin", "管理"), (PERSONAL,), for_everyone=True),
    Command("qr", ("qr", "qr code", "my qr", "my qr code", "二维码", "我的二维码"), (PERSONAL,)),
    Command("queue", ("queue", "队列"), (PERSONAL, CHANNEL)),
    Command("leave", ("leave", "退出", "离开"), (PERSONAL, CHANNEL)),
    Command("find", ("find", "查找"), (PERSONAL,), takes_argument=True),
    Command("add", ("add", "添加"), (CHANNEL,), takes_argument=True),
)
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
