"""Group conversations over real HTTP: a sub-organization's team channel inbox, colleagues joining a
guest's channel thread, attribution on the WeChat side, Leave Conversation and #LEAVE."""
from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import pytest

from simulators.teams_client import (DEFAULT_TENANT, TeamsChannel, TeamsUser, channel_message, post_activity,
                                     team_installation)
from tests.card_walk import actions, shown
from tests.e2e.conftest import ALICE, BOB, Stack, _close, _stack

CAROL = TeamsUser(name="Carol Retail", aad_object_id="ca401000-0000-4000-8000-000000000003")
DAN = TeamsUser(name="Dan Desk", aad_object_id="da400000-0000-4000-8000-000000000004")
INBOX = TeamsChannel(team_id="19:team-hk@thread.tacv2", team_name="HK Private Banking", channel_name="WeChat",
                     channel_id="19:hk-wechat-inbox@thread.tacv2")
ORGANIZATIONS = f"""
[[organizations]]
id = "contoso"
name = "Contoso Wealth"

  [[organizations.sub_organizations]]
  id = "hk-private-banking"
  name = "HK Private Banking"
  inbox = "{INBOX.id}"
  max_participants = 2
  attribution = "{{name}}："
  notices.welcome_guest = {{ zh-CN = "您好！HK 私人银行团队已收到您的消息。" }}
  notices.rules_guest = {{ zh-CN = "回复 #LEAVE 可随时退出。" }}
  employees = [
    {{ aad = "{ALICE.aad_object_id}", name = "Alice Wong" }},
    {{ aad = "{BOB.aad_object_id}", name = "Bob Li" }},
    {{ aad = "{DAN.aad_object_id}" }},
  ]

  [[organizations.sub_organizations]]
  id = "sg-retail"
  name = "SG Retail"
  employees = [ {{ aad = "{CAROL.aad_object_id}", name = "Carol Tan" }} ]
"""


@dataclass
class Inbox:
    stack: Stack
    channel: TeamsChannel = INBOX

    @property
    def bot_url(self) -> str:
        return str(self.stack.app_server.make_url("/api/messages"))

    async def install(self) -> None:
        s = self.stack
        await s.session.post(f"{s.connector_url}/sim/conversations", json={  # a channel lists its team's members
            "id": self.channel.id, "conversationType": "channel", "tenantId": DEFAULT_TENANT,
            "teamId": self.channel.team_id, "members": [u.account(DEFAULT_TENANT) for u in (ALICE, BOB, CAROL, DAN)]})
        for activity in team_installation(service_url=s.connector_url, user=ALICE, channel=self.channel, clock=s.clock):
            assert (await post_activity(s.session, self.bot_url, activity)).status in (200, 201)
        await s.settle()

    async def guest_writes(self, openid: str, name: str, text: str):
        """A guest's first message: the guest, and the root of the channel thread it opened."""
        guest = self.stack.wechat.guest(openid, name)
        await guest.say(text)
        await self.stack.settle()
        return guest, self.thread_root(text)

    def thread_root(self, guest_text: str) -> str:
        """The root message id of the channel thread the guest's message was posted in."""
        posted = next(a for a in self.stack.connector.activities_for(self.channel.id)
                      if guest_text in (a["activity"].get("text") or ""))
        return posted["conversationId"].split(";messageid=", 1)[1]

    async def reply(self, user: TeamsUser, root: str, text: str | None, *, value: dict | None = None,
                    mentions: tuple[TeamsUser, ...] = (), card: str | None = None) -> None:
        """`user` writes in the thread; each of `mentions` is @mentioned after the text. A button
        pressed (`value`) on the card of message `card`: Teams names it in replyToId."""
        s = self.stack
        s.sent_activities += 1
        text = " ".join([text or "", *(f"<at>{m.name}</at>" for m in mentions)]).strip() if mentions else text
        activity = channel_message(text, service_url=s.connector_url, user=user, channel=self.channel,
                                   thread_root_id=root, value=value, mention_bot=False, clock=s.clock,
                                   activity_id=f"{int(s.clock.now() * 1000)}{s.sent_activities:04d}")
        activity["entities"] += [{"type": "mention", "text": f"<at>{m.name}</at>",
                                  "mentioned": {"id": m.user_id, "name": m.name}} for m in mentions]
        if card:
            activity["replyToId"] = card
        assert (await post_activity(s.session, self.bot_url, activity)).status in (200, 201)
        await s.settle()

    def in_thread(self, root: str) -> list[dict]:
        """What the bot posted in the thread (its activities, updates folded in), oldest first."""
        return [a["activity"] for a in self.writes(root)]

    def writes(self, root: str) -> list[dict]:
        """The bot's writes in the thread (posts and updates, with their message ids), oldest first."""
        return [a for a in self.stack.connector.activities_for(f"{self.channel.id};messageid={root}")
                if a["operation"] != "delete"]

    def last_card(self, root: str) -> tuple[str, dict]:
        """The message id and card of the bot's last write in the thread."""
        write = self.writes(root)[-1]
        return write["activityId"], write["activity"]["attachments"][0]["content"]

    def now(self, activity_id: str) -> dict:
        """A message's card as it is now (its last write)."""
        return [a for a in self.stack.connector.activities if a["activityId"] == activity_id][-1]["activity"]

    def texts(self, root: str) -> list[str]:
        from tests.e2e.conftest import _card_text

        return [a.get("text") or _card_text(a) for a in self.in_thread(root)]

    def live_card(self, root: str) -> dict:
        cards = [a for a in self.in_thread(root)
                 if (a.get("channelData") or {}).get("wechatBridge", {}).get("card") == "status"]
        return cards[-1]["attachments"][0]["content"]

    def card_action(self, card: dict, verb: str) -> dict:
        return next(a["data"] for a in _actions(card) if a["data"]["verb"] == verb)


def _actions(card: dict) -> list[dict]:
    return actions(card, "Action.Submit")


@contextlib.asynccontextmanager
async def running_inbox(tmp_path, organizations: str = ORGANIZATIONS, target: str = f"channel:{INBOX.id}"):
    """The product with `organizations`, new guests to `target`, and the inbox team's app installed."""
    stack = await _stack(tmp_path, DEFAULT_TARGET=target, organizations=organizations)
    try:
        inbox = Inbox(stack)
        await inbox.install()
        yield inbox
    finally:
        await _close(stack)


@pytest.fixture
async def inbox(tmp_path):
    async with running_inbox(tmp_path) as box:
        yield box


async def thread_body(stack: Stack, openid: str) -> dict:
    return (await stack.components.storage.get("threads", openid, openid)).body


async def test_two_colleagues_answer_one_guest_who_sees_who_wrote(inbox):
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000001", "Mr Chan",
                                           "I would like to rebalance my portfolio")

    await inbox.reply(ALICE, root, "Hello Mr Chan, Alice here.")
    await inbox.reply(BOB, root, "And Bob from the desk.")
    await inbox.reply(CAROL, root, "Carol from Singapore?")  # another sub-organization

    welcome, *_ = await s.guest_texts(guest.openid)
    # the firm's own text, and that the chat is recorded (in the same message: no quota spent on it)
    assert welcome == "您好！HK 私人银行团队已收到您的消息。回复 #LEAVE 可随时退出。本对话将被记录并按监管要求保存。"
    said = [t for t in await s.guest_texts(guest.openid) if "#LEAVE" not in t]
    assert said == ["Alice Wong：Hello Mr Chan, Alice here.", "Bob Li：And Bob from the desk."]
    assert any("Only colleagues in HK Private Banking" in t for t in inbox.texts(root))
    body = await thread_body(s, guest.openid)
    assert [p["name"] for p in body["participants"]] == ["Alice Wong", "Bob Li"]
    assert body["sub_org"] == "hk-private-banking"

    # Dan is in the sub-organization, but the conversation is full (max_participants = 2).
    await inbox.reply(DAN, root, "Dan too")
    assert any("already has 2 participants" in t for t in inbox.texts(root))
    assert not any("Dan too" in t for t in await s.guest_texts(guest.openid))

    # One live card for the thread, seen by everyone in it: the shared quota and who takes part.
    card_text = " ".join(inbox.texts(root)[-1:]) + str(inbox.live_card(root))
    assert "Alice Wong, Bob Li" in card_text
    assert "1 of 4 messages left" in str(inbox.live_card(root))  # welcome + Alice + Bob: the thread's count


async def test_leave_with_confirmation_then_the_last_one_closes_the_thread(inbox):
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000002", "Ms Lau", "Question about my mandate")
    await inbox.reply(ALICE, root, "Alice here")
    await inbox.reply(BOB, root, "Bob here")

    # Bob: Leave on the live card brings a confirmation; nothing changes until it is confirmed.
    await inbox.reply(BOB, root, None, value=inbox.card_action(inbox.live_card(root), "leaveConversation"))
    confirm_id, confirm = inbox.last_card(root)
    assert "Leave the WeChat conversation with" in str(confirm) and "colleagues stay" in str(confirm)
    assert [a["title"] for a in _actions(confirm)] == ["Leave conversation", "Cancel"]
    assert len((await thread_body(s, guest.openid))["participants"]) == 2
    confirm_data = inbox.card_action(confirm, "confirmLeave")

    # Alice pressing Bob's confirmation does not make anyone leave.
    await inbox.reply(ALICE, root, None, value=confirm_data, card=confirm_id)
    assert inbox.texts(root)[-1] == "That card is out of date or not valid here."
    assert len((await thread_body(s, guest.openid))["participants"]) == 2

    await inbox.reply(BOB, root, None, value=confirm_data, card=confirm_id)
    assert (await s.guest_texts(guest.openid))[-1] == "Bob Li 已退出对话。"  # the guest's language: Chinese
    assert any("Bob Li left the conversation. It stays open" in t for t in inbox.texts(root))
    body = await thread_body(s, guest.openid)
    assert [p["name"] for p in body["participants"]] == ["Alice Wong"] and body["status"] == "open"
    # The confirmation itself now says what it did, and has nothing left to press.
    done = inbox.now(confirm_id)["attachments"][0]["content"]
    assert "You left the WeChat conversation with Ms Lau." in shown(done) and not _actions(done)

    # The same confirmation again (a replay, a slow client): told it was done, nothing done twice.
    await inbox.reply(BOB, root, None, value=confirm_data, card=confirm_id)
    assert inbox.texts(root)[-1] == "This was already done: you left this WeChat conversation."
    assert sum("已退出对话" in t for t in await s.guest_texts(guest.openid)) == 1

    # Alice, the last one, thinks better of it: Cancel; she stays, and the card says so.
    await inbox.reply(ALICE, root, None, value=inbox.card_action(inbox.live_card(root), "leaveConversation"))
    confirm_id, confirm = inbox.last_card(root)
    await inbox.reply(ALICE, root, None, value=inbox.card_action(confirm, "cancelLeave"), card=confirm_id)
    stayed = inbox.now(confirm_id)["attachments"][0]["content"]
    assert "You stay in the WeChat conversation with Ms Lau." in shown(stayed) and not _actions(stayed)
    assert [p["name"] for p in (await thread_body(s, guest.openid))["participants"]] == ["Alice Wong"]

    # Then she leaves: the conversation closes.
    await inbox.reply(ALICE, root, None, value=inbox.card_action(inbox.live_card(root), "leaveConversation"))
    confirm_id, confirm = inbox.last_card(root)
    assert "the last one" in str(confirm)
    await inbox.reply(ALICE, root, None, value=inbox.card_action(confirm, "confirmLeave"), card=confirm_id)
    assert (await s.guest_texts(guest.openid))[-1] == "Alice Wong 已退出对话。"
    assert any("Alice Wong left the conversation. The chat is closed" in t for t in inbox.texts(root))
    assert (await thread_body(s, guest.openid))["status"] == "closed"
    assert not _actions(inbox.live_card(root))  # the closed thread's card offers nothing to press

    # Writing in the closed thread is refused; the guest writing again starts a new assignment.
    await inbox.reply(ALICE, root, "one more thing")
    assert not any("one more thing" in t for t in await s.guest_texts(guest.openid))
    await guest.say("Hello again")
    await s.settle()
    assert inbox.thread_root("Hello again") != root
    assert (await thread_body(s, guest.openid))["generation"] == 2


async def test_tampered_and_stale_leave_actions_are_refused(inbox, caplog):
    s = inbox.stack
    g1, g2 = s.wechat.guest("oGuestGroup00000000000003", "A"), s.wechat.guest("oGuestGroup00000000000004", "B")
    await g1.say("first guest")
    await g2.say("second guest")
    await s.settle()
    root1, root2 = inbox.thread_root("first guest"), inbox.thread_root("second guest")
    await inbox.reply(ALICE, root1, "hi A")
    await inbox.reply(BOB, root2, "hi B")
    leave = inbox.card_action(inbox.live_card(root1), "leaveConversation")

    # Another thread's id in a card pressed in thread 1 (Bob is in thread 2, not here).
    await inbox.reply(BOB, root1, None, value={**leave, "thread": g2.openid})
    # A stale card: another assignment of the same guest.
    await inbox.reply(ALICE, root1, None, value={**leave, "generation": leave["generation"] + 1})
    # Thread 2's card pressed in thread 1 by its participant.
    await inbox.reply(BOB, root1, None, value={**inbox.card_action(inbox.live_card(root2), "leaveConversation")})
    # Someone who is not a participant.
    await inbox.reply(DAN, root1, None, value=leave)
    # A confirmation forged without asking first, for someone else.
    await inbox.reply(ALICE, root1, None, value={"verb": "confirmLeave", "thread": g1.openid,
                                                 "generation": leave["generation"], "by": BOB.aad_object_id})

    assert inbox.texts(root1)[-5:] == ["That card is out of date or not valid here."] * 5
    assert [p["name"] for p in (await thread_body(s, g1.openid))["participants"]] == ["Alice Wong"]
    assert [p["name"] for p in (await thread_body(s, g2.openid))["participants"]] == ["Bob Li"]
    assert not any("已退出对话" in t for t in await s.guest_texts())
    assert sum("refused a Leave" in r.getMessage() for r in caplog.records) == 5


async def test_hash_leave_from_the_guest_ends_the_thread_and_cancels_what_waits(inbox):
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000005", "Mr Ho", "hello")
    for n in range(1, 5):  # 3 go out (with the welcome notice, 4 of 4), the 4th waits
        await inbox.reply(ALICE, root, f"update {n}")
    assert "1 of 5 queued" in str(inbox.live_card(root))

    await guest.say("＃leave")  # full width, any case
    await s.settle()
    texts = inbox.texts(root)
    assert any("The WeChat user left the conversation" in t and "1 queued message" in t for t in texts), texts[-6:]
    assert (await thread_body(s, guest.openid))["status"] == "closed"
    sent = [t for t in await s.guest_texts(guest.openid) if t.startswith("Alice Wong：")]
    assert sent == [f"Alice Wong：update {n}" for n in (1, 2, 3)]  # the 4th was never sent
    await inbox.reply(ALICE, root, "are you still there?")
    assert not any("still there" in t for t in await s.guest_texts(guest.openid))


async def test_the_last_one_leaving_a_personal_chat_sends_the_guest_back_to_the_inbox(tmp_path):
    organizations = ORGANIZATIONS.replace('  max_participants = 2\n',
                                          '  max_participants = 2\n  when_last_leaves = "inbox"\n')
    async with running_inbox(tmp_path, organizations, target=f"employee:{BOB.aad_object_id}") as box:
        stack = box.stack
        await stack.install(ALICE)
        guest = stack.wechat.guest("oGuestGroup00000000000006", "Mrs Ng")
        await guest.follow(scene=f"emp_{ALICE.aad_object_id}")  # Alice's QR code: her personal chat
        await guest.say("Alice, a question")
        await stack.settle()
        live = [a["activity"] for a in stack.teams_messages(ALICE)
                if a["activity"].get("channelData", {}).get("wechatBridge", {}).get("card") == "status"][-1]
        await stack.employee_says(ALICE, None, value=box.card_action(live["attachments"][0]["content"],
                                                                    "leaveConversation"))
        confirm = stack.teams_messages(ALICE)[-1]["activity"]["attachments"][0]["content"]
        assert "goes to your team's WeChat inbox" in str(confirm)
        await stack.employee_says(ALICE, None, value=box.card_action(confirm, "confirmLeave"))
        assert (await stack.guest_texts(guest.openid))[-1] == "Alice Wong 已退出对话。"
        assert (await thread_body(stack, guest.openid))["status"] == "closed"

        await guest.say("anyone there?")
        await stack.settle()
        assert box.thread_root("anyone there?")  # in the sub-organization's inbox, not to DEFAULT_TARGET (Bob)
        body = await thread_body(stack, guest.openid)
        assert (body["target"], body["generation"], body["participants"]) == (f"channel:{INBOX.id}", 2, [])


async def test_a_participant_adds_colleagues_of_the_sub_organization_and_no_one_else(inbox):
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000007", "Mr Yip", "Can someone help me?")
    await inbox.reply(CAROL, root, "add", mentions=(DAN,))  # not taking part in it
    assert inbox.texts(root)[-1] == "Only someone taking part in this WeChat conversation can add colleagues to it."
    await inbox.reply(ALICE, root, "Alice here")
    await inbox.reply(ALICE, root, "add", mentions=(CAROL,))  # another sub-organization
    assert inbox.texts(root)[-1] == "Only colleagues in HK Private Banking can take part in this WeChat conversation."
    await inbox.reply(ALICE, root, "add", mentions=(DAN,))
    assert inbox.texts(root)[-1] == "Dan Desk now takes part in this WeChat conversation."
    await inbox.reply(ALICE, root, "add", mentions=(BOB,))  # max_participants = 2
    assert "already has 2 participants" in inbox.texts(root)[-1]
    body = await thread_body(s, guest.openid)
    assert [p["aad"] for p in body["participants"]] == [ALICE.aad_object_id, DAN.aad_object_id]
    assert not any("add" in t for t in await s.guest_texts(guest.openid))  # commands never reach the guest
    # Dan, added, writes without joining again; the guest sees his Teams name (none in the file).
    await inbox.reply(DAN, root, "Dan from the desk")
    assert (await s.guest_texts(guest.openid))[-1] == "Dan Desk：Dan from the desk"


async def test_the_last_two_leaving_at_the_same_moment_close_the_thread(inbox):
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000008", "Ms Kwok", "Two of you?")
    await inbox.reply(ALICE, root, "Alice here")
    await inbox.reply(BOB, root, "Bob here")
    service, conversation = s.components.bot.services.participants, f"{INBOX.id};messageid={root}"
    generation = (await thread_body(s, guest.openid))["generation"]
    # Both confirmations checked before either is carried out: each saw a colleague still there.
    alice, bob = [await service.check_leave(conversation, guest.openid, generation, u.aad_object_id)
                  for u in (ALICE, BOB)]
    assert not alice.last and not bob.last
    await asyncio.gather(service.leave(alice), service.leave(bob))
    await s.settle()
    body = await thread_body(s, guest.openid)
    assert (body["status"], body["participants"]) == ("closed", [])
    assert sum("left the conversation. The chat is closed" in t for t in inbox.texts(root)) == 1


async def test_a_colleague_can_leave_and_join_again(inbox):
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000009", "Mr Lo", "Hello there")
    await inbox.reply(ALICE, root, "Alice here")
    for round_ in (1, 2):
        await guest.say(f"still there? ({round_})")  # a new window each round: quota is not what this tests
        await s.settle()
        await inbox.reply(BOB, root, f"Bob here ({round_})")
        await inbox.reply(BOB, root, None, value=inbox.card_action(inbox.live_card(root), "leaveConversation"))
        confirm = inbox.in_thread(root)[-1]["attachments"][0]["content"]
        await inbox.reply(BOB, root, None, value=inbox.card_action(confirm, "confirmLeave"))
        assert [p["name"] for p in (await thread_body(s, guest.openid))["participants"]] == ["Alice Wong"], round_
    said = await s.guest_texts(guest.openid)
    assert [t for t in said if t.startswith("Bob Li：")] == ["Bob Li：Bob here (1)", "Bob Li：Bob here (2)"]
    assert sum(t == "Bob Li 已退出对话。" for t in said) == 2


async def test_a_line_that_is_a_command_is_answered_and_never_reaches_the_guest(inbox):
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000010", "Mr Tse", "Can Alice help me too?")
    await inbox.reply(BOB, root, "Bob here")
    await inbox.reply(BOB, root, "add @Alice Wong")  # typed, not picked from the list: no real mention
    assert inbox.texts(root)[-1].startswith("To add a colleague, @mention them")
    await inbox.reply(BOB, root, "Find")  # contacts are for the personal chat: the whole channel would see them
    assert inbox.texts(root)[-1].startswith("“find” works in your personal chat with me")
    await inbox.reply(BOB, root, "queue")
    assert inbox.texts(root)[-1] == "No message is waiting to be sent here."
    await inbox.reply(BOB, root, "leave")  # typed: the same confirmation as the card's button
    confirm_id, confirm = inbox.last_card(root)
    assert "Leave the WeChat conversation with" in shown(confirm)
    await inbox.reply(BOB, root, None, value=inbox.card_action(confirm, "cancelLeave"), card=confirm_id)
    assert [p["name"] for p in (await thread_body(s, guest.openid))["participants"]] == ["Bob Li"]
    said = [t for t in await s.guest_texts(guest.openid) if t.startswith("Bob Li：")]
    assert said == ["Bob Li：Bob here"]  # no command went to the guest

    # Words that only start like a command go as they are; a backslash sends a command word as written.
    await inbox.reply(BOB, root, "Help is on the way")
    await inbox.reply(BOB, root, "\\find attached the report")
    said = [t for t in await s.guest_texts(guest.openid) if t.startswith("Bob Li：")]
    assert said[1:] == ["Bob Li：Help is on the way", "Bob Li：find attached the report"]


async def test_a_sub_organization_in_chinese_gets_its_cards_and_answers_in_chinese(tmp_path):
    organizations = ORGANIZATIONS.replace('  max_participants = 2\n',
                                          '  max_participants = 2\n  policy = { employee_language = "zh-CN" }\n')
    async with running_inbox(tmp_path, organizations) as box:
        stack = box.stack
        guest, root = await box.guest_writes("oGuestGroup00000000000011", "Mr Wu", "你好")
        await box.reply(ALICE, root, "您好，我是 Alice")
        live = box.live_card(root)
        assert "剩余" in shown(live) and [a["title"] for a in _actions(live)] == ["退出对话"]
        assert live["fallbackText"] == live["speak"] and "剩余" in live["fallbackText"]
        await box.reply(ALICE, root, "添加 @Bob Li")
        assert box.texts(root)[-1].startswith("添加同事时请 @提及对方")
        await box.reply(ALICE, root, "帮助")
        _, card = box.last_card(root)
        assert card["fallbackText"] == "Teams 中的微信"
        assert "队列" in str(card) and "查找 <" not in str(card)  # what runs here
        await box.reply(CAROL, root, "I am from Singapore")  # another sub-organization's employee, in this one's words
        assert box.texts(root)[-1] == "只有 HK Private Banking 的同事才能参与此微信对话。您的消息未发送。"
        assert not any("添加" in t or "帮助" in t for t in await stack.guest_texts(guest.openid))


async def test_a_colleague_who_leaves_during_the_pause_is_a_change_the_guest_is_told_of(inbox):
    """The seed's rule covers both: users added OR removed during the pause. Bob leaves before the
    24 h mark: the guest hears of it with the 24 h notice; Alice leaves after it (Dan stays): at once,
    in the same WeChat message as her leaving."""
    s = inbox.stack
    guest, root = await inbox.guest_writes("oGuestGroup00000000000009", "Mr Ho", "Please call me")
    await inbox.reply(ALICE, root, "Alice here")
    await inbox.reply(ALICE, root, "add", mentions=(BOB,))

    async def leaves(user: TeamsUser) -> None:
        await inbox.reply(user, root, None, value=inbox.card_action(inbox.live_card(root), "leaveConversation"))
        confirm_id, confirm = inbox.last_card(root)
        await inbox.reply(user, root, None, value=inbox.card_action(confirm, "confirmLeave"), card=confirm_id)

    s.clock.advance(2 * 3600)
    await leaves(BOB)
    assert (await s.guest_texts(guest.openid))[-1] == "Bob Li 已退出对话。"  # no pause to speak of yet
    s.clock.advance(22 * 3600 + 60)  # the 24 h mark, a minute late
    await s.components.conversations.fire_due_timers()
    await s.settle()
    assert (await s.guest_texts(guest.openid))[-1] == (
        "如果您在接下来的 24 小时内没有回复，您的联系人将无法再给您发送消息。如需保持对话，请回复任意消息。"
        "请注意：此对话中已有其他用户加入或退出。")

    await inbox.reply(ALICE, root, "add", mentions=(DAN,))
    await guest.say("ok")  # a new window, and later a new pause
    await s.settle()
    s.clock.advance(24 * 3600 + 1)
    await s.components.conversations.fire_due_timers()
    await s.settle()
    s.clock.advance(6 * 3600)
    await leaves(ALICE)
    assert (await s.guest_texts(guest.openid))[-1] == (
        "Alice Wong 已退出对话。如果您在接下来的 17 小时内没有回复，您的联系人将无法再给您发送消息。"
        "如需保持对话，请回复任意消息。请注意：此对话中已有其他用户加入或退出。")
    assert [p["aad"] for p in (await thread_body(s, guest.openid))["participants"]] == [DAN.aad_object_id]
