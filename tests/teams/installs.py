"""What the Teams sender tests start from: the app installed by a user, and a message to send."""
from __future__ import annotations

from botbuilder.schema import Activity

from adapters.teams.references import reference_from_activity
from simulators import teams_client
from simulators.teams_client import TeamsChannel, TeamsUser


def message(text: str) -> Activity:
    return Activity(type="message", text=text)


async def installed_personal(connector, session, user: TeamsUser) -> dict:
    """The reference the bot keeps when `user` installs the app (what bots/ stores)."""
    _, install = teams_client.personal_installation(service_url=connector.url, user=user)
    await teams_client.register_conversation(session, install)
    return reference_from_activity(Activity.deserialize(install))


async def installed_channel(connector, session, user: TeamsUser, channel: TeamsChannel) -> dict:
    _, install = teams_client.team_installation(service_url=connector.url, user=user, channel=channel)
    await teams_client.register_conversation(session, install)
    return reference_from_activity(Activity.deserialize(install))
