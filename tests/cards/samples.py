"""View-model variants of every card builder in `cards/`: what the schema test validates.

`SAMPLES` maps "module:function" to named zero-argument callables returning a card. A builder
added to `cards/` without an entry here fails `test_every_builder_has_samples`.
"""
from __future__ import annotations

from typing import Any, Callable

from cards.admin import AdminView, Switch, admin_card
from cards.choose_guest import choose_guest_card
from cards.contacts import ContactView, contact_card, contacts_card
from cards.help import help_card
from cards.leave import leave_confirm_card
from cards.policy_notice import policy_notice_card
from cards.qr_code import qr_code_card
from cards.queue import queue_card
from cards.status import status_card
from cards.views import (CardAction, ChatState, LeaveView, DurationTexts, Guest, GuestTexts, GuestTold, PolicyNoticeTexts,
                         PolicyNoticeView, QueuedMessage, QueueTexts, QueueView, StatusTexts, StatusView,
                         WarningTexts, WarningView)
from cards.warning import warning_card

T0 = 1_720_000_000.0  # 2024-07-03T09:46:40Z
OPENID = "oAbC123_openid-xyz"
EVIL = ("[Your bank](https://evil.example/login) **urgent** <a href='https://evil.example'>x</a> "
        "{{DATE(2017-02-14T06:08:39Z, SHORT)}}")
LONG = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 80  # ~4,600 characters
CHINESE = "您好，我想了解一下我的投资组合最近的表现，以及下周的会议安排。谢谢！"

GUEST = Guest(OPENID, "Amy Chen", "+86 138 0013 8000")
GUEST_ZH = Guest(OPENID, "王小明", "+86 139 1234 5678")
GUEST_EVIL = Guest(OPENID, EVIL, "+1 555 0100 [call](tel:123)")
LEAVE = CardAction("Leave conversation", "leaveConversation", {"thread": OPENID})

GUEST_ZH_TEXTS = GuestTexts(brand="微信", unnamed="微信用户", phone="已验证手机号：{phone}")
NOTICE_ZH = PolicyNoticeTexts(
    intro="一位微信用户（{guest}）正在联系您。为保持会话有效：",
    rule_count="在微信用户回复之前，您最多可以发送 {max_messages} 条消息。",
    rule_time="微信用户必须在 {window_hours} 小时内回复。",
    paused="会话失效后，您的消息将暂停发送，直到微信用户恢复对话。",
    guest=GUEST_ZH_TEXTS)
STATUS_ZH = StatusTexts(
    new="等待微信用户的第一条消息",
    active="剩余 {left}/{limit} 条消息 · 窗口将在 {closes_in} 后关闭",
    inactive_time="会话已失效 · 回复窗口已关闭 · 您的消息将在微信用户回复后发送",
    inactive_count="会话已失效 · 剩余 {left}/{limit} 条消息 · 您的消息将在微信用户回复后发送",
    closed="会话已结束", queued="已排队 {queued}/{queue_limit} 条",
    durations=DurationTexts(hours="{n} 小时", minutes="{n} 分钟", closed="已关闭"), guest=GUEST_ZH_TEXTS)
QUEUE_ZH = QueueTexts(
    title_inactive="此会话已失效。您最多可以排队 {queue_limit} 条消息，在微信用户回复后发送。",
    title_active="等待发送的消息", title_closed="此会话已结束。",
    reason_new="微信用户尚未发送消息。",
    reason_count="您已发送 {message_limit} 条消息而未收到回复。", reason_time="微信用户已 {window_hours} 小时未回复。",
    count="已排队 {queued}/{queue_limit} 条", empty="没有排队的消息。", full="队列已满：在微信用户回复之前，新消息将被拒绝。",
    queued_at="排队于 {when}", queued_by="由 {author}", cancel="取消",
    told_not_yet="尚未通知微信用户回复。", told_notice="已请微信用户回复以恢复对话。",
    told_template="已通过模板消息请微信用户回复。", told_no_template="无法通知微信用户有消息等待：此公众号未配置模板消息。",
    guest=GUEST_ZH_TEXTS)
WARNING_ZH = WarningTexts(
    text="您的联系人已 {silent_hours} 小时未回复。如果在接下来的 {hours_left} 小时内仍未回复，会话将失效，直到联系人回复。",
    guest=GUEST_ZH_TEXTS)


def queued(n: int, *, text: str = "Please find the quarterly report attached.",
           author: str = "Bob Li") -> list[QueuedMessage]:
    return [QueuedMessage(f"q{i}", f"{text} ({i})", T0 + 60 * i, author) for i in range(1, n + 1)]


def notice(**changes: Any) -> PolicyNoticeView:
    return PolicyNoticeView(**{"guest": GUEST, "max_messages": 5, "window_hours": 48, **changes})


def status(**changes: Any) -> StatusView:
    return StatusView(**{"state": ChatState.ACTIVE, "messages_left": 3, "message_limit": 5,
                         "window_seconds_left": 31 * 3600 + 1200, "queued": 0, "queue_limit": 5, **changes})


def queue(**changes: Any) -> QueueView:
    return QueueView(**{"guest": GUEST, "state": ChatState.INACTIVE_COUNT, "message_limit": 5, "window_hours": 48,
                        "queue_limit": 5, "queued": queued(2), "guest_told": GuestTold.NOTICE_SENT, **changes})


def warning(**changes: Any) -> WarningView:
    return WarningView(**{"guest": GUEST, "silent_hours": 24, "hours_left": 24, **changes})


Sample = Callable[[], dict[str, Any]]

SAMPLES: dict[str, dict[str, Sample]] = {
    "cards.policy_notice:policy_notice_card": {
        "default": lambda: policy_notice_card(notice()),
        "name only": lambda: policy_notice_card(notice(guest=Guest(OPENID, "Amy Chen"))),
        "phone only": lambda: policy_notice_card(notice(guest=Guest(OPENID, None, "+86 138 0013 8000"))),
        "nothing known": lambda: policy_notice_card(notice(guest=Guest(OPENID))),
        "three messages (firm policy)": lambda: policy_notice_card(notice(max_messages=3)),
        "chinese": lambda: policy_notice_card(notice(guest=GUEST_ZH, texts=NOTICE_ZH)),
        "long name": lambda: policy_notice_card(notice(guest=Guest(OPENID, LONG, "+86 138 0013 8000"))),
        "markup in name": lambda: policy_notice_card(notice(guest=GUEST_EVIL)),
        "with leave action": lambda: policy_notice_card(notice(actions=(LEAVE,))),
    },
    "cards.status:status_card": {
        "active, empty queue": lambda: status_card(status()),
        "active, minutes left": lambda: status_card(status(window_seconds_left=45 * 60 + 30)),
        "active, last message": lambda: status_card(status(messages_left=1, window_seconds_left=20)),
        "inactive by time, empty queue": lambda: status_card(
            status(state=ChatState.INACTIVE_TIME, window_seconds_left=None)),
        "inactive by time, some queued": lambda: status_card(
            status(state="inactive_time", window_seconds_left=None, queued=2)),
        "inactive by count, full queue": lambda: status_card(
            status(state=ChatState.INACTIVE_COUNT, messages_left=0, queued=5)),
        "closed": lambda: status_card(status(state=ChatState.CLOSED, messages_left=0, window_seconds_left=None)),
        "new, one queued": lambda: status_card(
            status(state="new", messages_left=0, window_seconds_left=None, queued=1)),
        "chinese, named guest": lambda: status_card(status(guest=GUEST_ZH, texts=STATUS_ZH, queued=1)),
        "markup in name": lambda: status_card(status(guest=GUEST_EVIL)),
        "with leave action": lambda: status_card(status(actions=(LEAVE,))),
        "participants": lambda: status_card(status(participants=("Alice Wong", "李明"), actions=(LEAVE,))),
        "participants with markup": lambda: status_card(status(participants=(EVIL, LONG[:300]))),
    },
    "cards.leave:leave_confirm_card": {
        "others stay": lambda: leave_confirm_card(LeaveView(GUEST, 2, last=False)),
        "last, closes": lambda: leave_confirm_card(LeaveView(GUEST, 2, last=True)),
        "last, to the inbox": lambda: leave_confirm_card(LeaveView(GUEST_ZH, 1, last=True, to_inbox=True)),
        "nothing known": lambda: leave_confirm_card(LeaveView(Guest(OPENID), 1, last=True)),
        "markup in name": lambda: leave_confirm_card(LeaveView(GUEST_EVIL, 3, last=False)),
    },
    "cards.queue:queue_card": {
        "empty queue": lambda: queue_card(queue(queued=[], guest_told=GuestTold.NOT_YET)),
        "one queued, inactive by time": lambda: queue_card(queue(state=ChatState.INACTIVE_TIME, queued=queued(1))),
        "full queue, template sent": lambda: queue_card(queue(queued=queued(5), guest_told=GuestTold.TEMPLATE_SENT)),
        "full queue, no template": lambda: queue_card(queue(queued=queued(5), guest_told=GuestTold.NO_TEMPLATE)),
        "long texts": lambda: queue_card(queue(queued=queued(5, text=LONG, author=LONG[:200]))),
        "chinese": lambda: queue_card(queue(guest=GUEST_ZH, texts=QUEUE_ZH, queued=queued(3, text=CHINESE, author="李明"))),
        "markup in texts": lambda: queue_card(queue(guest=GUEST_EVIL, queued=queued(2, text=EVIL, author=EVIL))),
        "active, flushing": lambda: queue_card(queue(state="active", queued=queued(1))),
        "new, before the first message": lambda: queue_card(queue(state=ChatState.NEW, queued=queued(1),
                                                                  guest_told=GuestTold.NOT_YET)),
        "closed, no cancel": lambda: queue_card(queue(state=ChatState.CLOSED, can_cancel=False)),
        "with leave action": lambda: queue_card(queue(actions=(LEAVE,))),
    },
    "cards.warning:warning_card": {
        "default": lambda: warning_card(warning()),
        "nothing known": lambda: warning_card(warning(guest=Guest(OPENID))),
        "other numbers": lambda: warning_card(warning(silent_hours=36, hours_left=12)),
        "chinese": lambda: warning_card(warning(guest=GUEST_ZH, texts=WARNING_ZH)),
        "long name": lambda: warning_card(warning(guest=Guest(OPENID, LONG))),
        "markup in name": lambda: warning_card(warning(guest=GUEST_EVIL)),
        "with leave action": lambda: warning_card(warning(actions=(LEAVE,))),
    },
    "cards.choose_guest:choose_guest_card": {
        "two guests (buttons)": lambda: choose_guest_card(
            draft_id="d1", preview="See you at 3pm", guests=[("o1", "Amy Chen"), ("o2", "王小明")]),
        "five guests (buttons)": lambda: choose_guest_card(
            draft_id="d1", preview="Hello", guests=[(f"o{i}", f"Guest {i}") for i in range(5)]),
        "many guests (drop-down)": lambda: choose_guest_card(
            draft_id="d1", preview="Hello", guests=[(f"o{i}", f"Guest {i}") for i in range(12)]),
        "long preview": lambda: choose_guest_card(draft_id="d1", preview=LONG, guests=[("o1", "Amy"), ("o2", "Ben")]),
        "chinese": lambda: choose_guest_card(draft_id="d1", preview=CHINESE, guests=[("o1", "王小明"), ("o2", "李华")]),
        "no guests": lambda: choose_guest_card(draft_id="d1", preview="Hello", guests=[]),
    },
    "cards.qr_code:qr_code_card": {
        "default": lambda: qr_code_card(image_url="https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=abc",
                                        url="http://weixin.qq.com/q/abc", account_name="Example Wealth"),
        "chinese account": lambda: qr_code_card(image_url="https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=abc",
                                                url="http://weixin.qq.com/q/abc", account_name="示例财富管理"),
    },
}


CONTACT = ContactView(OPENID, "Amy Chen", "+86 138 0013 8000", T0, "open", "your chat")
CONTACT_ZH = ContactView("oZh", "王小明", None, None, "closed", "the HK Private Banking inbox")
CONTACT_EVIL = ContactView("oEvil", EVIL, "+1 555 0100 [call](tel:123)", T0, "open", EVIL[:80])


def admin(**changes: Any) -> AdminView:
    base = dict(tokens=[("Contoso Wealth", T0 + 7200)], last_push_at=T0 - 60, jobs_waiting=3, archive_backlog=0,
                subs=[Switch("sub", "hk", "HK Private Banking", True), Switch("sub", "sg", "SG Retail", False)],
                people=[Switch("user", "a1", "Alice Wong", True, "through HK Private Banking"),
                        Switch("user", "b2", "Bob Li", False, "own setting")])
    return AdminView(**{**base, **changes})


SAMPLES.update({
    "cards.help:help_card": {
        "enabled": lambda: help_card(enabled=True, admin=False),
        "not enabled": lambda: help_card(enabled=False, admin=False),
        "administrator": lambda: help_card(enabled=True, admin=True),
    },
    "cards.contacts:contacts_card": {
        "found": lambda: contacts_card("chen", [CONTACT, CONTACT_ZH]),
        "nothing found": lambda: contacts_card("nobody", []),
        "markup in names": lambda: contacts_card(EVIL, [CONTACT_EVIL]),
        "ten found": lambda: contacts_card("a", [CONTACT] * 10),
    },
    "cards.contacts:contact_card": {
        "validated": lambda: contact_card(CONTACT),
        "not validated, ended": lambda: contact_card(CONTACT_ZH),
        "markup": lambda: contact_card(CONTACT_EVIL),
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
    },
})


def all_samples() -> list[tuple[str, Sample]]:
    return [(f"{builder} [{variant}]", make) for builder, variants in SAMPLES.items()
            for variant, make in variants.items()]
