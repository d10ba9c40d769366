"""A WeChat push as the inbound stages take it (services/inbound.py): from its job, and what it means
to the conversation's policy."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping

from core.conversation_policy import Event, Follow, GuestMessage, Scan, Unfollow
from core.inbound import WeChatInbound
from core.organizations import DEFAULT_ACCOUNT
from services.guest_media import Kept
from services.jobs import Job


def policy_event(msg: WeChatInbound, at: float, language: str | None,
                 withheld: Mapping[str, str] | None = None) -> Event:
    """What a push means to the WeChat policy (shown pushes only: see shown_to_employees); `at`: when
    the guest acted (WeChat's windows count from then, however late it is decided); `language`: the
    guest's WeChat language, for the notices they get; `withheld`: why DLP kept it from the employees."""
    event = (msg.event or "").lower()
    if msg.msg_type != "event":
        return GuestMessage(text=msg.content or "", language=language, withheld=withheld, at=at)
    events: dict[str, Event] = {"subscribe": Follow(language=language, at=at), "scan": Scan(language=language, at=at)}
    return events.get(event, Unfollow())


@dataclass(frozen=True)
class Push:
    """A push as its job carries it: what WeChat sent, to which Official Account, and when the guest
    acted (WeChat's windows count from then, however late it is handled)."""

    job: Job
    msg: WeChatInbound
    account: str
    acted_at: float
    as_sent: dict[str, Any]  # for the compliance record: the push as WeChat sent it, where and when (and its media)
    kept: Kept | None = None  # its media, kept before any stage takes it

    @classmethod
    def of(cls, job: Job) -> "Push":
        p = job.payload  # the push's elements (a job of an earlier version: the message, and them again)
        msg = WeChatInbound.of(p["push"]) if "push" in p else WeChatInbound(**p["message"])
        account = job.payload.get("account", DEFAULT_ACCOUNT)
        received_at = job.payload.get("received_at")
        return cls(job, msg, account, msg.acted_at(received_at),
                   {"account": account, "received_at": received_at, "push": dataclasses.asdict(msg)})

    def with_media(self, kept: Kept | None) -> "Push":
        """The push with its kept media, which its record entry names (whichever stage records it)."""
        if kept is None:
            return self
        return dataclasses.replace(self, kept=kept, as_sent={**self.as_sent, **kept.to_record()})

    @property
    def entry(self) -> dict[str, Any]:
        """The push's own record entry (for a push no policy decision carries)."""
        return {"kind": "inbound", **self.as_sent, "event": self.job.id}
