"""A DLP rule: what it looks for (one of a detector, a lexicon or a pattern), the messages it acts
on (a direction), what it does with what it finds (an action), and what a sender it blocked is
told. Validated when built, every problem named. Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from core.config_error import ConfigError
from core.dlp.detectors import CARD, CN_ID, DETECTORS, EMAIL, HKID, IBAN, PHONE
from core.dlp.expressions import lexicon_regex, pattern_problems
from core.notices import EN, LANGUAGES, normalize_language

INBOUND, OUTBOUND, BOTH = "inbound", "outbound", "both"  # inbound: WeChat guest -> employees
DIRECTIONS = (INBOUND, OUTBOUND, BOTH)
ALLOW, REDACT, BLOCK, FLAG = "allow", "redact", "block", "flag"
ACTIONS = (ALLOW, REDACT, BLOCK, FLAG)
LEXICON, PATTERN = "lexicon", "pattern"  # the `detector` of a finding of a lexicon or pattern rule
DLP_POLICY = "data-loss prevention policy"  # what a ConfigError of rules is of

_WHAT = {  # how a reason names what a rule found: English, Simplified Chinese
    CARD: ("a payment card number", "银行卡号"),
    CN_ID: ("a Chinese resident identity card number", "居民身份证号码"),
    HKID: ("a Hong Kong identity card number", "香港身份证号码"),
    IBAN: ("an international bank account number (IBAN)", "国际银行账号（IBAN）"),
    PHONE: ("a phone number", "电话号码"),
    EMAIL: ("an e-mail address", "电子邮件地址"),
    LEXICON: ("a restricted term", "受限制的用语"),
    PATTERN: ("restricted content", "受限制的内容"),
}


@dataclass(frozen=True)
class Rule:
    """Finds spans with exactly one of a detector, a lexicon or a pattern, and acts on them in its
    direction. `reason` (block only) replaces the default explanation to the sender: one text for
    every language, or `{language: text}` in each of them. Validated when built."""

    name: str
    direction: str  # inbound | outbound | both
    action: str  # allow | redact | block | flag
    detector: str | None = None
    lexicon: tuple[str, ...] = ()
    pattern: str | None = None
    reason: str | Mapping[str, str] | None = None
    _regex: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = rule_problems(self.name, self.direction, self.action, self.detector, self.lexicon,
                                 self.pattern, self.reason)
        if problems:
            raise ConfigError([f"rule {self.name!r}: {f'{where}: ' if where else ''}{problem}"
                               for where, problem in problems], DLP_POLICY)
        object.__setattr__(self, "lexicon", tuple(self.lexicon or ()))
        if self.lexicon:
            object.__setattr__(self, "_regex", lexicon_regex(self.lexicon))
        elif self.pattern is not None:
            object.__setattr__(self, "_regex", re.compile(self.pattern))

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled lexicon or pattern (a detector rule has none)."""
        if self._regex is None:
            raise ValueError(f"rule {self.name!r} uses a detector, not an expression")
        return self._regex

    @property
    def kind(self) -> str:
        """What a finding of this rule is: its detector, `lexicon` or `pattern`."""
        return self.detector or (LEXICON if self.lexicon else PATTERN)

    def applies(self, direction: str) -> bool:
        return self.direction in (BOTH, direction)

    def reason_in(self, language: str) -> str:
        """What this rule tells a sender whose message it blocked, without the matched text."""
        custom = self.reason
        if isinstance(custom, Mapping):
            custom = next(text for lang, text in custom.items() if normalize_language(lang) == language)
        if custom:
            return custom.strip().rstrip(".。!！ ")
        what = _WHAT[self.kind][0 if language == EN else 1]
        return f"{what} (rule '{self.name}')" if language == EN else f"{what}（规则“{self.name}”）"


def rule_problems(name: Any, direction: Any, action: Any, detector: Any, lexicon: Any, pattern: Any,
                   reason: Any) -> list[tuple[str, str]]:
    """(where in the rule, what is wrong); where "" is the rule itself."""
    problems: list[tuple[str, str]] = []
    if not isinstance(name, str) or not name.strip():
        problems.append(("name", f"required, a non-empty text (got {name!r})"))
    if direction not in DIRECTIONS:
        problems.append(("direction", f"must be one of {', '.join(DIRECTIONS)}, got {direction!r}"))
    if action not in ACTIONS:
        problems.append(("action", f"must be one of {', '.join(ACTIONS)}, got {action!r}"))
    given = [k for k, v in (("detector", detector), ("lexicon", lexicon), ("pattern", pattern))
             if v is not None and v != ()]
    if len(given) != 1:
        problems.append(("", "needs exactly one of detector, lexicon or pattern, got "
                             + (" and ".join(given) if given else "none")))
    if detector is not None and detector not in DETECTORS:
        problems.append(("detector", f"unknown detector {detector!r} (known: {', '.join(DETECTORS)})"))
    if lexicon is not None and lexicon != ():
        if not isinstance(lexicon, (list, tuple)) or not lexicon:
            problems.append(("lexicon", f"must be a non-empty list of terms, got {lexicon!r}"))
        else:
            for k, term in enumerate(lexicon):
                if not isinstance(term, str) or not term.strip():
                    problems.append((f"lexicon[{k}]", f"must be a non-empty text, got {term!r}"))
    if pattern is not None:
        problems.extend(("pattern", p) for p in pattern_problems(pattern))
    if reason is not None:
        problems.extend(_reason_problems(reason, action))
    return problems


def _reason_problems(reason: Any, action: Any) -> list[tuple[str, str]]:
    if action != BLOCK:
        return [("reason", "only a blocking rule tells the sender why")]
    if isinstance(reason, str):
        return [] if reason.strip() else [("reason", "must not be empty")]
    if not isinstance(reason, Mapping):
        return [("reason", f"must be a text, or a table of texts by language ({', '.join(LANGUAGES)})")]
    problems: list[tuple[str, str]] = []
    seen = set()
    for lang, text in reason.items():
        language = normalize_language(lang) if isinstance(lang, str) else None
        if language is None:
            problems.append((f"reason.{lang}", f"unknown language (known: {', '.join(LANGUAGES)})"))
        elif language in seen:
            problems.append((f"reason.{lang}", "the language is given twice"))
        elif not isinstance(text, str) or not text.strip():
            problems.append((f"reason.{lang}", f"must be a non-empty text, got {text!r}"))
        if language:
            seen.add(language)
    missing = [lang for lang in LANGUAGES if lang not in seen]
    if missing:
        problems.append(("reason", f"missing in {', '.join(missing)} (give it in every language, or one text)"))
    return problems

