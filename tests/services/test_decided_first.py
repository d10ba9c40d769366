"""A guest's follow-up decided first (services/inbound.py): on the copy of the thread the instance kept
(no read), written with its ETag before the post; a copy another instance moved on is read again and
decided again; a crash between any two steps (decision, post, record entry, job done) loses nothing
and doubles nothing silently."""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

import pytest

from adapters.teams.errors import BotNotInConversationRoster
from core.storage import JOBS, RECORDS, THREADS
from core.threads import Target, Thread, employee_scene
from services import threads as thread_store
from services.guest_posts import WAIT_FOR_INSTALL_SECONDS
from services.inbound import posted_before
from services.jobs import DONE, Job
from tests.fakes import ALICE, BOB, Bridge, personal_conversation

GUEST = "oGuestDecided000000000001"
SAID = "**WeChat user …000001** (WeChat): "
AGAIN = "_Shown again after a restart: this message may be above already._\n\n"
ALICES_CHAT, BOBS_CHAT = personal_conversation(ALICE), personal_conversation(BOB)
HOUR = 3600.0


def from_the_guest(bridge: Bridge) -> list[tuple[str, str]]:
    """(conversation, what employees were shown) of each post of the guest's own pushes."""
    return [(c.conversation, c.shown) for c in bridge.teams.posts()
            if c.mark.get("origin") == "wechat" and c.mark["openid"] == GUEST]


async def said_in_record(bridge: Bridge) -> list[tuple[str, str | None]]:
    """(text, the post's id) of each push the record keeps."""
    return [(e["push"]["content"], e.get("teams_activity_id")) for e in await bridge.record(GUEST) if "push" in e]


async def started(*employees: str) -> Bridge:
    bridge = Bridge.build()
    for employee in employees or (ALICE,):
        await bridge.install(Target("employee", employee))
    await bridge.guest(GUEST, "first")
    return bridge


async def test_a_follow_up_is_decided_on_the_copy_of_its_thread_the_instance_kept():
    """No read of the thread: its decision written with the kept copy's ETag, then the post, the record
    entry naming the post, the job done with its outcome."""
    bridge = await started()
    bridge.storage.calls.clear()
    second = await bridge.guest(GUEST, "second")
    assert ("get", THREADS) not in bridge.storage.calls
    writes = [c for c in bridge.storage.calls if c[0] in ("create", "replace", "upsert")]
    assert writes[:1] == [("create", JOBS)] and sorted(writes[1:]) == [("create", RECORDS), ("replace", JOBS),
                                                                        ("replace", THREADS)]
    assert writes.index(("replace", THREADS)) < writes.index(("create", RECORDS)) < writes.index(("replace", JOBS))
    [(_, post)] = from_the_guest(bridge)[1:]
    [posted] = [c.message_id for c in bridge.teams.posts() if c.shown == SAID + "second"]
    assert post == SAID + "second" and (await said_in_record(bridge))[-1] == ("second", posted)
    [job] = [j for j in await bridge.jobs("wechat_inbound") if j["id"] == second.dedup_key]
    assert job["status"] == DONE and job["effects"] == {"teams_post": {"outcome": posted}}


async def transfer(bridge: Bridge) -> None:
    """The guest scans Bob's QR code: the thread goes to Bob."""
    await bridge.guest(GUEST, event="SCAN", event_key=employee_scene(BOB))


async def leave(bridge: Bridge) -> None:
    """Alice leaves the conversation: the last one, it closes."""
    thread = await bridge.thread(GUEST)
    check = await bridge.participants.check_leave(ALICES_CHAT, GUEST, thread.generation, ALICE)
    assert not isinstance(check, str)
    await bridge.participants.leave(check)
    await bridge.settle()


async def close_after_48_hours(bridge: Bridge) -> None:
    bridge.clock.advance(48 * HOUR + 1)
    assert await bridge.conversations.fire_due_timers() == 1
    await bridge.settle()


def shown(thread: Thread) -> tuple:
    return thread.target, thread.status, thread.generation, thread.teams_conversation_id, thread.policy


@pytest.mark.parametrize("move", [transfer, leave, close_after_48_hours])
async def test_a_copy_another_instance_moved_on_is_read_again_and_the_post_goes_where_the_thread_is(
        move: Callable[[Bridge], Awaitable[None]]):
    """Moved by another instance (a transfer, a Leave, the 48 h close), the kept copy's write fails
    (412): the thread is read again and decided again, and the message goes where it says, as if this
    instance had moved it itself."""
    here, elsewhere = await started(ALICE, BOB), await started(ALICE, BOB)
    await move(here)
    await move(elsewhere.another_instance())
    await here.guest(GUEST, "second")
    await elsewhere.guest(GUEST, "second")

    assert from_the_guest(elsewhere) == from_the_guest(here)
    assert shown(await elsewhere.thread(GUEST)) == shown(await here.thread(GUEST))
    assert await said_in_record(elsewhere) == await said_in_record(here)
    if move is transfer:
        assert from_the_guest(elsewhere)[-1] == (BOBS_CHAT, SAID + "second")


def stop_at(bridge: Bridge, operation: str, container: str, when: Callable[[dict], bool]) -> None:
    """The process stops (CancelledError) in the first `operation` (create, replace) of `container`
    whose new body `when` says, instead of making it."""
    made, stopped = getattr(bridge.storage, operation), []

    async def stopping(c, pk, id, body, *etag):
        if c == container and not stopped and when(body):
            stopped.append(id)
            raise asyncio.CancelledError
        return await made(c, pk, id, body, *etag)

    setattr(bridge.storage, operation, stopping)


async def crashed_in_the_second(bridge: Bridge, stop: Callable[[str], None]) -> None:
    """The guest's second message, its run stopped where `stop(its job id)` says; another run takes the
    job over once the dead one's lease ran out."""
    second = bridge.push(GUEST, "second")
    stop(second.dedup_key)
    await bridge.deliver(second)
    bridge.clock.advance(60)
    await bridge.run_due()
    assert {j["status"] for j in await bridge.jobs("wechat_inbound")} == {DONE}
    assert (await bridge.thread(GUEST)).applied.count(second.dedup_key) == 1


async def test_a_crash_after_the_decision_before_the_post_posts_it_on_the_next_run():
    bridge = await started()
    await crashed_in_the_second(bridge, lambda _: bridge.teams.refuse_next("post", asyncio.CancelledError()))
    assert from_the_guest(bridge) == [(ALICES_CHAT, SAID + "first"), (ALICES_CHAT, AGAIN + SAID + "second")]
    [_, (_, posted)] = await said_in_record(bridge)
    assert posted == bridge.teams.posts()[-1].message_id


async def test_a_crash_after_the_post_before_its_record_entry_posts_it_again_saying_so():
    bridge = await started()
    await crashed_in_the_second(bridge, lambda job: stop_at(bridge, "create", RECORDS, lambda e: e.get("event") == job))
    assert from_the_guest(bridge) == [(ALICES_CHAT, SAID + "first"), (ALICES_CHAT, SAID + "second"),
                                      (ALICES_CHAT, AGAIN + SAID + "second")]
    assert [said for said, _ in await said_in_record(bridge)] == ["first", "second"]


async def test_a_crash_after_the_record_entry_before_the_job_is_done_does_not_post_again():
    bridge = await started()
    await crashed_in_the_second(bridge, lambda _: stop_at(bridge, "replace", JOBS, lambda j: j["status"] == DONE))
    assert from_the_guest(bridge) == [(ALICES_CHAT, SAID + "first"), (ALICES_CHAT, SAID + "second")]
    [_, (_, posted)] = await said_in_record(bridge)
    assert posted == from_the_guest_ids(bridge)[-1]


def from_the_guest_ids(bridge: Bridge) -> list[str]:
    return [c.message_id for c in bridge.teams.posts() if c.mark.get("origin") == "wechat"]


async def test_the_copies_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(thread_store, "COPIES_KEPT", 2)
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    guests = [f"oGuestDecided00000000000{n}" for n in range(10, 14)]
    for guest in guests:
        await bridge.guest(guest, "hello")
    assert [bridge.threads.latest(g) is not None for g in guests] == [False, False, True, True]


async def test_what_a_decision_made_first_commands_waits_for_its_post_even_carried_by_a_later_decision():
    """Teams refused the guest's first post (the app removed from Alice's chat): the message is decided
    and counted, but its welcome to the guest, the employees' notice, its live card and its record entry
    wait for the post; the employee's message decided meanwhile carries them into its outbox. Once it is
    posted: the guest's words first, then what their decision said, its record entry naming the post."""
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    bridge.teams.refuse_next("post", BotNotInConversationRoster(403, "BotNotInConversationRoster", "uninstalled"))
    first = await bridge.guest(GUEST, "first")
    assert bridge.teams.calls == [] and bridge.wechat.texts == [] and await bridge.record(GUEST) == []
    assert first.dedup_key in (await bridge.thread(GUEST)).applied

    await bridge.employee(ALICE, "an answer", name="Alice")  # decided on top: the guest's wait on
    assert [text for _, text in bridge.wechat.texts] == ["Alice: an answer"]
    assert from_the_guest(bridge) == [] and await said_in_record(bridge) == []

    bridge.clock.advance(WAIT_FOR_INSTALL_SECONDS)  # it looks again
    await bridge.run_due()
    posts = bridge.teams.posts()
    [post] = [c for c in posts if c.mark.get("origin") == "wechat"]
    [notice] = [c for c in posts if c.mark.get("notice") == "welcome_employee"]
    assert (post.conversation, post.shown) == (ALICES_CHAT, SAID + "first") and posts.index(post) < posts.index(notice)
    assert await said_in_record(bridge) == [("first", post.message_id)]
    assert len(bridge.wechat.texts) == 2  # and the welcome, once
    assert {j["status"] for j in await bridge.jobs()} == {DONE}


def test_the_post_an_earlier_run_made_is_its_outcome_or_the_start_of_the_guests_thread():
    """A run after a crash takes a post as made when the job shows it: its outcome, or a thread started
    in a channel (after an interrupted start, `teams_post:2`: [reference, activity id])."""
    def job(effects: dict) -> Job:
        return Job("msg:1", GUEST, "wechat_inbound", {}, "leased", 0, '"1"', {"effects": effects})

    assert posted_before(job({})) is None and posted_before(job({"teams_post": {"started": 1.0}})) is None
    assert posted_before(job({"teams_post": {"outcome": "a1"}})) == "a1"
    assert posted_before(job({"teams_post": {"started": 1.0},
                              "teams_post:2": {"outcome": [{"conversation": {"id": "c"}}, "a2"]}})) == "a2"


async def test_a_crash_after_the_record_entry_does_not_post_again_when_later_messages_were_recorded_after_it():
    bridge = await started()
    second = bridge.push(GUEST, "second")
    stop_at(bridge, "replace", JOBS, lambda j: j["status"] == DONE)
    await bridge.deliver(second)  # its entry recorded, the process gone before its job was done
    await bridge.guest(GUEST, "third")  # another run records after it
    bridge.conversations._carried_out.clear()  # the run after the crash is another process: it remembers nothing
    bridge.clock.advance(60)
    await bridge.run_due()
    assert from_the_guest(bridge) == [(ALICES_CHAT, SAID + "first"), (ALICES_CHAT, SAID + "second"),
                                      (ALICES_CHAT, SAID + "third")]
    assert [said for said, _ in await said_in_record(bridge)] == ["first", "second", "third"]
