"""Every record entry logged in the CRMs through the same outbox: a signed webhook (each entry once,
its signature checked by the receiver) and Salesforce (one Task per contact per day, rewritten as
the day goes on), through a token expiry and a 503."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer

from core.crm import day_of, task_key
from services.record import Recorder
from simulators.crm import SALESFORCE_STATE, WEBHOOK_STATE, create_salesforce_simulator, create_webhook_receiver
from tests.e2e.conftest import ALICE, _close, _stack

SECRET, CLIENT_ID, CLIENT_SECRET = "whsec-test-1", "3MVG9-bridge", "sf-secret-1"


@pytest.fixture
async def crm(tmp_path):
    from core.clock import FakeClock
    import time

    clock = FakeClock(start=time.time())
    receiver = TestServer(create_webhook_receiver(SECRET, clock=clock), host="127.0.0.1")
    salesforce = TestServer(create_salesforce_simulator(CLIENT_ID, CLIENT_SECRET, clock=clock), host="127.0.0.1")
    await receiver.start_server()
    await salesforce.start_server()
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                         CRM_WEBHOOK_URL=str(receiver.make_url("/wechat-events")), CRM_WEBHOOK_SECRET=SECRET,
                         SALESFORCE_LOGIN_URL=str(salesforce.make_url("")).rstrip("/"),
                         SALESFORCE_CLIENT_ID=CLIENT_ID, SALESFORCE_CLIENT_SECRET=CLIENT_SECRET)
    try:
        await stack.install(ALICE)
        yield stack, receiver.app[WEBHOOK_STATE], salesforce.app[SALESFORCE_STATE]
    finally:
        await _close(stack)
        await receiver.close()
        await salesforce.close()


async def talk(stack, openid: str, nickname: str = "Chen Wei"):
    guest = stack.wechat.guest(openid, nickname)
    await guest.say("Please call me about the bond fund")
    await stack.settle()
    await stack.employee_says(ALICE, "I will call you at 3pm")
    await stack.settle()
    return guest


async def test_each_entry_reaches_the_webhook_once_and_the_day_is_one_salesforce_task(crm):
    stack, webhook, salesforce = crm
    guest = await talk(stack, "oGuestCrm0000000000000001")
    record = await Recorder(stack.components.storage, stack.clock).entries(guest.openid)

    assert sorted(webhook.events) == sorted(f"{e['thread']}:{e['seq']}" for e in record)
    assert all(d.status == 200 for d in webhook.deliveries)  # every signature held
    assert all(webhook.received(key) == 1 for key in webhook.events)

    [task] = salesforce.tasks()
    assert task["WeChat_Conversation_Key__c"] == task_key(guest.openid, day_of(record[0]["at"]))
    assert "Chen Wei" in task["Subject"]
    assert "Please call me about the bond fund" in task["Description"]
    assert "I will call you at 3pm" in task["Description"]


async def test_a_token_expiry_and_a_503_lose_nothing(crm):
    stack, webhook, salesforce = crm
    guest = await talk(stack, "oGuestCrm0000000000000002")
    assert len(salesforce.token_requests) == 1

    salesforce.expire_tokens()
    salesforce.fail_next(503, retry_after=30)
    await stack.employee_says(ALICE, "Confirming 3pm")
    await stack.settle()
    waiting = [j for j in await stack.jobs() if j.body["kind"] == "crm:salesforce" and j.body["status"] == "pending"]
    assert waiting and all(j.body["waiting_for"] == "crm:salesforce" for j in waiting)

    stack.clock.advance(60)
    for _ in range(5):
        await stack.components.worker.sweep()
        await stack.settle()
    [task] = salesforce.tasks()
    assert "Confirming 3pm" in task["Description"]
    assert len(salesforce.token_requests) == 2  # the expired token was replaced once
    record = await Recorder(stack.components.storage, stack.clock).entries(guest.openid)
    assert sorted(webhook.events) == sorted(f"{e['thread']}:{e['seq']}" for e in record)
    assert all(j.body["status"] == "done" for j in await stack.jobs() if j.body["kind"].startswith("crm:"))
