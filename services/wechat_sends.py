"""A message to a WeChat guest, sent once per job: WeChat's answer is written the moment it comes
(services/jobs.py `effect`), and one that never came (a timeout after the request left, a crash
before the answer was written) is not sent again on its own: a double would show the guest the
message twice and spend two of the five messages WeChat allows."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from adapters.wechat.errors import WeChatApiError, WeChatOutcomeUnknown
from services.jobs import OutcomeUnknown, effect

UNCONFIRMED: dict[str, Any] = {"unconfirmed": True}


async def send_once(call: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
    """WeChat's answer to `call`: {"errcode", "errmsg"} (0: taken), or UNCONFIRMED. A transient
    refusal (-1, 45011, no connection) is raised: nothing was taken, the job tries again."""
    async def attempt() -> dict[str, Any]:
        try:
            await call()
        except WeChatOutcomeUnknown:
            return UNCONFIRMED
        except WeChatApiError as exc:
            if exc.transient:
                raise
            return {"errcode": exc.errcode or -1, "errmsg": exc.errmsg}
        return {"errcode": 0, "errmsg": ""}

    try:
        return await effect("wechat_send", attempt, unknown_if_interrupted=True)
    except OutcomeUnknown:
        return UNCONFIRMED
