"""A guest's message that reaches Teams late still has WeChat's 48 h counted from when the guest
wrote (CreateTime), on every path that can delay it: an employee or an inbox without the app yet,
Teams throttling for hours, a worker that was down. The window, the quota, the 24 h warning, the
48 h expiry and the live card's "closes in" all count from the guest's message, and nothing is ever
sent that WeChat would refuse with 45015 or 45047."""
from __future__ import annotations

import math

from aiohttp.test_utils import TestServer

from app import COMPONENTS, create_app
from config import load_settings
from simulators.teams_client import TeamsChannel, channel_message, post_activity, team_installation
from tests.e2e.conftest import ALICE, Stack, _close, _stack, base_env

HOUR = 3600.0
LATE = 10 * HOUR
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
INBOX = TeamsChannel(team_id="19:team-late@thread.tacv2", team_name="Wealth", channel_name="WeChat inbox",
                     channel_id="19:late-inbox@thread.tacv2")


def move_to(stack: Stack, at: float) -> None:
    assert at >= stack.clock.now()
    stack.clock.advance(at - stack.clock.now())


async def thread_body(stack: Stack, openid: str) -> dict:
    return (await stack.components.storage.get("threads", openid, openid)).body


def refused_by_wechat(stack: Stack) -> list:
    return [r for r in stack.sim.sent if r.errcode in (45015, 45047)]


async def guest_writes(stack: Stack, openid: str, text: str) -> float:
    """The guest writes now; when they wrote, as WeChat's CreateTime (whole seconds)."""
    written_at = float(math.floor(stack.clock.now()))
    assert (await stack.wechat.guest(openid, "Late").say(text)).status == 200
    await stack.settle()
    return written_at


async def run_what_is_due(stack: Stack) -> None:
    await stack.components.worker.sweep()
    await stack.settle()


async def fire_timers(stack: Stack) -> None:
    await stack.components.conversations.fire_due_timers()
    await stack.settle()


async def the_window_counts_from_the_guests_message(stack: Stack, openid: str, written_at: float, texts=None,
                                                    reply=None) -> None:
    """After a late delivery (now), every deadline is the guest's message's; `texts()`: what the
    employees see; `reply(text)`: an employee answers in that conversation (by default: Alice's chat)."""
    texts = texts or (lambda: stack.teams_texts(ALICE))
    reply = reply or (lambda text: stack.employee_says(ALICE, text))
    policy = (await thread_body(stack, openid))["policy"]
    assert policy["last_guest_message_at"] == written_at
    assert policy["window_ends_at"] == written_at + 48 * HOUR
    assert policy["next_due_at"] == written_at + 24 * HOUR
    hours_left = math.floor((written_at + 48 * HOUR - stack.clock.now()) / HOUR)
    assert any(f"closes in {hours_left} h" in t for t in texts()), texts()  # the live card
    await reply("hello, sorry for the wait")  # inside the window: sent
    move_to(stack, written_at + 24 * HOUR - 60)
    await fire_timers(stack)
    assert not [t for t in texts() if "not responded for 24 hours" in t]
    move_to(stack, written_at + 24 * HOUR + 1)
    await fire_timers(stack)
    assert len([t for t in texts() if "not responded for 24 hours" in t]) == 1
    move_to(stack, written_at + 48 * HOUR + 1)
    await fire_timers(stack)
    assert any("This chat is now inactive" in t for t in texts())
    move_to(stack, written_at + 50 * HOUR)
    await reply("are you still there?")  # WeChat's window is closed: queued, not sent
    assert (await thread_body(stack, openid))["policy"]["queue"][0]["text"] == "are you still there?"
    assert refused_by_wechat(stack) == []


async def test_an_employee_who_installs_the_app_hours_later(tmp_path):
    stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
    try:
        openid = "oGuestLate0000000000000001"
        written_at = await guest_writes(stack, openid, "is anyone there?")
        move_to(stack, written_at + LATE)
        await stack.install(ALICE)  # wakes the message that waited for her
        await run_what_is_due(stack)
        assert any("is anyone there?" in t for t in stack.teams_texts(ALICE))
        await the_window_counts_from_the_guests_message(stack, openid, written_at)
    finally:
        await _close(stack)


async def test_an_inbox_channel_whose_team_installs_the_app_hours_later(tmp_path):
    stack = await _stack(tmp_path, DEFAULT_TARGET=f"channel:{INBOX.id}")
    try:
        bot_url = str(stack.app_server.make_url("/api/messages"))
        await stack.session.post(f"{stack.connector_url}/sim/conversations", json={
            "id": INBOX.id, "conversationType": "channel", "tenantId": TENANT, "teamId": INBOX.team_id,
            "members": []})
        openid = "oGuestLate0000000000000002"
        written_at = await guest_writes(stack, openid, "hello team")
        move_to(stack, written_at + LATE)
        for activity in team_installation(service_url=stack.connector_url, user=ALICE, channel=INBOX,
                                          clock=stack.clock):
            assert (await post_activity(stack.session, bot_url, activity)).status in (200, 201)
        await run_what_is_due(stack)

        def texts() -> list[str]:
            return [a["activity"].get("text") or " ".join(str(x) for x in a["activity"].get("attachments") or [])
                    for a in stack.connector.activities_for(INBOX.id) if a["operation"] != "delete"]

        posted = next(a for a in stack.connector.activities_for(INBOX.id)
                      if "hello team" in (a["activity"].get("text") or ""))
        root = posted["conversationId"].split("=", 1)[1]

        async def reply(text: str) -> None:
            activity = channel_message(text, service_url=stack.connector_url, user=ALICE, channel=INBOX,
                                       thread_root_id=root, clock=stack.clock)
            assert (await post_activity(stack.session, bot_url, activity)).status in (200, 201)
            await stack.settle()

        await the_window_counts_from_the_guests_message(stack, openid, written_at, texts, reply)
    finally:
        await _close(stack)


async def test_teams_throttling_the_bot_for_hours(tmp_path):
    stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
    try:
        await stack.install(ALICE)
        # Teams answers 429 with a Retry-After longer than the sender waits in line: the job is retried later.
        stack.connector.fail_next(1, 429, "Throttled", retry_after=6 * HOUR, operations={"send"})
        openid = "oGuestLate0000000000000003"
        written_at = await guest_writes(stack, openid, "any news on my account?")
        assert not any("any news" in t for t in stack.teams_texts(ALICE))
        (job,) = [j for j in await stack.jobs() if j.body["kind"] == "wechat_inbound"]
        assert job.body["status"] == "pending" and job.body["attempts"] >= 1
        move_to(stack, written_at + LATE)
        await run_what_is_due(stack)
        assert any("any news" in t for t in stack.teams_texts(ALICE))
        await the_window_counts_from_the_guests_message(stack, openid, written_at)
    finally:
        await _close(stack)


async def test_a_worker_that_was_down_for_hours(tmp_path):
    """WORKER=off acknowledges and stores; the worker comes back ten hours later."""
    stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", WORKER="off")
    worker = None
    try:
        await stack.install(ALICE)
        openid = "oGuestLate0000000000000004"
        written_at = await guest_writes(stack, openid, "hello?")
        assert not any("hello?" in t for t in stack.teams_texts(ALICE))
        move_to(stack, written_at + LATE)
        env = base_env(str(stack.wechat_server.make_url("")).rstrip("/"), str(tmp_path / "bridge.sqlite3"),
                       INSTANCE_ID="e2e-worker", DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
        worker = TestServer(create_app(load_settings(env), clock=stack.clock), host="127.0.0.1")
        await worker.start_server()
        components = worker.app[COMPONENTS]
        await components.worker.sweep()
        await components.worker.drain()
        assert any("hello?" in t for t in stack.teams_texts(ALICE))
        stack.app_server, worker = worker, stack.app_server  # the worker's instance takes the employees' side too
        await the_window_counts_from_the_guests_message(stack, openid, written_at)
    finally:
        if worker is not None:
            await worker.close()
        await _close(stack)
