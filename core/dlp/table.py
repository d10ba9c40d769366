"""A sub-organization's `dlp` table (parsed TOML) as its `DlpPolicy`, every problem reported with
where it is. Pure."""
from __future__ import annotations

from typing import Any, Mapping

import phonenumbers

from core.dlp.detectors import DEFAULT_PHONE_REGION
from core.dlp.rules import BOTH, Rule, rule_problems
from core.dlp.verdict import NO_DLP, DlpPolicy

_RULE_KEYS = ("name", "detector", "lexicon", "pattern", "direction", "action", "reason")
_DLP_KEYS = ("phone_region", "rules")


def dlp_from_mapping(data: Mapping[str, Any] | None, at: str, problems: list[str]) -> DlpPolicy:
    """A sub-organization's `dlp` table: `{"phone_region"?, "rules": [{"name", "detector" | "lexicon" |
    "pattern", "direction"? (both), "action", "reason"?}]}`. None: no DLP. Every problem is added
    to `problems`, located under `at` (`organizations[0].sub_organizations[1].dlp`); the policy
    returned then holds the rules that were valid (the caller raises)."""
    if data is None:
        return NO_DLP
    if not isinstance(data, Mapping):
        problems.append(f"{at}: must be a table (phone_region, rules)")
        return NO_DLP
    for key in data:
        if key not in _DLP_KEYS:
            problems.append(f"{_at(at, str(key))}: unknown setting (known: {', '.join(_DLP_KEYS)})")
    region = data.get("phone_region", DEFAULT_PHONE_REGION)
    if isinstance(region, str) and region.strip().upper() in phonenumbers.SUPPORTED_REGIONS:
        region = region.strip().upper()
    else:
        problems.append(f"{_at(at, 'phone_region')}: must be a region code libphonenumber knows (e.g. CN, HK, GB), "
                        f"got {region!r}")
        region = DEFAULT_PHONE_REGION
    listed = data.get("rules", [])
    if not isinstance(listed, list):
        problems.append(f"{_at(at, 'rules')}: must be a list of tables")
        listed = []
    rules: list[Rule] = []
    names: dict[str, str] = {}
    for i, raw in enumerate(listed):
        where = _at(at, f"rules[{i}]")
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: must be a table (name, detector | lexicon | pattern, direction, action)")
            continue
        before = len(problems)
        for key in raw:
            if key not in _RULE_KEYS:
                problems.append(f"{where}.{key}: unknown setting (known: {', '.join(_RULE_KEYS)})")
        name = raw.get("name")
        if isinstance(name, str) and name.strip():
            if name in names:
                problems.append(f"{where}.name: {name!r} is used twice (also at {names[name]})")
            else:
                names[name] = f"{where}.name"
        values = dict(name=name, direction=raw.get("direction", BOTH), action=raw.get("action"),
                      detector=raw.get("detector"), lexicon=raw.get("lexicon"), pattern=raw.get("pattern"),
                      reason=raw.get("reason"))
        found = rule_problems(**values)  # a lexicon of [] is one given (and empty), not none
        problems.extend(f"{where}{'.' + part if part else ''}: {problem}" for part, problem in found)
        if len(problems) == before:  # a rule with any problem is left out
            values["lexicon"] = tuple(values["lexicon"] or ())
            rules.append(Rule(**values))
    return DlpPolicy(tuple(rules), region)


def _at(at: str, key: str) -> str:
    return f"{at}.{key}" if at else key

