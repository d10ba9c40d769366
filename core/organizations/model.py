"""Who may talk to WeChat guests, as data: organizations' sub-organizations (their employees, inbox,
conversation settings, texts, rules), the Official Accounts, and the directory that answers who belongs where."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Mapping

from core.conversation_settings import ConversationSettings
from core.dlp import NO_DLP, DlpPolicy
from core.media_rules import MediaRules
from core.notices import Notices
from core.people import Person
from core.pins import PinLimits
from core.threads import Target

if TYPE_CHECKING:  # imported where first needed: its Chinese readings take ~0.4 s to load, which
    # every process reading the organizations (the tools, an app without the routing assistant) would pay
    from core.person_match import Glossary, PeopleIndex

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
    name_zh: str = ""  # its name in Chinese, if the firm gives one: how guests may name it (环球市场部)
    employees: Mapping[str, str] = field(default_factory=dict)  # AAD object id -> display name ("" = Teams')
    inbox: Target | None = None  # the team channel that is its WeChat inbox
    max_participants: int = DEFAULT_MAX_PARTICIPANTS
    attribution: str = DEFAULT_ATTRIBUTION  # how the guest sees who wrote; "" for nothing
    when_last_leaves: str = CLOSE
    conversation: ConversationSettings = field(default_factory=ConversationSettings)
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
    media: MediaRules = field(default_factory=MediaRules)  # which media employees may send guests, how large

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
    # An outside dictionary for the routing assistant (adapters/cedict.py): Chinese words as words, and bridged
    # to English desks. None: the lexicon alone.
    glossary: Glossary | None = field(default=None, compare=False, repr=False)
    _indexes: dict[tuple[str, str], PeopleIndex] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def open(cls, conversation: ConversationSettings = ConversationSettings(), *,
             max_participants: int = DEFAULT_MAX_PARTICIPANTS, recording: bool = True) -> "Directory":
        """No organizations configured: one sub-organization that everyone is in."""
        return cls((SubOrganization(OPEN_ID, "Everyone", OPEN_ID,
                                    conversation=replace(conversation, recorded=recording),
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

    def with_glossary(self, glossary: Glossary) -> "Directory":
        """The same directory whose routing indexes read with `glossary` (built anew)."""
        return replace(self, glossary=glossary, _indexes={})

    def people_index(self, sub: SubOrganization) -> PeopleIndex:
        """Whom the routing assistant may connect a guest who wrote to `sub`'s Official Account
        with: the people of its organization whose sub-organization is on that account."""
        from core.person_match import PeopleIndex

        key = (sub.organization, sub.account)
        if key not in self._indexes:
            subs = {s.id for s in self.sub_organizations
                    if s.organization == sub.organization and s.account == sub.account}
            self._indexes[key] = PeopleIndex((p for p in self.people if p.sub_org in subs),
                                             sub.validation_region or "CN",
                                             {s.id: f"{s.name} {s.name_zh}" for s in self.sub_organizations
                                              if s.id in subs}, self.glossary)
        return self._indexes[key]
