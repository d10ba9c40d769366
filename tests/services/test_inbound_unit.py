"""services/inbound.py on the fakes (tests/fakes.py): what a guest's push becomes in Teams and in storage.
The same journeys over HTTP are tests/e2e/test_bridge.py, test_channels.py and test_late_delivery.py."""
from __future__ import annotations

import asyncio
from dataclasses import replace

from adapters.teams.errors import BotNotInConversationRoster
from core.dlp import DlpPolicy, Rule
from core.organizations import Directory
from core.threads import Target, employee_scene
from services.inbound import WAIT_FOR_INSTALL_SECONDS
from services.jobs import DONE, PENDING
from tests.fakes import ALICE, BOB, Bridge, personal_conversation

GUEST, OTHER = "oGuestInbound0000000000001", "oGuestInbound0000000000002"
HOUR = 3600.0
ALICES_CHAT = personal_conversation(ALICE)
INBOX = Target("channel", "19:inbox@thread.tacv2")


def from_the_guest(bridge: Bridge, openid: str = GUEST) -> list[str]:
    """What employees were shown of the guest's own pushes (not the bridge's notices and cards)."""
    return [c.shown for c in bridge.teams.posts() if c.mark.get("origin") == "wechat" and c.mark["openid"] == openid]


async def test_a_guests_text_is_posted_in_the_employees_chat():
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    msg = await bridge.guest(GUEST, "hello *there*")

    [post] = [c for c in bridge.teams.posts(ALICES_CHAT) if c.mark.get("origin") == "wechat"]
    assert post.method == "post" and post.shown == r"**WeChat user …000001** (WeChat): hello \*there\*"
    assert post.mark == {"origin": "wechat", "openid": GUEST, "key": msg.dedup_key}
    thread = await bridge.thread(GUEST)
    assert (thread.target, thread.status, thread.teams_conversation_id) == (Target("employee", ALICE), "open",
                                                                            ALICES_CHAT)
    [job] = await bridge.jobs("wechat_inbound")
    assert job["status"] == DONE and job["result"]["teams_activity_id"] == post.message_id
    [decided, *_] = await bridge.record(GUEST)
    assert decided["push"]["content"] == "hello *there*" and decided["teams_activity_id"] == post.message_id


async def test_a_push_wechat_repeats_is_posted_once():
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    msg = await bridge.guest(GUEST, "hello")
    await bridge.deliver(msg)  # WeChat did not hear our answer in time and pushed it again
    assert from_the_guest(bridge) == ["**WeChat user …000001** (WeChat): hello"]


async def test_in_an_inbox_channel_each_guest_gets_a_thread_of_their_own():
    bridge = Bridge.build(default_target=INBOX)
    await bridge.install(INBOX)
    await bridge.guest(GUEST, "first")
    await bridge.guest(GUEST, "second")
    await bridge.guest(OTHER, "another guest")

    started = [c for c in bridge.teams.calls if c.method == "start_thread"]
    assert [(c.conversation, c.shown) for c in started] == [
        (INBOX.id, "**WeChat user …000001** (WeChat): first"),
        (INBOX.id, "**WeChat user …000002** (WeChat): another guest")]
    thread = await bridge.thread(GUEST)
    assert thread.teams_conversation_id == f"{INBOX.id};messageid={started[0].message_id}"
    assert thread.reference["conversation"]["id"] == thread.teams_conversation_id
    assert "**WeChat user …000001** (WeChat): second" in bridge.teams.shown(thread.teams_conversation_id)


async def test_a_message_waits_for_the_employee_to_install_the_app_then_is_posted():
    bridge = Bridge.build()
    await bridge.guest(GUEST, "anyone there?")
    [job] = await bridge.jobs("wechat_inbound")
    assert (job["status"], job["attempts"], job["waiting_for"]) == (PENDING, 0, f"employee:{ALICE}")
    assert bridge.teams.calls == []

    await bridge.install(Target("employee", ALICE))
    assert from_the_guest(bridge) == ["**WeChat user …000001** (WeChat): anyone there?"]


async def test_teams_refusing_the_bot_makes_the_message_wait_for_the_app_not_fail():
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    bridge.teams.refuse_next("post", BotNotInConversationRoster(403, "BotNotInConversationRoster", "uninstalled"))
    await bridge.guest(GUEST, "hello")
    [job] = await bridge.jobs("wechat_inbound")
    assert (job["status"], job["attempts"], job["waiting_for"]) == (PENDING, 0, f"employee:{ALICE}")
    assert from_the_guest(bridge) == []

    bridge.clock.advance(WAIT_FOR_INSTALL_SECONDS)
    await bridge.run_due()
    assert from_the_guest(bridge) == ["**WeChat user …000001** (WeChat): hello"]


async def test_a_message_dlp_blocks_is_not_posted_and_the_guest_is_told_why():
    everyone = Directory.open().sub_organizations[0]
    blocking = DlpPolicy((Rule("cards", "inbound", "block", detector="card"),))
    bridge = Bridge.build(Directory((replace(everyone, dlp=blocking),)))
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, "my card is 4111 1111 1111 1111")

    assert from_the_guest(bridge) == [] and not any("4111" in shown for shown in bridge.teams.shown())
    assert "银行卡号" in bridge.wechat.said_to(GUEST)[-1]  # in the guest's language (the default: Chinese)
    [job] = await bridge.jobs("wechat_inbound")
    assert job["result"]["why"] == "withheld by data-loss prevention"
    [decided, *_] = await bridge.record(GUEST)
    assert decided["dlp"]["action"] == "block"


async def test_a_follow_is_shown_and_an_unfollow_closes_the_conversation_and_forgets_the_profile():
    bridge = Bridge.build()
    bridge.wechat.profiles[GUEST] = {"nickname": "Chen", "language": "en"}
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, event="subscribe")
    thread = await bridge.thread(GUEST)
    assert (thread.nickname, thread.language, thread.status) == ("Chen", "en", "open")

    await bridge.guest(GUEST, event="unsubscribe")
    assert from_the_guest(bridge) == ["**Chen** followed the Official Account. You can answer once they write.",
                                      "**Chen** unfollowed the Official Account. Messages can no longer reach them."]
    thread = await bridge.thread(GUEST)
    assert (thread.nickname, thread.language, thread.status) == ("", "", "closed")


async def test_a_follow_through_an_employees_qr_code_goes_to_that_employee():
    bridge = Bridge.build()
    await bridge.install(Target("employee", BOB))
    await bridge.guest(GUEST, event="subscribe", event_key=f"qrscene_{employee_scene(BOB)}")
    thread = await bridge.thread(GUEST)
    assert (thread.target, thread.source) == (Target("employee", BOB), "qr")
    assert from_the_guest(bridge) == ["**WeChat user …000001** followed the Official Account through your QR code. "
                                      "You can answer once they write."]


async def test_a_menu_click_is_recorded_and_shown_to_no_one():
    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, event="CLICK", event_key="MENU_RATES")
    assert bridge.teams.calls == [] and await bridge.threads.get(GUEST) is None
    [entry] = await bridge.record(GUEST)
    assert entry["kind"] == "inbound" and entry["push"]["event_key"] == "MENU_RATES"


async def test_wechats_window_counts_from_when_the_guest_wrote_however_late_it_is_delivered():
    bridge = Bridge.build()
    wrote_at = bridge.clock.now()
    await bridge.guest(GUEST, "hello")  # Alice has no app yet: it waits
    bridge.clock.advance(10 * HOUR)
    await bridge.install(Target("employee", ALICE))
    late = bridge.push(OTHER, "sent ten hours ago", created=wrote_at)  # a push that took as long
    await bridge.deliver(late)

    for openid in (GUEST, OTHER):
        policy = (await bridge.thread(openid)).policy
        assert (policy.last_guest_message_at, policy.window_ends_at, policy.next_due_at) == (
            wrote_at, wrote_at + 48 * HOUR, wrote_at + 24 * HOUR)
    assert len(from_the_guest(bridge, GUEST)) == len(from_the_guest(bridge, OTHER)) == 1


async def test_a_thread_start_a_crash_cut_short_is_started_again_saying_so():
    """Teams may have made the first thread (it takes no idempotency key) though the job never
    learnt of it: the next start says answers belong in the new thread."""
    import asyncio

    bridge = Bridge.build(default_target=INBOX)
    await bridge.install(INBOX)
    bridge.teams.refuse_next("start_thread", asyncio.CancelledError())  # the process stops mid-call
    await bridge.guest(GUEST, "first")
    [job] = await bridge.jobs("wechat_inbound")
    assert "started" in job["effects"]["teams_post"]
    bridge.clock.advance(60)  # the dead process's lease runs out: another run takes the job over
    await bridge.run_due()
    started = [c for c in bridge.teams.calls if c.method == "start_thread"]
    assert started[-1].shown.startswith("_Posted again after an interruption")
    assert started[-1].shown.endswith("**WeChat user …000001** (WeChat): first")
    thread = await bridge.thread(GUEST)
    assert thread.teams_conversation_id == f"{INBOX.id};messageid={started[-1].message_id}"
    # The first copy, if Teams made it, is a thread the bot does not know: an answer there is told.
    first_copy = f"{INBOX.id};messageid=unknown"
    assert await bridge.services.interrupted_starts.unknown_thread(INBOX.id, first_copy) == (thread.label,)


async def test_a_message_a_crash_may_have_posted_already_is_posted_again_saying_so():
    """A lost guest message is worse than one shown twice: the post is made again, opened by a line
    saying it may be above already. A message no crash came near is posted as it is."""
    import asyncio

    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    bridge.teams.refuse_next("post", asyncio.CancelledError())  # the process stops mid-call
    await bridge.guest(GUEST, "first")
    bridge.clock.advance(60)  # the dead process's lease runs out: another run takes the job over
    await bridge.run_due()
    await bridge.guest(GUEST, "second")
    assert from_the_guest(bridge)[-2:] == [
        "_Shown again after a restart: this message may be above already._\n\n"
        "**WeChat user …000001** (WeChat): first",
        "**WeChat user …000001** (WeChat): second"]


def stop_at(bridge: Bridge, container: str, when) -> None:
    """The process stops (CancelledError) in the first `replace` of `container` whose new body `when` says."""
    replace, stopped = bridge.storage.replace, []

    async def stopping(c, pk, id, body, etag):
        if c == container and not stopped and when(body):
            stopped.append(id)
            raise asyncio.CancelledError
        return await replace(c, pk, id, body, etag)

    bridge.storage.replace = stopping


async def test_a_follow_up_costs_its_job_one_write_after_the_acknowledgement():
    """The post's outcome is not written by itself: the thread's decision of the message, written next,
    shows it made, and the job's one write (done) carries it."""
    from core.storage import JOBS

    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, "first")
    bridge.storage.calls.clear()
    await bridge.guest(GUEST, "second")
    assert bridge.storage.calls.count(("replace", JOBS)) == 1
    [job] = [j for j in await bridge.jobs("wechat_inbound") if j["result"]["teams_activity_id"] ==
             from_the_guest_calls(bridge)[-1].message_id]
    assert job["status"] == DONE and job["effects"] == {"teams_post": {"outcome": job["result"]["teams_activity_id"]}}


def from_the_guest_calls(bridge: Bridge, openid: str = GUEST):
    return [c for c in bridge.teams.posts() if c.mark.get("origin") == "wechat" and c.mark["openid"] == openid]


async def test_a_crash_after_the_decision_of_a_post_does_not_post_it_again():
    """Stopped after the thread's decision was written, before the job was done: the job run again
    finds its decision and is done, without a second post or a second record entry."""
    from core.storage import JOBS

    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, "first")
    stop_at(bridge, JOBS, lambda body: body.get("status") == DONE)
    await bridge.guest(GUEST, "second")
    bridge.clock.advance(60)  # the dead process's lease runs out: another run takes the job over
    await bridge.run_due()
    assert from_the_guest(bridge) == ["**WeChat user …000001** (WeChat): first",
                                      "**WeChat user …000001** (WeChat): second"]
    assert {j["status"] for j in await bridge.jobs("wechat_inbound")} == {DONE}
    said = [e["push"]["content"] for e in await bridge.record(GUEST) if "push" in e]
    assert said == ["first", "second"]


async def test_a_crash_in_the_decision_of_a_follow_up_posts_it_on_the_next_run():
    """Stopped in the thread's decision (decided first, before the post): the job run again decides and
    posts it, once, opened by the line saying it may be above already (the run cannot tell how far the
    dead one got); decided once. tests/services/test_decided_first.py stops it between the later steps."""
    from core.storage import THREADS

    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, "first")
    second = bridge.push(GUEST, "second")
    stop_at(bridge, THREADS, lambda body: second.dedup_key in body.get("applied", []))  # its decision
    await bridge.deliver(second)
    bridge.clock.advance(60)
    await bridge.run_due()
    assert from_the_guest(bridge) == [
        "**WeChat user …000001** (WeChat): first",
        "_Shown again after a restart: this message may be above already._\n\n**WeChat user …000001** (WeChat): second"]
    assert (await bridge.thread(GUEST)).applied.count(second.dedup_key) == 1
    assert {j["status"] for j in await bridge.jobs("wechat_inbound")} == {DONE}


async def test_a_job_kept_by_the_previous_version_is_still_delivered():
    # It kept the message typed, its fields again and WeChat's raw XML; this version keeps the fields once.
    from dataclasses import asdict

    from services.job_kinds import WECHAT_INBOUND

    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    msg = bridge.push(GUEST, "from before the upgrade")
    payload = {"message": asdict(msg), "received_at": bridge.clock.now(), "account": "default",
               "raw": "<xml><Content><![CDATA[from before the upgrade]]></Content></xml>"}
    await bridge.worker.enqueue(WECHAT_INBOUND, msg.dedup_key, payload, pk=GUEST)
    await bridge.settle()
    assert from_the_guest(bridge) == ["**WeChat user …000001** (WeChat): from before the upgrade"]


def _pushed(bridge: Bridge, msg_type: str, **fields: str):
    from core.inbound import WeChatInbound
    from tests.fakes import ACCOUNT_ID

    return WeChatInbound.of({"ToUserName": ACCOUNT_ID, "FromUserName": GUEST,
                             "CreateTime": str(int(bridge.clock.now())), "MsgType": msg_type,
                             "MsgId": f"{msg_type}-1", **fields})


async def test_dlp_reads_a_links_title_description_and_address_and_masks_each_where_it_matched():
    everyone = Directory.open().sub_organizations[0]
    redacting = DlpPolicy((Rule("cards", "inbound", "redact", detector="card"),))
    bridge = Bridge.build(Directory((replace(everyone, dlp=redacting),)))
    await bridge.install(Target("employee", ALICE))
    await bridge.deliver(_pushed(bridge, "link", Title="Pay 4111 1111 1111 1111", Description="card 4111111111111111",
                                 Url="https://pay.example/?c=4111111111111111"))

    [shown] = from_the_guest(bridge)
    masked = lambda n: "\\*" * n  # noqa: E731 - as Markdown shows a star literally
    assert "4111" not in shown and f"Pay {masked(19)}" in shown and f"card {masked(16)}" in shown
    assert f"(https://pay.example/?c={'*' * 16})" in shown
    [decided, *_] = await bridge.record(GUEST)
    assert decided["dlp"]["action"] == "redact" and len(decided["dlp"]["findings"]) == 3


async def test_a_location_whose_label_dlp_blocks_is_withheld_and_the_guest_told_why():
    everyone = Directory.open().sub_organizations[0]
    blocking = DlpPolicy((Rule("ids", "inbound", "block", detector="cn_id"),))
    bridge = Bridge.build(Directory((replace(everyone, dlp=blocking),)))
    await bridge.install(Target("employee", ALICE))
    await bridge.deliver(_pushed(bridge, "location", Location_X="31.2", Location_Y="121.5", Scale="15",
                                 Label="ID 11010519491231002X"))

    assert from_the_guest(bridge) == [] and not any("1101" in shown for shown in bridge.teams.shown())
    assert "居民身份证号码" in bridge.wechat.said_to(GUEST)[-1]
    [job] = await bridge.jobs("wechat_inbound")
    assert job["result"]["why"] == "withheld by data-loss prevention"
