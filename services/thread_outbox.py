"""What a decision of a guest's conversation leaves in its thread's outbox (services/conversation_runner.py):
its record entry, and a job per command."""
from __future__ import annotations

from typing import Any

from core.conversation_policy import NotifyEmployees, Receipt, SendTemplate, SendToGuest, UpdateStatus
from core.organizations import SubOrganization
from services.job_kinds import POLICY_NOTICE, POLICY_SEND, POLICY_STATUS, POLICY_TEMPLATE

RECORD = "record"  # an outbox command carried out in place (never a job): the decision's record entry
AFTER = "after"  # an outbox entry's: the job (its event) whose post it waits for (`decide_first`)


def command_job(command: Any) -> tuple[str, dict[str, Any]] | None:
    """(job kind, payload) for a command; None for what needs no job (yet)."""
    if isinstance(command, SendToGuest):
        payload = {"message_id": command.message_id, "text": command.text, "kind": command.kind,
                   "author": command.author, "notice": command.notice}
        return POLICY_SEND, {**payload, "media": command.media.to_body()} if command.media else payload
    if isinstance(command, SendTemplate):
        return POLICY_TEMPLATE, {"message_id": command.message_id, "template_id": command.template_id,
                                 "notice": command.notice, "text": command.text, "params": dict(command.params)}
    if isinstance(command, NotifyEmployees):
        return POLICY_NOTICE, {"notice": command.notice, "text": command.text, "params": dict(command.params)}
    if isinstance(command, Receipt) and command.text:
        return POLICY_NOTICE, {"notice": command.notice, "text": command.text, "message_id": command.message_id}
    if isinstance(command, UpdateStatus):
        return POLICY_STATUS, {}  # the job renders the thread's state as it is when it runs
    return None


def attributed(job: tuple[str, dict[str, Any]], sub: SubOrganization) -> tuple[str, dict[str, Any]]:
    """An employee's message as the guest sees it: with who wrote it ("Li Wei: …"), as the
    sub-organization configures. Notices go as they are."""
    kind, payload = job
    if kind != POLICY_SEND or payload.get("notice") or not payload.get("author") or payload.get("media"):
        return job
    return kind, {**payload, "text": sub.attribute(payload["author"], payload["text"])}
