"""The sandbox's JSON API without a browser: the page's snapshot and actions over HTTP, against the
real bridge and the simulators (started in this process on free ports, a fresh data folder each)."""
from __future__ import annotations

import re

import aiohttp
import pytest

from sandbox.server import running
from tests.card_walk import actions, texts

BOB_CHAT, WEALTH_INBOX = "chat:bob", "channel:wealth"


class Page:
    """What the page does: GET the snapshot, POST an action (JSON)."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session, self.url = session, url.rstrip("/")

    async def post(self, path: str, status: int = 200, **body) -> dict:
        async with self.session.post(self.url + path, json=body) as r:
            answer = await r.json()
            assert r.status == status, answer
            return answer

    async def snapshot(self, guest: str = "", conversation: str = "", known: str = "") -> dict:
        async with self.session.get(self.url + "/api/snapshot",
                                    params={"guest": guest, "conversation": conversation, "known": known}) as r:
            assert r.status == 200
            return await r.json()

    async def phone(self, guest: str) -> dict:
        return (await self.snapshot(guest=guest))["phone"]

    async def received(self, guest: str) -> list[str]:
        return [item["text"] for item in (await self.phone(guest))["chat"] if item["from"] in ("account", "template")]

    async def teams(self, conversation: str) -> list[dict]:
        return (await self.snapshot(conversation=conversation))["teams"]["messages"]

    async def thread_row(self, name: str) -> dict:
        return next(row for row in (await self.snapshot())["threads"] if row["guest"] == name)

    async def new_guest(self, name: str, account: str = "default", language: str = "en") -> str:
        return (await self.post("/api/guests", name=name, account=account, language=language))["id"]

    async def guest(self, action: str, guest: str, **body) -> dict:
        return await self.post(f"/api/guest/{action}", guest=guest, **body)


@pytest.fixture
async def page(tmp_path):
    async with running(0, tmp_path / "sandbox") as box, aiohttp.ClientSession() as session:
        yield Page(session, box.url)


def card_texts(message: dict) -> str:
    return " ".join(texts(message["cards"]))


def submits(message: dict) -> list[dict]:
    return actions(message["cards"], "Action.Submit")


async def test_at_start_the_demo_is_configured_installed_and_quiet(page, tmp_path):
    snap = await page.snapshot(conversation=WEALTH_INBOX)
    assert [a["name"] for a in snap["accounts"]] == ["Contoso Wealth", "Contoso Private Bank"]
    assert [(e["name"], e["account"]) for e in snap["employees"]] == [
        ("Alice Wong", "default"), ("Bob Li", "default"), ("Carol Chan", "pb"), ("Dana Ng", "")]  # Dana: the admin
    assert [g["name"] for g in snap["guests"]] == ["Chen Jing", "王伟", "Ho Ka Yan"]
    assert not any(g["following"] for g in snap["guests"])
    assert [c["key"] for c in snap["conversations"]] == ["chat:alice", "chat:bob", "chat:carol", "chat:dana",
                                                         "channel:wealth", "channel:pb"]
    assert snap["teams"] == {"key": WEALTH_INBOX, "messages": [], "threads": []}
    assert snap["api"] == [] and snap["threads"] == []
    assert snap["clock"]["offsetHours"] == 0
    # The configuration written into the data folder is the organizations file and people of the README.
    written = (tmp_path / "sandbox" / "organizations.toml").read_text(encoding="utf-8")
    assert 'phone_validation = { region = "HK" }' in written and 'official_account = "pb"' in written
    assert "Carol Chan,陈嘉玲" in (tmp_path / "sandbox" / "people.csv").read_text(encoding="utf-8")

    # Sections the page already has (their hashes) are left out.
    again = await page.snapshot(conversation=WEALTH_INBOX, known=",".join(snap["hashes"].values()))
    assert set(again) <= {"hashes", "clock"}  # the clock runs: the page shows it by the minute


async def test_the_routing_assistant_connects_a_chinese_guest_with_bob_who_answers(page):
    guest = await page.new_guest("Zhang Wei", language="zh_CN")
    await page.guest("follow", guest)
    [ask] = await page.received(guest)
    assert ask.startswith("您好！请问您想联系哪位同事？")
    await page.guest("say", guest, text="我想找负责基金的同事")
    assert (await page.received(guest))[-1].startswith(
        "谢谢！您现在已与 Bob Li 李波 建立联系，对方会在这里回复您。请注意：")
    told = [m["text"] for m in await page.teams(BOB_CHAT) if "routing assistant connected" in m["text"]]
    assert len(told) == 1 and "> 我想找负责基金的同事" in told[0]

    await page.post("/api/teams/say", conversation=BOB_CHAT, employee="bob", text="您好，我是李波。")
    assert (await page.received(guest))[-1] == "Bob Li: 您好，我是李波。"
    row = await page.thread_row("Zhang Wei")
    assert (row["assigned"], row["status"], row["queued"]) == ("Bob Li", "active", [])
    assert row["quota"] == 5 and row["left"] < 5 and row["windowCloses"]
    api = (await page.snapshot())["api"]
    assert api[0]["path"] == "custom/send" and api[0]["text"] == "Bob Li: 您好，我是李波。" and api[0]["errcode"] == 0
    assert api[0]["guest"] == "Zhang Wei"  # newest first


async def test_after_48_hours_messages_queue_a_template_tells_the_guest_and_leave_ends_it(page):
    guest = await page.new_guest("Wong Siu Ming")
    await page.guest("scan", guest, employee="bob")
    await page.guest("say", guest, text="Please send me the fund factsheet")
    await page.post("/api/clock", hours=48)
    assert any("inactive" in (m["text"] + card_texts(m)) for m in await page.teams(BOB_CHAT))

    await page.post("/api/teams/say", conversation=BOB_CHAT, employee="bob", text="Here it is: factsheet.pdf")
    row = await page.thread_row("Wong Siu Ming")
    assert row["queued"] == ["Here it is: factsheet.pdf"] and row["left"] == 0
    phone = await page.phone(guest)
    assert phone["chat"][-1]["from"] == "template"  # WeChat's template message: reply to resume
    assert "Here it is" not in " ".join(await page.received(guest))

    await page.guest("say", guest, text="Thanks, I'm back")  # the queue goes out in order
    assert (await page.received(guest))[-1] == "Bob Li: Here it is: factsheet.pdf"
    assert (await page.thread_row("Wong Siu Ming"))["queued"] == []

    await page.guest("say", guest, text="#LEAVE")
    assert (await page.received(guest))[-1].startswith("You have left the chat.")
    assert (await page.thread_row("Wong Siu Ming"))["status"] == "closed"
    assert any("The WeChat user left the conversation" in m["text"] for m in await page.teams(BOB_CHAT))
    await page.guest("unfollow", guest)
    assert not (await page.phone(guest))["following"]


async def test_a_lost_guest_reaches_the_inbox_where_a_colleague_answers_in_the_thread(page):
    guest = await page.new_guest("Lee Ka Ho")
    await page.guest("follow", guest)
    for text in ("hi", "Mr Smith please", "nobody", "the man from last week"):
        await page.guest("say", guest, text=text)
    inbox = (await page.snapshot(conversation=WEALTH_INBOX))["teams"]
    [thread] = inbox["threads"]
    assert thread["title"] == "Lee Ka Ho"
    assert any("the man from last week" in m["text"] for m in inbox["messages"])

    # A live card in the thread: pressing its Leave button asks Bob for a confirmation there.
    await page.post("/api/teams/say", conversation=WEALTH_INBOX, employee="bob", text="Bob here, how can I help?",
                    thread=thread["root"])
    assert (await page.received(guest))[-1] == "Bob Li: Bob here, how can I help?"
    live, leave = next((m, a["data"]) for m in await page.teams(WEALTH_INBOX) for a in submits(m)
                       if a["title"] == "Leave conversation")
    await page.post("/api/teams/press", conversation=WEALTH_INBOX, employee="bob", activityId=live["id"],
                    data=leave, thread=thread["root"])
    confirm = (await page.teams(WEALTH_INBOX))[-1]
    assert confirm["thread"] == thread["root"]  # in the guest's thread
    assert "Leave the WeChat conversation with Lee Ka Ho?" in " ".join(card_texts(confirm).split()).replace(" ?", "?")
    confirm_leave = next(a["data"] for a in submits(confirm))
    await page.post("/api/teams/press", conversation=WEALTH_INBOX, employee="bob", activityId=confirm["id"],
                    data=confirm_leave, thread=thread["root"])
    assert (await page.received(guest))[-1] == "Bob Li has left the conversation."
    assert (await page.thread_row("Lee Ka Ho"))["status"] == "closed"
    # Nothing written outside a thread: told why.
    refused = await page.post("/api/teams/say", status=400, conversation=WEALTH_INBOX, employee="bob", text="hello")
    assert refused["error"] == "choose the guest's thread to reply in"


async def test_a_guest_who_scanned_carols_code_validates_with_help_and_a_new_pin(page):
    guest = (await page.snapshot())["guests"][2]
    assert guest["name"] == "Ho Ka Yan" and guest["account"] == "pb"
    await page.guest("scan", guest["id"], employee="carol")  # a follow through Carol's QR code
    assert "verify your mobile phone number" in (await page.received(guest["id"]))[-1]  # the number first
    number = (await page.phone(guest["id"]))["phone"]
    await page.guest("say", guest["id"], text=number)
    assert len((await page.phone(guest["id"]))["sms"]) == 1
    await page.guest("say", guest["id"], text="Help")
    assert (await page.received(guest["id"]))[-1].startswith("Need help? Reply Update to change your phone number")
    await page.post("/api/clock", hours=0.05)  # 3 minutes: past the resend cooldown
    await page.guest("say", guest["id"], text="Resend")
    sms = (await page.phone(guest["id"]))["sms"]
    assert len(sms) == 2  # newest first
    await page.guest("say", guest["id"], text=re.search(r"(?<!\d)\d{6}(?!\d)", sms[0]["text"]).group(0))
    last = (await page.received(guest["id"]))[-1]  # verified, connected and WeChat's rules: one message
    assert last.startswith("Thank you, your phone number")
    assert "You are now connected with Carol Chan. Please note" in last
    told = [m["text"] for m in await page.teams("chat:carol") if "Validated the phone number" in m["text"]]
    assert len(told) == 1 and number in told[0]


async def test_the_compose_box_sends_only_what_teams_would(page):
    """Mentions are of the channel team's members, each written <at>Name</at>; a card is an Adaptive
    Card; the message extension answers whoever is in the conversation."""
    say = dict(conversation=WEALTH_INBOX, employee="bob", thread="1")
    for body, error in (
            (dict(say, text="add <at>Carol Chan</at>", mentions=["carol"]),
             "'carol' is not a member of this channel's team"),
            (dict(say, text="add @Alice Wong", mentions=["alice"]),
             "the text does not mention Alice Wong (<at>Alice Wong</at>)"),
            (dict(say, text="add <at>Alice Wong</at>", mentions="alice"), "mentions: expected a list of employees"),
            (dict(conversation=BOB_CHAT, employee="bob", text="<at>Alice Wong</at>", mentions=["alice"]),
             "mentions are of a channel's members"),
            (dict(conversation=BOB_CHAT, employee="bob", text="", card={"type": "HeroCard"}),
             "card: expected an Adaptive Card"),
            (dict(conversation="channel:pb", employee="bob", text="hello", thread="1"),
             "Bob Li is not in this conversation")):
        assert (await page.post("/api/teams/say", status=400, **body))["error"] == error
    assert (await page.post("/api/teams/search", status=400, conversation=BOB_CHAT, employee="bob", query=5))["error"] \
        == "query: expected text (or null: the extension opens)"
    assert (await page.post("/api/teams/search", status=400, conversation=BOB_CHAT, employee="alice",
                            query="x"))["error"] == "Alice Wong is not in this conversation"
    assert (await page.teams(BOB_CHAT))[-1]["name"] == "WeChat Bridge"  # nothing was said

    guest = await page.new_guest("Lam Mei")
    await page.guest("scan", guest, employee="bob")
    await page.guest("say", guest, text="Hello Bob")
    found = await page.post("/api/teams/search", conversation=BOB_CHAT, employee="bob", query=None)  # it opens
    assert [r["title"] for r in found["results"]] == ["Lam Mei"] and found["message"] == ""
    assert found["results"][0]["card"]["type"] == "AdaptiveCard"
    nobody = await page.post("/api/teams/search", conversation=BOB_CHAT, employee="bob", query="nobody")
    assert nobody == {"results": [], "message": ""}


async def test_refusals_the_qr_image_and_nothing_left_running(tmp_path):
    async with aiohttp.ClientSession() as session:
        async with running(0, tmp_path / "sandbox") as box:
            page = Page(session, box.url)
            refused = await page.post("/api/guest/say", status=400, guest="nobody", text="hi")
            assert refused["error"] == "no guest 'nobody'"
            first = (await page.snapshot())["guests"][0]["id"]
            assert "follow" in (await page.guest("say", first, status=400, text="hi"))["error"]
            assert (await page.post("/api/clock", status=400, hours="24"))["error"] == "hours: expected a number"
            async with session.post(box.url + "api/clock", data="hours=24",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"}) as r:
                assert r.status == 415  # another site's form cannot post here
            async with session.get(box.url, headers={"Host": "sandbox.example.com"}) as r:
                assert r.status == 403  # DNS rebinding
            async with session.get(box.url) as r:
                assert r.status == 200 and "<title>Sandbox" in await r.text()
            async with session.get(box.url + "vendor/adaptivecards.min.js") as r:
                assert r.status == 200  # the official renderer, served from node_modules

            # Alice asks for her QR code: its image is served by the sandbox, from WeChat's simulator.
            await page.post("/api/teams/say", conversation="chat:alice", employee="alice", text="qr")
            qr = (await page.teams("chat:alice"))[-1]
            url = re.search(r'"url": "(http[^"]+showqrcode[^"]+)"', str(qr["cards"]).replace("'", '"')).group(1)
            assert url.startswith(box.url)
            async with session.get(url) as r:
                assert r.status == 200 and r.content_type == "image/png"
            ports = {box.url, *box.world.urls.values()}
        for url in ports:  # every server of the sandbox is closed
            with pytest.raises(aiohttp.ClientConnectionError):
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=2)):
                    pass
