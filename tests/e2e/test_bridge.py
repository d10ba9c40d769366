"""WeChat ↔ Teams through real HTTP: webhook, bot, storage, worker and both simulators."""
from __future__ import annotations

import secrets

from adapters.wechat.signature import sign
from simulators.wechat_push import text_message, verification_query
from tests.card_walk import actions, shown
from tests.e2e.conftest import ALICE, BOB, TOKEN, _card_text


async def test_verification_get_returns_echostr(stack):
    query = verification_query(TOKEN, timestamp=int(stack.clock.now()), nonce="n1", echostr="hello-1234")
    async with stack.session.get(stack.wechat.webhook_url, params=query) as r:
        assert (r.status, await r.text()) == (200, "hello-1234")
    query["signature"] = "0" * 40
    async with stack.session.get(stack.wechat.webhook_url, params=query) as r:
        assert r.status == 403


async def test_signed_text_reaches_the_employees_teams_chat_naming_the_contact(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000001", nickname="Li Lei")
    await guest.follow()
    r = await guest.say("你好, I'd like to review my portfolio")
    assert (r.status, r.text) == (200, "success")
    await stack.settle()
    texts = stack.teams_texts(ALICE)
    assert any("Li Lei" in t and "你好, I'd like to review my portfolio" in t for t in texts), texts


async def test_aes_encrypted_message_reaches_teams_and_plaintext_is_refused(aes_stack):
    stack = aes_stack
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestAes00000000000000001", nickname="Han Meimei")
    r = await guest.say("encrypted hello")
    assert r.status == 200 and "<Encrypt>" in r.body.decode()
    # A replay of the whole signed request is WeChat's retry or an attacker's copy: one message either way.
    async with stack.session.post(stack.wechat.webhook_url, params=r.query, data=r.body) as replay:
        assert replay.status == 200
    await stack.settle()
    assert sum("encrypted hello" in t for t in stack.teams_texts(ALICE)) == 1

    # With a key configured, an unencrypted (unsigned-body) push is refused.
    plain = text_message(guest.openid, "sneaky", create_time=int(stack.clock.now()))
    ts, nonce = str(int(stack.clock.now())), "n-plain"
    query = {"signature": sign(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
    async with stack.session.post(stack.wechat.webhook_url, params=query, data=plain) as resp:
        assert resp.status == 403
    # A tampered ciphertext fails msg_signature.
    r = await guest.say("x")
    tampered = r.body.replace(b"<Encrypt><![CDATA[", b"<Encrypt><![CDATA[AAAA")
    query = {**r.query, "nonce": "n-tamper"}
    query["signature"] = sign(TOKEN, query["timestamp"], "n-tamper")
    async with stack.session.post(stack.wechat.webhook_url, params=query, data=tampered) as resp:
        assert resp.status == 403
    await stack.settle()
    assert not any("sneaky" in t for t in stack.teams_texts())


async def test_employee_reply_reaches_the_wechat_user(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000002")
    await guest.say("Can we talk about bonds?")
    await stack.settle()
    await stack.employee_says(ALICE, "Of course — tomorrow at 10?")
    await stack.settle()
    texts = await stack.guest_texts(guest.openid)
    assert texts[-1] == "Alice Advisor: Of course — tomorrow at 10?"  # attributed (the default)
    assert "#LEAVE" in texts[0]  # the policy's welcome notice went first


async def test_wechat_retrying_a_push_three_times_gives_one_teams_message(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000003")
    await stack.wechat.control("follow", openid=guest.openid)
    await stack.wechat.control("user_message", openid=guest.openid)
    xml = guest.text_xml("only once please", msg_id=7000000000000000001)
    for _ in range(3):  # WeChat waits 5 s and retries, with a new nonce each time
        r = await stack.wechat.push(xml)
        assert (r.status, r.text) == (200, "success")
    await stack.settle()
    assert sum("only once please" in t for t in stack.teams_texts(ALICE)) == 1
    assert len([j for j in await stack.jobs() if j.body["kind"] == "wechat_inbound"]) == 1


async def test_bad_pushes_are_refused_with_4xx_and_leave_nothing_behind(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000004")
    xml = guest.text_xml("should never arrive")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b"<xml><ToUserName>a</ToUserName><FromUserName>&lol2;</FromUserName><CreateTime>1</CreateTime>"
            b"<MsgType>text</MsgType><Content>&lol2;</Content><MsgId>1</MsgId></xml>")
    cases = {
        "forged signature": (await stack.wechat.push(xml, signature="f" * 40)).status,
        "stale timestamp": (await stack.wechat.push(xml, timestamp=str(int(stack.clock.now()) - 3600),
                                                    **_resign(int(stack.clock.now()) - 3600))).status,
        "entity bomb": (await stack.wechat.push(bomb)).status,
        "malformed xml": (await stack.wechat.push(b"<xml><ToUserName>")).status,
        "2 MB body": (await stack.wechat.push(b"<xml>" + b"x" * (2 * 1024 * 1024) + b"</xml>")).status,
    }
    assert cases == {"forged signature": 403, "stale timestamp": 403, "entity bomb": 400, "malformed xml": 400,
                     "2 MB body": 413}
    await stack.settle()
    assert await stack.jobs() == []
    assert list(await stack.components.storage.query("nonces")) == []
    assert not any("should never arrive" in t for t in stack.teams_texts())


def _resign(timestamp: int) -> dict[str, str]:
    nonce = secrets.token_hex(8)
    return {"nonce": nonce, "signature": sign(TOKEN, str(timestamp), nonce)}


async def test_a_replayed_url_with_another_body_is_refused(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000005")
    await stack.wechat.control("follow", openid=guest.openid)
    first = await guest.say("genuine")
    assert first.status == 200
    forged = text_message(guest.openid, "forged with a captured URL", create_time=int(stack.clock.now()))
    async with stack.session.post(stack.wechat.webhook_url, params=first.query, data=forged) as r:
        assert r.status == 403
    await stack.settle()
    assert not any("forged" in t for t in stack.teams_texts())


async def test_qr_follower_goes_to_that_employee_and_others_to_the_default(stack):
    await stack.install(ALICE)
    await stack.install(BOB)
    await stack.employee_says(BOB, "qr")
    card = stack.teams_messages(BOB)[-1]["activity"]["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and any(b.get("type") == "Image" for b in card["body"])

    scanned = stack.wechat.guest("oGuestQr000000000000000001", nickname="Wang Fang")
    await scanned.follow(scene=f"emp_{BOB.aad_object_id}")
    await scanned.say("Bob gave me his code")
    walk_in = stack.wechat.guest("oGuestWalkIn00000000000001")
    await walk_in.say("hello?")
    await stack.settle()
    bob, alice = stack.teams_texts(BOB), stack.teams_texts(ALICE)
    assert any("Wang Fang" in t and "QR code" in t for t in bob)
    assert any("Bob gave me his code" in t for t in bob)
    assert any("hello?" in t for t in alice) and not any("Bob gave me his code" in t for t in alice)


async def test_existing_follower_scanning_an_employees_code_moves_to_them(stack):
    await stack.install(ALICE)
    await stack.install(BOB)
    guest = stack.wechat.guest("oGuestScan0000000000000001")
    await guest.say("first to the default")
    await guest.scan(f"emp_{BOB.aad_object_id}")
    await guest.say("now for Bob")
    await stack.settle()
    assert any("now for Bob" in t for t in stack.teams_texts(BOB))
    assert not any("now for Bob" in t for t in stack.teams_texts(ALICE))
    # The new assignment carries WeChat's window and the policy's command numbering on: Bob's answer
    # is a new command, not taken for one of Alice's time (which would have been skipped as done).
    await stack.employee_says(BOB, "Bob here")
    assert (await stack.guest_texts(guest.openid))[-1] == "Bob Banker: Bob here"
    thread = (await stack.components.storage.get("threads", guest.openid, guest.openid)).body
    assert (thread["generation"], [p["aad"] for p in thread["participants"]]) == (2, [BOB.aad_object_id])


async def test_with_several_contacts_open_the_bot_asks_and_never_guesses(stack):
    await stack.install(ALICE)
    g1 = stack.wechat.guest("oGuestMany0000000000000001", "Zhou")
    g2 = stack.wechat.guest("oGuestMany0000000000000002", "Qian")
    await g1.say("question one")
    await g2.say("question two")
    await stack.settle()
    await stack.employee_says(ALICE, "Which of you is this for?")
    assert not any("Which of you is this for?" in t for t in await stack.guest_texts())
    asking = stack.teams_messages(ALICE)[-1]
    card = asking["activity"]["attachments"][0]["content"]
    choice = next(a for a in card["actions"] if a["data"]["openid"] == g1.openid)
    await stack.employee_says(ALICE, None, value=choice["data"], card=asking["activityId"])
    asked = "Which of you is this for?"
    assert [d["openid"] for d in await stack.wechat.delivered()
            if d["json"]["text"]["content"] == f"Alice Advisor: {asked}"] == [g1.openid]
    # The card itself now says where the message went, and has nothing left to press.
    answered = _now(stack, asking["activityId"])
    assert "Sent to Zhou." in shown(answered) and asked in shown(answered)
    assert not actions(answered, "Action.Submit")
    # The same button pressed again (a client that had not redrawn it) does not send twice, and says why.
    await stack.employee_says(ALICE, None, value=choice["data"], card=asking["activityId"])
    assert (await stack.guest_texts()).count(f"Alice Advisor: {asked}") == 1
    assert "already sent" in stack.teams_texts(ALICE)[-1]


async def test_the_outcome_of_a_card_teams_no_longer_has_comes_as_a_new_message(stack):
    await stack.install(ALICE)
    for openid, name in (("oGuestMany0000000000000003", "Sun"), ("oGuestMany0000000000000004", "Li")):
        await stack.wechat.guest(openid, name).say("hello")
    await stack.settle()
    await stack.employee_says(ALICE, "For Sun")
    card = stack.teams_messages(ALICE)[-1]["activity"]["attachments"][0]["content"]
    choice = next(a for a in card["actions"] if a["data"]["openid"] == "oGuestMany0000000000000003")
    await stack.employee_says(ALICE, None, value=choice["data"], card="1000000000000")  # deleted in Teams
    told = next(a for a in reversed(stack.teams_messages(ALICE)) if "Sent to" in _card_text(a["activity"]))
    assert told["operation"] in ("send", "reply") and "Sent to Sun." in shown(told["activity"])


async def test_teams_redelivering_an_activity_sends_once(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000006")
    await guest.say("hi")
    await stack.settle()
    for _ in range(2):
        await stack.employee_says(ALICE, "hello once", activity_id="1700000000123")
    assert (await stack.guest_texts(guest.openid)).count("Alice Advisor: hello once") == 1


async def test_after_48_hours_a_reply_is_queued_not_sent_and_goes_out_when_the_guest_writes(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000007")
    await guest.say("hi")
    await stack.settle()
    stack.clock.advance(49 * 3600)  # WeChat's 48 h window has closed
    await stack.employee_says(ALICE, "are you there?")
    assert "are you there?" not in await stack.guest_texts(guest.openid)
    assert not [r for r in stack.sim.sent if r.errcode in (45015, 45047)]  # WeChat never had to refuse
    notices = stack.teams_texts(ALICE)
    assert any("queued" in t.lower() for t in notices), notices
    await guest.say("back again")
    await stack.settle()
    assert (await stack.guest_texts(guest.openid))[-1] == "Alice Advisor: are you there?"


async def test_a_message_for_an_employee_without_the_app_waits_for_the_install(stack):
    guest = stack.wechat.guest("oGuest0000000000000000008")
    await guest.say("anyone?")
    await stack.settle()
    assert stack.teams_texts() == []
    [job] = await stack.jobs()
    assert job.body["status"] == "pending" and job.body["waiting_for"] == f"employee:{ALICE.aad_object_id}"
    await stack.install(ALICE)  # installing wakes the waiting job
    await stack.components.worker.sweep()
    assert any("anyone?" in t for t in stack.teams_texts(ALICE))


async def test_media_and_unknown_types_are_recorded_and_announced(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000009")
    await guest.send("image", PicUrl="http://example.invalid/p.jpg", MediaId="media-1")
    await guest.send("hologram", Payload="future")
    await stack.settle()
    texts = stack.teams_texts(ALICE)
    assert any("sent an image" in t for t in texts) and any("hologram" in t for t in texts)
    inbound = [j for j in await stack.jobs() if j.body["kind"] == "wechat_inbound"]
    assert sorted(j.body["payload"]["push"]["MsgType"] for j in inbound) == ["hologram", "image"]
    image = next(j for j in inbound if j.body["payload"]["push"]["MsgType"] == "image")
    assert image.body["payload"]["push"]["MediaId"] == "media-1"


async def test_unfollow_closes_the_thread(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuest0000000000000000010")
    await guest.say("bye soon")
    await guest.unfollow()
    await stack.settle()
    assert any("unfollowed" in t for t in stack.teams_texts(ALICE))
    await stack.employee_says(ALICE, "hello?")
    assert "no open WeChat conversation" in stack.teams_texts(ALICE)[-1]


async def test_a_team_channel_inbox_gets_a_thread_per_guest_and_replies_in_it_go_to_that_guest(tmp_path):
    from simulators.teams_client import TeamsChannel, channel_message, post_activity, team_installation
    from tests.e2e.conftest import _close, _stack

    inbox = TeamsChannel(team_id="19:team-wealth@thread.tacv2", team_name="Wealth", channel_name="WeChat inbox",
                         channel_id="19:wechat-inbox@thread.tacv2")
    stack = await _stack(tmp_path, DEFAULT_TARGET=f"channel:{inbox.id}")
    try:
        bot_url = str(stack.app_server.make_url("/api/messages"))
        # Teams knows the team's channels (the simulator learns of the inbox channel here).
        await stack.session.post(f"{stack.connector_url}/sim/conversations", json={
            "id": inbox.id, "conversationType": "channel", "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "teamId": inbox.team_id, "members": []})
        for activity in team_installation(service_url=stack.connector_url, user=ALICE, channel=inbox,
                                          clock=stack.clock):
            assert (await post_activity(stack.session, bot_url, activity)).status in (200, 201)
        # Installing the app in the team taught it every channel: no one has used the inbox yet.
        assert await stack.components.storage.get("conversations", f"channel:{inbox.id}", f"channel:{inbox.id}")

        g1 = stack.wechat.guest("oGuestInbox000000000000001", "Sun")
        g2 = stack.wechat.guest("oGuestInbox000000000000002", "Zhao")
        await g1.say("first guest here")
        await g2.say("second guest here")
        await stack.settle()
        threads = {a["conversationId"] for a in stack.connector.activities_for(inbox.id)
                   if "guest here" in (a["activity"].get("text") or "")}
        assert len(threads) == 2 and all(t.startswith(inbox.id + ";messageid=") for t in threads)

        thread_of_g2 = next(a for a in stack.connector.activities_for(inbox.id)
                            if "second guest here" in (a["activity"].get("text") or ""))
        root = thread_of_g2["conversationId"].split("=", 1)[1]
        reply = channel_message("Answer for Zhao", service_url=stack.connector_url, user=ALICE, channel=inbox,
                                thread_root_id=root, clock=stack.clock)
        await post_activity(stack.session, bot_url, reply)
        await stack.settle()
        answers = [(d["openid"], d["json"]["text"]["content"]) for d in await stack.wechat.delivered()
                   if "#LEAVE" not in d["json"]["text"]["content"]]  # the policy's welcome notices aside
        assert answers == [(g2.openid, "Alice Advisor: Answer for Zhao")]
    finally:
        await _close(stack)


async def test_menu_events_and_strangers_unfollowing_are_recorded_not_posted(stack):
    from simulators.wechat_push import event

    await stack.install(ALICE)
    stranger = "oGuestStranger000000000001"
    for kind in ("CLICK", "VIEW", "unsubscribe"):
        r = await stack.wechat.push(event(stranger, kind, create_time=int(stack.clock.now()), event_key="k"))
        assert r.status == 200
    await stack.settle()
    assert not any("Stranger" in t or "unfollowed" in t for t in stack.teams_texts(ALICE))
    jobs = await stack.jobs()
    assert len(jobs) == 3 and {j.body["status"] for j in jobs} == {"done"}
    assert await stack.components.storage.get("threads", stranger, stranger) is None


async def test_the_bridge_runs_on_cosmos_db_too(tmp_path, cosmos_endpoint):
    import uuid

    from adapters.storage.cosmos import CosmosStorage
    from tests.cosmos_server import KEY
    from tests.e2e.conftest import _close, _stack

    storage = CosmosStorage(cosmos_endpoint, KEY, f"e2e-{uuid.uuid4().hex}")
    stack = await _stack(tmp_path, storage=storage, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}")
    try:
        await stack.install(ALICE)
        guest = stack.wechat.guest("oGuestCosmos00000000000001", "Cosmo")
        await stack.wechat.control("follow", openid=guest.openid)
        await stack.wechat.control("user_message", openid=guest.openid)
        xml = guest.text_xml("stored in Cosmos", msg_id=7100000000000000001)
        for _ in range(2):  # the second push is WeChat's retry of the same message
            assert (await stack.wechat.push(xml)).status == 200
        await stack.settle()
        assert sum("stored in Cosmos" in t for t in stack.teams_texts(ALICE)) == 1
        await stack.employee_says(ALICE, "answered from Teams")
        assert (await stack.guest_texts(guest.openid))[-1] == "Alice Advisor: answered from Teams"
    finally:
        await _close(stack)


def _card(activity: dict) -> dict | None:
    attachments = activity["activity"].get("attachments") or []
    return attachments[0]["content"] if attachments else None


async def test_past_the_limit_messages_queue_with_a_card_and_go_out_in_order_when_the_guest_replies(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestQueue000000000000001", "Qiu")
    await guest.say("hello")
    await stack.settle()
    for n in range(1, 7):  # the welcome used one of the employees' 4 slots: 3 go out, 3 queue
        await stack.employee_says(ALICE, f"message {n}")
    await stack.settle()
    texts = await stack.guest_texts(guest.openid)
    assert [t for t in texts if "message " in t] == [f"Alice Advisor: message {n}" for n in (1, 2, 3)]
    assert any("maximum limit" in t for t in stack.teams_texts(ALICE))
    assert not [r for r in stack.sim.sent if r.errcode]  # WeChat never refused anything

    # The live card shows the queue, each message with a Cancel button; it was updated in place.
    cards = [a for a in stack.teams_messages(ALICE)
             if _card(a) and a["activity"].get("channelData", {}).get("wechatBridge", {}).get("card") == "status"]
    assert cards and cards[-1]["operation"] == "update" and len({a["activityId"] for a in cards}) == 1
    card = _card(cards[-1])
    cancels = [a for a in _walk_actions(card) if a.get("data", {}).get("verb") == "cancelQueued"]
    assert len(cancels) == 3
    # The command posts the same queue again, as the latest message; the older copy points to it.
    await stack.employee_says(ALICE, "queue")
    older = cards[-1]["activityId"]
    newer = [a for a in stack.teams_messages(ALICE) if _card(a) and a["operation"] != "update"][-1]["activityId"]
    assert newer != older
    shown_again = [a["data"] for a in _walk_actions(_now(stack, newer))
                   if a.get("data", {}).get("verb") == "cancelQueued"]
    assert shown_again == [a["data"] for a in cancels]
    assert not _walk_actions(_now(stack, older)) and "card has moved" in shown(_now(stack, older))
    await stack.employee_says(ALICE, None, value=cancels[1]["data"], card=newer)  # cancel "message 5"
    assert "message 5" not in str(_now(stack, newer))  # the queue card, updated in place

    await guest.say("I'm back")
    await stack.settle()
    texts = await stack.guest_texts(guest.openid)
    assert [t for t in texts if "message " in t] == [f"Alice Advisor: message {n}" for n in (1, 2, 3, 4, 6)]
    assert not [r for r in stack.sim.sent if r.errcode]
    final = _now(stack, newer)
    assert not [a for a in _walk_actions(final) if a.get("data", {}).get("verb") == "cancelQueued"]
    assert "messages left" in str(final)  # back to the status line, in the same Teams message
    assert "card has moved" in shown(_now(stack, older))  # the pointer stays a pointer


async def test_a_cancel_pressed_on_an_older_copy_of_the_queue_card_turns_that_copy_into_a_pointer(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestQueue000000000000003", "Pan")
    await guest.say("hello")
    await stack.settle()
    for n in range(1, 6):  # 3 go out, 2 queue
        await stack.employee_says(ALICE, f"note {n}")
    [older] = {a["activityId"] for a in stack.teams_messages(ALICE)
               if (a["activity"].get("channelData") or {}).get("wechatBridge", {}).get("card") == "status"}
    stack.connector.fail_next(1, 400, "BadArgument", operations={"update"})  # the older copy is not retired
    await stack.employee_says(ALICE, "queue")
    cancel = next(a["data"] for a in _walk_actions(_now(stack, older))
                  if a.get("data", {}).get("verb") == "cancelQueued")

    await stack.employee_says(ALICE, None, value=cancel, card=older)
    assert "card has moved" in shown(_now(stack, older)) and not _walk_actions(_now(stack, older))
    await guest.say("back")
    await stack.settle()
    assert [t for t in await stack.guest_texts(guest.openid) if "note " in t] == \
        [f"Alice Advisor: note {n}" for n in (1, 2, 3, 5)]  # note 4 was cancelled


def _walk_actions(node):
    return actions(node)


def _now(stack, activity_id: str) -> dict:
    """A Teams message's card as it is now (its last write)."""
    return _card([a for a in stack.connector.activities if a["activityId"] == activity_id][-1])


async def test_a_cancel_from_another_chat_is_refused(stack):
    from tests.e2e.conftest import BOB

    await stack.install(ALICE)
    await stack.install(BOB)
    guest = stack.wechat.guest("oGuestQueue000000000000002")
    await guest.say("hello")
    await stack.settle()
    await stack.employee_says(BOB, None, value={"verb": "cancelQueued", "thread": guest.openid, "message": "x"})
    assert "not from a WeChat conversation open in this chat" in stack.teams_texts(BOB)[-1]


async def test_each_guest_gets_the_notices_in_the_language_they_use_wechat_in(stack):
    await stack.install(ALICE)
    english = stack.wechat.guest("oGuestLangEn0000000000001", language="en")
    chinese = stack.wechat.guest("oGuestLangZh0000000000001", language="zh_CN")
    await english.say("Hello")
    await chinese.say("你好")
    await stack.settle()
    assert (await stack.guest_texts(english.openid))[0].startswith("Thank you! You can now start messaging")
    assert (await stack.guest_texts(chinese.openid))[0].startswith("感谢您！")
    assert "A WeChat user" in " ".join(stack.teams_texts(ALICE))  # employees keep English (the default)
