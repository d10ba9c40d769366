"""What the WeChat policy cards show, state by state; the data their buttons send; the WeChat mark;
and that nothing a guest (or anyone but us) wrote can become a link or formatting in a card."""
from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import FrozenInstanceError
from typing import Any, Iterator

import pytest

from cards.common import WORD_JOINER, actions_from, client_time, fill, fill_runs, literal
from cards.icons import DISPLAY_PX, SIZE, WECHAT_ICON_URL, WECHAT_PNG, render_png, wechat_icon
from cards.policy_notice import policy_notice_card
from cards.queue import CANCEL_QUEUED, PREVIEW_CHARS, queue_card
from cards.status import LINE_ID, QUEUED_ID, format_duration, status_card
from cards.views import CardAction, DurationTexts, Guest, GuestTold, QueuedMessage, WarningTexts
from cards.warning import warning_card
from core.chat_status import ChatStatus
from tests.cards.samples import (CHINESE, GUEST_ZH, LEAVE, LONG, NOTICE_ZH, OPENID, QUEUE_ZH, STATUS_ZH, T0,
                                 TEAMS_WELCOME, TEXTS, TEXTS_ZH, WARNING_TEXT, WARNING_TEXT_ZH, WELCOME_TEXT,
                                 WELCOME_TEXT_ZH, all_samples, notice, queue, queued, status, warning)

DURATIONS = TEXTS.card(DurationTexts)

# ------------------------------------------------------------------------------------------------
# Reading a card
# ------------------------------------------------------------------------------------------------


def nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "data":
                yield from nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from nodes(value)


def of_type(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [n for n in nodes(card) if n.get("type") == kind]


def by_id(card: dict[str, Any], element_id: str) -> dict[str, Any]:
    found = [n for n in nodes(card) if n.get("id") == element_id]
    assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
    return found[0]


def lines(card: dict[str, Any], *, visible_only: bool = True) -> list[str]:
    """What a reader sees, one entry per TextBlock / RichTextBlock (runs joined)."""
    shown = []
    for n in nodes(card):
        if visible_only and n.get("isVisible") is False:
            continue
        if n.get("type") == "TextBlock":
            shown.append(n["text"])
        elif n.get("type") == "RichTextBlock":
            shown.append("".join(run["text"] for run in n["inlines"]))
    return shown


def shown(card: dict[str, Any]) -> str:
    return "\n".join(lines(card))


def submits(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in nodes(card) if n.get("type") == "Action.Submit"]


def skeleton(node: Any) -> Any:
    """A card's structure: types and ids, no texts, colours or visibility."""
    if isinstance(node, dict):
        return {k: skeleton(v) for k, v in node.items() if k in ("type", "id", "body", "columns", "items",
                                                                  "inlines", "actions")}
    if isinstance(node, list):
        return [skeleton(v) for v in node]
    return node


def has_mark(card: dict[str, Any]) -> bool:
    return any(image["url"] == WECHAT_ICON_URL for image in of_type(card, "Image"))


# ------------------------------------------------------------------------------------------------
# The WeChat mark
# ------------------------------------------------------------------------------------------------

def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def test_the_mark_is_a_valid_small_png():
    chunks = png_chunks(WECHAT_PNG)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour_type, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (width, height, depth, colour_type, compression, filtering, interlace) == (SIZE, SIZE, 8, 6, 0, 0, 0)
    raw = zlib.decompress(chunks[1][1])
    assert len(raw) == SIZE * (1 + 4 * SIZE)
    rows = [raw[y * (1 + 4 * SIZE):(y + 1) * (1 + 4 * SIZE)] for y in range(SIZE)]
    assert all(row[0] == 0 for row in rows)  # filter type None
    pixels = {tuple(row[1 + 4 * x:5 + 4 * x]) for row in rows for x in range(SIZE)}
    assert (7, 193, 96, 255) in pixels          # WeChat green
    assert (255, 255, 255, 255) in pixels       # white bubbles
    assert rows[0][1:5] == b"\x00\x00\x00\x00"  # rounded corner: transparent
    assert len(WECHAT_PNG) < 2048 and len(WECHAT_ICON_URL) < 3000


def test_the_shipped_mark_is_what_the_drawing_code_draws():
    assert render_png() == WECHAT_PNG


def test_the_mark_is_an_inline_png_image_element():
    assert WECHAT_ICON_URL.startswith("data:image/png;base64,")
    image = wechat_icon(element_id="m", alt_text="WeChat")
    assert image == {"type": "Image", "url": WECHAT_ICON_URL, "altText": "WeChat", "width": f"{DISPLAY_PX}px",
                     "height": f"{DISPLAY_PX}px", "id": "m"}


# A guest's voice message is under the line that names them (like an image): a message, not a policy card.
@pytest.mark.parametrize("name,make", [s for s in all_samples() if not s[0].startswith((
                             "cards.choose_guest", "cards.qr_code", "cards.help", "cards.admin", "cards.voice"))],
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_wechat_policy_card_shows_the_mark(name, make):
    assert has_mark(make()), name


# ------------------------------------------------------------------------------------------------
# The policy notice at the start of a chat
# ------------------------------------------------------------------------------------------------

def test_policy_notice_says_who_and_the_notice_as_the_policy_worded_it():
    card = policy_notice_card(notice())
    assert lines(card)[-2:] == ["A WeChat user (Amy Chen) is contacting you.", WELCOME_TEXT]
    assert card["fallbackText"] == WELCOME_TEXT  # the catalogue's `welcome_employee`, numbers filled in


def test_policy_notice_shows_name_and_validated_phone_below_it():
    card = policy_notice_card(notice())
    assert "".join(r["text"] for r in by_id(card, "notice-guest")["inlines"]) == "WeChat · Amy Chen"
    assert ("".join(r["text"] for r in by_id(card, "notice-phone")["inlines"])
            == "Validated phone number: +86 138 0013 8000")


def test_policy_notice_without_phone_or_name():
    no_phone = policy_notice_card(notice(guest=Guest(OPENID, "Amy Chen")))
    assert not [n for n in nodes(no_phone) if n.get("id") == "notice-phone"]
    phone_only = policy_notice_card(notice(guest=Guest(OPENID, None, "+86 138 0013 8000")))
    assert "A WeChat user (+86 138 0013 8000) is contacting you." in shown(phone_only)
    assert "WeChat · WeChat user" in shown(phone_only)
    nothing = policy_notice_card(notice(guest=Guest(OPENID)))
    assert "A WeChat user (WeChat user) is contacting you." in shown(nothing)


def test_policy_notice_shows_an_organizations_own_wording_as_it_is():
    assert by_id(policy_notice_card(notice(text=TEAMS_WELCOME)), "notice-rules")["text"] == TEAMS_WELCOME


def test_policy_notice_in_chinese():
    text = shown(policy_notice_card(notice(guest=GUEST_ZH, text=WELCOME_TEXT_ZH, texts=NOTICE_ZH)))
    assert "一位微信用户（王小明）正在联系您。" in text and WELCOME_TEXT_ZH in text
    assert "已验证手机号：+86 139 1234 5678" in text and "微信 · 王小明" in text


# ------------------------------------------------------------------------------------------------
# The status line
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seconds,expected", [
    (31 * 3600 + 1200, "31 h"), (48 * 3600, "48 h"), (3600, "1 h"), (3599, "59 min"), (45 * 60 + 30, "45 min"),
    (60, "1 min"), (30, "1 min"), (0.5, "1 min"), (0, "closed"), (-10, "closed"), (None, "closed"),
])
def test_format_duration(seconds, expected):
    assert format_duration(seconds, DURATIONS) == expected


def test_format_duration_in_other_words():
    zh = TEXTS_ZH.card(DurationTexts)
    assert [format_duration(s, zh) for s in (7200, 600, None)] == ["2 小时", "10 分钟", "已关闭"]


def test_status_line_active():
    card = status_card(status())
    assert by_id(card, LINE_ID)["text"] == "3 of 5 messages left · window closes in 31 h"
    assert by_id(card, QUEUED_ID)["isVisible"] is False
    assert lines(card) == ["3 of 5 messages left · window closes in 31 h"]
    assert "actions" not in card


def test_status_line_minutes_left():
    card = status_card(status(messages_left=1, window_seconds_left=45 * 60))
    assert by_id(card, LINE_ID)["text"] == "1 of 5 messages left · window closes in 45 min"


@pytest.mark.parametrize("state,expected,colour", [
    (ChatStatus.INACTIVE_TIME,
     "Inactive · the reply window has closed · your messages wait for the WeChat user's reply", "Warning"),
    (ChatStatus.INACTIVE_COUNT, "Inactive · 0 of 5 messages left · your messages wait for the WeChat user's reply",
     "Warning"),
    (ChatStatus.CLOSED, "Conversation closed", "Default"),
    (ChatStatus.NEW, "Waiting for the WeChat user's first message", "Default"),
])
def test_status_line_inactive_and_closed(state, expected, colour):
    card = status_card(status(state=state, messages_left=0, window_seconds_left=None, queued=2))
    line = by_id(card, LINE_ID)
    assert (line["text"], line["color"]) == (expected, colour)
    assert by_id(card, QUEUED_ID)["text"] == "2 of 5 queued" and by_id(card, QUEUED_ID)["isVisible"] is True


def test_status_accepts_plain_strings_and_refuses_unknown_states():
    assert status_card(status(state="inactive_count")) == status_card(status(state=ChatStatus.INACTIVE_COUNT))
    with pytest.raises(ValueError):
        status_card(status(state="paused"))


def test_status_card_keeps_its_shape_in_every_state_so_it_can_be_updated_in_place():
    shapes = {json.dumps(skeleton(status_card(status(state=state, queued=queued_count, messages_left=left,
                                                     window_seconds_left=seconds))))
              for state in ChatStatus for queued_count in (0, 1, 5) for left in (0, 3) for seconds in (None, 60, 90000)}
    assert len(shapes) == 1
    ids = [n["id"] for n in nodes(status_card(status())) if "id" in n]
    assert len(ids) == len(set(ids)) and {LINE_ID, QUEUED_ID, "status", "status-mark"} <= set(ids)


def test_status_card_depends_on_the_view_only():
    view = status()
    assert status_card(view) == status_card(view)  # no clock, no generated ids
    assert "{{" not in json.dumps(status_card(view))  # and no client-side time function either


def test_status_names_the_guest_when_asked_and_speaks_chinese():
    card = status_card(status(guest=GUEST_ZH, texts=STATUS_ZH, queued=1))
    assert lines(card) == ["王小明", "剩余 3/5 条消息 · 窗口将在 31 小时 后关闭", "已排队 1/5 条"]


# ------------------------------------------------------------------------------------------------
# The inactive card with the queue
# ------------------------------------------------------------------------------------------------

def test_queue_card_limit_reached():
    card = queue_card(queue(queued=queued(2)))
    assert by_id(card, "queue-title")["text"] == ("This chat is now inactive. You can queue up to 5 messages to be "
                                                  "sent after the WeChat user responds.")
    assert by_id(card, "queue-reason")["text"] == "You have reached the limit of 5 messages without a reply."
    assert by_id(card, "queue-count")["text"] == "2 of 5 queued"
    assert card["msteams"] == {"width": "Full"}


def test_queue_card_inactive_by_time():
    card = queue_card(queue(state=ChatStatus.INACTIVE_TIME, window_hours=48))
    assert by_id(card, "queue-reason")["text"] == "The WeChat user has not replied for 48 hours."


def test_queue_card_numbers_come_from_the_view():
    card = queue_card(queue(queue_limit=3, message_limit=4, queued=queued(3)))
    text = shown(card)
    assert "queue up to 3 messages" in text and "limit of 4 messages" in text and "3 of 3 queued" in text
    assert "5" not in by_id(card, "queue-title")["text"]


def test_queue_card_lists_each_message_in_order_with_when_and_who():
    messages = [QueuedMessage("m-1", "First", T0, "Bob Li"), QueuedMessage("m-2", "Second", T0 + 90, "Carol Wu")]
    card = queue_card(queue(queued=messages))
    containers = [n for n in of_type(card, "Container") if n["id"].startswith("queued-")]
    assert [c["id"] for c in containers] == ["queued-m-1", "queued-m-2"]
    first = lines(containers[0])
    assert first == ["First", "Queued {{DATE(2024-07-03T09:46:40Z, SHORT)}} {{TIME(2024-07-03T09:46:40Z)}}",
                     "by Bob Li"]
    assert lines(containers[1])[1:] == ["Queued {{DATE(2024-07-03T09:48:10Z, SHORT)}} {{TIME(2024-07-03T09:48:10Z)}}",
                                        "by Carol Wu"]


def test_each_queued_message_has_a_cancel_button_with_its_ids():
    card = queue_card(queue(queued=queued(3)))
    cancels = submits(card)
    assert [a["title"] for a in cancels] == ["Cancel"] * 3
    assert [a["data"] for a in cancels] == [{"verb": CANCEL_QUEUED, "thread": OPENID, "message": f"q{i}"}
                                            for i in (1, 2, 3)]
    assert CANCEL_QUEUED == "cancelQueued"
    assert len({a["id"] for a in cancels}) == 3


def test_queue_card_without_cancel():
    assert submits(queue_card(queue(queued=queued(2), can_cancel=False))) == []


def test_empty_queue():
    card = queue_card(queue(queued=[], guest_told=GuestTold.NOT_YET))
    assert by_id(card, "queue-count")["text"] == "0 of 5 queued"
    assert by_id(card, "queue-empty")["text"] == "No messages are queued."
    assert submits(card) == [] and "actions" not in card


def test_full_queue():
    card = queue_card(queue(queued=queued(5)))
    assert by_id(card, "queue-count")["text"] == "5 of 5 queued" and by_id(card, "queue-count")["color"] == "Attention"
    assert by_id(card, "queue-full")["text"].startswith("The queue is full")
    assert len(submits(card)) == 5
    assert not [n for n in nodes(queue_card(queue(queued=queued(4)))) if n.get("id") == "queue-full"]


@pytest.mark.parametrize("told,expected,colour", [
    (GuestTold.NOT_YET, "The WeChat user has not yet been asked to reply.", "Default"),
    (GuestTold.NOTICE_SENT, "The WeChat user was asked to reply to resume the conversation.", "Good"),
    (GuestTold.TEMPLATE_SENT, "The WeChat user was sent a template message asking them to reply.", "Good"),
    ("no_template", "The WeChat user could not be told that messages are waiting: no template message is "
                    "configured for this account.", "Attention"),
])
def test_queue_card_says_whether_the_guest_was_told(told, expected, colour):
    line = by_id(queue_card(queue(guest_told=told)), "queue-guest-told")
    assert (line["text"], line["color"]) == (expected, colour)


def test_queue_card_titles_by_state():
    assert by_id(queue_card(queue(state="active")), "queue-title")["text"] == "Messages waiting to be sent"
    closed = queue_card(queue(state=ChatStatus.CLOSED))
    assert by_id(closed, "queue-title")["text"] == "This chat is closed."
    assert not [n for n in nodes(closed) if n.get("id") == "queue-reason"]
    new = queue_card(queue(state="new"))
    assert by_id(new, "queue-title")["text"].startswith("This chat is now inactive. You can queue up to 5")
    assert by_id(new, "queue-reason")["text"] == "The WeChat user has not written yet."
    with pytest.raises(ValueError):
        queue_card(queue(guest_told="maybe"))


def test_long_queued_text_is_shortened_for_display_only():
    card = queue_card(queue(queued=[QueuedMessage("q1", LONG, T0, "Bob")]))
    text = lines(by_id(card, "queued-q1-text"))[0]
    assert len(text) == PREVIEW_CHARS and text.endswith("…") and LONG.startswith(text[:-1])
    exact = "x" * PREVIEW_CHARS
    assert lines(by_id(queue_card(queue(queued=[QueuedMessage("q1", exact, T0, "Bob")])), "queued-q1-text")) == [exact]


def test_queue_card_in_chinese():
    card = queue_card(queue(guest=GUEST_ZH, texts=QUEUE_ZH, queued=queued(1, text=CHINESE, author="李明"),
                            guest_told=GuestTold.NO_TEMPLATE))
    text = shown(card)
    assert "此对话现已进入非活跃状态。您最多可以排队 5 条消息" in text and "已排队 1/5 条" in text
    assert f"{CHINESE} (1)" in text
    assert "由 李明 排队" in text and "未配置模板消息" in text
    assert [a["title"] for a in submits(card)] == ["取消"]


# ------------------------------------------------------------------------------------------------
# The 24 h warning
# ------------------------------------------------------------------------------------------------

def test_warning_says_the_notice_as_the_policy_worded_it():
    card = warning_card(warning())
    assert by_id(card, "warning-text")["text"] == WARNING_TEXT  # the catalogue's `no_reply_24h`, filled in
    assert by_id(card, "warning-text")["color"] == "Warning"
    assert "WeChat · Amy Chen" in shown(card)


def test_warning_shows_an_organizations_own_words_and_chinese():
    assert by_id(warning_card(warning(text="Mr Chan has been quiet for a day.")), "warning-text")["text"] == \
        "Mr Chan has been quiet for a day."
    text = shown(warning_card(warning(guest=GUEST_ZH, text=WARNING_TEXT_ZH, texts=TEXTS_ZH.card(WarningTexts))))
    assert WARNING_TEXT_ZH in text and "微信 · 王小明" in text


# ------------------------------------------------------------------------------------------------
# Actions: room for "Leave conversation"
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("build", [
    lambda a: policy_notice_card(notice(actions=a)), lambda a: status_card(status(actions=a)),
    lambda a: queue_card(queue(actions=a)), lambda a: warning_card(warning(actions=a)),
], ids=["notice", "status", "queue", "warning"])
def test_view_actions_become_submit_buttons(build):
    card = build((LEAVE,))
    assert card["actions"] == [{"type": "Action.Submit", "title": "Leave conversation",
                                "data": {"verb": "leaveConversation", "thread": OPENID}}]
    assert "actions" not in build(())


def test_an_action_cannot_smuggle_a_verb_in_its_data():
    with pytest.raises(ValueError, match="verb"):
        actions_from([CardAction("Leave", "leaveConversation", {"verb": "cancelQueued"})])


# ------------------------------------------------------------------------------------------------
# Nobody else's text becomes markup
# ------------------------------------------------------------------------------------------------

def markdown_strings(card: dict[str, Any]) -> list[str]:
    """Every string a Teams client reads as Markdown: TextBlock text, Fact title and value."""
    found = []
    for n in nodes(card):
        if n.get("type") == "TextBlock":
            found.append(n["text"])
        if n.get("type") == "FactSet":
            found.extend(s for fact in n["facts"] for s in (fact["title"], fact["value"]))
    return found


def urls(card: dict[str, Any]) -> list[str]:
    return [n[k] for n in nodes(card) for k in ("url", "iconUrl") if isinstance(n.get(k), str)]


INJECTED = [s for s in all_samples() if "markup" in s[0]]


@pytest.mark.parametrize("name,make", INJECTED, ids=[name for name, _ in INJECTED])
def test_a_guest_cannot_put_a_link_or_formatting_into_a_card(name, make):
    card = make()
    assert all("evil.example" not in s and "](" not in s and "tel:" not in s for s in markdown_strings(card))
    assert all("evil.example" not in u for u in urls(card))
    assert not [n for n in nodes(card) if "selectAction" in n]
    runs = [run["text"] for run in of_type(card, "TextRun")]
    assert any("[Your bank](https://evil.example/login) **urgent**" in r for r in runs)  # shown, as typed
    assert all("{{DATE(" not in r for r in runs)  # and not as a date function


def test_no_card_carries_a_link_or_select_action():
    for name, make in all_samples():
        card = make()
        # The QR code's image and a voice message's audio are ours: their links are the product's own.
        assert not of_type(card, "Action.OpenUrl") or name.startswith(("cards.qr_code", "cards.voice")), name
        assert not [n for n in nodes(card) if "selectAction" in n], name


def test_literal_text():
    assert literal("[a](b) **c**") == {"type": "TextRun", "text": "[a](b) **c**"}
    assert literal("{{DATE(2017-02-14T06:08:39Z)}}")["text"] == "{" + WORD_JOINER + "{DATE(2017-02-14T06:08:39Z)}}"
    assert "{{" not in literal("{{{{x")["text"] and literal("{{{{x")["text"].replace(WORD_JOINER, "") == "{{{{x"
    assert literal("你好", weight="Bolder") == {"type": "TextRun", "text": "你好", "weight": "Bolder"}


def test_templates():
    assert fill("{left} of {limit}", left=3, limit=5) == "3 of 5"
    assert fill("{unknown} {0.__class__} {{x}}", x=1) == "{unknown} {0.__class__} {{x}}"
    runs = fill_runs("A WeChat user ({guest}) has {n} messages", {"guest": "{n} [x](y)"}, n=2)
    assert [r["text"] for r in runs] == ["A WeChat user (", "{n} [x](y)", ") has 2 messages"]
    assert client_time(T0 + 0.9) == "{{DATE(2024-07-03T09:46:40Z, SHORT)}} {{TIME(2024-07-03T09:46:40Z)}}"


# ------------------------------------------------------------------------------------------------
# Pure and plain
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,make", all_samples(), ids=[name for name, _ in all_samples()])
def test_cards_are_plain_json_and_deterministic(name, make):
    card = make()
    assert json.loads(json.dumps(card, ensure_ascii=False)) == card
    assert make() == card


def test_views_are_immutable_and_builders_leave_them_alone():
    view = queue(queued=tuple(queued(2)))
    before = repr(view)
    queue_card(view)
    assert repr(view) == before
    with pytest.raises(FrozenInstanceError):
        view.queue_limit = 6  # type: ignore[misc]


def test_guest_text_in_the_header_is_literal():
    card = warning_card(warning(guest=Guest(OPENID, "**Amy**", "+86 [1](x)")))
    assert [r["text"] for r in by_id(card, "warning-guest")["inlines"]][-1] == "**Amy**"
    assert re.search(r"\+86 \[1\]\(x\)", shown(card))
    assert all("**Amy**" not in s for s in markdown_strings(card))


# ------------------------------------------------------------------------------------------------
# What a card says of itself, in its language
# ------------------------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"(?<!\{)\{[a-z_]+\}(?!\})")


@pytest.mark.parametrize("name,make", all_samples(), ids=[name for name, _ in all_samples()])
def test_every_card_has_fallback_text_and_speak_in_its_language(name, make):
    card = make()
    assert card["fallbackText"].strip() and card["speak"] == card["fallbackText"], name
    assert bool(CJK.search(card["fallbackText"])) == ("chinese" in name), card["fallbackText"]
    assert "evil.example" not in card["fallbackText"] and "Amy Chen" not in card["fallbackText"]  # ours only


@pytest.mark.parametrize("name,make", all_samples(), ids=[name for name, _ in all_samples()])
def test_no_placeholder_is_left_unfilled(name, make):
    """Our texts (Markdown blocks, buttons, labels, the summary) have every placeholder the card
    fills: a card and its catalogue keys agree."""
    card = make()
    ours = markdown_strings(card) + [card["fallbackText"]] + [
        n[k] for n in nodes(card) for k in ("title", "label", "placeholder", "errorMessage", "altText")
        if isinstance(n.get(k), str)]
    ours += [run["text"] for run in of_type(card, "TextRun")]
    assert not [s for s in ours if PLACEHOLDER.search(s) and "{{" not in s], name


def test_a_card_needs_a_summary():
    from cards.common import card
    with pytest.raises(ValueError, match="summary"):
        card([], summary=" ")


# ------------------------------------------------------------------------------------------------
# Cards after their action: the outcome, no buttons
# ------------------------------------------------------------------------------------------------

def sample(name: str) -> dict[str, Any]:
    return dict(all_samples())[name]()


def test_the_leave_confirmation_asks_with_leave_and_cancel_then_shows_what_was_done():
    asked = sample("cards.leave:leave_confirm_card [others stay]")
    assert [(a["title"], a["data"]["verb"]) for a in submits(asked)] == [("Leave conversation", "confirmLeave"),
                                                                           ("Cancel", "cancelLeave")]
    assert submits(asked)[0]["data"] == {**submits(asked)[1]["data"], "verb": "confirmLeave"}
    left = sample("cards.leave:leave_confirm_card [left]")
    assert submits(left) == [] and "actions" not in left
    assert by_id(left, "leave-outcome") and "You left the WeChat conversation with Amy Chen." in shown(left)
    assert "You stay in the WeChat conversation with" in shown(sample(
        "cards.leave:leave_confirm_card [stayed, markup in name]"))
    assert "您已退出与 王小明 的微信对话。" in shown(sample("cards.leave:leave_confirm_card [chinese, left]"))


def test_the_which_contact_card_shows_where_the_message_went_and_nothing_to_press():
    sent = sample("cards.choose_guest:choose_guest_card [sent]")
    assert "actions" not in sent and lines(sent) == ["Which WeChat contact is this message for?", "See you at 3pm",
                                                     "Sent to Amy Chen."]
    refused = sample("cards.choose_guest:choose_guest_card [refused, nothing to show]")
    assert "actions" not in refused
    assert lines(refused)[-1] == "That WeChat conversation is not open in this chat any more."
    assert lines(sample("cards.choose_guest:choose_guest_card [chinese, sent]"))[-1] == "已发送给 王小明。"


def test_an_older_live_card_becomes_a_pointer_without_buttons():
    moved = sample("cards.moved:moved_card [default]")
    assert "actions" not in moved and submits(moved) == []
    assert by_id(moved, "moved-text")["text"] == ("This conversation's card has moved: the latest one is further "
                                                  "down in this chat.")
    assert "WeChat · Amy Chen" in shown(moved)


def test_help_lists_admin_for_administrators_only_and_tells_how_to_send_a_command_word():
    facts = lambda card: [f["title"] for f in of_type(card, "FactSet")[0]["facts"]]  # noqa: E731
    assert facts(sample("cards.help:help_card [enabled]")) == ["help", "find <name, nickname or phone>", "qr", "queue",
                                                              "leave"]
    assert facts(sample("cards.help:help_card [administrator]"))[-1] == "admin"
    assert "\\find" in shown(sample("cards.help:help_card [enabled]"))
    assert facts(sample("cards.help:help_card [chinese, not enabled]"))[:2] == ["帮助", "查找 <姓名、昵称或电话>"]
    # in a channel everyone sees the card: only what runs there (find, qr and admin run in the personal chat)
    assert facts(sample("cards.help:help_card [in a channel]")) == ["help", "queue", "leave"]
