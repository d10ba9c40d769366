"""Salesforce as the CRM (adapters/crm/salesforce.py) against a local Salesforce (simulators/crm.py)
over real HTTP on 127.0.0.1: one Task per contact per day, rewritten as the day goes on; an
expired token refreshed once; a 503 waited for; wrong credentials a configuration error that
never shows the secret; one token request however many logs wait; a day too long for the
Description keeps its end."""
from __future__ import annotations

import asyncio
import socket

import pytest

from adapters.crm.salesforce import CUT_MARKER, DESCRIPTION_LIMIT, SalesforceCrm
from core.clock import FakeClock
from core.crm import CrmRejected, CrmUnavailable, day_of, task_key
from core.record import GENESIS, chained
from simulators.crm import SALESFORCE_STATE, create_salesforce_simulator
from tests.crm.test_crm_core import ALICE, DAY0, GUEST, NAMES, NINE, answer, employee, guest

CLIENT_ID = "3MVG9simulatorConsumerKey0123456789"
SECRET = "sf-consumer-secret-E5F6A7B8C9D0"
KEY = task_key(GUEST, "2025-11-22")


@pytest.fixture
def clock():
    return FakeClock(NINE)


@pytest.fixture
async def server(serve, clock):
    return await serve(create_salesforce_simulator(CLIENT_ID, SECRET, clock=clock))


@pytest.fixture
def state(server):
    return server.app[SALESFORCE_STATE]


async def names(thread: str) -> dict[str, str]:
    return dict(NAMES) if thread == GUEST else {}


def make(server, session, clock, **kw) -> SalesforceCrm:
    kw.setdefault("names", names)
    secret = kw.pop("secret", SECRET)
    return SalesforceCrm(str(server.make_url("")).rstrip("/"), kw.pop("client_id", CLIENT_ID), secret, session,
                         timeout=5.0, clock=clock.now, **kw)


@pytest.fixture
def crm(server, session, clock):
    return make(server, session, clock)


class Thread:
    """A thread's record as the recorder makes it, and what a CRM job would be handed."""

    def __init__(self, openid: str = GUEST) -> None:
        self.openid, self.entries = openid, []

    def add(self, fields: dict) -> tuple[dict, list[dict]]:
        prev = self.entries[-1]["hash"] if self.entries else GENESIS
        entry = chained(fields, thread=self.openid, seq=len(self.entries) + 1, prev=prev)
        self.entries.append(entry)
        return entry, [e for e in self.entries if day_of(e["at"]) == day_of(entry["at"])]  # the day so far


async def test_one_task_per_contact_per_day_rewritten_as_the_day_goes_on(crm, state):
    thread = Thread()
    await crm.log(*thread.add(guest()))
    task = state.task(KEY)
    assert {k: task[k] for k in ("Subject", "ActivityDate", "Status", "Type", "TaskSubtype",
                                 "WeChat_Conversation_Key__c")} == {
        "Subject": "WeChat conversation with 陈先生 (2025-11-22)", "ActivityDate": "2025-11-22",
        "Status": "Completed", "Type": "WeChat", "TaskSubtype": "Task", "WeChat_Conversation_Key__c": KEY}
    first = task["Description"]
    assert first == "09:01 陈先生 → Alice Advisor, Bob Broker: 请卖出100股 please"

    await crm.log(*thread.add(employee()))
    await crm.log(*thread.add(answer()))
    task = state.task(KEY)
    assert len(state.tasks()) == 1 and state.writes(KEY) == 3
    assert task["Description"].startswith(first) and task["Description"].endswith(
        "09:02 Alice Advisor → 陈先生: Alice Advisor: Noted, selling at market.")
    assert [r.status for r in state.requests] == [201, 204, 204]
    assert "TaskSubtype" in state.requests[0].json and "TaskSubtype" not in state.requests[1].json

    await crm.log(*thread.add(guest(text="早上好", at=DAY0 + 86_400 + 8 * 3600)))  # the next (UTC) day
    tomorrow = state.task(task_key(GUEST, "2025-11-23"))
    assert tomorrow["Description"] == "08:00 陈先生 → Alice Advisor, Bob Broker: 早上好"
    assert tomorrow["ActivityDate"] == "2025-11-23" and len(state.tasks()) == 2
    assert state.task(KEY)["Description"] == task["Description"]  # yesterday's stays as it was
    assert len(state.token_requests) == 1


async def test_after_a_restart_an_existing_task_is_updated_without_its_create_only_field(server, session, clock,
                                                                                         crm, state):
    thread = Thread()
    await crm.log(*thread.add(guest()))
    restarted = make(server, session, clock)  # knows nothing of the Task
    await restarted.log(*thread.add(employee()))
    assert [(r.status, "TaskSubtype" in r.json) for r in state.requests] == [(201, True), (400, True), (204, False)]
    assert state.task(KEY)["TaskSubtype"] == "Task" and state.writes(KEY) == 2
    await restarted.log(*thread.add(answer()))
    assert [r.status for r in state.requests][3:] == [204]  # known now: one request


async def test_an_expired_token_is_refreshed_once_and_the_request_goes_through(crm, state, clock):
    thread = Thread()
    await crm.log(*thread.add(guest()))
    clock.advance(600)
    state.expire_tokens()
    await crm.log(*thread.add(employee()))
    assert len(state.token_requests) == 2
    assert [r.status for r in state.requests] == [201, 401, 204]
    assert state.writes(KEY) == 2


async def test_a_token_that_keeps_expiring_by_ttl_is_refreshed_too(serve, session, clock):
    sim = await serve(create_salesforce_simulator(CLIENT_ID, SECRET, clock=clock, token_ttl_seconds=60))
    crm, state, thread = make(sim, session, clock), sim.app[SALESFORCE_STATE], Thread()
    await crm.log(*thread.add(guest()))
    clock.advance(61)
    await crm.log(*thread.add(employee()))
    assert len(state.token_requests) == 2 and state.writes(KEY) == 2


async def test_two_401s_in_a_row_wait_for_the_credentials_to_be_fixed(crm, state):
    thread = Thread()
    state.fail_next(401, times=2)
    with pytest.raises(CrmUnavailable) as rejected:
        await crm.log(*thread.add(guest()))
    assert rejected.value.status == 401 and "INVALID_SESSION_ID" in str(rejected.value)
    assert len(state.token_requests) == 2 and state.tasks() == []
    for token in state.tokens:
        assert token not in str(rejected.value) and token not in repr(crm)
    assert SECRET not in str(rejected.value)


async def test_a_503_with_retry_after_is_unavailable_and_the_next_try_writes(crm, state):
    thread = Thread()
    entry, day = thread.add(guest())
    state.fail_next(503, retry_after=120)
    with pytest.raises(CrmUnavailable) as unavailable:
        await crm.log(entry, day)
    assert (unavailable.value.status, unavailable.value.retry_after) == (503, 120)
    assert "SERVER_UNAVAILABLE" in str(unavailable.value) and state.tasks() == []
    state.fail_next(429)
    with pytest.raises(CrmUnavailable):
        await crm.log(entry, day)
    state.fail_next(403)  # REQUEST_LIMIT_EXCEEDED: the org's daily API limit, back tomorrow
    with pytest.raises(CrmUnavailable, match="REQUEST_LIMIT_EXCEEDED"):
        await crm.log(entry, day)
    await crm.log(entry, day)
    assert state.writes(KEY) == 1 and len(state.token_requests) == 1


async def test_wrong_credentials_are_a_configuration_error_that_never_shows_the_secret(server, session, clock,
                                                                                         state):
    wrong = make(server, session, clock, secret="the-wrong-secret-123")
    with pytest.raises(CrmUnavailable) as rejected:  # the entries wait for the configuration to be fixed
        await wrong.log(*Thread().add(guest()))
    message = str(rejected.value)
    assert rejected.value.status == 400 and "invalid_client" in message and "client secret" in message
    assert "the-wrong-secret-123" not in message and "the-wrong-secret-123" not in repr(wrong)
    assert "the-wrong-secret-123" not in repr(rejected.value.args) and "client_secret=***" in repr(wrong)
    assert [r.json["client_secret"] for r in state.token_requests] == ["***"]  # the simulator keeps none either

    unknown = make(server, session, clock, client_id="not-an-app")
    with pytest.raises(CrmUnavailable, match="invalid_client_id"):
        await unknown.log(*Thread().add(guest()))
    assert state.tasks() == [] and state.requests == []


async def test_a_token_endpoint_that_is_down_is_unavailable(crm, state):
    state.fail_next(503, retry_after=7, route="token")
    with pytest.raises(CrmUnavailable) as unavailable:
        await crm.log(*Thread().add(guest()))
    assert unavailable.value.retry_after == 7 and state.requests == []
    await crm.log(*Thread().add(guest()))
    assert state.writes(KEY) == 1


async def test_concurrent_logs_share_one_token_request(crm, state):
    threads = [Thread(f"oGuestConcurrent{i:08d}") for i in range(12)]
    await asyncio.gather(*(crm.log(*t.add(guest())) for t in threads))
    assert len(state.token_requests) == 1 and len(state.tasks()) == 12

    state.expire_tokens()  # every one of them refused at once: still one new token
    await asyncio.gather(*(crm.log(*t.add(employee())) for t in threads))
    assert len(state.token_requests) == 2
    assert all(state.writes(task_key(t.openid, "2025-11-22")) == 2 for t in threads)


async def test_a_huge_day_is_cut_to_fit_keeping_its_end(crm, state):
    thread = Thread()
    for i in range(400):
        entry, day = thread.add(answer(text=f"message {i:03d} " + "很长的消息😀" * 20, at=NINE + i))
    await crm.log(entry, day)  # the whole day in one go, as a job that ran late would
    description = state.task(KEY)["Description"]
    units = len(description.encode("utf-16-le")) // 2
    assert units <= DESCRIPTION_LIMIT and units > DESCRIPTION_LIMIT - 300
    assert description.startswith(CUT_MARKER + "\n")
    assert description.split("\n")[1].startswith("09:") and description.endswith("很长的消息😀")
    assert "message 399" in description and "message 000" not in description


async def test_an_org_without_the_external_id_field_is_rejected(serve, session, clock):
    sim = await serve(create_salesforce_simulator(CLIENT_ID, SECRET, clock=clock, external_id_field="Other__c"))
    with pytest.raises(CrmRejected, match="NOT_FOUND") as rejected:
        await make(sim, session, clock).log(*Thread().add(guest()))
    assert rejected.value.status == 404


async def test_salesforce_not_there_is_unavailable(session, clock):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    crm = SalesforceCrm(f"http://127.0.0.1:{port}", CLIENT_ID, SECRET, session, timeout=5.0, clock=clock.now)
    with pytest.raises(CrmUnavailable) as refused:
        await crm.log(*Thread().add(guest()))
    assert SECRET not in str(refused.value)


async def test_the_owner_and_a_missing_name_and_bad_settings(server, session, clock, state):
    crm = make(server, session, clock, names=None, task_owner_id="0055g00000ABCDEAAA")
    entry, day = Thread("oGuestNoName000000000001").add(guest(participants=[ALICE]))
    await crm.log(entry, [])  # no day given: the entry alone
    task = state.task(task_key("oGuestNoName000000000001", "2025-11-22"))
    assert task["OwnerId"] == "0055g00000ABCDEAAA"
    assert task["Subject"] == "WeChat conversation with oGuestNoName000000000001 (2025-11-22)"
    assert task["Description"].startswith(f"09:01 Guest → {ALICE}: ")
    for bad in ({"api_version": "61"}, {"task_owner_id": "x"}, {"timeout": 0}):
        with pytest.raises(ValueError):
            SalesforceCrm("https://x.my.salesforce.com", CLIENT_ID, SECRET, session, **bad)
    with pytest.raises(ValueError):
        SalesforceCrm("https://x.my.salesforce.com", CLIENT_ID, "", session)
