"""View-model variants of every card builder in `cards/`: what the schema test validates.

`SAMPLES` maps "module:function" to named zero-argument callables returning a card. A builder
added to `cards/` without an entry here fails `test_every_builder_has_samples`.
"""
from __future__ import annotations

from typing import Any, Callable

from cards.admin import AdminTexts, AdminView, Switch, admin_card
from cards.choose_guest import ChooseTexts, ChooseView, choose_guest_card
from cards.contacts import ContactsTexts, ContactView, contact_card, contacts_card
from cards.help import HelpTexts, help_card
from cards.leave import LEAVE as LEAVE_VERB, leave_confirm_card
from cards.moved import moved_card
from cards.policy_notice import policy_notice_card
from cards.qr_code import QrTexts, qr_code_card
from cards.queue import queue_card
from cards.status import status_card
from cards.voice import VoiceView, voice_card
from cards.views import (CardAction, Guest, GuestTold, LeaveOutcome, LeaveTexts, LeaveView, MovedTexts,
                         MovedView, PolicyNoticeTexts, PolicyNoticeView, QueuedMessage, QueueTexts, QueueView,
                         StatusTexts, StatusView, WarningTexts, WarningView)
from cards.warning import send_again_action, warning_card
from core.chat_status import ChatStatus
from core.notices import EN, ZH_CN, Notices
from services.teams_texts import TeamsTexts

T0 = 1_720_000_000.0  # 2024-07-03T09:46:40Z
OPENID = "oAbC123_openid-xyz"
EVIL = ("[Your bank](https://evil.example/login) **urgent** <a href='https://evil.example'>x</a> "
        "{{DATE(2017-02-14T06:08:39Z, SHORT)}}")
LONG = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 80  # ~4,600 characters
CHINESE = "您好，我想了解一下我的投资组合最近的表现，以及下周的会议安排。谢谢！"

GUEST = Guest(OPENID, "Amy Chen", "+86 138 0013 8000")
GUEST_ZH = Guest(OPENID, "王小明", "+86 139 1234 5678")
GUEST_EVIL = Guest(OPENID, EVIL, "+1 555 0100 [call](tel:123)")
LEAVE = CardAction("Leave conversation", LEAVE_VERB, {"thread": OPENID})

# Every text from the catalogue, as the product builds it (services/teams_texts.py).
TEXTS, TEXTS_ZH = TeamsTexts(Notices(), EN), TeamsTexts(Notices(), ZH_CN)
NOTICE_ZH, STATUS_ZH, QUEUE_ZH = (TEXTS_ZH.card(c) for c in (PolicyNoticeTexts, StatusTexts, QueueTexts))
WELCOME_TEXT = Notices().render("welcome_employee", EN, limit=4, hours=48)
WELCOME_TEXT_ZH = Notices().render("welcome_employee", ZH_CN, limit=4, hours=48)
TEAMS_WELCOME = ("For chats to remain active:\n- You can send up to 4 messages before the WeChat user must reply.\n"
                 "- WeChat users must reply within 48 hours.")  # an organization's own wording, a Markdown list
WARNING_TEXT = Notices().render("no_reply_24h", EN, hours=24, remaining_hours=24)
WARNING_TEXT_ZH = Notices().render("no_reply_24h", ZH_CN, hours=24, remaining_hours=24)


def queued(n: int, *, text: str = "Please find the quarterly report attached.",
           author: str = "Bob Li") -> list[QueuedMessage]:
    return [QueuedMessage(f"q{i}", f"{text} ({i})", T0 + 60 * i, author) for i in range(1, n + 1)]


def notice(**changes: Any) -> PolicyNoticeView:
    return PolicyNoticeView(**{"guest": GUEST, "text": WELCOME_TEXT, "texts": TEXTS.card(PolicyNoticeTexts), **changes})


def status(**changes: Any) -> StatusView:
    return StatusView(**{"state": ChatStatus.ACTIVE, "messages_left": 3, "message_limit": 5,
                         "window_seconds_left": 31 * 3600 + 1200, "queued": 0, "queue_limit": 5,
                         "texts": TEXTS.card(StatusTexts), **changes})


def queue(**changes: Any) -> QueueView:
    return QueueView(**{"guest": GUEST, "state": ChatStatus.INACTIVE_COUNT, "message_limit": 5, "window_hours": 48,
                        "queue_limit": 5, "queued": queued(2), "guest_told": GuestTold.NOTICE_SENT,
                        "texts": TEXTS.card(QueueTexts), **changes})


def warning(**changes: Any) -> WarningView:
    return WarningView(**{"guest": GUEST, "text": WARNING_TEXT, "texts": TEXTS.card(WarningTexts), **changes})


def leave(guest: Guest, generation: int, *, texts: TeamsTexts = TEXTS, **changes: Any) -> LeaveView:
    return LeaveView(guest, generation, texts=texts.card(LeaveTexts), **changes)


def choose(guests: list[tuple[str, str]], preview: str = "Hello", *, texts: TeamsTexts = TEXTS,
           **changes: Any) -> ChooseView:
    return ChooseView("d1", preview, guests, texts.card(ChooseTexts), **changes)


Sample = Callable[[], dict[str, Any]]

SAMPLES: dict[str, dict[str, Sample]] = {
    "cards.policy_notice:policy_notice_card": {
        "default": lambda: policy_notice_card(notice()),
        "name only": lambda: policy_notice_card(notice(guest=Guest(OPENID, "Amy Chen"))),
        "phone only": lambda: policy_notice_card(notice(guest=Guest(OPENID, None, "+86 138 0013 8000"))),
        "nothing known": lambda: policy_notice_card(notice(guest=Guest(OPENID))),
        "three messages (firm policy)": lambda: policy_notice_card(notice(
            text=Notices().render("welcome_employee", EN, limit=3, hours=48))),
        "the organization's wording": lambda: policy_notice_card(notice(text=TEAMS_WELCOME)),
        "chinese": lambda: policy_notice_card(notice(guest=GUEST_ZH, text=WELCOME_TEXT_ZH, texts=NOTICE_ZH)),
        "long name": lambda: policy_notice_card(notice(guest=Guest(OPENID, LONG, "+86 138 0013 8000"))),
        "markup in name": lambda: policy_notice_card(notice(guest=GUEST_EVIL)),
        "with leave action": lambda: policy_notice_card(notice(actions=(LEAVE,))),
    },
    "cards.status:status_card": {
        "active, empty queue": lambda: status_card(status()),
        "active, minutes left": lambda: status_card(status(window_seconds_left=45 * 60 + 30)),
        "active, last message": lambda: status_card(status(messages_left=1, window_seconds_left=20)),
        "inactive by time, empty queue": lambda: status_card(
            status(state=ChatStatus.INACTIVE_TIME, window_seconds_left=None)),
        "inactive by time, some queued": lambda: status_card(
            status(state="inactive_time", window_seconds_left=None, queued=2)),
        "inactive by count, full queue": lambda: status_card(
            status(state=ChatStatus.INACTIVE_COUNT, messages_left=0, queued=5)),
        "closed": lambda: status_card(status(state=ChatStatus.CLOSED, messages_left=0, window_seconds_left=None)),
        "new, one queued": lambda: status_card(
            status(state="new", messages_left=0, window_seconds_left=None, queued=1)),
        "chinese, named guest": lambda: status_card(status(guest=GUEST_ZH, texts=STATUS_ZH, queued=1)),
        "markup in name": lambda: status_card(status(guest=GUEST_EVIL)),
        "with leave action": lambda: status_card(status(actions=(LEAVE,))),
        "participants": lambda: status_card(status(participants=("Alice Wong", "李明"), actions=(LEAVE,))),
        "participants with markup": lambda: status_card(status(participants=(EVIL, LONG[:300]))),
    },
    "cards.leave:leave_confirm_card": {
        "others stay": lambda: leave_confirm_card(leave(GUEST, 2, last=False)),
        "last, closes": lambda: leave_confirm_card(leave(GUEST, 2, last=True)),
        "last, to the inbox": lambda: leave_confirm_card(leave(GUEST, 1, last=True, to_inbox=True)),
        "nothing known": lambda: leave_confirm_card(leave(Guest(OPENID), 1, last=True)),
        "markup in name": lambda: leave_confirm_card(leave(GUEST_EVIL, 3, last=False)),
        "chinese, last, to the inbox": lambda: leave_confirm_card(leave(GUEST_ZH, 1, last=True, to_inbox=True,
                                                                        texts=TEXTS_ZH)),
        "left": lambda: leave_confirm_card(leave(GUEST, 2, last=False, outcome=LeaveOutcome.LEFT)),
        "stayed, markup in name": lambda: leave_confirm_card(leave(GUEST_EVIL, 2, last=True,
                                                                   outcome=LeaveOutcome.STAYED)),
        "chinese, left": lambda: leave_confirm_card(leave(GUEST_ZH, 2, last=False, outcome=LeaveOutcome.LEFT,
                                                          texts=TEXTS_ZH)),
    },
    "cards.moved:moved_card": {
        "default": lambda: moved_card(MovedView(GUEST, TEXTS.card(MovedTexts))),
        "chinese": lambda: moved_card(MovedView(GUEST_ZH, TEXTS_ZH.card(MovedTexts))),
        "markup in name": lambda: moved_card(MovedView(GUEST_EVIL, TEXTS.card(MovedTexts))),
    },
    "cards.queue:queue_card": {
        "empty queue": lambda: queue_card(queue(queued=[], guest_told=GuestTold.NOT_YET)),
        "one queued, inactive by time": lambda: queue_card(queue(state=ChatStatus.INACTIVE_TIME, queued=queued(1))),
        "full queue, template sent": lambda: queue_card(queue(queued=queued(5), guest_told=GuestTold.TEMPLATE_SENT)),
        "full queue, no template": lambda: queue_card(queue(queued=queued(5), guest_told=GuestTold.NO_TEMPLATE)),
        "long texts": lambda: queue_card(queue(queued=queued(5, text=LONG, author=LONG[:200]))),
        "chinese": lambda: queue_card(queue(guest=GUEST_ZH, texts=QUEUE_ZH,
                                            queued=queued(3, text=CHINESE, author="李明"))),
        "markup in texts": lambda: queue_card(queue(guest=GUEST_EVIL, queued=queued(2, text=EVIL, author=EVIL))),
        "active, flushing": lambda: queue_card(queue(state="active", queued=queued(1))),
        "new, before the first message": lambda: queue_card(queue(state=ChatStatus.NEW, queued=queued(1),
                                                                  guest_told=GuestTold.NOT_YET)),
        "closed, no cancel": lambda: queue_card(queue(state=ChatStatus.CLOSED, can_cancel=False)),
        "with leave action": lambda: queue_card(queue(actions=(LEAVE,))),
    },
    "cards.warning:warning_card": {
        "default": lambda: warning_card(warning()),
        "nothing known": lambda: warning_card(warning(guest=Guest(OPENID))),
        "other numbers": lambda: warning_card(warning(text=Notices().render("no_reply_24h", EN, hours=36,
                                                                          remaining_hours=12))),
        "chinese": lambda: warning_card(warning(guest=GUEST_ZH, text=WARNING_TEXT_ZH,
                                                texts=TEXTS_ZH.card(WarningTexts))),
        "long name": lambda: warning_card(warning(guest=Guest(OPENID, LONG))),
        "markup in name": lambda: warning_card(warning(guest=GUEST_EVIL)),
        "with leave action": lambda: warning_card(warning(actions=(LEAVE,))),
        "not confirmed, send again": lambda: warning_card(warning(
            text=TEXTS("not_confirmed"),
            actions=(send_again_action(OPENID, "m1", TEXTS.card(WarningTexts).send_again),))),
        "not confirmed, chinese, sent again": lambda: warning_card(warning(
            guest=GUEST_ZH, texts=TEXTS_ZH.card(WarningTexts),
            text=f"{TEXTS_ZH('not_confirmed')}{TEXTS_ZH.card(WarningTexts).sent_again}")),
    },
    "cards.choose_guest:choose_guest_card": {
        "two guests (buttons)": lambda: choose_guest_card(choose([("o1", "Amy Chen"), ("o2", "王小明")],
                                                                 "See you at 3pm")),
        "five guests (buttons)": lambda: choose_guest_card(choose([(f"o{i}", f"Guest {i}") for i in range(5)])),
        "many guests (drop-down)": lambda: choose_guest_card(choose([(f"o{i}", f"Guest {i}") for i in range(12)])),
        "long preview": lambda: choose_guest_card(choose([("o1", "Amy"), ("o2", "Ben")], LONG)),
        "chinese": lambda: choose_guest_card(choose([("o1", "王小明"), ("o2", "李华")], CHINESE, texts=TEXTS_ZH)),
        "no guests": lambda: choose_guest_card(choose([])),
        "sent": lambda: choose_guest_card(choose([], "See you at 3pm", sent_to="Amy Chen")),
        "sent, markup in name": lambda: choose_guest_card(choose([], EVIL, sent_to=EVIL)),
        "refused, nothing to show": lambda: choose_guest_card(choose([], "", refused=TEXTS("teams_chosen_closed"))),
        "chinese, sent": lambda: choose_guest_card(choose([], CHINESE, sent_to="王小明", texts=TEXTS_ZH)),
    },
    "cards.qr_code:qr_code_card": {
        "default": lambda: qr_code_card(image_url="https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=abc",
                                        url="http://weixin.qq.com/q/abc", account_name="Example Wealth",
                                        texts=TEXTS.card(QrTexts)),
        "chinese": lambda: qr_code_card(image_url="https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=abc",
                                        url="http://weixin.qq.com/q/abc", account_name="示例财富管理",
                                        texts=TEXTS_ZH.card(QrTexts)),
    },
}


CONTACT = ContactView(OPENID, "Amy Chen", "+86 138 0013 8000", T0, "open", "your chat")
CONTACT_ZH = ContactView("oZh", "王小明", None, None, "closed", "HK 私人银行 收件箱")
CONTACT_EVIL = ContactView("oEvil", EVIL, "+1 555 0100 [call](tel:123)", T0, "open", EVIL[:80])


def admin(**changes: Any) -> AdminView:
    base = dict(tokens=[("Contoso Wealth", T0 + 7200)], last_push_at=T0 - 60, jobs_waiting=3, archive_backlog=0,
                subs=[Switch("sub", "hk", "HK Private Banking", True), Switch("sub", "sg", "SG Retail", False)],
                people=[Switch("user", "a1", "Alice Wong", True, TEXTS("teams_admin_note_through",
                                                                       sub="HK Private Banking")),
                        Switch("user", "b2", "Bob Li", False, TEXTS("teams_admin_note_own"))],
                texts=TEXTS.card(AdminTexts))
    return AdminView(**{**base, **changes})


CONTACTS, CONTACTS_ZH = TEXTS.card(ContactsTexts), TEXTS_ZH.card(ContactsTexts)

SAMPLES.update({
    "cards.help:help_card": {
        "enabled": lambda: help_card(enabled=True, admin=False, texts=TEXTS.card(HelpTexts)),
        "not enabled": lambda: help_card(enabled=False, admin=False, texts=TEXTS.card(HelpTexts)),
        "administrator": lambda: help_card(enabled=True, admin=True, texts=TEXTS.card(HelpTexts)),
        "in a channel": lambda: help_card(enabled=True, admin=True, texts=TEXTS.card(HelpTexts),
                                          runs_here=frozenset({"help", "queue", "leave", "add"})),
        "chinese, not enabled": lambda: help_card(enabled=False, admin=True, texts=TEXTS_ZH.card(HelpTexts)),
    },
    "cards.contacts:contacts_card": {
        "found": lambda: contacts_card("chen", [CONTACT, CONTACT_ZH], CONTACTS),
        "nothing found": lambda: contacts_card("nobody", [], CONTACTS),
        "markup in names": lambda: contacts_card(EVIL, [CONTACT_EVIL], CONTACTS),
        "ten found": lambda: contacts_card("a", [CONTACT] * 10, CONTACTS),
        "chinese": lambda: contacts_card("王", [CONTACT_ZH], CONTACTS_ZH),
    },
    "cards.contacts:contact_card": {
        "validated": lambda: contact_card(CONTACT, CONTACTS),
        "not validated, ended": lambda: contact_card(CONTACT_ZH, CONTACTS),
        "markup": lambda: contact_card(CONTACT_EVIL, CONTACTS),
        "chinese": lambda: contact_card(CONTACT_ZH, CONTACTS_ZH),
    },
    "cards.admin:admin_card": {
        "healthy": lambda: admin_card(admin()),
        "first start": lambda: admin_card(admin(tokens=[("Contoso Wealth", None)], last_push_at=None, jobs_waiting=0,
                                                archive_backlog=None, people=[])),
        "after an action, many people": lambda: admin_card(admin(
            message="WeChat enabled for Bob Li.", more_people=40,
            people=[Switch("user", f"u{i}", f"Person {i}", i % 2 == 0) for i in range(25)])),
        "markup in names": lambda: admin_card(admin(subs=[Switch("sub", "x", EVIL, True)],
                                                    people=[Switch("user", "e", EVIL, False)])),
        "chinese, after an action": lambda: admin_card(admin(
            texts=TEXTS_ZH.card(AdminTexts), message=TEXTS_ZH("teams_admin_enabled", name="李波"),
            people=[Switch("user", "b2", "李波", True, TEXTS_ZH("teams_admin_note_own"))])),
    },
})


def voice(language: str = EN, **changes: Any) -> VoiceView:
    notices = Notices()
    return VoiceView(**{"summary": notices.render("voice_summary", language, duration="0:12"),
                        "url": "https://bridge.example.com/media/token", "play": notices.render("voice_play", language),
                        "transcript_template": notices.text("voice_transcript_speech", language),
                        "transcript": CHINESE, **changes})


SAMPLES["cards.voice:voice_card"] = {
    "transcribed": lambda: voice_card(voice()),
    "markup in the transcript": lambda: voice_card(voice(transcript=EVIL)),
    "no transcript": lambda: voice_card(voice(transcript=None, no_transcript=Notices().render("voice_not_heard", EN))),
    "chinese": lambda: voice_card(voice(ZH_CN, transcript_template=Notices().text("voice_transcript_wechat", ZH_CN))),
}


def all_samples() -> list[tuple[str, Sample]]:
    return [(f"{builder} [{variant}]", make) for builder, variants in SAMPLES.items()
            for variant, make in variants.items()]
