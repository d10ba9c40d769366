"""Threads: one WeChat guest and who answers them in Teams. Pure data and decisions."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from core.conversation_policy import PolicyState

EMPLOYEE_SCENE_PREFIX = "emp_"


@dataclass(frozen=True)
class Target:
    """Who answers a guest: an employee (personal chat) or a team channel (its own thread per guest)."""

    kind: str  # "employee" | "channel"
    id: str  # the employee's AAD object id, or the channel id

    @classmethod
    def parse(cls, text: str) -> "Target":
        kind, _, ident = text.partition(":")
        if kind not in ("employee", "channel") or not ident:
            raise ValueError(f"not a target: {text!r}")
        return cls(kind, ident)

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Participant:
    """An employee in a thread: their AAD object id and the name the guest sees."""

    aad: str
    name: str = ""


@dataclass(frozen=True)
class Thread:
    openid: str
    target: Target
    account: str = "default"  # the Official Account the guest follows (openids are per account)
    status: str = "open"  # open | closed
    nickname: str = ""
    language: str = ""  # the guest's WeChat language (user info), e.g. zh_CN, en
    source: str = "default"  # how it was assigned: qr | default
    teams_conversation_id: str = ""  # where its messages are posted (set once delivered)
    created_at: float = 0.0
    # Stored together under "extra" (see EXTRA); None: not known, and not stored.
    reference: dict[str, Any] | None = None  # a channel thread's Teams conversation reference (once started)
    status_activity_id: str | None = None  # the live card in Teams (cleared with each new assignment)
    returns_to: Target | None = None  # where the thread goes once its last employee left (a sub-organization's inbox)
    connected_by: str | None = None  # the event id of the dialog's connection that last assigned it
    validated_phone: str | None = None  # the number the guest validated (stored with validated_at)
    validated_at: float | None = None
    unread_extra: dict[str, Any] = field(default_factory=dict)  # keys of "extra" an earlier version wrote: kept
    policy: PolicyState = PolicyState()  # WeChat's window, quota and queue for this guest
    outbox: tuple[dict[str, Any], ...] = ()  # the last decision's commands, as jobs to start
    outbox_seq: int = 0
    applied: tuple[str, ...] = ()  # ids of the latest events decided (a re-run is recognised)
    participants: tuple[Participant, ...] = ()  # the employees speaking with the guest
    sub_org: str = ""  # the sub-organization the thread belongs to (who may join, its policy)
    generation: int = 0  # +1 at every new assignment: a card from an earlier one is stale

    @property
    def label(self) -> str:
        """How employees see the guest: the nickname, or a stable short tag of the openid."""
        return self.nickname or f"WeChat user …{self.openid[-6:]}"

    @property
    def last_guest_message_at(self) -> float:
        return self.policy.last_guest_message_at or 0.0

    def participant(self, aad: str) -> Participant | None:
        return next((p for p in self.participants if p.aad == aad), None)

    def with_participant(self, person: Participant) -> "Thread":
        return self if self.participant(person.aad) else replace(self, participants=self.participants + (person,))

    def without_participant(self, aad: str) -> "Thread":
        return replace(self, participants=tuple(p for p in self.participants if p.aad != aad))

    def to_body(self) -> dict[str, Any]:
        return {
            "openid": self.openid,
            "account": self.account,
            "target": str(self.target),
            "status": self.status,
            "nickname": self.nickname,
            "language": self.language,
            "source": self.source,
            "teams_conversation_id": self.teams_conversation_id,
            "created_at": self.created_at,
            "extra": self._extra_body(),
            "policy": self.policy.to_body(),
            "next_due_at": self.policy.next_due_at,  # top level: the timer sweeper queries it
            "outbox": list(self.outbox),
            "outbox_seq": self.outbox_seq,
            "applied": list(self.applied),
            "participants": [{"aad": p.aad, "name": p.name} for p in self.participants],
            "sub_org": self.sub_org,
            "generation": self.generation,
        }

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> "Thread":
        return cls(
            openid=body["openid"],
            account=body.get("account", "default"),
            target=Target.parse(body["target"]),
            status=body.get("status", "open"),
            nickname=body.get("nickname", ""),
            language=body.get("language", ""),
            source=body.get("source", "default"),
            teams_conversation_id=body.get("teams_conversation_id", ""),
            created_at=body.get("created_at", 0.0),
            **_extra_fields(body.get("extra") or {}),
            policy=PolicyState.from_body(body.get("policy") or {}),
            outbox=tuple(body.get("outbox") or ()),
            outbox_seq=body.get("outbox_seq", 0),
            applied=tuple(body.get("applied") or ()),
            participants=tuple(Participant(p["aad"], p.get("name", "")) for p in body.get("participants") or ()),
            sub_org=body.get("sub_org", ""),
            generation=body.get("generation", 0),
        )

    def with_(self, **changes: Any) -> "Thread":
        return replace(self, **changes)

    def _extra_body(self) -> dict[str, Any]:
        body = {**self.unread_extra, **{key: getattr(self, key) for key in EXTRA if getattr(self, key) is not None}}
        if self.returns_to is not None:
            body["returns_to"] = str(self.returns_to)
        if self.validated_phone is not None:  # the two are written together, as they always were
            body["validated_at"] = self.validated_at
        return body


# The fields a thread's stored document keeps under "extra", a key each (the names are the stored keys).
EXTRA = ("reference", "status_activity_id", "returns_to", "connected_by", "validated_phone", "validated_at")
# Those of one assignment only: a new assignment starts without them.
OF_ONE_ASSIGNMENT = ("reference", "status_activity_id", "returns_to")


def _extra_fields(extra: dict[str, Any]) -> dict[str, Any]:
    fields = {key: extra[key] for key in EXTRA if extra.get(key) is not None}
    if "returns_to" in fields:
        fields["returns_to"] = Target.parse(fields["returns_to"]) if fields["returns_to"] else None
    fields["unread_extra"] = {key: value for key, value in extra.items() if key not in EXTRA}
    return fields


def employee_from_scene(event_key: str | None) -> str | None:
    """The employee a parametric QR code belongs to.

    `subscribe` carries `qrscene_<scene>`, `SCAN` carries `<scene>`; our scenes are `emp_<AAD object id>`.
    """
    if not event_key:
        return None
    scene = event_key.removeprefix("qrscene_")
    if not scene.startswith(EMPLOYEE_SCENE_PREFIX):
        return None
    employee = scene[len(EMPLOYEE_SCENE_PREFIX):]
    return employee or None


def employee_scene(aad_object_id: str) -> str:
    return f"{EMPLOYEE_SCENE_PREFIX}{aad_object_id}"


def assign(existing: Thread | None, scene_employee: str | None, default: Target | None) -> tuple[Target | None, str]:
    """Who a guest's message goes to, and why.

    An employee's QR code wins (the guest chose that person); an open thread keeps its target; a
    thread its last employee left goes back to its sub-organization's inbox if it says so
    (`returns_to`); anyone else goes to the configured default. (None, "unassigned") when there is
    nowhere to go.
    """
    if scene_employee:
        return Target("employee", scene_employee), "qr"
    if existing is not None and existing.status == "open":
        return existing.target, existing.source
    if existing is not None and existing.returns_to is not None:
        return existing.returns_to, "inbox"
    if default is not None:
        return default, "default"
    return None, "unassigned"
