"""The routing assistant: a new WeChat guest says whom they want, in their own words, and is
connected with that employee. A pure decision core:

`decide_routing(state, event, index, settings, notices) -> RoutingDecision`: no I/O, no clock.

A conversation, not a form (the seeds: "it asks the user questions to determine the desired
employee contact … tries to guide the user … leaves the conversation once the parties are
connected"):
- one certain match (core/person_match/) -> `ConnectRoutedGuest` (the caller says the one-line "connected
  with …" through the conversation's policy, so WeChat's quota counts it);
- several -> a numbered choice ("reply 1 or 2"); the answer is a number (1, ①, 第一个, "first"),
  or words that single one out ("the one in insurance"), or a new name (matched afresh);
- one uncertain (a Chinese name that only sounds right) -> the same choice, of one;
- nobody -> a guided question; a guest's first message that names nobody ("hi") is simply
  asked whom they want, without counting as a failed turn;
- after `max_failed_turns` turns that found nobody -> `ToInbox`: the sub-organization's inbox,
  with what the guest wrote.
At most one message to the guest per message of theirs: the assistant answers, it never chats on.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Union

from core.notices import EN, ZH_CN, Notices, normalize_language
from core.person_match import CHOOSE, CONNECT, NARROW, Candidate, PeopleIndex, Verdict, verdict

START, ASK, CHOOSING, CONNECTED, TO_INBOX = "start", "ask", "choosing", "connected", "to_inbox"
FINISHED = (CONNECTED, TO_INBOX)
TRANSCRIPT_KEPT = 20  # guest messages kept for the employee (the record keeps them all)
TEXT_KEPT = 1000  # characters of each

_ORDINALS = {
    "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "①": 1, "②": 2, "③": 3, "④": 4, "⑤": 5,
}
_CHOICE = re.compile(r"^(?:the\s+)?(?:no\.?|number|#|第|选|选择|选第)?\s*"
                     r"([1-5一二两三四五①②③④⑤]|one|two|three|four|five|first|second|third|fourth|fifth)\s*(?:号|个|位|st|nd|rd|th|one|please|thanks|吧|谢谢)?$")
_YES = {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "correct", "right", "是", "是的", "对", "对的", "好", "好的",
        "嗯", "没错"}
_NO = {"no", "n", "nope", "neither", "none", "none of them", "not them", "不是", "都不是", "不对", "不", "没有"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_GREETINGS = {"hi", "hello", "hey", "hallo", "hi there", "hello there", "good morning", "good afternoon",
              "good evening", "morning", "你好", "您好", "嗨", "哈喽", "哈啰", "在吗", "在么", "在嗎", "有人吗",
              "早上好", "下午好", "晚上好", "早", "喂", "你好在吗", "您好在吗", "hello在吗", "hi在吗"}
MAX_NOTED = 5  # candidates noted in the record per turn


@dataclass(frozen=True)
class RoutingSettings:
    max_failed_turns: int = 3  # turns that found nobody before the guest goes to the inbox
    show_choices: bool = True  # several fit: a numbered choice; False: the guest is asked for more (names stay ours)


@dataclass(frozen=True)
class RoutingState:
    step: str = START
    language: str = ""  # the guest's: en | zh-CN ("" until known)
    failed: int = 0  # turns that found nobody (or too many)
    choices: tuple[str, ...] = ()  # the aads offered, in their numbers' order
    transcript: tuple[str, ...] = ()  # what the guest wrote, for the employee who gets them
    connected_to: str = ""  # the aad, once connected

    def to_body(self) -> dict[str, Any]:
        return {"step": self.step, "language": self.language, "failed": self.failed, "choices": list(self.choices),
                "transcript": list(self.transcript), "connected_to": self.connected_to}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "RoutingState":
        return cls(step=body["step"], language=body.get("language", ""), failed=body.get("failed", 0),
                   choices=tuple(body.get("choices", ())), transcript=tuple(body.get("transcript", ())),
                   connected_to=body.get("connected_to", ""))


@dataclass(frozen=True)
class GuestSays:
    text: str
    language: str | None = None  # WeChat's, when known (zh_CN, en …)


@dataclass(frozen=True)
class Reply:
    """A message to the guest (counts against WeChat's quota)."""

    notice_key: str
    text: str


@dataclass(frozen=True)
class ConnectRoutedGuest:
    """Connect the guest with this employee; `text`: the assistant's last words to the guest."""

    aad: str
    name: str
    how: str  # what identified them: "name", "email", "phone", "desk", "chosen" …
    text: str


@dataclass(frozen=True)
class ToInbox:
    """Nobody found: the guest goes to the sub-organization's inbox; `text`: the last words."""

    text: str


@dataclass(frozen=True)
class Note:
    """A line for the compliance record: what the assistant understood."""

    fields: Mapping[str, Any]


RoutingCommand = Union[Reply, ConnectRoutedGuest, ToInbox, Note]


@dataclass(frozen=True)
class RoutingDecision:
    state: RoutingState
    commands: tuple[RoutingCommand, ...] = field(default_factory=tuple)


def guess_language(text: str) -> str:
    return ZH_CN if _CJK.search(text) else EN


def decide_routing(state: RoutingState, event: GuestSays, index: PeopleIndex, settings: RoutingSettings,
                   notices: Notices) -> RoutingDecision:
    if state.step in FINISHED:
        return RoutingDecision(state)
    text = event.text.strip()
    language = normalize_language(event.language) or state.language or guess_language(text)
    said = (text[:TEXT_KEPT],) if text else ()
    state = replace(state, language=language, transcript=(state.transcript + said)[-TRANSCRIPT_KEPT:])
    run = _Run(state, index, settings, notices)
    if state.step == CHOOSING and run.choose(text):
        return run.decision()
    run.find(text)
    return run.decision()


class _Run:
    def __init__(self, state: RoutingState, index: PeopleIndex, settings: RoutingSettings, notices: Notices) -> None:
        self.s = state
        self.index = index
        self.settings = settings
        self.notices = notices
        self.commands: list[RoutingCommand] = []

    def decision(self) -> RoutingDecision:
        return RoutingDecision(self.s, tuple(self.commands))

    def say(self, key: str, **params: Any) -> str:
        return self.notices.render(key, self.s.language, **params)

    def choose(self, text: str) -> bool:
        """The guest's answer to a numbered choice; False: not an answer (matched afresh)."""
        folded = unicodedata.normalize("NFKC", text).strip().lower().strip(" .!?,;:。！？，；：")
        match = _CHOICE.match(folded)
        number = _ORDINALS[match.group(1)] if match else None
        if number is None and folded in _YES and len(self.s.choices) == 1:
            number = 1
        if number is not None and 1 <= number <= len(self.s.choices):
            aad = self.s.choices[number - 1]
            person = next((e.person for e in self.index.entries if e.person.aad == aad), None)
            if person is not None:
                self.connect(Candidate(person, 0, "chosen", True))
                return True
        if folded in _NO:
            self.not_found()
            return True
        narrowed = verdict(self.index.rank(text, within=self.s.choices))
        if narrowed.kind == CONNECT:
            self.connect(replace(narrowed.candidates[0], how="chosen"))
            return True
        return False

    def find(self, text: str) -> None:
        left_out: list[tuple[str, str]] = []
        ranked = self.index.rank(text, left_out=left_out)
        v = verdict(ranked)
        self.commands.append(Note(_understood(v, left_out)))
        if v.kind == CONNECT:
            self.connect(v.candidates[0])
        elif v.kind == CHOOSE and self.settings.show_choices:
            self.offer(v.candidates)
        elif v.kind == CHOOSE:  # colleagues' names are not listed to a stranger: asked for more
            self.failed("routing_narrow") if len(v.candidates) > 1 else self.not_found()
        elif v.kind == NARROW:
            self.failed("routing_narrow")
        elif self.s.step == START or (self.s.failed == 0 and _greeting(text)):
            asked = self.s.step != START  # a first message, or a greeting: ask whom they want
            self.s = replace(self.s, step=ASK)
            self.reply("routing_ask_again" if asked else "routing_ask")
        else:
            self.not_found()

    def offer(self, candidates: tuple[Candidate, ...]) -> None:
        lines = "\n".join(f"{i}. {_shown(c)}" for i, c in enumerate(candidates, 1))
        numbers = [str(i) for i in range(1, len(candidates) + 1)]
        joiner = ("、", " 或 ") if self.s.language == ZH_CN else (", ", " or ")
        spoken = numbers[0] if len(numbers) == 1 else joiner[0].join(numbers[:-1]) + joiner[1] + numbers[-1]
        self.s = replace(self.s, step=CHOOSING, choices=tuple(c.person.aad for c in candidates))
        self.reply("routing_choose", choices=lines, numbers=spoken)

    def not_found(self) -> None:
        left = self.settings.max_failed_turns - self.s.failed - 1
        self.failed("routing_not_found_last" if left == 1 else "routing_not_found")

    def failed(self, key: str) -> None:
        self.s = replace(self.s, failed=self.s.failed + 1, step=ASK, choices=())
        if self.s.failed >= self.settings.max_failed_turns:
            self.s = replace(self.s, step=TO_INBOX)
            self.commands.append(ToInbox(self.say("routing_to_inbox")))
        else:
            self.reply(key)

    def connect(self, c: Candidate) -> None:
        self.s = replace(self.s, step=CONNECTED, choices=(), connected_to=c.person.aad)
        self.commands.append(ConnectRoutedGuest(c.person.aad, c.person.display, c.how,
                                     self.say("routing_connected", name=c.person.display)))

    def reply(self, key: str, **params: Any) -> None:
        self.commands.append(Reply(key, self.say(key, **params)))


def _understood(v: Verdict, left_out: list[tuple[str, str]]) -> dict[str, Any]:
    """For the record: how each was found, what of their desk fits, whom the guest named as someone else."""
    fields: dict[str, Any] = {"understood": v.kind, "candidates": [
        {"aad": c.person.aad, "how": c.how, "score": c.score, **({"evidence": list(c.evidence)} if c.evidence else {})}
        for c in v.candidates[:MAX_NOTED]]}
    if left_out:
        fields["left_out"] = [{"aad": aad, "named_as": part} for aad, part in left_out]
    return fields


def _greeting(text: str) -> bool:
    """Hello, 你好, 在吗 … and nothing else (punctuation and emoji aside)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    words = re.sub(r"[^\w\s]", " ", folded).split()
    return " ".join(words) in _GREETINGS or "".join(words) in _GREETINGS


def _shown(c: Candidate) -> str:
    """A choice as the guest reads it: the name, and the desk that tells namesakes apart."""
    desk = f" – {c.person.desk[0]}" if c.person.desk else ""
    return f"{c.person.display}{desk}"
