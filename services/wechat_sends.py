"""A message to a WeChat guest, sent once per job: WeChat's answer is written the moment it comes
(services/jobs.py `effect`), and one that never came (a timeout after the request left, a crash
before the answer was written) is not sent again on its own: a double would show the guest the
message twice and spend two of the five messages WeChat allows."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Mapping

from adapters.wechat.errors import WeChatApiError, WeChatOutcomeUnknown
from core.telemetry import telemetry
from services.jobs import OutcomeUnknown, effect

UNCONFIRMED: dict[str, Any] = {"unconfirmed": True}


def kind_of(payload: Mapping[str, Any]) -> str:
    """A send's kind, as the metrics count it: template, notice (a system message with one of the policy's
    notices), employee or system (the policy's and the dialogs' own words)."""
    if "template_id" in payload:
        return "template"
    return "notice" if payload.get("notice") else payload.get("kind") or "system"


async def send_once(call: Callable[[], Awaitable[Any]], kind: str) -> dict[str, Any]:
    """WeChat's answer to `call`, a send of `kind` (kind_of): {"errcode", "errmsg"} (0: taken), or
    UNCONFIRMED. A transient refusal (-1, 45011, no connection) is raised: nothing was taken, the job tries again."""
    async def attempt() -> dict[str, Any]:
        result = "failed"
        try:
            await call()
            result = "sent"
        except WeChatOutcomeUnknown:
            result = "unconfirmed"
            return UNCONFIRMED
        except WeChatApiError as exc:
            if exc.transient:
                raise
            result = "refused"
            return {"errcode": exc.errcode or -1, "errmsg": exc.errmsg}
        finally:
            telemetry().message_out(kind, result)
        return {"errcode": 0, "errmsg": ""}

    try:
        return await effect("wechat_send", attempt, unknown_if_interrupted=True)
    except OutcomeUnknown:
        return UNCONFIRMED
