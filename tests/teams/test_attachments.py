"""Downloading what employees attach in Teams (adapters/teams/attachments.py) from the Bot Connector
simulator, over HTTP on 127.0.0.1: the bot's token where it belongs and nowhere else, files without it,
the caps; and the simulator's attachments and inline-image limits."""
from __future__ import annotations

import pytest
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import MicrosoftAppCredentials
from yarl import URL

from adapters.teams.attachments import AttachmentDownloads
from adapters.teams.chats import BotConnectorChats
from adapters.teams.errors import AttachmentRefused, AttachmentUnavailable
from adapters.teams.sender import TeamsSender
from core.media_store import TooLarge
from core.teams_chats import TeamsAttachment
from tests import media_samples as samples

TOKEN = "the-bots-token"
MB = 1024 * 1024


class ProductionConfig:
    APP_ID = "11111111-2222-3333-4444-555555555555"
    APP_PASSWORD = "secret"
    APP_TYPE = "SingleTenant"
    APP_TENANTID = "tenant"


@pytest.fixture
async def chats(monkeypatch):
    """The bot as it runs in production (an app id and password), MSAL replaced by a fixed token."""
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: TOKEN)
    sender = TeamsSender(CloudAdapter(ConfigurationBotFrameworkAuthentication(ProductionConfig())),
                         ProductionConfig.APP_ID)
    yield BotConnectorChats(sender)
    await sender.close()


@pytest.fixture
async def local_chats(adapter):
    sender = TeamsSender(adapter, "")  # no app id: no token
    yield BotConnectorChats(sender)
    await sender.close()


async def attach(session, connector, content: bytes, content_type: str, kind: str = "inline", name: str = ""):
    """What a Teams client sends the bot when an employee pastes or attaches it."""
    async with session.post(f"{connector.url}sim/attachments", params={"kind": kind, "name": name}, data=content,
                            headers={"Content-Type": content_type}) as r:
        assert r.status == 200
        return (await r.json())["attachments"]


def inline(attachments, service_url) -> TeamsAttachment:
    image = attachments[0]
    return TeamsAttachment(image["contentUrl"], image["contentType"], service_url=service_url)


def file(attachments) -> TeamsAttachment:
    info = attachments[0]
    return TeamsAttachment(info["content"]["downloadUrl"], "application/pdf", info["name"], authenticated=False)


async def read(chats, attachment, max_bytes=10 * MB):
    async with chats.download(attachment, max_bytes=max_bytes) as download:
        return download.content_type, download.filename, b"".join([c async for c in download.chunks])


@pytest.fixture
async def recorder(serve):
    """A server someone named in an activity: it records every request's Authorization header."""
    seen: list[str | None] = []

    async def anything(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization"))
        return web.Response(body=samples.image(), content_type="image/png")

    app = web.Application()
    app.router.add_get("/{tail:.*}", anything)
    server = await serve(app)
    return str(server.make_url("/")), seen


async def test_a_pasted_image_comes_with_the_bots_token(chats, connector, session):
    connector.state.bot_tokens.add(TOKEN)
    picture = samples.image("PNG", (30, 20))
    attachments = await attach(session, connector, picture, "image/png")
    assert [a["contentType"] for a in attachments] == ["image/*", "text/html"]  # as Teams sends them
    assert await read(chats, inline(attachments, connector.url)) == ("image/png", None, picture)


async def test_without_the_bots_token_the_connector_answers_401(local_chats, connector, session):
    attachments = await attach(session, connector, samples.image(), "image/png")
    with pytest.raises(AttachmentUnavailable) as refused:
        await read(local_chats, inline(attachments, connector.url))
    assert (refused.value.status, refused.value.transient) == (401, False)
    connector.state.open_attachments = True  # the local run: the bot has no token to give
    assert (await read(local_chats, inline(attachments, connector.url)))[2] == samples.image()


async def test_the_token_is_never_sent_to_a_host_named_in_an_activity(chats, connector, recorder):
    elsewhere, seen = recorder
    forged = TeamsAttachment(f"{elsewhere}v3/attachments/x/views/original", "image/*", service_url=connector.url)
    with pytest.raises(AttachmentRefused):
        await read(chats, forged)
    assert seen == []  # not even asked


async def test_the_token_does_not_follow_a_redirect_to_another_host(chats, serve, recorder):
    elsewhere, seen = recorder

    async def redirect(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"  # the service URL's own host has it
        raise web.HTTPFound(f"{elsewhere}blob/image.png")

    app = web.Application()
    app.router.add_get("/v3/attachments/{id}/views/original", redirect)
    service_url = str((await serve(app)).make_url("/"))
    attachment = TeamsAttachment(f"{service_url}v3/attachments/a1/views/original", "image/*", service_url=service_url)
    assert (await read(chats, attachment))[2] == samples.image()
    assert seen == [None]


@pytest.mark.parametrize("url, allowed", [
    ("https://smba.trafficmanager.net/amer/v3/attachments/1/views/original", True),
    ("https://us-api.asm.skype.com/v1/objects/0-wus-d3/views/imgo", True),
    ("https://smba.infra.gov.teams.microsoft.us/v3/attachments/1", True),
    ("https://eu.botframework.com/v3/attachments/1", True),
    ("http://smba.trafficmanager.net/amer/v3/attachments/1", False),  # not https
    ("https://smba.trafficmanager.net.attacker.example/v3/attachments/1", False),
    ("https://attackerbotframework.com/v3/attachments/1", False),
    ("https://attacker.example/v3/attachments/1", False),
    ("https://service.example:8443/v3/attachments/1", False),  # the service URL's host, another port
    ("https://service.example/v3/attachments/1", True),
])
def test_which_hosts_may_have_the_bots_token(url, allowed):
    downloads = AttachmentDownloads(connector=None)  # type: ignore[arg-type]
    assert downloads.may_have_token(URL(url), "https://service.example/teams/") is allowed


async def test_a_file_is_downloaded_from_its_pre_authenticated_url_without_the_token(chats, connector, session,
                                                                                     recorder):
    document = b"%PDF-1.7 " + bytes(5000)
    attachments = await attach(session, connector, document, "application/pdf", kind="file", name="Plan 2026.pdf")
    info = attachments[0]
    assert info["contentType"] == "application/vnd.microsoft.teams.file.download.info"
    assert (info["name"], info["content"]["fileType"]) == ("Plan 2026.pdf", "pdf")
    assert await read(chats, file(attachments)) == ("application/pdf", "Plan 2026.pdf", document)
    elsewhere, seen = recorder
    await read(chats, TeamsAttachment(f"{elsewhere}file.pdf", "application/pdf", authenticated=False))
    assert seen == [None]


@pytest.mark.parametrize("url", ["http://files.example/a.pdf", "ftp://127.0.0.1/a.pdf", "file:///etc/passwd",
                                 "/relative/a.pdf"])
async def test_only_https_addresses_are_fetched(chats, url):
    with pytest.raises(AttachmentRefused):
        await read(chats, TeamsAttachment(url, "application/pdf", authenticated=False))


async def test_an_attachment_over_the_maximum_is_too_large(chats, connector, session):
    attachments = await attach(session, connector, bytes(2 * MB), "application/pdf", kind="file", name="big.pdf")
    with pytest.raises(TooLarge):  # said by its Content-Length: refused before a byte is read
        await read(chats, file(attachments), max_bytes=MB)


async def test_a_stream_over_the_maximum_is_cut_while_it_streams(chats, serve):
    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
        await response.prepare(request)
        for _ in range(40):
            await response.write(bytes(64 * 1024))
        return response

    app = web.Application()
    app.router.add_get("/f", chunked)
    url = str((await serve(app)).make_url("/f"))
    with pytest.raises(TooLarge):
        await read(chats, TeamsAttachment(url, "application/pdf", authenticated=False), max_bytes=MB)


async def test_a_missing_attachment_and_a_server_error_are_told_apart(chats, connector, session):
    connector.state.bot_tokens.add(TOKEN)
    gone = TeamsAttachment(f"{connector.url}v3/attachments/nothing/views/original", "image/*",
                           service_url=connector.url)
    with pytest.raises(AttachmentUnavailable) as missing:
        await read(chats, gone)
    assert (missing.value.status, missing.value.transient) == (404, False)


# --- how Teams shows the bot's images ------------------------------------------------------------


@pytest.fixture
async def image_host(serve):
    """Serves what the test puts at /<name>, as the bot's /media/<token> links would."""
    served: dict[str, bytes] = {}

    async def get(request: web.Request) -> web.Response:
        return web.Response(body=served[request.match_info["name"]], content_type="image/png")

    app = web.Application()
    app.router.add_get("/{name}", get)
    server = await serve(app)
    return served, lambda name: str(server.make_url(f"/{name}"))


@pytest.mark.parametrize("content, rendered, reason", [
    (samples.image("PNG", (1024, 1024)), True, None),
    (samples.image("JPEG", (1025, 10)), False, "over 1024 x 1024 px"),
    (samples.image("GIF", (10, 1025)), False, "over 1024 x 1024 px"),
    (samples.padded(samples.image("PNG"), MB + 1), False, "over 1 MB"),
    (samples.mp4(), False, "not PNG, JPEG or GIF"),
])
async def test_the_bots_images_are_shown_only_within_teams_limits(connector, session, image_host, sender, content,
                                                                  rendered, reason):
    from botbuilder.schema import Activity, Attachment

    from tests.teams.installs import installed_personal
    from simulators.teams_client import TeamsUser

    served, url = image_host
    served["picture"] = content
    reference = await installed_personal(connector, session, TeamsUser("Alice"))
    activity_id = await sender.send(reference, Activity(type="message", text="Guest sent an image:", attachments=[
        Attachment(content_type="image/png", content_url=url("picture"))]))
    async with session.post(f"{connector.url}sim/render", params={"activity": activity_id}) as r:
        images = (await r.json())["images"]
    assert [(i["rendered"], i["reason"]) for i in images] == [(rendered, reason)]
    assert connector.state.messages[activity_id]["activity"]["images"] == images


def test_an_animated_gif_is_not_shown_inline():
    from io import BytesIO

    from PIL import Image

    from simulators.teams_attachments import shown_inline

    frames = [Image.new("RGB", (8, 8), color) for color in ("red", "blue")]
    out = BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert shown_inline(out.getvalue()) == "an animated GIF"
    assert shown_inline(samples.image("GIF")) is None


async def test_a_download_streams_with_bounded_memory(chats, serve):
    import tracemalloc

    chunk = bytes(range(256)) * 256  # 64 KB, made once

    async def large(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        response.content_length = 512 * len(chunk)
        await response.prepare(request)
        for _ in range(512):
            await response.write(chunk)
        return response

    app = web.Application()
    app.router.add_get("/v", large)
    attachment = TeamsAttachment(str((await serve(app)).make_url("/v")), "video/mp4", authenticated=False)
    tracemalloc.start()
    try:
        async with chats.download(attachment, max_bytes=64 * MB) as download:
            size = sum([len(c) async for c in download.chunks])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size == 32 * MB
    assert peak < 2 * MB, f"{peak} bytes at the peak for a 32 MB download"  # 0.8 MB measured
