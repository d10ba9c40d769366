"""Guests' messages coalesced under a backlog (services/teams_outbox.py), on a fake clock."""
import asyncio

import pytest

from core.clock import FakeClock
from core.organizations import Directory
from core.teams_chats import TeamsPost
from services.jobs import JobQueue, RetryLater
from services.worker import Worker
from services.paced_teams import PacedTeams
from services.permits import Permits
from services.teams_outbox import CLAIM_SECONDS, TeamsOutbox
from tests.fakes import FakeTeams, personal_reference
from tests.memory_storage import MemoryStorage

SUB = Directory.open().sub_organizations[0]
CHAT = personal_reference("aad-1")


@pytest.fixture
def outbox():
    clock, storage, teams = FakeClock(start=1000.0), MemoryStorage(), FakeTeams()

    async def sleep(seconds):
        clock.advance(seconds)

    paced = PacedTeams(teams, Permits(storage, clock), sleep=sleep, conversation=((10.0, 1),))
    queue = JobQueue(storage, clock, "i1", lease_seconds=30)
    worker = Worker(queue)
    return TeamsOutbox(storage, clock, paced, worker), teams, worker, clock


async def say(box, n, text):
    return await box.post(CHAT, TeamsPost(text=f"**Guest {n}** · {text}"), entry=f"m{n}", job=("p", f"m{n}"),
                          at=1000.0 + n, sub=SUB)


async def until_posted(worker, clock):
    """Time goes by; the conversation's poster (a task beside the jobs) posts what waits."""
    for _ in range(100):
        await asyncio.sleep(0)
    await asyncio.gather(*worker._background)


async def test_a_backlog_goes_in_one_post_and_each_message_gets_its_id(outbox):
    box, teams, worker, clock = outbox
    assert await say(box, 1, "first") == "activity-1"  # nothing waits: posted alone
    for n in (2, 3, 4):
        with pytest.raises(RetryLater):  # no permit for 10 s: into the outbox, the job given back
            await say(box, n, f"text {n}")
    await until_posted(worker, clock)
    carriers = teams.posts()[1:]
    assert len(carriers) < 3 and "`00:16:42 UTC`" in carriers[0].post.text  # coalesced; the time written
    text = "\n".join(c.post.text for c in carriers)
    assert text.index("text 2") < text.index("text 3") < text.index("text 4")  # in order
    carrier = {n: next(c.message_id for c in carriers if f"text {n}" in c.post.text) for n in (2, 3, 4)}
    assert [await say(box, n, "again") for n in (2, 3, 4)] == [carrier[n] for n in (2, 3, 4)]
    assert len(teams.posts()) == 1 + len(carriers)  # no second post of any
    doc = (await box._doc(CHAT["conversation"]["id"]))[0]
    assert doc["entries"] == []  # each job took its id: the entries are gone


async def test_a_post_a_crash_left_unanswered_is_made_again_saying_so(outbox):
    box, teams, worker, clock = outbox
    await say(box, 1, "first")
    with pytest.raises(RetryLater):
        await say(box, 2, "lost?")
    conversation = CHAT["conversation"]["id"]
    await box._claim(conversation)  # claimed (here, before the poster could), then the process died
    await until_posted(worker, clock)
    assert len(teams.posts()) == 1  # the claim holds: the poster found nothing else to post
    clock.advance(CLAIM_SECONDS + 1)
    with pytest.raises(RetryLater):  # its job looks again: a poster is started
        await say(box, 2, "lost?")
    await until_posted(worker, clock)
    again = teams.posts()[-1].post.text
    assert "lost?" in again and again.startswith(SUB.notices.render("teams_posted_again",
                                                                    SUB.conversation.employee_language))
    assert await say(box, 2, "lost?") == teams.posts()[-1].message_id
