"""ConversationRunner: a decision's commands survive a crash between the state write and the jobs; on the fakes,
sends go to WeChat and their answers back to the policy, notices and the live card reach Teams."""
import pytest

from adapters.storage.sqlite import SqliteStorage
from adapters.teams.errors import ActivityNotFound, BotNotInConversationRoster
from adapters.wechat.errors import WeChatOutcomeUnknown, error_for
from core.clock import FakeClock
from core.conversation_policy import EmployeeMessage, GuestMessage
from core.organizations import Directory
from core.threads import Target, Thread
from services.jobs import PENDING
from services.job_kinds import POLICY_NOTICE, POLICY_SEND, POLICY_STATUS, POLICY_TEMPLATE
from services.conversation_runner import ConversationRunner
from services.live_cards import LiveCards
from services.threads import ThreadStore
from tests.card_walk import actions
from tests.fakes import ALICE, Bridge, TeamsCall, personal_conversation


class RecordingWorker:
    def __init__(self, crash: bool = False) -> None:
        self.jobs: dict[str, tuple[str, dict]] = {}
        self.crash = crash

    async def enqueue(self, kind, id, payload, *, pk):
        if self.crash:
            raise ConnectionError("the process died here")
        if id in self.jobs:
            return None
        self.jobs[id] = (kind, payload)
        return id


@pytest.fixture
async def threads(tmp_path):
    storage = SqliteStorage(str(tmp_path / "t.sqlite3"))
    await storage.open()
    store = ThreadStore(storage, clock=FakeClock())
    await store.save(Thread(openid="o1", target=Target("employee", "a")), None)
    yield store
    await storage.close()


def runner(threads, worker, *, wechat=None, directory=None, clock=None):
    directory, clock = directory or Directory.open(), clock or FakeClock()
    live_cards = LiveCards(threads=threads, worker=worker, teams=None, directory=directory, clock=clock)
    return ConversationRunner(threads=threads, worker=worker, teams=None, wechat=wechat, directory=directory,
                              clock=clock, live_cards=live_cards)


async def test_commands_written_before_a_crash_are_started_by_the_next_decision(threads):
    with pytest.raises(ConnectionError):
        await runner(threads, RecordingWorker(crash=True)).apply("o1", GuestMessage("hi"), "evt-1")
    (thread, _) = await threads.get("o1")
    assert thread.outbox and "evt-1" in thread.applied  # decided and written, not started

    worker = RecordingWorker()
    after = runner(threads, worker)  # a new process
    await after.apply("o1", EmployeeMessage("m1", "hello", "alice"), "evt-2")
    started = list(worker.jobs)
    assert started[: len(thread.outbox)] == [f"cmd:o1:{e['id']}" for e in thread.outbox]  # first, in order
    assert [p["text"] for k, p in worker.jobs.values() if k == POLICY_SEND][-1] == "alice: hello"


async def test_an_event_decided_once_is_not_decided_again_when_its_job_reruns(threads):
    worker = RecordingWorker()
    r = runner(threads, worker)
    await r.apply("o1", GuestMessage("hi"), "evt-1")
    (first, _) = await threads.get("o1")
    await r.apply("o1", GuestMessage("hi"), "evt-1")
    (again, _) = await threads.get("o1")
    assert again.policy == first.policy and again.outbox_seq == first.outbox_seq


class NoWeChat(dict):
    def __getitem__(self, account):
        raise AssertionError("a blocked message must not reach WeChat")


async def test_dlp_runs_again_when_a_queued_message_goes_out(threads):
    """Rules changed while a message waited: it is stopped on its way out, and the slot is given back."""
    from core.dlp import DlpPolicy, Rule
    from core.organizations import SubOrganization
    from services.jobs import Job

    worker = RecordingWorker()
    before = runner(threads, worker)
    await before.apply("o1", GuestMessage("hi"), "evt-1")
    await before.apply("o1", EmployeeMessage("m1", "card 4111 1111 1111 1111", "alice"), "evt-2")
    (kind, payload) = next(job for job in worker.jobs.values() if job[1].get("message_id") == "m1")
    assert kind == POLICY_SEND and payload["kind"] == "employee"

    blocking = DlpPolicy((Rule("cards", "outbound", "block", detector="card"),))
    open_sub = Directory.open().sub_organizations[0]
    after = runner(threads, worker, wechat=NoWeChat(),
                   directory=Directory((SubOrganization(**{**vars(open_sub), "dlp": blocking}),)))
    result = await after.send(Job("cmd:o1:x", "o1", POLICY_SEND, payload, "leased", 0, "", {}))

    assert result == {"blocked": True}
    (thread, _) = await threads.get("o1")
    assert [p.message_id for p in thread.policy.pending] == ["notice:welcome_guest:1"]  # m1 is not
    assert thread.policy.employee_sent == 0
    notices = [p["text"] for k, p in worker.jobs.values() if p.get("message_id") == "m1" and k != POLICY_SEND]
    assert notices and "payment card number" in notices[-1]


class BusyWeChat:
    async def send_text(self, openid, text):
        from adapters.wechat.errors import SystemBusy

        raise SystemBusy(-1, "system error")


async def test_a_send_given_up_after_its_attempts_is_refused_not_left_pending(threads):
    from services.jobs import JobQueue
    from services.worker import Worker

    clock = FakeClock()
    worker = Worker(JobQueue(threads.storage, clock, "t", max_attempts=2))
    policy = runner(threads, worker, wechat={"default": BusyWeChat()}, clock=clock)
    worker.register(POLICY_SEND, policy.send, gave_up=policy.gave_up_sending)
    worker.register(POLICY_TEMPLATE, policy.template, gave_up=policy.gave_up_sending)
    worker.register(POLICY_NOTICE, policy.notice)
    worker.register(POLICY_STATUS, policy.live_cards.status)
    await policy.apply("o1", GuestMessage("hi"), "evt-1")
    await policy.apply("o1", EmployeeMessage("m1", "hello", "alice"), "evt-2")
    await worker.drain()
    (thread, _) = await threads.get("o1")
    assert "m1" in [p.message_id for p in thread.policy.pending]  # WeChat busy: tried again later
    for _ in range(3):
        clock.advance(3600)
        await worker.sweep()
    (thread, _) = await threads.get("o1")
    assert thread.policy.pending == ()  # given up: refused, and the employees told
    told = [j for j in await threads.storage.query("jobs") if j.body["payload"].get("message_id") == "m1"
            and j.body["kind"] == "teams_notice"]
    assert told and "WeChat refused your message (error -1" in told[0].body["payload"]["text"]


# -- the runner on the fakes (tests/fakes.py): what WeChat and Teams were asked, what the thread holds ---------

GUEST = "oGuestConversationRunner00000001"


async def guest_with_alice() -> Bridge:

    bridge = Bridge.build()
    await bridge.install(Target("employee", ALICE))
    await bridge.guest(GUEST, "hello")
    return bridge


def bridge_posts(bridge: Bridge, notice: str | None = None, card: str | None = None) -> list[TeamsCall]:
    """What the bridge posted in Alice's chat: its notices (`notice`) or its cards (`card`)."""

    return [c for c in bridge.teams.posts(personal_conversation(ALICE))
            if (notice and c.mark.get("notice") == notice) or (card and c.mark.get("card") == card)]


async def test_a_send_goes_to_wechat_and_its_answer_comes_back_to_the_policy():
    bridge = await guest_with_alice()
    await bridge.employee(ALICE, "hello back", name="Alice")
    assert bridge.wechat.said_to(GUEST)[-1] == "Alice: hello back"
    [send] = [j for j in await bridge.jobs(POLICY_SEND) if j["payload"]["kind"] == "employee"]
    assert send["result"] == {"errcode": 0, "errmsg": ""}
    policy = (await bridge.thread(GUEST)).policy
    assert policy.pending == () and policy.employee_sent == 1  # answered: counted, nothing in flight


async def test_a_message_wechat_refuses_goes_back_to_the_queue_and_the_employees_are_told():
    bridge = await guest_with_alice()
    bridge.wechat.refuse_next("send_text", error_for(45015, "response out of time limit"))
    await bridge.employee(ALICE, "too late?", name="Alice")
    policy = (await bridge.thread(GUEST)).policy
    assert [item.text for item in policy.queue] == ["too late?"] and policy.pending == ()
    assert policy.status == "inactive_time"
    assert bridge_posts(bridge, notice="queued") and bridge_posts(bridge, notice="chat_inactive")


async def test_a_transient_refusal_is_tried_again_and_the_message_stays_in_flight_meanwhile():
    bridge = await guest_with_alice()
    bridge.wechat.refuse_next("send_text", error_for(-1, "system busy"))
    await bridge.employee(ALICE, "once WeChat is back", name="Alice")
    assert [p.item.text for p in (await bridge.thread(GUEST)).policy.pending] == ["once WeChat is back"]
    bridge.clock.advance(60)
    await bridge.run_due()
    assert bridge.wechat.said_to(GUEST)[-1] == "Alice: once WeChat is back"
    assert (await bridge.thread(GUEST)).policy.pending == ()


async def test_an_answer_that_never_came_is_unconfirmed_and_offered_to_send_again():
    bridge = await guest_with_alice()
    bridge.wechat.refuse_next("send_text", WeChatOutcomeUnknown("timed out after the request was sent"))
    await bridge.employee(ALICE, "did it arrive?", name="Alice")
    policy = (await bridge.thread(GUEST)).policy
    assert [item.text for item in policy.unconfirmed] == ["did it arrive?"] and policy.pending == ()
    [card] = bridge_posts(bridge, notice="not_confirmed")
    [again] = actions(card.post.card, "Action.Submit")
    assert (again["data"]["thread"], again["data"]["message"]) == (GUEST, policy.unconfirmed[0].message_id)
    assert bridge.wechat.said_to(GUEST).count("Alice: did it arrive?") == 1


async def test_notices_with_a_card_of_their_own_are_cards_the_others_text():
    bridge = await guest_with_alice()
    [welcome] = bridge_posts(bridge, notice="welcome_employee")
    assert welcome.post.card is not None and welcome.post.text == ""
    bridge.clock.advance(24 * 3600 + 1)
    await bridge.conversations.fire_due_timers()
    await bridge.settle()
    [warning] = bridge_posts(bridge, notice="no_reply_24h")
    assert warning.post.card is not None and "not responded for 24 hours" in warning.shown
    bridge.clock.advance(24 * 3600)
    await bridge.conversations.fire_due_timers()
    await bridge.settle()
    [inactive] = bridge_posts(bridge, notice="chat_inactive")
    assert inactive.post.card is None
    assert inactive.post.text.startswith("**WeChat user …000001** · This chat is now inactive.")
    await bridge.employee(ALICE, "queued now", name="Alice")
    assert bridge_posts(bridge, notice="queued")[0].post.text.startswith("**WeChat user …000001** · Queued")


async def test_the_live_card_is_posted_once_then_updated_in_place_and_posted_anew_if_deleted():
    bridge = await guest_with_alice()
    [live] = bridge_posts(bridge, card="status")
    assert (await bridge.thread(GUEST)).status_activity_id == live.message_id
    await bridge.employee(ALICE, "one", name="Alice")
    await bridge.employee(ALICE, "two", name="Alice")
    assert len(bridge_posts(bridge, card="status")) == 1
    assert "1 of 4 messages left" in bridge.teams.updates(live.message_id)[-1].shown  # the welcome took one

    deleted = ActivityNotFound(404, "NotFound", "the message was deleted")
    bridge.teams.refuse_next("update", deleted, deleted)  # at once, then by the job
    await bridge.employee(ALICE, "three", name="Alice")
    [_, new] = bridge_posts(bridge, card="status")
    assert (await bridge.thread(GUEST)).status_activity_id == new.message_id
    assert "0 of 4 messages left" in new.shown


async def test_a_notice_for_a_conversation_teams_no_longer_has_waits():
    bridge = await guest_with_alice()
    bridge.teams.refuse_next("post", BotNotInConversationRoster(403, "BotNotInConversationRoster", "removed"))
    bridge.clock.advance(24 * 3600 + 1)
    await bridge.conversations.fire_due_timers()
    await bridge.settle()
    [waiting] = [j for j in await bridge.jobs(POLICY_NOTICE) if j["payload"]["notice"] == "no_reply_24h"]
    assert waiting["status"] == PENDING and bridge_posts(bridge, notice="no_reply_24h") == []
    bridge.clock.advance(900)
    await bridge.run_due()
    assert len(bridge_posts(bridge, notice="no_reply_24h")) == 1


async def test_a_notice_a_crash_may_have_posted_already_is_posted_again_saying_so():
    """Teams takes no idempotency key: a notice whose post a crash cut short is posted again by the
    run that takes its job over, above the card a line saying it may be there already."""
    import asyncio

    bridge = await guest_with_alice()
    bridge.teams.refuse_next("post", asyncio.CancelledError())  # the process stops mid-call
    bridge.clock.advance(24 * 3600 + 1)
    await bridge.conversations.fire_due_timers()
    await bridge.settle()
    assert bridge_posts(bridge, notice="no_reply_24h") == []
    bridge.clock.advance(60)  # the dead process's lease runs out: another run takes the job over
    await bridge.run_due()
    [warning] = bridge_posts(bridge, notice="no_reply_24h")
    assert warning.post.text == "_Shown again after a restart: this message may be above already._"
    assert warning.post.card is not None and "not responded for 24 hours" in warning.shown
