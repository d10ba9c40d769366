"""Who may talk to WeChat guests: organizations, their sub-organizations, their employees.

Pure data, built from plain config data (`directory_from_mapping`; reading the file is the
caller's job) and validated when built: every problem is reported at once, each with where it is
(`organizations[0].sub_organizations[1].employees[2].aad`).

A thread belongs to one sub-organization. Only its employees may join the thread; a sub-organization
may have a team channel as its WeChat inbox, and its own messaging policy (over the organization's,
over the deployment's). Without a file everyone is in one sub-organization (`Directory.open`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import phonenumbers
from typing import Any, Mapping

from core.config_error import ConfigError
from core.dlp import NO_DLP, DlpPolicy, dlp_from_mapping
from core.inbound import ORIGINAL_ID
from core.notices import NoticeError, Notices
from core.people import Person
from core.person_match import PeopleIndex
from core.phone import to_e164
from core.pins import PinLimits
from core.policy import Policy
from core.threads import Target

CLOSE, INBOX = "close", "inbox"  # what happens when the last employee leaves a thread
DEFAULT_ACCOUNT = "default"  # the Official Account of the WECHAT_* variables
DEFAULT_ATTRIBUTION = "{name}: "
DEFAULT_MAX_PARTICIPANTS = 5
OPEN_ID = "everyone"
DEFAULT_RETENTION_YEARS = 7  # the longest of the usual rules (SEC 17a-4 and FINRA 4511: 6, MiFID II: 5 to 7)


@dataclass(frozen=True)
class AccountSpec:
    """Another Official Account. Its secrets stay in the environment: the file names the variables."""

    id: str
    name: str
    app_id: str
    app_secret_env: str
    token_env: str
    aes_key_env: str = ""  # unset: plaintext mode
    api_base_url: str = ""  # "": WECHAT_API_BASE_URL (a firm's egress gateway may differ per entity)
    original_id: str = ""  # its original id (gh_…), the ToUserName of its pushes; "": not checked


@dataclass(frozen=True)
class Routing:
    """The routing assistant's settings (`routing = { … }`)."""

    max_failed_turns: int = 3  # turns that find nobody before the guest goes to the inbox
    show_choices: bool = True  # several fit: list them (names, desks) for the guest to pick; False: ask for more


@dataclass(frozen=True)
class SubOrganization:
    id: str
    name: str
    organization: str
    employees: Mapping[str, str] = field(default_factory=dict)  # AAD object id -> display name ("" = Teams')
    inbox: Target | None = None  # the team channel that is its WeChat inbox
    max_participants: int = DEFAULT_MAX_PARTICIPANTS
    attribution: str = DEFAULT_ATTRIBUTION  # how the guest sees who wrote; "" for nothing
    when_last_leaves: str = CLOSE
    policy: Policy = field(default_factory=Policy)
    notices: Notices = field(default_factory=Notices)  # the catalogue with the organization's texts
    account: str = DEFAULT_ACCOUNT  # the Official Account its guests write to
    recording: bool = True  # every message and decision kept in the compliance record (the guest is told)
    dlp: DlpPolicy = NO_DLP  # data-loss prevention rules (the organization's, unless its own)
    retention_years: int = DEFAULT_RETENTION_YEARS  # how long the compliance record is kept
    # Guests validate their phone number before they reach anyone (dialogs/phone_validation/):
    # the region numbers without a country code are read in; None: no validation.
    validation_region: str | None = None
    validation_limits: PinLimits = field(default_factory=PinLimits)  # PIN expiry, cooldown, caps, tries
    phones: Mapping[str, str] = field(default_factory=dict)  # an employee's E.164 number -> aad
    # The routing assistant (dialogs/routing.py) finds whom new guests want, among the people of
    # the organization on the same Official Account; None: new guests go to the inbox (or
    # DEFAULT_TARGET) at once.
    routing: Routing | None = None

    def employee_by_phone(self, e164: str) -> str | None:
        """The employee (aad) a guest reaches by dialling `e164`, if they are one of ours."""
        return self.phones.get(e164)
    everyone: bool = False  # the open directory's one sub-organization

    def has(self, aad: str) -> bool:
        return self.everyone or aad in self.employees

    def attribute(self, author: str, text: str) -> str:
        return self.attribution.replace("{name}", author) + text if author and self.attribution else text


@dataclass(frozen=True)
class Directory:
    sub_organizations: tuple[SubOrganization, ...]
    accounts: tuple[AccountSpec, ...] = ()  # Official Accounts besides the default one
    people: tuple[Person, ...] = ()  # the employee directory files' (core/people.py)
    _indexes: dict[tuple[str, str], PeopleIndex] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def open(cls, policy: Policy = Policy(), *, max_participants: int = DEFAULT_MAX_PARTICIPANTS,
             recording: bool = True) -> "Directory":
        """No organizations configured: one sub-organization that everyone is in."""
        return cls((SubOrganization(OPEN_ID, "Everyone", OPEN_ID, policy=replace(policy, recorded=recording),
                                    everyone=True, max_participants=max_participants, recording=recording),))

    def get(self, sub_org_id: str) -> SubOrganization:
        """The thread's sub-organization; one removed from the file since falls back to the first
        (its threads keep working; who may join follows the file)."""
        for sub in self.sub_organizations:
            if sub.id == sub_org_id:
                return sub
        return self.sub_organizations[0]

    def of_employee(self, aad: str) -> SubOrganization | None:
        return next((s for s in self.sub_organizations if s.has(aad)), None)

    def for_target(self, target: Target) -> SubOrganization | None:
        """Where a thread sent to `target` belongs: the employee's sub-organization, or the one
        whose inbox the channel is."""
        if target.kind == "employee":
            return self.of_employee(target.id)
        return next((s for s in self.sub_organizations if s.inbox == target or s.everyone), None)

    def inbox_of_account(self, account: str) -> Target | None:
        """Where a new guest of another Official Account goes: the inbox of its sub-organization."""
        return next((s.inbox for s in self.sub_organizations if s.account == account and s.inbox), None)

    def account_of(self, aad: str) -> str:
        """The Official Account an employee's QR code belongs to."""
        sub = self.of_employee(aad)
        return sub.account if sub else DEFAULT_ACCOUNT

    def name_of(self, aad: str, fallback: str = "") -> str:
        sub = self.of_employee(aad)
        return (sub.employees.get(aad) if sub else "") or fallback

    def person(self, aad: str) -> Person | None:
        return next((p for p in self.people if p.aad == aad), None)

    def people_index(self, sub: SubOrganization) -> PeopleIndex:
        """Whom the routing assistant may connect a guest who wrote to `sub`'s Official Account
        with: the people of its organization whose sub-organization is on that account."""
        key = (sub.organization, sub.account)
        if key not in self._indexes:
            subs = {s.id for s in self.sub_organizations
                    if s.organization == sub.organization and s.account == sub.account}
            self._indexes[key] = PeopleIndex((p for p in self.people if p.sub_org in subs),
                                             sub.validation_region or "CN")
        return self._indexes[key]


def directory_from_mapping(data: Mapping[str, Any], base_policy: Policy = Policy(),
                           people: Mapping[str, tuple[Person, ...]] | None = None) -> Directory:
    """`{"organizations": [{"id", "name", "policy"?, "people"?, "sub_organizations": [{"id", "name",
    "inbox"?, "max_participants"?, "attribution"?, "when_last_leaves"?, "policy"?, "employees": [{"aad",
    "name"?}]}]}]}`. `people`: each organization's employee directory, read from the file its
    `people` names (the caller reads it): its people are members of their sub-organizations."""
    problems: list[str] = []
    subs: list[SubOrganization] = []
    org_ids: dict[str, str] = {}
    sub_ids: dict[str, str] = {}
    employee_of: dict[str, str] = {}
    _unknown(data, {"organizations", "official_accounts"}, "", problems)
    accounts = _accounts(data.get("official_accounts", []), problems)
    organizations = data.get("organizations")
    if not isinstance(organizations, list) or not organizations:
        raise ConfigError(["organizations: at least one organization is required"], "organizations")
    for i, org in enumerate(organizations):
        where = f"organizations[{i}]"
        if not isinstance(org, Mapping):
            problems.append(f"{where}: must be a table")
            continue
        _unknown(org, {"id", "name", "tenant_id", "policy", "dlp", "retention_years", "phone_validation", "notices",
                       "people", "routing", "sub_organizations"}, where, problems)
        org_id = _ident(org, "id", where, problems)
        _unique(org_id, f"{where}.id", org_ids, problems)
        org_policy = _policy(org.get("policy"), base_policy, f"{where}.policy", problems)
        org_texts = _texts(org.get("notices"), {}, f"{where}.notices", problems)
        org_dlp = dlp_from_mapping(org.get("dlp"), f"{where}.dlp", problems)
        org_years = _years(org, DEFAULT_RETENTION_YEARS, where, problems)
        org_region = _validation_region(org.get("phone_validation"), None, where, problems)
        org_limits = _pin_limits(org.get("phone_validation"), PinLimits(), where, problems)
        org_routing = _routing(org.get("routing"), None, where, problems)
        members = org.get("sub_organizations")
        if not isinstance(members, list) or not members:
            problems.append(f"{where}.sub_organizations: at least one sub-organization is required")
            continue
        for j, sub in enumerate(members):
            at = f"{where}.sub_organizations[{j}]"
            if not isinstance(sub, Mapping):
                problems.append(f"{at}: must be a table")
                continue
            built = _sub_organization(sub, org_id, org_policy, org_texts, org_dlp, org_years, (org_region, org_limits),
                                      org_routing, at, problems)
            _unique(built.id, f"{at}.id", sub_ids, problems)
            for aad in built.employees:
                if aad in employee_of:
                    problems.append(f"{at}.employees: {aad} is already in {employee_of[aad]} "
                                    "(an employee belongs to one sub-organization)")
                employee_of[aad] = built.id
            subs.append(built)
    known = {DEFAULT_ACCOUNT} | {a.id for a in accounts}
    for sub in subs:
        if sub.account not in known:
            problems.append(f"sub-organization {sub.id}: official_account {sub.account!r} is not defined "
                            f"(known: {', '.join(sorted(known))})")
    for account in accounts:
        if account.id not in {s.account for s in subs}:
            problems.append(f"official account {account.id}: no sub-organization uses it")
        elif not any(s.account == account.id and s.inbox for s in subs):
            problems.append(f"official account {account.id}: its sub-organizations need an inbox (where its new "
                            "guests go)")
    inboxes = [s.inbox for s in subs if s.inbox]
    for inbox in {i for i in inboxes if inboxes.count(i) > 1}:
        problems.append(f"inbox {inbox.id} is the inbox of more than one sub-organization")
    everyone: list[Person] = []
    for org_id, listed in (people or {}).items():
        subs, found = _with_people(subs, org_id, listed, problems)
        everyone.extend(found)
    if problems:
        raise ConfigError(problems, "organizations")
    return Directory(tuple(subs), tuple(accounts), tuple(everyone))


def _with_people(subs: list[SubOrganization], org_id: str, people: tuple[Person, ...],
                 problems: list[str]) -> tuple[list[SubOrganization], list[Person]]:
    """The sub-organizations with the people of an organization's directory file as members (the
    file's name and phone over the organizations file's)."""
    ours = {s.id: s for s in subs if s.organization == org_id}
    members: dict[str, list[Person]] = {}
    kept: list[Person] = []
    for person in people:
        if person.sub_org not in ours:
            problems.append(f"organization {org_id}, people: {person.aad}: sub_organization {person.sub_org!r} is not "
                            f"one of its sub-organizations ({', '.join(sorted(ours))})")
            continue
        elsewhere = next((s.id for s in subs if person.aad in s.employees and s.id != person.sub_org), None)
        if elsewhere:
            problems.append(f"organization {org_id}, people: {person.aad} is in {person.sub_org} there and in "
                            f"{elsewhere} in the organizations file (an employee belongs to one sub-organization)")
            continue
        members.setdefault(person.sub_org, []).append(person)
        kept.append(person)
    out = []
    for sub in subs:
        added = members.get(sub.id, []) if sub.organization == org_id else []
        if added:
            employees = {**sub.employees, **{p.aad: p.name for p in added}}
            phones = {**{n: a for n, a in sub.phones.items() if a not in {p.aad for p in added}},
                      **{p.phone: p.aad for p in added if p.phone}}
            sub = replace(sub, employees=employees, phones=phones)
        out.append(sub)
    return out, kept


def _sub_organization(sub: Mapping[str, Any], org_id: str, org_policy: Policy, org_texts: dict[str, dict[str, str]],
                      org_dlp: DlpPolicy, org_years: int, org_validation: tuple[str | None, PinLimits],
                      org_routing: Routing | None, at: str, problems: list[str]) -> SubOrganization:
    org_region, org_limits = org_validation
    _unknown(sub, {"id", "name", "inbox", "max_participants", "attribution", "when_last_leaves", "policy",
                   "notices", "official_account", "recording", "dlp", "retention_years", "phone_validation",
                   "routing", "employees"}, at, problems)
    region = _validation_region(sub["phone_validation"], org_region, at, problems) if "phone_validation" in sub \
        else org_region
    limits = _pin_limits(sub.get("phone_validation"), org_limits, at, problems)
    recording = sub.get("recording", True)
    if not isinstance(recording, bool):
        problems.append(f"{at}.recording: must be true or false, got {recording!r}")
        recording = True
    sub_id = _ident(sub, "id", at, problems)
    inbox = None
    if sub.get("inbox") is not None:
        raw = sub["inbox"]
        if not isinstance(raw, str) or not raw.startswith("19:"):
            problems.append(f"{at}.inbox: must be a team channel id (19:…@thread.tacv2 or @thread.skype), "
                            f"got {raw!r}")
        else:
            inbox = Target("channel", raw)
    max_participants = sub.get("max_participants", DEFAULT_MAX_PARTICIPANTS)
    if isinstance(max_participants, bool) or not isinstance(max_participants, int) or not 1 <= max_participants <= 50:
        problems.append(f"{at}.max_participants: must be a whole number from 1 to 50, got {max_participants!r}")
        max_participants = DEFAULT_MAX_PARTICIPANTS
    attribution = sub.get("attribution", DEFAULT_ATTRIBUTION)
    if not isinstance(attribution, str) or (attribution and "{name}" not in attribution):
        problems.append(f"{at}.attribution: must contain {{name}} (or be empty for none), got {attribution!r}")
        attribution = DEFAULT_ATTRIBUTION
    when = sub.get("when_last_leaves", CLOSE)
    if when not in (CLOSE, INBOX):
        problems.append(f"{at}.when_last_leaves: must be {CLOSE!r} or {INBOX!r}, got {when!r}")
    elif when == INBOX and inbox is None:
        problems.append(f"{at}.when_last_leaves: {INBOX!r} needs an inbox channel")
    employees: dict[str, str] = {}
    phones: dict[str, str] = {}
    listed = sub.get("employees", [])
    if not isinstance(listed, list):
        problems.append(f"{at}.employees: must be a list")
        listed = []
    for k, person in enumerate(listed):
        where = f"{at}.employees[{k}]"
        if not isinstance(person, Mapping):
            problems.append(f"{where}: must be a table with aad (and name)")
            continue
        _unknown(person, {"aad", "name", "email", "phone"}, where, problems)
        aad = person.get("aad")
        if not isinstance(aad, str) or not aad.strip():
            problems.append(f"{where}.aad: required (the employee's Microsoft Entra object id)")
            continue
        if aad in employees:
            problems.append(f"{where}.aad: {aad} is listed twice")
        name = person.get("name", "")
        employees[aad] = name if isinstance(name, str) else ""
        if person.get("phone") is not None:
            e164 = to_e164(person["phone"], region or "CN")
            if e164 is None:
                problems.append(f"{where}.phone: not a phone number: {person['phone']!r}")
            elif e164 in phones:
                problems.append(f"{where}.phone: {e164} is {phones[e164]}'s too")
            else:
                phones[e164] = aad
    return SubOrganization(
        id=sub_id, name=str(sub.get("name") or sub_id), organization=org_id, employees=employees, inbox=inbox,
        max_participants=max_participants, attribution=attribution,
        when_last_leaves=when if when in (CLOSE, INBOX) else CLOSE,
        policy=replace(_policy(sub.get("policy"), org_policy, f"{at}.policy", problems), recorded=recording),
        recording=recording,
        dlp=dlp_from_mapping(sub["dlp"], f"{at}.dlp", problems) if "dlp" in sub else org_dlp,
        retention_years=_years(sub, org_years, at, problems),
        validation_region=region, validation_limits=limits, phones=phones,
        routing=_routing(sub["routing"], org_routing, at, problems) if "routing" in sub else org_routing,
        notices=Notices(_texts(sub.get("notices"), org_texts, f"{at}.notices", problems)),
        account=str(sub.get("official_account") or DEFAULT_ACCOUNT))


_LIMITS = {"pin_minutes": ("expiry_seconds", 60), "resend_cooldown_seconds": ("resend_cooldown_seconds", 1),
           "pins_per_number_per_day": ("per_number_per_day", 1), "pins_per_guest_per_day": ("per_guest_per_day", 1),
           "help_after_seconds": ("help_after_seconds", 1)}


def _pin_limits(value: Any, base: PinLimits, at: str, problems: list[str]) -> PinLimits:
    """The PIN limits a `phone_validation` table sets over `base` (the organization's)."""
    if not isinstance(value, Mapping):
        return base
    _unknown(value, {"region", *_LIMITS}, f"{at}.phone_validation", problems)
    changes = {}
    for key, (field_name, unit) in _LIMITS.items():
        if key in value:
            raw = value[key]
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
                problems.append(f"{at}.phone_validation.{key}: must be a whole number above 0, got {raw!r}")
            else:
                changes[field_name] = raw * unit
    return replace(base, **changes)


def _validation_region(value: Any, default: str | None, at: str, problems: list[str]) -> str | None:
    """`phone_validation`: false, true (numbers read as China's), or `{ region = "HK", … }`; absent: `default`."""
    if value is None:
        return default
    if value is False:
        return None
    if value is True:
        return default or "CN"
    region = value.get("region", default or "CN") if isinstance(value, Mapping) else None
    if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        problems.append(f"{at}.phone_validation: true, false or {{ region = \"HK\" }} (an ISO 3166 region), "
                        f"got {value!r}")
        return default
    return region.upper()


def _routing(value: Any, default: Routing | None, at: str, problems: list[str]) -> Routing | None:
    """`routing`: false, true, or `{ max_failed_turns = 3, show_choices = true }`; absent: `default`."""
    if value is None:
        return default
    if value is False:
        return None
    base = default or Routing()
    if value is True:
        return base
    if not isinstance(value, Mapping):
        problems.append(f"{at}.routing: true, false or {{ max_failed_turns = 3, show_choices = true }}, got {value!r}")
        return default
    _unknown(value, {"max_failed_turns", "show_choices"}, f"{at}.routing", problems)
    turns = value.get("max_failed_turns", base.max_failed_turns)
    if isinstance(turns, bool) or not isinstance(turns, int) or not 1 <= turns <= 10:
        problems.append(f"{at}.routing.max_failed_turns: a whole number from 1 to 10, got {turns!r}")
        turns = base.max_failed_turns
    choices = value.get("show_choices", base.show_choices)
    if not isinstance(choices, bool):
        problems.append(f"{at}.routing.show_choices: true or false, got {choices!r}")
        choices = base.show_choices
    return Routing(turns, choices)


def _years(table: Mapping[str, Any], default: int, at: str, problems: list[str]) -> int:
    years = table.get("retention_years", default)
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 100:
        problems.append(f"{at}.retention_years: must be a whole number of years from 1 to 100, got {years!r}")
        return default
    return years


def _policy(data: Any, base: Policy, where: str, problems: list[str]) -> Policy:
    if data is None:
        return base
    if not isinstance(data, Mapping):
        problems.append(f"{where}: must be a table")
        return base
    values = dict(data)
    for key in ("window_hours", "warning_hours"):  # hours in the file, as in the environment
        if key in values:
            hours = values.pop(key)
            target = "window_seconds" if key == "window_hours" else "warning_after_seconds"
            values[target] = hours * 3600 if isinstance(hours, (int, float)) and not isinstance(hours, bool) else hours
    merged = {f: getattr(base, f) for f in Policy.__dataclass_fields__}
    try:
        return Policy.from_mapping({**merged, **values})
    except ConfigError as exc:
        problems.extend(f"{where}.{p}" for p in exc.problems)
        return base


_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_APP_ID = re.compile(r"wx[0-9A-Za-z]{16}")


def _accounts(data: Any, problems: list[str]) -> list[AccountSpec]:
    if not isinstance(data, list):
        problems.append("official_accounts: must be a list of tables")
        return []
    accounts: list[AccountSpec] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(data):
        where = f"official_accounts[{i}]"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: must be a table")
            continue
        _unknown(raw, {"id", "name", "app_id", "app_secret_env", "token_env", "encoding_aes_key_env",
                       "api_base_url", "original_id"}, where, problems)
        ident = _ident(raw, "id", where, problems)
        if ident == DEFAULT_ACCOUNT:
            problems.append(f"{where}.id: {DEFAULT_ACCOUNT!r} is the account of the WECHAT_* variables")
        _unique(ident, f"{where}.id", seen, problems)
        app_id = raw.get("app_id")
        if not isinstance(app_id, str) or not _APP_ID.fullmatch(app_id):
            problems.append(f"{where}.app_id: must be the Official Account's AppID (wx and 16 letters or digits), "
                            f"got {app_id!r}")
        names = {}
        for key, required in (("app_secret_env", True), ("token_env", True), ("encoding_aes_key_env", False)):
            value = raw.get(key, "")
            if (value or required) and not (isinstance(value, str) and _ENV_NAME.fullmatch(value)):
                problems.append(f"{where}.{key}: the name of the environment variable that holds it "
                                f"(capitals, digits, _), got {value!r}")
            names[key] = value if isinstance(value, str) else ""
        base = raw.get("api_base_url", "")
        if base and not (isinstance(base, str) and base.startswith(("https://", "http://"))):
            problems.append(f"{where}.api_base_url: must be an http(s) URL, got {base!r}")
        original_id = raw.get("original_id", "")
        if original_id and not (isinstance(original_id, str) and ORIGINAL_ID.fullmatch(original_id)):
            problems.append(f"{where}.original_id: the account's original id (gh_ and letters or digits), "
                            f"got {original_id!r}")
        accounts.append(AccountSpec(ident, str(raw.get("name") or ident), str(app_id), names["app_secret_env"],
                                    names["token_env"], names["encoding_aes_key_env"], str(base or ""),
                                    str(original_id or "")))
    return accounts


def _texts(data: Any, base: dict[str, dict[str, str]], where: str, problems: list[str]) -> dict[str, dict[str, str]]:
    """Notice texts `{key: {language: text}}` over `base` (the organization's); `base` alone if they
    are not valid (and every problem reported)."""
    if data is None:
        return base
    if not isinstance(data, Mapping):
        problems.append(f"{where}: must be a table of notice texts, {{key: {{language: text}}}}")
        return base
    merged = {key: dict(texts) for key, texts in base.items()}
    for key, texts in data.items():
        merged[key] = {**merged.get(key, {}), **texts} if isinstance(texts, Mapping) else texts
    try:
        Notices(merged)
    except NoticeError as exc:
        problems.extend(f"{where}.{line.strip()}" for line in str(exc).splitlines()[1:])
        return base
    return merged


def _ident(data: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip() or any(c in value for c in "/\\?#:"):
        problems.append(f"{where}.{key}: required, without / \\ ? # or : (got {value!r})")
        return f"invalid-{where}"
    return value


def _unique(ident: str, where: str, seen: dict[str, str], problems: list[str]) -> None:
    if ident in seen:
        problems.append(f"{where}: {ident!r} is used twice (also at {seen[ident]})")
    seen[ident] = where


def _unknown(data: Mapping[str, Any], known: set[str], where: str, problems: list[str]) -> None:
    for key in data:
        if key not in known:
            problems.append(f"{where + '.' if where else ''}{key}: unknown setting (known: {', '.join(sorted(known))})")

