"""Data-loss prevention on what a guest wrote or said, in whatever push it came: one verdict over all of its
words (core/inbound.py GUEST_WORDS, and a voice note's transcript), so the record keeps the usual shape, and
what each field may show."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable, Mapping

from core.dlp import Verdict

JOIN = "\n"  # between fields: no finding spans two of them unless it spans a line break


@dataclass(frozen=True)
class Checked:
    verdict: Verdict
    shown: dict[str, str]  # field -> its text as DLP lets employees see it (empty when blocked)


async def check_guest_words(words: Mapping[str, str], judge: Callable[[str], Awaitable[Verdict]]) -> Checked | None:
    """The verdict (`judge`: DLP on a text) on the guest's `words` (by field: WeChatInbound.guest_words, a
    voice note's transcript as Recognition), None if there are none. Masking keeps the length, so each
    field's part of the delivered text is where its words were."""
    if not words:
        return None
    verdict = await judge(JOIN.join(words.values()))
    if verdict.delivered is None:
        return Checked(verdict, {})
    shown, at = {}, 0
    for name, text in words.items():
        shown[name] = verdict.delivered[at:at + len(text)]
        at += len(text) + len(JOIN)
    return Checked(verdict, shown)
