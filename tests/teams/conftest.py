"""A Bot Connector simulator on 127.0.0.1 and a real CloudAdapter in local mode (auth disabled)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from aiohttp.test_utils import TestServer
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from adapters.teams.sender import TeamsSender
from simulators.bot_connector import CONNECTOR_STATE, ConnectorState, create_connector_simulator


class LocalConfig:
    # Names ConfigurationBotFrameworkAuthentication reads; an empty APP_ID disables authentication.
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


@dataclass
class Connector:
    server: TestServer
    state: ConnectorState

    @property
    def url(self) -> str:
        return str(self.server.make_url("/"))  # ends with "/", like Teams' serviceUrl


@dataclass
class SleepRecorder:
    calls: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)  # time is not waited for in tests: the delay is only recorded


@pytest.fixture
async def connector(serve, clock):
    server = await serve(create_connector_simulator(clock=clock))
    return Connector(server, server.app[CONNECTOR_STATE])


@pytest.fixture
def turn_errors() -> list[Exception]:
    return []


@pytest.fixture
def adapter(turn_errors) -> CloudAdapter:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(LocalConfig()))

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        # Like app.py's: it would post an apology into the conversation.
        turn_errors.append(error)
        await turn_context.send_activity("Sorry, something went wrong.")

    adapter.on_turn_error = on_turn_error
    return adapter


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def sender(adapter, sleeps):
    # jitter fixed at its midpoint so delays are exact: backoff * 0.75
    sender = TeamsSender(adapter, "", max_attempts=4, backoff_base=0.5, sleep=sleeps, jitter=lambda: 0.5)
    yield sender
    await sender.close()
