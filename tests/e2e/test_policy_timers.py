"""The policy's deadlines are data on the thread: they fire from any instance, once, after restarts."""
from __future__ import annotations

from aiohttp.test_utils import TestServer

from app import COMPONENTS, create_app
from config import load_settings
from tests.e2e.conftest import ALICE, base_env

DAY = 24 * 3600


def warnings(stack) -> list[str]:
    return [t for t in stack.teams_texts(ALICE) if "not responded for 24 hours" in t]


async def test_24_hours_without_a_reply_warns_the_employee_once(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestTimer000000000000001", "Timer")
    await guest.say("talk tomorrow?")
    await stack.employee_says(ALICE, "sure")
    stack.clock.advance(DAY - 60)
    assert await stack.components.conversations.fire_due_timers() == 0
    stack.clock.advance(120)
    assert await stack.components.conversations.fire_due_timers() == 1
    await stack.settle()
    assert len(warnings(stack)) == 1
    assert await stack.components.conversations.fire_due_timers() == 0  # the next deadline is the 48 h one


async def test_48_hours_make_the_chat_inactive_and_tell_the_employee(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestTimer000000000000002", "Timer")
    await guest.say("hello")
    stack.clock.advance(2 * DAY + 1)
    await stack.components.conversations.fire_due_timers()
    await stack.settle()
    assert any("inactive" in t for t in stack.teams_texts(ALICE))


async def test_two_instances_on_one_database_post_the_warning_once(stack, tmp_path):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestTimer000000000000003", "Twice")
    await guest.say("hello")
    await stack.settle()
    env = base_env(str(stack.wechat_server.make_url("")).rstrip("/"), str(tmp_path / "bridge.sqlite3"),
                   INSTANCE_ID="e2e-2", DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
    second = TestServer(create_app(load_settings(env), clock=stack.clock), host="127.0.0.1")
    await second.start_server()
    try:
        stack.clock.advance(DAY + 1)
        first, second_runner = stack.components.conversations, second.app[COMPONENTS].conversations
        import asyncio

        await asyncio.gather(first.fire_due_timers(), second_runner.fire_due_timers())
        await stack.settle()
        await second.app[COMPONENTS].worker.drain()
        assert len(warnings(stack)) == 1
    finally:
        await second.close()


async def test_a_restarted_app_still_fires_the_timer_once(stack, tmp_path):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestTimer000000000000004", "Restart")
    await guest.say("hello")
    await stack.settle()
    await stack.app_server.close()  # the app stops; the deadline is in the database
    env = base_env(str(stack.wechat_server.make_url("")).rstrip("/"), str(tmp_path / "bridge.sqlite3"),
                   INSTANCE_ID="e2e-1", DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
    stack.app_server = TestServer(create_app(load_settings(env), clock=stack.clock), host="127.0.0.1")
    await stack.app_server.start_server()
    stack.clock.advance(DAY + 1)
    assert await stack.components.conversations.fire_due_timers() == 1
    assert await stack.components.conversations.fire_due_timers() == 0
    await stack.settle()
    assert len(warnings(stack)) == 1


async def test_with_a_template_configured_the_guest_is_told_messages_wait_outside_the_window(tmp_path):
    from tests.e2e.conftest import _close, _stack

    stack = await _stack(tmp_path, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}", POLICY_TEMPLATE_ID="tpl-resume")
    try:
        stack.sim.add_template("tpl-resume")
        await stack.install(ALICE)
        guest = stack.wechat.guest("oGuestTemplate000000000001", "Temple")
        await guest.say("hello")
        await stack.settle()
        stack.clock.advance(2 * DAY + 60)
        await stack.employee_says(ALICE, "news for you")
        await stack.settle()
        templates = [d for d in await stack.wechat.delivered(guest.openid) if d["msgtype"] == "template"]
        assert len(templates) == 1 and templates[0]["json"]["template_id"] == "tpl-resume"
        assert "news for you" not in await stack.guest_texts(guest.openid)
        assert not [r for r in stack.sim.sent if r.errcode]
    finally:
        await _close(stack)
