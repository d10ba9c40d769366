"""adapters/teams/chats.py: the activity that carries a post (the TeamsChats port's TeamsPost)."""
from __future__ import annotations

from adapters.teams.chats import activity_of
from core.teams_chats import TeamsPost

CARD = {"type": "AdaptiveCard", "version": "1.5", "fallbackText": "Chen: no reply for 24 h", "body": []}


def test_a_text_is_markdown_and_a_card_an_attachment_with_its_summary():
    text = activity_of(TeamsPost(text="**Chen** · hello", channel_data={"wechatBridge": {"origin": "wechat"}}))
    assert (text.text, text.text_format, text.attachments) == ("**Chen** · hello", "markdown", None)
    assert text.channel_data == {"wechatBridge": {"origin": "wechat"}}
    card = activity_of(TeamsPost(card=CARD))
    assert card.text is None and card.summary == "Chen: no reply for 24 h"
    assert [a.content for a in card.attachments] == [CARD]


def test_a_line_opening_a_card_is_its_text_shown_above_it():
    post = TeamsPost(card=CARD).opened_with("_Shown again after a restart._")
    activity = activity_of(post)
    assert (activity.text, activity.text_format) == ("_Shown again after a restart._", "markdown")
    assert [a.content for a in activity.attachments] == [CARD]
    assert TeamsPost(text="hello").opened_with("_Again._").text == "_Again._\n\nhello"
