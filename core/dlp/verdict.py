"""What DLP decides about one message: the `DlpPolicy` of a sub-organization evaluates it into a
`Verdict`. Pure.

Every rule that found something acts: a message both redacted and flagged is delivered masked and
compliance is alerted. The strongest action of the rules that found something is the verdict's:
block > redact > flag > allow (nothing found: allow). An allow rule's finding exempts the findings
of other rules that lie wholly inside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import phonenumbers

from core.config_error import ConfigError
from core.dlp.detectors import DEFAULT_PHONE_REGION, Finding, detected
from core.dlp.expressions import lowered, pattern_spans
from core.dlp.folding import numbers, words
from core.dlp.rules import ALLOW, BLOCK, DLP_POLICY, FLAG, INBOUND, OUTBOUND, REDACT, Rule
from core.notices import EN, LANGUAGES, normalize_language

MASK = "*"
_STRENGTH = {ALLOW: 0, FLAG: 1, REDACT: 2, BLOCK: 3}


@dataclass(frozen=True)
class Verdict:
    """What DLP decided about one message: what is delivered (None: blocked), what was found by
    which rule, and (blocked) what the sender is told in each language."""

    action: str  # the strongest action of the rules that acted
    original: str
    delivered: str | None  # None when blocked; redacted spans masked
    direction: str
    findings: tuple[Finding, ...] = ()  # the acting findings, in text order (allow: what exempted)
    rules: tuple[str, ...] = ()  # the rules that acted, in the policy's order
    reasons: Mapping[str, str] = field(default_factory=dict)  # language -> text; empty unless blocked

    @property
    def blocked(self) -> bool:
        return self.action == BLOCK

    @property
    def flagged(self) -> bool:
        """Compliance is to be alerted: a flag rule found something, or something found began in an
        earlier message (part of it got through before), whatever else happened."""
        return any(f.action == FLAG or (f.continued and f.action != ALLOW) for f in self.findings)

    def reason(self, language: str | None = EN) -> str | None:
        """What the sender of a blocked message is told, in their language (English if it is none
        of ours); None when the message was not blocked."""
        return self.reasons.get(normalize_language(language) or EN) if self.reasons else None

    def to_record(self) -> dict[str, Any]:
        """The compliance record's view: the original, what was delivered, the action, the rules
        that acted and what they found (spans of the original and its text there, nothing else)."""
        return {"direction": self.direction, "action": self.action, "original": self.original,
                "delivered": self.delivered, "rules": list(self.rules),
                "findings": [f.to_mapping() for f in self.findings]}


@dataclass(frozen=True)
class DlpPolicy:
    """The DLP rules of one sub-organization, and the region that phone numbers without a country
    code are read in. No rules: every message allowed as it is. Validated when built."""

    rules: tuple[Rule, ...] = ()
    phone_region: str = DEFAULT_PHONE_REGION

    def __post_init__(self) -> None:
        problems = []
        object.__setattr__(self, "rules", tuple(self.rules))
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                problems.append(f"rule {rule.name!r}: the name is used twice")
            seen.add(rule.name)
        if self.phone_region not in phonenumbers.SUPPORTED_REGIONS:
            problems.append(f"phone_region: unknown region {self.phone_region!r} (an ISO 3166 code, e.g. CN, HK)")
        if problems:
            raise ConfigError(problems, DLP_POLICY)

    def acts_on(self, direction: str) -> bool:
        """Whether any rule looks at messages going in `direction`."""
        return any(r.applies(direction) for r in self.rules)

    def evaluate(self, text: str, direction: str, *, before: str = "") -> Verdict:
        """The verdict on a message going in `direction` (inbound or outbound). `before`: the end of what
        the same sender wrote just before (services/dlp_tails.py): what begins there and ends in `text`
        (a card number split over two messages) is found, as a `continued` finding of its part in
        `text`, acted on by its rule and flagged; what lies wholly in `before` was judged then."""
        if direction not in (INBOUND, OUTBOUND):
            raise ValueError(f"direction must be {INBOUND!r} or {OUTBOUND!r}, got {direction!r}")
        rules = [r for r in self.rules if r.applies(direction)]
        if not rules or not text:
            return Verdict(ALLOW, text, text, direction)
        offset = len(before) + len(SPLIT_JOIN) if before else 0
        found = _in_text(self._found(before + SPLIT_JOIN + text if before else text, rules), offset, text)
        allows = [f for f in found if f.action == ALLOW]
        acting: list[Finding] = []
        exempting: set[Finding] = set()
        for finding in found:
            if finding.action == ALLOW:
                continue
            cover = next((a for a in allows if a.start <= finding.start and finding.end <= a.end), None)
            if cover is None:
                acting.append(finding)
            else:
                exempting.add(cover)
        findings = tuple(sorted([*acting, *exempting], key=lambda f: (f.start, f.end, f.rule or "")))
        names = {f.rule for f in findings}
        acted = tuple(r.name for r in rules if r.name in names)
        action = max((f.action for f in acting if f.action is not None), key=_STRENGTH.__getitem__,
                     default=ALLOW)
        if action == BLOCK:
            blocking = [r for r in rules if r.name in {f.rule for f in acting if f.action == BLOCK}]
            return Verdict(BLOCK, text, None, direction, findings, acted,
                           {language: _block_reason(blocking, language) for language in LANGUAGES})
        return Verdict(action, text, _masked(text, [f for f in acting if f.action == REDACT]), direction,
                       findings, acted)


    def _found(self, text: str, rules: list[Rule]) -> list[Finding]:
        """What each rule finds in `text`, quoted as written."""
        as_words, as_numbers = words(text), numbers(text)
        found_by = detected(as_numbers.text, {r.detector for r in rules if r.detector}, self.phone_region)
        # Lexicons are written in lower case (expressions.lexicon_regex); the firm's patterns see the case.
        as_lexicon = lowered(as_words.text) if any(r.lexicon for r in rules) else ""
        found: list[Finding] = []
        for rule in rules:
            view = as_numbers if rule.detector else as_words
            spans = found_by[rule.detector] if rule.detector else \
                pattern_spans(rule.regex, as_lexicon if rule.lexicon else as_words.text)
            found.extend(Finding(rule.kind, s, e, text[s:e], rule.name, rule.action)
                         for s, e in (view.original(*span) for span in spans))
        return found


NO_DLP = DlpPolicy()
SPLIT_JOIN = " "  # between a sender's messages when one may finish what the other began (a separator of numbers)


def _in_text(found: list[Finding], offset: int, text: str) -> list[Finding]:
    """The findings of `before + SPLIT_JOIN + text` as findings of `text` (offset: where it starts): those
    wholly before it dropped, those that began before it cut to their part in it and marked continued."""
    if not offset:
        return found
    kept = []
    for f in found:
        if f.end <= offset:
            continue
        start, end = max(f.start - offset, 0), f.end - offset
        kept.append(replace(f, start=start, end=end, text=text[start:end], continued=f.start < offset))
    return kept


def _masked(text: str, redacted: list[Finding]) -> str:
    if not redacted:
        return text
    chars = list(text)
    for f in redacted:
        chars[f.start:f.end] = MASK * (f.end - f.start)
    return "".join(chars)


def _block_reason(rules: list[Rule], language: str) -> str:
    """'Your message was not sent: it contains a payment card number (rule 'no-cards').'"""
    default = [r.reason_in(language) for r in rules if not r.reason]
    custom = [r.reason_in(language) for r in rules if r.reason]
    if language == EN:
        parts = ([f"it contains {' and '.join(default)}"] if default else []) + custom
        return "Your message was not sent: " + "; ".join(parts) + "."
    parts = (["其中包含" + "、".join(default)] if default else []) + custom
    return "您的消息未发送：" + "；".join(parts) + "。"

