"""The people a WeChat guest may ask for: the employee directory an organization's admin maintains
(a CSV or JSON file, named by the organizations file), for the routing assistant and the contacts.

Pure: `people_from_text(text, fmt, where, region)` reads the file's text, validates every row and
reports every problem at once, each with its line (`people.csv:12: phone: not a phone number`). A
phone that is not a number is left out of a row otherwise good, and reported as a warning: one
unusual number (libphonenumber's metadata lags behind new ranges) does not refuse the whole file.

CSV: UTF-8, a header row, these columns in any order (only `aad`, `name` and `sub_organization`
required); lists are `;`-separated. JSON: an array of objects with the same keys, lists as arrays.

| column             | what                                                                          |
|--------------------|-------------------------------------------------------------------------------|
| aad                | the employee's Microsoft Entra object id                                      |
| name               | the name in Latin script, given name first: `Alice Wong`, `Wei Zhang`          |
| name_zh            | the name in Chinese characters: `王嘉欣`                                        |
| aliases            | other names: nickname, another romanisation (`Ally;Wong Ka Yan`)              |
| email              | the account e-mail                                                            |
| notify_email       | where the employee is told of a new guest by e-mail (optional)                |
| phone              | the work phone, any format (a country code, or the region's)                  |
| sub_organization   | the id of the sub-organization (organizations file) they belong to            |
| desk               | role or desk, phrases: `Mortgage advisor;Home loans`                          |
| desk_zh            | the desk in Chinese, where the firm gives it: `按揭顾问;房贷`                    |
| languages          | `en`, `zh` (Mandarin), `yue` (Cantonese) …                                     |
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from core.config_error import ConfigError
from core.phone import regions_reading, to_e164

COLUMNS = ("aad", "name", "name_zh", "aliases", "email", "notify_email", "phone", "sub_organization", "desk",
           "languages", "desk_zh")
REQUIRED = ("aad", "name", "sub_organization")
LISTS = ("aliases", "desk", "languages", "desk_zh")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Person:
    aad: str
    name: str
    sub_org: str
    name_zh: str = ""
    aliases: tuple[str, ...] = ()
    email: str = ""
    notify_email: str = ""
    phone: str = ""  # E.164
    desk: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    desk_zh: tuple[str, ...] = ()  # the desk in Chinese, where the firm gives it: 保险部;按揭

    @property
    def display(self) -> str:
        """How guests and colleagues see them: `Alice Wong 王嘉欣`."""
        return f"{self.name} {self.name_zh}".strip()


def people_from_text(text: str, fmt: str, where: str, region: str = "CN",
                     warnings: list[str] | None = None) -> tuple[Person, ...]:
    """The people in a directory file's text (`fmt`: "csv" or "json"; `where`: its name for the
    errors; `region`: how phone numbers without a country code are read; `warnings`: gets what was
    left out, each with its line; they are among the problems too when the file is refused)."""
    problems: list[str] = []
    left_out: list[str] = []
    rows = _csv_rows(text, where, problems) if fmt == "csv" else _json_rows(text, where, problems)
    people: list[Person] = []
    seen: dict[str, str] = {}
    phones: dict[str, str] = {}
    for at, row in rows:
        person = _person(row, at, region, problems, left_out)
        if person is None:
            continue
        if person.aad in seen:
            problems.append(f"{at}: aad {person.aad} is also at {seen[person.aad]}")
        seen[person.aad] = at
        if person.phone and person.phone in phones:
            problems.append(f"{at}: phone {person.phone} is also at {phones[person.phone]}")
        phones.setdefault(person.phone, at)
        people.append(person)
    if problems:
        raise ConfigError(sorted([*problems, *left_out], key=_line_order), "employee directory")
    if warnings is not None:
        warnings.extend(left_out)
    return tuple(people)


def _line_order(problem: str) -> tuple[int, ...]:
    """people.csv:3: … before people.csv:12: …, people.json[2] before people.json[10]."""
    return tuple(int(n) for n in re.findall(r"(?<=[:\[])(\d+)(?=[:\]])", problem.split(" ")[0])[:1])


def _csv_rows(text: str, where: str, problems: list[str]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel writes a byte-order mark
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown:
        problems.append(f"{where}:1: unknown column(s) {', '.join(unknown)} (known: {', '.join(COLUMNS)})")
    if missing:
        problems.append(f"{where}:1: missing column(s) {', '.join(missing)}")
        return []
    rows = []
    try:
        while True:
            line = reader.line_num + 1  # where the row starts (a quoted field may span lines)
            row = next(reader, None)
            if row is None:
                break
            if None in row:
                problems.append(f"{where}:{line}: more fields than columns")
            rows.append((f"{where}:{line}", {k: v for k, v in row.items() if k is not None}))
    except csv.Error as exc:
        problems.append(f"{where}:{reader.line_num}: {exc}")
    return [(at, row) for at, row in rows if any((v or "").strip() for v in row.values())]


def _json_rows(text: str, where: str, problems: list[str]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(f"{where}:{exc.lineno}: not JSON: {exc.msg}")
        return []
    if not isinstance(data, list):
        problems.append(f"{where}: must be an array of people")
        return []
    rows = []
    for i, row in enumerate(data):
        at = f"{where}[{i}]"
        if not isinstance(row, Mapping):
            problems.append(f"{at}: must be an object")
            continue
        unknown = [k for k in row if k not in COLUMNS]
        if unknown:
            problems.append(f"{at}: unknown key(s) {', '.join(unknown)} (known: {', '.join(COLUMNS)})")
        rows.append((at, row))
    return rows


def _list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value or "").split(";")
    return tuple(s for s in (str(i).strip() for i in items) if s)


# Where a number written without its country code may be from, if not the region's (a Hong Kong work phone, 8 digits,
# read as a mainland one is no number).
_NEARBY = ("HK", "CN", "MO", "TW", "SG", "MY")


def _person(row: Mapping[str, Any], at: str, region: str, problems: list[str],
            left_out: list[str]) -> Person | None:
    values = {k: str(row.get(k) or "").strip() for k in COLUMNS if k not in LISTS}
    lists = {k: _list(row.get(k)) for k in LISTS}
    before = len(problems)
    for key in REQUIRED:
        if not values[key]:
            problems.append(f"{at}: {key}: required")
    for key in ("email", "notify_email"):
        if values[key] and not _EMAIL.fullmatch(values[key]):
            problems.append(f"{at}: {key}: not an e-mail address: {values[key]!r}")
    if values["name_zh"] and not _CJK.search(values["name_zh"]):
        problems.append(f"{at}: name_zh: no Chinese characters in {values['name_zh']!r}")
    phone = ""
    if values["phone"]:
        phone = to_e164(values["phone"], region) or ""
        if not phone:
            elsewhere = regions_reading(values["phone"], [r for r in _NEARBY if r != region])
            hint = f" (a number in {', '.join(elsewhere)}: write its country code, or set the organization's " \
                   f"phone_validation region)" if elsewhere else ""
            left_out.append(f"{at}: phone: not a phone number: {values['phone']!r}{hint}")
    if len(problems) > before:
        return None
    return Person(aad=values["aad"], name=values["name"], sub_org=values["sub_organization"],
                  name_zh=values["name_zh"], aliases=lists["aliases"], email=values["email"].lower(),
                  notify_email=values["notify_email"].lower(), phone=phone, desk=lists["desk"],
                  languages=lists["languages"], desk_zh=lists["desk_zh"])
