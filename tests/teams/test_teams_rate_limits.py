"""Teams' rate limits as the Bot Connector simulator enforces them: each window, per conversation and
per tenant, what counts, and the control route."""
from __future__ import annotations

import pytest

from simulators import teams_client
from simulators.teams_client import TeamsUser
from simulators.teams_rate_limits import RateLimits
from tests.teams.test_connector_simulator import call, register_personal

TENANT = teams_client.DEFAULT_TENANT


def taken(limits: RateLimits, now: float, count: int, conversation: str = "c1", tenant: str = "t",
          kind: str = "write") -> int:
    """How many of `count` operations at `now` the limits let through."""
    return sum(limits.check(now, conversation, tenant, kind) is None for _ in range(count))


def test_off_by_default():
    assert taken(RateLimits(), 0.0, 100) == 100


def test_seven_a_second_then_the_wait_until_the_first_leaves():
    limits = RateLimits(enabled=True)
    assert taken(limits, 10.0, 8) == 7
    assert limits.check(10.5, "c1", "t") == pytest.approx(0.5)
    assert taken(limits, 11.0, 1) == 1  # the first second's operations have left the 1 s window


def test_eight_per_two_seconds():
    limits = RateLimits(enabled=True)
    assert taken(limits, 0.0, 7) == 7
    assert taken(limits, 1.0, 7) == 1  # 8 in the 2 s window
    assert limits.check(1.5, "c1", "t") == pytest.approx(0.5)
    assert taken(limits, 2.0, 7) == 7


def test_sixty_per_thirty_seconds():
    limits = RateLimits(enabled=True)
    sent = sum(taken(limits, 2.0 * i, 7) for i in range(15))  # 7 every 2 s
    assert sent == 60  # the 30 s window stopped the rest
    assert limits.check(29.0, "c1", "t") == pytest.approx(1.0)
    assert taken(limits, 30.0, 8) == 7  # the first 7 have left the window


def test_eighteen_hundred_an_hour():
    limits = RateLimits(enabled=True)
    sent = sum(taken(limits, 0.5 * i, 1) for i in range(2400))  # 2 a second for 20 minutes
    assert sent == 1800  # 2 a second is 60 per 30 s: the hour's window stopped the last 600
    assert limits.check(1200.0, "c1", "t") == pytest.approx(2400.0)
    assert taken(limits, 3600.0, 2) == 1  # the first has left the hour


def test_conversations_are_counted_apart_but_the_tenant_together():
    limits = RateLimits(enabled=True)
    sent = sum(taken(limits, 0.0, 7, conversation=f"c{i}") for i in range(10))
    assert sent == 50  # 50 a second per tenant, across conversations
    assert taken(limits, 0.0, 7, conversation="c99", tenant="other") == 7
    assert limits.refused_tenants == {"t": 20}
    assert sum(limits.refused.values()) == 20


def test_reads_have_their_own_windows():
    limits = RateLimits(enabled=True)
    assert taken(limits, 0.0, 7) == 7
    assert taken(limits, 0.0, 20, kind="read") == 14


@pytest.mark.asyncio
async def test_sends_replies_updates_and_deletes_all_count_and_the_route_counts_429s(connector, session):
    conversation = await register_personal(connector, session, TeamsUser("Alice Advisor"))
    base = f"{connector.url}v3/conversations/{conversation}/activities"
    status, snapshot, _ = await call(session, "POST", connector.url + "sim/rate-limits", {"enabled": True})
    assert status == 200 and snapshot["enabled"] and snapshot["perTenant"] == [[1.0, 50]]

    status, sent, _ = await call(session, "POST", base, {"type": "message", "text": "one"})
    statuses = [status]
    for _ in range(2):
        statuses.append((await call(session, "POST", f"{base}/{sent['id']}", {"type": "message"}))[0])
        statuses.append((await call(session, "PUT", f"{base}/{sent['id']}", {"type": "message"}))[0])
    _, reply, _ = await call(session, "POST", f"{base}/{sent['id']}", {"type": "message"})
    statuses.append((await call(session, "DELETE", f"{base}/{reply['id']}"))[0])  # the 7th write
    statuses.append((await call(session, "PUT", f"{base}/{sent['id']}", {"type": "message"}))[0])
    assert statuses == [201, 201, 200, 201, 200, 200, 429]

    _, snapshot, _ = await call(session, "GET", connector.url + "sim/rate-limits")
    assert snapshot["refused"] == {conversation: 1} and snapshot["refusedTotal"] == 1
    assert snapshot["refusedTenants"] == {}


@pytest.mark.asyncio
async def test_the_route_sets_the_windows(connector, session, clock):
    conversation = await register_personal(connector, session, TeamsUser("Alice Advisor"))
    url = f"{connector.url}v3/conversations/{conversation}/activities"
    status, _, _ = await call(session, "POST", connector.url + "sim/rate-limits",
                              {"perConversation": {"write": [[10, 2]]}, "perTenant": []})
    assert status == 200
    statuses = [(await call(session, "POST", url, {"type": "message"}))[0] for _ in range(3)]
    assert statuses == [201, 201, 429]
    _, _, headers = await call(session, "POST", url, {"type": "message"})
    assert headers["Retry-After"] == "10"
    status, body, _ = await call(session, "POST", connector.url + "sim/rate-limits",
                                 {"enabled": False, "perTenant": [[0, 1]]})
    assert (status, body["error"]["code"]) == (400, "BadArgument")
    _, snapshot, _ = await call(session, "GET", connector.url + "sim/rate-limits")
    assert snapshot["enabled"] and snapshot["perTenant"] == [] and snapshot["refused"] == {conversation: 2}
