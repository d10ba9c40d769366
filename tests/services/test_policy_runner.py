"""PolicyRunner: a decision's commands survive a crash between the state write and the jobs."""
import pytest

from adapters.storage.sqlite import SqliteStorage
from core.clock import FakeClock
from core.conversation_policy import EmployeeMessage, GuestMessage
from core.organizations import Directory
from core.threads import Target, Thread
from services.policy import SEND, PolicyRunner
from services.threads import ThreadStore


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


def runner(threads, worker):
    return PolicyRunner(threads=threads, worker=worker, teams=None, wechat=None, directory=Directory.open(),
                        clock=FakeClock())


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
    assert [p["text"] for k, p in worker.jobs.values() if k == SEND][-1] == "alice: hello"


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
    assert kind == SEND and payload["kind"] == "employee"

    blocking = DlpPolicy((Rule("cards", "outbound", "block", detector="card"),))
    open_sub = Directory.open().sub_organizations[0]
    after = PolicyRunner(threads=threads, worker=worker, teams=None, wechat=NoWeChat(), clock=FakeClock(),
                         directory=Directory((SubOrganization(**{**vars(open_sub), "dlp": blocking}),)))
    result = await after.send(Job("cmd:o1:x", "o1", SEND, payload, "leased", 0, "", {}))

    assert result == {"blocked": True}
    (thread, _) = await threads.get("o1")
    assert [p.message_id for p in thread.policy.pending] == ["notice:welcome_guest:1"]  # m1 is not
    assert thread.policy.employee_sent == 0
    notices = [p["text"] for k, p in worker.jobs.values() if p.get("message_id") == "m1" and k != SEND]
    assert notices and "payment card number" in notices[-1]


class BusyWeChat:
    async def send_text(self, openid, text):
        from adapters.wechat.errors import SystemBusy

        raise SystemBusy(-1, "system error")


async def test_a_send_given_up_after_its_attempts_is_refused_not_left_pending(threads):
    from services.jobs import JobQueue, Worker

    clock = FakeClock()
    worker = Worker(JobQueue(threads.storage, clock, "t", max_attempts=2))
    policy = PolicyRunner(threads=threads, worker=worker, teams=None, wechat={"default": BusyWeChat()},
                          directory=Directory.open(), clock=clock)
    policy.register()
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
