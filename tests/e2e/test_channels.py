"""The bot in a team's channels, over real HTTP. With the resource-specific consent the inbox needs,
Teams sends the bot every message of every channel of its teams: it speaks only when @mentioned or
in a WeChat contact's thread (the employees' answers), and the commands whose answer is one person's
(`find`, `qr`, `admin`) run only in that person's chat with the bot."""
from __future__ import annotations


from simulators.teams_client import TeamsChannel, TeamsUser, channel_message, messaging_extension_query, post_activity
from tests.e2e.conftest import ALICE, BOB, Stack, _card_text
from tests.e2e.test_groups import CAROL, DAN, INBOX, ORGANIZATIONS, running_inbox

GENERAL = TeamsChannel(team_id=INBOX.team_id, team_name=INBOX.team_name)  # the team's first channel
RESEARCH = TeamsChannel(team_id=INBOX.team_id, team_name=INBOX.team_name, channel_name="Research",
                        channel_id="19:hk-research@thread.tacv2")
PERSONAL_ONLY = ("“{}” works in your personal chat with me, where only you see the answer; here everyone would. "
                 "Nothing was sent to the WeChat contact.")
NO_THREAD = "There is no open WeChat conversation in this chat to reply to."




async def post(s: Stack, user: TeamsUser, channel: TeamsChannel, text: str, *, root: str | None = None,
               mention_bot: bool = False) -> str:
    """`user` writes in `channel`: a new post, or a reply in the thread of `root`. The thread's root id."""
    s.sent_activities += 1
    activity_id = f"{int(s.clock.now() * 1000)}{s.sent_activities:04d}"
    activity = channel_message(text, service_url=s.connector_url, user=user, channel=channel, thread_root_id=root,
                               mention_bot=mention_bot, activity_id=activity_id, clock=s.clock)
    assert (await post_activity(s.session, str(s.app_server.make_url("/api/messages")), activity)).status in (200, 201)
    await s.settle()
    return root or activity_id


def bot_texts(s: Stack, channel: TeamsChannel, root: str) -> list[str]:
    """What the bot wrote in a thread: its texts, and its cards' text."""
    return [a["activity"].get("text") or _card_text(a["activity"])
            for a in s.connector.activities_for(f"{channel.id};messageid={root}") if a["operation"] != "delete"]


async def test_in_channels_the_bot_speaks_when_mentioned_or_in_a_guests_thread(tmp_path):
    async with running_inbox(tmp_path) as inbox:
        s = inbox.stack
        guest, guest_root = await inbox.guest_writes("oGuestChannel000000000001", "Mr Chan", "Is anyone there?")
        written, delivered = len(s.connector.activities), len(await s.wechat.delivered())

        # Colleagues talk among themselves: a new post in the inbox channel, replies in it (words that are
        # commands too), posts in the team's other channels, by people WeChat concerns and others.
        lunch = await post(s, ALICE, INBOX, "Lunch at 12?")
        await post(s, BOB, INBOX, "Sure", root=lunch)
        await post(s, DAN, INBOX, "queue", root=lunch)
        await post(s, CAROL, INBOX, "help", root=lunch)
        figures = await post(s, CAROL, RESEARCH, "The quarterly figures are in")
        await post(s, ALICE, RESEARCH, "leave", root=figures)
        await post(s, BOB, GENERAL, "Welcome to the team, Dan!")
        assert s.connector.activities[written:] == []  # the bot posted nothing, anywhere
        assert len(await s.wechat.delivered()) == delivered

        # An answer in the guest's thread goes to the guest, as ever.
        await post(s, ALICE, INBOX, "Hello Mr Chan, Alice here.", root=guest_root)
        assert (await s.guest_texts(guest.openid))[-1] == "Alice Wong：Hello Mr Chan, Alice here."

        # Mentioned, the bot answers, in the inbox channel and elsewhere.
        await post(s, BOB, INBOX, "help", root=lunch, mention_bot=True)
        assert bot_texts(s, INBOX, lunch)[-1].startswith("WeChat in Teams")
        await post(s, CAROL, RESEARCH, "is this where clients write?", root=figures, mention_bot=True)
        assert bot_texts(s, RESEARCH, figures) == [NO_THREAD]
        general = await post(s, DAN, GENERAL, "queue", mention_bot=True)
        assert bot_texts(s, GENERAL, general) == ["No message is waiting to be sent here."]
        said = [t for t in await s.guest_texts(guest.openid) if "：" in t]
        assert said == ["Alice Wong：Hello Mr Chan, Alice here."]

        # The guest leaves: an answer written in the thread is told it did not go, not ignored.
        await guest.say("#LEAVE")
        await s.settle()
        await post(s, ALICE, INBOX, "Goodbye Mr Chan", root=guest_root)
        assert inbox.texts(guest_root)[-1] == NO_THREAD
        assert not any("Goodbye" in t for t in await s.guest_texts(guest.openid))


async def test_a_command_whose_answer_is_one_persons_runs_only_in_their_personal_chat(tmp_path):
    async with running_inbox(tmp_path) as inbox:
        s = inbox.stack
        await s.install(ALICE)
        guest, root = await inbox.guest_writes("oGuestChannel000000000002", "Chen Jing", "Hello, I need help")
        await post(s, ALICE, INBOX, "Alice here", root=root)
        delivered = len(await s.wechat.delivered())

        # In the guest's thread (no mention needed there) and in a new post of the inbox channel: that
        # answer only, no contacts card, no QR code.
        for text, word in (("find Chen", "find"), ("QR code", "qr code"), ("admin", "admin")):
            written = len(inbox.writes(root))
            await post(s, ALICE, INBOX, text, root=root)
            assert inbox.texts(root)[written:] == [PERSONAL_ONLY.format(word)]
        post_root = await post(s, ALICE, INBOX, "查找 Chen", mention_bot=True)
        assert bot_texts(s, INBOX, post_root) == [PERSONAL_ONLY.format("查找")]
        assert len(await s.wechat.delivered()) == delivered  # nothing reached the guest
        assert not s.sim.tickets  # and no QR code was made

        # In her personal chat, the same commands answer her; `add` there says where it works.
        await s.employee_says(ALICE, "find Chen")
        assert "Chen Jing" in s.teams_texts(ALICE)[-1]
        await s.employee_says(ALICE, "qr")
        assert len(s.sim.tickets) == 1 and "weixin.qq.com/q/" in str(s.teams_messages(ALICE)[-1])
        await s.employee_says(ALICE, "add @Bob")
        assert s.teams_texts(ALICE)[-1] == ("“add” works in a WeChat contact's thread of your team's WeChat inbox "
                                            "channel. Nothing was sent to the WeChat contact.")

        # The message extension answers only the person who searches (the HTTP response is theirs alone;
        # Teams shows it in their compose box), so it works in the channel and posts nothing there.
        written = len(s.connector.activities)
        r = await post_activity(s.session, str(s.app_server.make_url("/api/messages")),
                                messaging_extension_query("chen", service_url=s.connector_url, user=ALICE,
                                                          channel=INBOX, thread_root_id=root, clock=s.clock))
        result = (await r.json())["composeExtension"]
        assert [a["preview"]["content"]["title"] for a in result["attachments"]] == ["Chen Jing"]
        assert s.connector.activities[written:] == []


async def test_the_answer_is_in_the_sub_organizations_language(tmp_path):
    organizations = ORGANIZATIONS.replace('  max_participants = 2\n',
                                          '  max_participants = 2\n  policy = { employee_language = "zh-CN" }\n')
    async with running_inbox(tmp_path, organizations) as inbox:
        s = inbox.stack
        root = await post(s, BOB, INBOX, "find Chen", mention_bot=True)
        assert bot_texts(s, INBOX, root) == ["“find”只能在您与我的个人聊天中使用，那里只有您能看到回复；"
                                             "在这里所有人都会看到。没有向微信联系人发送任何内容。"]
        await post(s, BOB, INBOX, "谢谢", root=root)  # not to the bot: nothing
        assert len(bot_texts(s, INBOX, root)) == 1


async def test_a_message_in_a_thread_a_restart_may_have_started_twice_is_told_it_was_not_sent(tmp_path):
    """A crash cut a guest's thread start short and the thread was started again: the first copy may
    exist, unknown to the app. Someone writing in a thread the bot does not know in that channel is
    told once that nothing was sent and where to answer; elsewhere the bot stays silent."""
    from services.interrupted_starts import InterruptedStarts

    async with running_inbox(tmp_path) as inbox:
        s = inbox.stack
        await InterruptedStarts(s.components.storage, s.clock).note(INBOX.id, "Mr Chan")
        first_copy = await post(s, ALICE, INBOX, "Hello Mr Chan")
        await post(s, ALICE, INBOX, "Are you there?", root=first_copy)
        assert bot_texts(s, INBOX, first_copy) == [
            "This message was not sent. A restart may have shown the first message of Mr Chan twice in this "
            "channel: if this thread is theirs, answer in the thread that says it was posted again."]
        figures = await post(s, CAROL, RESEARCH, "The quarterly figures are in")  # another channel: silent
        assert bot_texts(s, RESEARCH, figures) == []
