"""The Teams port (core/teams_chats.py), paced under Teams' rate limits instead of discovering them
through 429s: every post, update and thread start first takes a permit (services/permits.py, shared
by the instances through storage) of its conversation (a channel's threads all count as the channel)
and of its tenant (from this instance's share of it, where wiring gives one: services/instance_shares.py).

Waiting, not failing: a permit due soon is waited for here (the injected `sleep`); one due later gives
the job back (RetryLater, `paced`: not a failed attempt, not an error, and the job keeps its place, so a
guest's later message never overtakes it). A caller that would rather not wait at all (a live card
that a job can update later) says so with `no_waiting()`: then Busy. A 429 all the same (another app
or deployment spends the quota) blocks the conversation for its Retry-After, and the call takes a
permit again.

Late, not early: a request that reaches Teams later than its permit's moment narrows the margin between
it and the requests permitted after it (core/rate_windows.py MARGIN). A permit used more than `LATE`
after its moment (the event loop stalled, a sleep overran, storage was slow) is taken again; the stale
one stays counted, which only makes the next waits longer.
"""
from __future__ import annotations

import contextlib
import logging
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Iterator, TypeVar

from adapters.teams.errors import Throttled
from core.media_store import MediaDownload
from core.rate_windows import MARGIN, TEAMS_CONVERSATION_WRITES, TEAMS_TENANT_REQUESTS, Windows, with_margin
from core.teams_chats import Reference, TeamsAttachment, TeamsChats, TeamsPost
from services.jobs import RUNNING, RetryLater
from services.permits import Permits, TooLong

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_WAIT_IN_JOB = 3.0  # seconds a job waits for a permit in place; longer, it is given back
MAX_WAIT_OUTSIDE_JOBS = 60.0  # a bot's turn cannot be given back: it waits (rare: turns answer in the turn)
RETRY_AFTER_DEFAULT = 1.0  # a 429 without Retry-After
MAX_THROTTLED = 5  # 429s in a row for one call before it fails (and its job is retried)
LATE = MARGIN / 2  # seconds after its moment a permit is stale (the rest of the margin: the request's way there)
MAX_STALE = 5  # permits gone stale in a row before the call goes all the same (a 429 then is taken as any)

CONVERSATION = with_margin(TEAMS_CONVERSATION_WRITES)  # writes, per conversation
TENANT = with_margin(TEAMS_TENANT_REQUESTS)  # requests, per app and tenant

_WAIT: ContextVar[float | None] = ContextVar("teams_permit_wait", default=None)


class Busy(Exception):
    """No permit now, and the caller said it would not wait (`no_waiting`): one in `delay` seconds."""

    def __init__(self, reason: str, delay: float) -> None:
        super().__init__(reason)
        self.delay = delay


@contextlib.contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """Teams calls made inside wait at most `seconds` for a permit: Busy instead."""
    token = _WAIT.set(seconds)
    try:
        yield
    finally:
        _WAIT.reset(token)


def no_waiting() -> contextlib.AbstractContextManager[None]:
    """Teams calls made inside do not wait for a permit: Busy instead."""
    return waiting_at_most(0.0)


def conversation_of(reference: Reference) -> str:
    """The conversation a call counts against: a channel thread (`<channel>;messageid=…`) is its channel."""
    return str((reference.get("conversation") or {}).get("id") or "").split(";", 1)[0]


def tenant_of(reference: Reference) -> str:
    conversation = reference.get("conversation") or {}
    return str(conversation.get("tenantId") or conversation.get("tenantID") or "")


class PacedTeams:
    def __init__(self, teams: TeamsChats, permits: Permits, *, sleep: Callable[[float], Awaitable[Any]],
                 conversation: Windows = CONVERSATION, tenant: Windows = TENANT) -> None:
        self.teams = teams
        self.permits = permits
        self.sleep = sleep
        self.conversation = conversation
        self.tenant = tenant

    async def post(self, reference: Reference, post: TeamsPost) -> str:
        return await self._paced(reference, lambda: self.teams.post(reference, post))

    async def update(self, reference: Reference, message_id: str, post: TeamsPost) -> None:
        await self._paced(reference, lambda: self.teams.update(reference, message_id, post))

    async def start_thread(self, channel: Reference, post: TeamsPost) -> tuple[dict[str, Any], str]:
        return await self._paced(channel, lambda: self.teams.start_thread(channel, post))

    def download(self, attachment: TeamsAttachment, *,
                 max_bytes: int) -> contextlib.AbstractAsyncContextManager[MediaDownload]:
        return self.teams.download(attachment, max_bytes=max_bytes)  # a read, from a file host: not limited

    async def permit(self, reference: Reference) -> float:
        """A permit for one call in the referenced conversation, for a caller that then calls `teams` itself:
        the permit's moment (see `fresh`)."""
        for _ in range(MAX_STALE):
            moment = await self._permit(conversation_of(reference), self._limits(reference),
                                        f"tenant:{tenant_of(reference)}")
            if self.fresh(moment):
                return moment
        log.warning("teams: permits in conversation %s went stale %d times in a row: called all the same",
                    conversation_of(reference), MAX_STALE)
        return moment

    def fresh(self, moment: float) -> bool:
        """Whether a call made now keeps to the permit of `moment`."""
        return self.permits.clock.now() - moment <= LATE

    async def throttled(self, reference: Reference, exc: Throttled) -> None:
        """Teams answered 429 all the same: no permit in that conversation for its Retry-After."""
        seconds = exc.retry_after if exc.retry_after is not None else RETRY_AFTER_DEFAULT
        log.warning("teams: 429 in conversation %s all the same, Retry-After %.1fs", conversation_of(reference),
                    seconds)
        await self.permits.block(self._limits(reference)[0][0], seconds)

    def _limits(self, reference: Reference) -> list[tuple[str, Windows]]:
        return [(f"teams:{conversation_of(reference)}", self.conversation),
                (f"tenant:{tenant_of(reference)}", self.tenant)]  # every instance spends it alike: `shared`

    async def _paced(self, reference: Reference, call: Callable[[], Awaitable[T]]) -> T:
        for _ in range(MAX_THROTTLED):
            await self.permit(reference)
            try:
                return await call()
            except Throttled as exc:
                await self.throttled(reference, exc)
        raise RetryLater(f"teams: 429 {MAX_THROTTLED} times in a row", delay=RETRY_AFTER_DEFAULT, paced=True)

    async def _permit(self, conversation: str, limits: list[tuple[str, Windows]], tenant: str) -> float:
        wait = _WAIT.get()
        in_job = RUNNING.get() is not None
        max_wait = wait if wait is not None else MAX_WAIT_IN_JOB if in_job else MAX_WAIT_OUTSIDE_JOBS
        try:
            moment = await self.permits.reserve(limits, max_wait, shared=tenant)
        except TooLong as exc:
            if wait is not None:
                raise Busy(f"teams: no permit in {conversation} for {exc.delay:.1f}s", exc.delay) from None
            if not in_job:
                raise
            raise RetryLater(f"teams: paced, next permit in {conversation} in {exc.delay:.1f}s", delay=exc.delay,
                             paced=True) from None
        delay = moment - self.permits.clock.now()
        if delay > 0:
            await self.sleep(delay)
        return moment

