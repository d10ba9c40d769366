"""WeChat carried out a send and its answer never came (the connection dropped after the request, as
when WeChat answers after the client gave up): the reply reaches the guest at most once, it counts
against WeChat's quota, the record says delivery was not confirmed, and the employee sees it with
Send again, which sends it (once) when pressed."""
from __future__ import annotations

from tests.card_walk import actions, shown
from tests.e2e.conftest import ALICE

SEND = "/cgi-bin/message/custom/send"


def cards(stack) -> list[tuple[str, dict]]:
    """(message id, card) of every card the bot wrote in Alice's chat, as it is now."""
    latest: dict[str, dict] = {}
    for a in stack.teams_messages(ALICE):
        for attachment in a["activity"].get("attachments") or []:
            latest[a["activityId"]] = attachment["content"]
    return list(latest.items())


async def test_a_reply_whose_answer_was_lost_is_sent_at_most_once_and_can_be_sent_again(stack):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestLost0000000000000001", "Lost", language="en")
    await guest.say("are the documents ready?")
    await stack.settle()
    stack.sim.lose_answer(SEND)
    await stack.employee_says(ALICE, "Yes, they are ready.")

    said = [t for t in await stack.guest_texts(guest.openid) if t.endswith("Yes, they are ready.")]
    assert len(said) == 1  # WeChat took it once; the app did not try again on its own
    assert len([r for r in stack.sim.calls(SEND) if r.json["text"]["content"].endswith("ready.")]) == 1
    thread = (await stack.components.storage.get("threads", guest.openid, guest.openid)).body
    assert thread["policy"]["pending"] == [] and [u["text"] for u in thread["policy"]["unconfirmed"]] == \
        ["Yes, they are ready."]
    assert thread["policy"]["sent"] == 2  # the welcome and the reply: WeChat counted it
    records = [e.body for e in await stack.components.storage.query("records") if e.body.get("thread") == guest.openid]
    assert any(r.get("what", {}).get("type") == "unconfirmed" for r in records)

    (card_id, card), = [(i, c) for i, c in cards(stack) if "may or may not have reached" in shown(c)]
    (again,) = actions(card, "Action.Submit")
    assert again["title"] == "Send again"
    await stack.employee_says(ALICE, None, value=again["data"], card=card_id)
    said = [t for t in await stack.guest_texts(guest.openid) if t.endswith("Yes, they are ready.")]
    assert len(said) == 2  # sent again, as asked
    pressed = dict(cards(stack))[card_id]
    assert "Sent again." in shown(pressed) and not actions(pressed, "Action.Submit")

    await stack.employee_says(ALICE, None, value=again["data"], card=card_id)  # an old button again
    assert len([t for t in await stack.guest_texts(guest.openid) if t.endswith("ready.")]) == 2
    assert any("can no longer be sent again" in t for t in stack.teams_texts(ALICE))
