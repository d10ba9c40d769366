"""Data-loss prevention: what a message may carry across, per sub-organization and direction. Pure: no I/O.

A sub-organization's `DlpPolicy` is a list of rules. A rule finds spans of a message with one of
three things: a built-in detector (`card`, `cn_id`, `hkid`, `iban`, `phone`, `email`), which checks
what its pattern finds (Luhn, check digits, mod 97, libphonenumber) so that a number that merely
looks right is not reported; a lexicon (English and Chinese terms); or a regular expression. It acts
on the messages of one direction (`inbound`: WeChat guest -> employees, `outbound`: employee -> guest,
or `both`) with one action:

- `block`: not delivered; the sender is told why (`Verdict.reason`), the other side is not.
- `redact`: delivered with each found span masked: every character of it becomes `*`, so the
  delivered text keeps the original's length and the reader sees where and how much was removed,
  and the offsets of the findings hold in both texts.
- `flag`: delivered unchanged; compliance is alerted (`Verdict.flagged`).
- `allow`: an exemption (the firm's own hotline or address): a finding of another rule that lies
  wholly inside a span an allow rule found is dropped. Wholly, not merely overlapping: an allow
  rule can never clear a larger sensitive span it happens to touch.

The strongest action of the rules that found something is the verdict's: block > redact > flag >
allow (nothing found: allow). Every rule that found something acts: a message both redacted and
flagged is delivered masked and compliance is alerted.

The modules, each answering one question:
- `folding`: what text matching sees (invisible characters dropped, full-width forms, Traditional Chinese,
  look-alike letters and Chinese numerals folded) and where each of its characters was;
- `detectors`: what a message holds that is a card, an ID number, an IBAN, a phone number or an
  e-mail address (the precedence on overlaps);
- `expressions`: the firm's lexicons and regular expressions (and how a slow one is kept in check);
- `rules`: a rule, validated; `verdict`: what a policy decides about a message;
- `table`: a sub-organization's `dlp` table (parsed TOML) as its policy, every problem located;
- `delivered`: a record's text as the parties saw it.
This package's names are the API its importers use.
"""
from core.dlp.delivered import NOT_DELIVERED, as_delivered, rule_names
from core.dlp.detectors import (CARD, CN_ID, DEFAULT_PHONE_REGION, DETECTORS, EMAIL, HKID, IBAN, IBAN_LENGTHS,
                                NO_IBAN, PHONE, Finding, Span, card, cn_id, detect, email, hkid, iban, phone)
from core.dlp.expressions import PATTERN_OVERLAP, PATTERN_WINDOW, lexicon_regex
from core.dlp.folding import fold
from core.dlp.rules import (ACTIONS, ALLOW, BLOCK, BOTH, DIRECTIONS, FLAG, INBOUND, LEXICON, OUTBOUND, PATTERN,
                            REDACT, Rule)
from core.dlp.table import dlp_from_mapping
from core.dlp.verdict import MASK, NO_DLP, DlpPolicy, Verdict

__all__ = [
    "ACTIONS", "ALLOW", "BLOCK", "BOTH", "CARD", "CN_ID", "DEFAULT_PHONE_REGION", "DETECTORS", "DIRECTIONS", "EMAIL",
    "FLAG", "HKID", "IBAN", "IBAN_LENGTHS", "INBOUND", "LEXICON", "MASK", "NOT_DELIVERED", "NO_DLP", "NO_IBAN",
    "OUTBOUND", "PATTERN", "PATTERN_OVERLAP", "PATTERN_WINDOW", "PHONE", "REDACT", "DlpPolicy", "Finding", "Rule",
    "Span", "Verdict", "as_delivered", "card", "cn_id", "detect", "dlp_from_mapping", "email", "fold", "hkid", "iban",
    "lexicon_regex", "phone", "rule_names",
]
