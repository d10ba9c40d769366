"""Which lines are commands (bots/commands.py): decided on the first word(s), in both languages."""
from __future__ import annotations

import pytest

from bots.commands import CHANNEL, COMMANDS, PERSONAL, as_written, parse_command
from bots.permissions import Who
from tools import app_package


@pytest.mark.parametrize("line,command,argument", [
    ("help", "help", ""), ("HELP", "help", ""), ("?", "help", ""), ("帮助", "help", ""),
    ("admin", "admin", ""), ("管理", "admin", ""),
    ("qr", "qr", ""), ("QR code", "qr", ""), ("my qr code", "qr", ""), ("我的二维码", "qr", ""),
    ("queue", "queue", ""), ("队列", "queue", ""),
    ("leave", "leave", ""), ("退出", "leave", ""),
    ("find", "find", ""), ("find  Chen ", "find", "Chen"), ("Find 9123 4567", "find", "9123 4567"),
    ("查找 王经理", "find", "王经理"), ("find attached the report", "find", "attached the report"),
    ("add", "add", ""), ("add @Alice Wong", "add", "@Alice Wong"),
    ("Add <at>Alice Wong</at>", "add", "<at>Alice Wong</at>"),
    ("添加@王嘉欣", "add", "@王嘉欣"), ("  add   @Bob  ", "add", "@Bob"),
])
def test_a_line_that_starts_with_a_command_word_is_that_command(line, command, argument):
    parsed = parse_command(line)
    assert parsed is not None and (parsed.command.name, parsed.argument) == (command, argument)


@pytest.mark.parametrize("line", [
    "Help is on the way", "help me with this", "? what do you mean", "Leave it with me", "queue at the bank",
    "my qr code please", "qr codes", "additional fees apply", "finding the report now", "adminstrative fee",
    "查找中", "Hello", "", "   ",
])
def test_words_that_only_look_like_a_command_are_a_message(line):
    assert parse_command(line) is None


def test_a_backslash_sends_the_line_as_written():
    assert as_written("\\find attached the report") == "find attached the report"
    assert as_written("  \\help") == "help"
    assert as_written("\\\\ a backslash") == "\\ a backslash"
    assert as_written("find Chen") is None


def test_command_words_are_unique_and_lower_case():
    words = [w for c in COMMANDS for w in c.words]
    assert len(words) == len(set(words)) and all(w == w.casefold() for w in words)
    assert {c.name for c in COMMANDS if Who.ENABLED not in c.who} == {"help", "admin"}


def test_the_app_offers_each_command_where_it_runs():
    """The manifest's command list of each scope (tools/app_package.py) names exactly the commands
    that run there: a team's channels are the `team` scope."""
    place = {app_package.PERSONAL: PERSONAL, app_package.TEAM: CHANNEL}
    offered = {c.name: {place[s] for s in c.scopes} for c in app_package.COMMANDS}
    assert offered == {c.name: set(c.where) for c in COMMANDS}


def test_the_word_is_given_as_written_for_the_answer_that_names_it():
    assert parse_command("QR Code").word == "qr code" and parse_command("查找 王").word == "查找"
