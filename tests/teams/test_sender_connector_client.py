"""TeamsSender builds one connector client per service URL, through the adapter's authentication."""
from __future__ import annotations

import asyncio
import threading

import pytest
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import AuthenticationConstants, MicrosoftAppCredentials

from adapters.teams.errors import TeamsError
from adapters.teams.sender import TeamsSender
from simulators.teams_client import TeamsUser
from tests.teams.installs import installed_personal, message


def count_connector_factories(adapter) -> list:
    """Wraps the adapter's `create_connector_factory`; returns the claims identities it was given."""
    authentication = adapter.bot_framework_authentication
    original = authentication.create_connector_factory
    calls = []

    def create_connector_factory(claims_identity):
        calls.append(claims_identity)
        return original(claims_identity)

    authentication.create_connector_factory = create_connector_factory
    return calls


def forbid_continue_conversation(adapter) -> None:
    async def continue_conversation(*args, **kwargs):
        raise AssertionError("the hot path must not run a proactive turn")

    adapter.continue_conversation = continue_conversation


@pytest.mark.asyncio
async def test_sends_and_updates_to_one_service_url_build_the_client_once(connector, session, adapter, sender):
    factories = count_connector_factories(adapter)
    forbid_continue_conversation(adapter)
    alice, bob = await installed_personal(connector, session, TeamsUser("Alice")), \
        await installed_personal(connector, session, TeamsUser("Bob"))

    first = await sender.send(alice, message("one"))
    await sender.send(bob, message("two"))
    await sender.update(alice, first, message("one, edited"))

    assert [a["operation"] for a in connector.state.activities] == ["send", "send", "update"]
    assert len(factories) == 1
    # The claims identity continue_conversation builds for the bot's app id.
    assert factories[0].claims[AuthenticationConstants.APP_ID_CLAIM] == ""


@pytest.mark.asyncio
async def test_concurrent_first_sends_share_one_client(connector, session, adapter, sender):
    factories = count_connector_factories(adapter)
    reference = await installed_personal(connector, session, TeamsUser("Alice"))

    ids = await asyncio.gather(*(sender.send(reference, message(f"m{i}")) for i in range(5)))

    assert len(set(ids)) == 5 and len(connector.state.activities) == 5
    assert len(factories) == 1


@pytest.mark.asyncio
async def test_each_service_url_gets_its_own_client(connector, serve, session, adapter, sender, clock):
    from simulators.bot_connector import create_connector_simulator, CONNECTOR_STATE

    factories = count_connector_factories(adapter)
    other = await serve(create_connector_simulator(clock=clock))
    here = await installed_personal(connector, session, TeamsUser("Alice"))
    there = {**here, "serviceUrl": str(other.make_url("/"))}
    other.app[CONNECTOR_STATE].register_conversation(here["conversation"]["id"], "personal", "t")

    await sender.send(here, message("a"))
    await sender.send(there, message("b"))
    await sender.send(here, message("c"))

    assert len(factories) == 2
    assert [a["activity"]["text"] for a in connector.state.activities] == ["a", "c"]
    assert [a["activity"]["text"] for a in other.app[CONNECTOR_STATE].activities] == ["b"]


@pytest.mark.asyncio
async def test_a_401_drops_the_client_so_the_next_call_builds_new_credentials(connector, session, adapter, sender):
    factories = count_connector_factories(adapter)
    reference = await installed_personal(connector, session, TeamsUser("Alice"))
    await sender.send(reference, message("ok"))
    connector.state.fail_next(1, 401, "Unauthorized", "Authorization has been denied for this request.")

    with pytest.raises(TeamsError) as caught:
        await sender.send(reference, message("refused"))
    assert caught.value.status == 401 and not caught.value.transient

    await sender.send(reference, message("ok again"))
    assert len(factories) == 2


class AuthConfig:
    APP_ID = "11111111-2222-3333-4444-555555555555"
    APP_PASSWORD = "secret"
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


@pytest.mark.asyncio
async def test_with_authentication_the_token_is_fetched_off_the_event_loop_and_sent(serve, monkeypatch):
    # Production configuration (an app id and password); MSAL replaced by a recorder.
    fetches: list[tuple[str, bool]] = []

    def get_access_token(self, force_refresh: bool = False) -> str:
        fetches.append((self.microsoft_app_id, threading.current_thread() is threading.main_thread()))
        return "token-1"

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", get_access_token)
    headers = []

    async def send_to_conversation(request: web.Request) -> web.Response:
        headers.append(request.headers.get("Authorization"))
        return web.json_response({"id": str(len(headers))}, status=201)

    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation_id}/activities", send_to_conversation)
    server = await serve(app)
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(AuthConfig()))
    factories = count_connector_factories(adapter)
    sender = TeamsSender(adapter, AuthConfig.APP_ID)
    reference = {"conversation": {"id": "a:1x", "tenantId": "t"}, "serviceUrl": str(server.make_url("/")),
                 "channelId": "msteams", "bot": {"id": f"28:{AuthConfig.APP_ID}"}, "user": {"id": "29:1u"}}

    assert await sender.send(reference, message("one")) == "1"
    assert await sender.send(reference, message("two")) == "2"

    assert headers == ["Bearer token-1", "Bearer token-1"]
    assert len(factories) == 1
    assert factories[0].claims[AuthenticationConstants.APP_ID_CLAIM] == AuthConfig.APP_ID
    # First fetched in a worker thread (MSAL's HTTP would block the loop), then read from its
    # cache by msrest on the loop.
    assert fetches[0] == (AuthConfig.APP_ID, False)
    assert all(app_id == AuthConfig.APP_ID for app_id, _ in fetches)
    await sender.close()
