"""A post in Teams as an effect of a job: made once per job, and when a run that took the job over
from a process that died holding it makes it again, opened by a line saying it may show twice.

The Bot Connector takes no idempotency key and cannot be asked what it has, and a post lost is worse
than one shown twice: a post whose outcome a crash kept from being written is made again, told.
"""
from __future__ import annotations

from typing import Awaitable, Callable, TypeVar

from core.organizations import SubOrganization
from core.teams_chats import TeamsPost
from services.jobs import effect, may_have_been_made

T = TypeVar("T")
SHOWN_AGAIN = "teams_posted_again"  # the notice that opens a post made again


async def post_effect(name: str, post: TeamsPost, sub: SubOrganization,
                      send: Callable[[TeamsPost], Awaitable[T]], *, proven_by_caller: bool = False) -> T:
    """`send(post)` once per job as effect `name` (services/jobs.py; `proven_by_caller`: see `effect`);
    made again after a crash, the post says so in `sub`'s employees' language."""
    def made() -> Awaitable[T]:  # called only when no outcome is written: may_have_been_made is current
        if not may_have_been_made(name):
            return send(post)
        return send(post.opened_with(sub.notices.render(SHOWN_AGAIN, sub.conversation.employee_language)))

    return await effect(name, made, proven_by_caller=proven_by_caller)
