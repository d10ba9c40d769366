"""The directory built from the organizations file's data: every organization and sub-organization
read, what they share inherited, and every problem reported at once, each with where it is."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from core.config_error import ConfigError
from core.dlp import DlpPolicy, dlp_from_mapping
from core.media_rules import MediaRules, media_rules_from
from core.notices import Notices
from core.organizations import read
from core.organizations.model import (CLOSE, DEFAULT_ACCOUNT, DEFAULT_ATTRIBUTION, DEFAULT_MAX_PARTICIPANTS,
                                      DEFAULT_RETENTION_YEARS, INBOX, Directory, Routing, SubOrganization)
from core.people import Person
from core.phone import to_e164
from core.pins import PinLimits
from core.conversation_settings import ConversationSettings
from core.threads import Target


def directory_from_mapping(data: Mapping[str, Any], base_settings: ConversationSettings = ConversationSettings(),
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
    read.unknown(data, {"organizations", "official_accounts"}, "", problems)
    accounts = read.accounts(data.get("official_accounts", []), problems)
    organizations = data.get("organizations")
    if not isinstance(organizations, list) or not organizations:
        raise ConfigError(["organizations: at least one organization is required"], "organizations")
    for where, org in read.tables(organizations, "organizations", problems):
        read.unknown(org, {"id", "name", "tenant_id", "policy", "dlp", "retention_years", "phone_validation",
                           "notices", "people", "routing", "media", "sub_organizations"}, where, problems)
        org_id = read.ident(org, "id", where, problems)
        read.unique(org_id, f"{where}.id", org_ids, problems)
        org_settings = read.conversation_settings(org.get("policy"), base_settings, f"{where}.policy", problems)
        org_texts = read.texts(org.get("notices"), {}, f"{where}.notices", problems)
        org_dlp = dlp_from_mapping(org.get("dlp"), f"{where}.dlp", problems)
        org_years = read.years(org, DEFAULT_RETENTION_YEARS, where, problems)
        org_region = read.validation_region(org.get("phone_validation"), None, where, problems)
        org_limits = read.pin_limits(org.get("phone_validation"), PinLimits(), where, problems)
        org_routing = read.routing(org.get("routing"), None, where, problems)
        org_media = media_rules_from(org.get("media"), MediaRules(), f"{where}.media", problems)
        members = org.get("sub_organizations")
        if not isinstance(members, list) or not members:
            problems.append(f"{where}.sub_organizations: at least one sub-organization is required")
            continue
        for at, table in read.tables(members, f"{where}.sub_organizations", problems):
            built = _sub_organization(table, org_id, org_settings, org_texts, org_dlp, org_years,
                                      (org_region, org_limits), org_routing, at, problems)
            built = replace(built, media=media_rules_from(table.get("media"), org_media, f"{at}.media", problems))
            read.unique(built.id, f"{at}.id", sub_ids, problems)
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


def _sub_organization(sub: Mapping[str, Any], org_id: str, org_settings: ConversationSettings,
                      org_texts: dict[str, dict[str, str]],
                      org_dlp: DlpPolicy, org_years: int, org_validation: tuple[str | None, PinLimits],
                      org_routing: Routing | None, at: str, problems: list[str]) -> SubOrganization:
    org_region, org_limits = org_validation
    read.unknown(sub, {"id", "name", "name_zh", "inbox", "max_participants", "attribution", "when_last_leaves",
                       "policy", "notices", "official_account", "recording", "dlp", "retention_years",
                       "phone_validation", "routing", "media", "employees"}, at, problems)
    region = read.validation_region(sub["phone_validation"], org_region, at, problems) if "phone_validation" in sub \
        else org_region
    limits = read.pin_limits(sub.get("phone_validation"), org_limits, at, problems)
    recording = sub.get("recording", True)
    if not isinstance(recording, bool):
        problems.append(f"{at}.recording: must be true or false, got {recording!r}")
        recording = True
    sub_id = read.ident(sub, "id", at, problems)
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
    for where, person in read.tables(listed, f"{at}.employees", problems, "a table with aad (and name)"):
        read.unknown(person, {"aad", "name", "email", "phone"}, where, problems)
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
        id=sub_id, name=str(sub.get("name") or sub_id), name_zh=str(sub.get("name_zh") or ""),
        organization=org_id, employees=employees, inbox=inbox,
        max_participants=max_participants, attribution=attribution,
        when_last_leaves=when if when in (CLOSE, INBOX) else CLOSE,
        conversation=replace(read.conversation_settings(sub.get("policy"), org_settings, f"{at}.policy", problems),
                             recorded=recording),
        recording=recording,
        dlp=dlp_from_mapping(sub["dlp"], f"{at}.dlp", problems) if "dlp" in sub else org_dlp,
        retention_years=read.years(sub, org_years, at, problems),
        validation_region=region, validation_limits=limits, phones=phones,
        routing=read.routing(sub["routing"], org_routing, at, problems) if "routing" in sub else org_routing,
        notices=Notices(read.texts(sub.get("notices"), org_texts, f"{at}.notices", problems)),
        account=str(sub.get("official_account") or DEFAULT_ACCOUNT))
