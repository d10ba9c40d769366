"""Bot Framework authentication for real: the application in production mode, its OpenID metadata
URL (BotOpenIdMetadata) pointing at signing keys served on 127.0.0.1, and activities posted with
the tokens the Bot Connector signs (tests/e2e/bot_framework_keys.py). A valid token runs the turn;
every other is a 401, with one log line and no traceback, and nothing reaches WeChat."""
from __future__ import annotations

import asyncio
import logging
import time

import pytest
from botframework.connector.auth import MicrosoftAppCredentials

from simulators.teams_client import (DEFAULT_TENANT, TeamsBot, personal_installation, personal_message,
                                     register_conversation)
from tests.e2e.app_process import free_port
from tests.e2e.bot_framework_keys import BotFrameworkKeys, new_key
from tests.e2e.conftest import ALICE, _close, _stack

BOT = TeamsBot()  # the app id the simulators' activities are addressed to
KEY, FORGER = new_key(), new_key()
GUEST = "oGuestAuth0000000000000001"


def production(metadata_url: str) -> dict[str, str]:
    return {"APP_ENV": "production", "MicrosoftAppId": BOT.app_id, "MicrosoftAppPassword": "secret",
            "MicrosoftAppTenantId": DEFAULT_TENANT, "BotOpenIdMetadata": metadata_url,
            "DEFAULT_TARGET": f"employee:{ALICE.aad_object_id}"}


@pytest.fixture
def keys():
    served = BotFrameworkKeys(KEY).start()
    yield served
    served.close()


@pytest.fixture(autouse=True)
def azure_ad(monkeypatch):
    """The bot's own token for the Bot Connector comes from Azure AD, which tests cannot reach."""
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "bot-token")


@pytest.fixture
async def stack(tmp_path, keys):
    s = await _stack(tmp_path, **production(keys.metadata_url))
    try:
        yield s
    finally:
        await _close(s)


def bearer(keys: BotFrameworkKeys, stack, **claims) -> str:
    return "Bearer " + keys.token(app_id=BOT.app_id, service_url=stack.connector_url, **claims)


async def deliver(stack, activity: dict, authorization: str | None) -> int:
    """What the Bot Connector does: POST the activity to the bot with its token."""
    await register_conversation(stack.session, activity)
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with stack.session.post(stack.app_server.make_url("/api/messages"), json=activity, headers=headers) as r:
        return r.status


async def alice_talks_with_a_guest(stack, keys) -> None:
    for activity in personal_installation(service_url=stack.connector_url, user=ALICE, clock=stack.clock):
        assert await deliver(stack, activity, bearer(keys, stack)) == 201
    r = await stack.wechat.guest(GUEST).say("Can we talk about bonds?")
    assert r.status == 200
    await stack.settle()


def _signed(**claims):
    return lambda keys, stack: bearer(keys, stack, **claims)


NOW = int(time.time())
CASES = {
    "valid": (_signed(), {}, 201),
    "no token": (lambda keys, stack: None, {}, 401),
    "garbage": (lambda keys, stack: "Bearer abc.def.ghi", {}, 401),
    "not a bearer token": (lambda keys, stack: "Basic YWxpY2U6c2VjcmV0", {}, 401),
    "forged signature": (lambda keys, stack: bearer(keys, stack, key=FORGER), {}, 401),
    "key not published": (_signed(kid="bf-test-key-2"), {}, 401),
    "wrong audience": (_signed(aud="11111111-2222-3333-4444-555555555555"), {}, 401),
    "no audience": (_signed(aud=None), {}, 401),
    "wrong issuer": (_signed(iss="https://api.botframework.example"), {}, 401),
    "expired": (_signed(exp=NOW - 600), {}, 401),  # past the 5 minutes of skew
    "not yet valid": (_signed(nbf=NOW + 600), {}, 401),
    "alg none": (lambda keys, stack: "Bearer " + keys.unsigned_token(app_id=BOT.app_id,
                                                                     service_url=stack.connector_url), {}, 401),
    "another serviceurl": (_signed(serviceurl="https://smba.trafficmanager.net/emea/"), {}, 401),
    "no serviceurl claim": (_signed(serviceurl=None), {}, 401),
    "channel not endorsed": (_signed(), {"channelId": "webchat"}, 401),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_only_a_valid_bot_framework_token_runs_the_turn(stack, keys, caplog, case):
    authorization, changes, status = CASES[case]
    await alice_talks_with_a_guest(stack, keys)
    delivered, jobs = len(await stack.wechat.delivered(GUEST)), len(await stack.jobs())
    caplog.clear()

    reply = {**personal_message("Of course, tomorrow at 10?", service_url=stack.connector_url, user=ALICE,
                                clock=stack.clock), **changes}
    assert await deliver(stack, reply, authorization(keys, stack)) == status
    await stack.settle()

    assert not [r for r in caplog.records if r.exc_info]  # no traceback, whatever the token
    if status == 201:
        assert (await stack.guest_texts(GUEST))[-1] == "Alice Advisor: Of course, tomorrow at 10?"
        assert len(await stack.wechat.delivered(GUEST)) == delivered + 1
    else:
        [refusal] = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert refusal.getMessage().startswith("teams endpoint refused 401 from 127.0.0.1: ")
        assert len(await stack.wechat.delivered(GUEST)) == delivered  # nothing reached WeChat
        assert len(await stack.jobs()) == jobs


async def test_the_event_loop_goes_on_while_the_keys_are_fetched(stack, keys):
    # The SDK fetches the keys with blocking requests: on the bot's event loop, nothing else would run.
    keys.hold()
    install = personal_installation(service_url=stack.connector_url, user=ALICE, clock=stack.clock)[0]
    posting = asyncio.create_task(deliver(stack, install, bearer(keys, stack)))
    assert await asyncio.to_thread(keys.fetched.wait, 5)
    async with stack.session.get(stack.app_server.make_url("/healthz")) as r:
        assert r.status == 200
    keys.release()
    assert await posting == 201
    assert keys.released_by_test  # not by the fetch's own 5 s limit


async def test_keys_out_of_reach_are_a_503_and_run_nothing(tmp_path, caplog):
    stack = await _stack(tmp_path, **production(f"http://127.0.0.1:{free_port()}/v1/.well-known/openidconfiguration"))
    caplog.clear()
    try:
        keys = BotFrameworkKeys(KEY)  # signs, serves nothing
        install = personal_installation(service_url=stack.connector_url, user=ALICE, clock=stack.clock)[0]
        assert await deliver(stack, install, bearer(keys, stack)) == 503
        assert not [r for r in caplog.records if r.exc_info]
        assert await stack.jobs() == [] and stack.teams_messages() == []
    finally:
        await _close(stack)
