"""Every auto-message the product sends, as data: a key, who reads it, its placeholders, and its
text in English and Simplified Chinese.

The English defaults are the seeds' wording (the product documents quote them), with the numbers
turned into placeholders so they follow the organization's policy. An organization overrides any
text by key and language; overrides are checked once, when `Notices` is built: only known keys,
known languages, and the placeholders that notice declares (a plain `{name}`: no attribute access,
indexing, conversion or format spec, so an override can never reach into the objects rendered).
Write `{{` and `}}` for literal braces.

Pure: no I/O. `Notices(overrides).render(key, lang, **params)`.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Mapping

EN = "en"
ZH_CN = "zh-CN"
LANGUAGES = (EN, ZH_CN)

GUEST = "guest"  # the WeChat user
EMPLOYEES = "employees"  # the advisors in Teams


class NoticeError(ValueError):
    """An override or a render that does not fit the notice catalogue; the message says which."""


def normalize_language(code: str | None) -> str | None:
    """A supported language for a language code from anywhere (WeChat's `zh_CN`, Teams' `zh-cn`,
    `en_US` …), or None when it is none of ours. Any Chinese maps to Simplified Chinese: it is the
    only Chinese the catalogue has, and closer to a Traditional-Chinese reader than English."""
    if not code:
        return None
    norm = code.strip().replace("_", "-").lower()
    if norm == "en" or norm.startswith("en-"):
        return EN
    if norm == "zh" or norm.startswith("zh-"):
        return ZH_CN
    return None


@dataclass(frozen=True)
class NoticeSpec:
    key: str
    audience: str  # GUEST | EMPLOYEES
    placeholders: frozenset[str]
    texts: Mapping[str, str]  # language -> text
    when: str  # when it is sent (documentation, also shown by tools listing the catalogue)


def _spec(key: str, audience: str, when: str, placeholders: str, en: str, zh: str) -> NoticeSpec:
    return NoticeSpec(key, audience, frozenset(placeholders.split()), {EN: en, ZH_CN: zh}, when)


_CATALOGUE: tuple[NoticeSpec, ...] = (
    # --- the start of a conversation ---------------------------------------------------------
    _spec(
        "recorded_guest", GUEST,
        "added to the guest's welcome where the sub-organization records its chats",
        "",
        "This chat is recorded and kept for regulatory purposes.",
        "本对话将被记录并按监管要求保存。",
    ),
    _spec(
        "welcome_guest", GUEST,
        "once per conversation, at the guest's first follow/scan or message",
        "limit hours leave_keyword",
        "Thank you! You can now start messaging your contact. Please note, WeChat allows your contact "
        "{limit} consecutive replies, including system messages, before requiring a response from you to "
        "continue messaging. If the conversation is inactive after {hours} hours, your contact will not be "
        "able to send any messages until you send a message. To leave the chat at any time, reply with "
        "{leave_keyword}.",
        "感谢您！现在可以开始给您的联系人发消息了。请注意：根据微信规定，您的联系人最多可以连续回复您 {limit} 条消息"
        "（包括系统消息），之后需要您回复才能继续对话。如果您超过 {hours} 小时没有回复，对话将进入非活跃状态，"
        "在您发送消息之前，您的联系人将无法给您发消息。如需随时退出对话，请回复 {leave_keyword}。",
    ),
    _spec(
        "welcome_employee", EMPLOYEES,
        "once per conversation, at the guest's first follow/scan or message",
        "limit hours",
        "Please note, WeChat allows you to send {limit} consecutive messages, including system messages, "
        "before requiring a response from your contact to continue messaging. If the conversation is "
        "inactive after {hours} hours, you will not be able to send any messages until your contact responds.",
        "请注意：根据微信规定，您最多可以连续发送 {limit} 条消息（包括系统消息），之后需要等联系人回复才能继续发送。"
        "如果联系人超过 {hours} 小时没有回复，对话将进入非活跃状态，在联系人回复之前您将无法发送任何消息。",
    ),
    # --- the employees' allowance and the window ---------------------------------------------
    _spec(
        "limit_reached", EMPLOYEES,
        "when the employees' allowance for the guest's message is used up (once per window)",
        "count limit",
        "You have reached the maximum limit of {count} consecutive messages without a response from your "
        "contact. You cannot send any more messages until your contact replies.",
        "您已连续发送 {count} 条消息而联系人尚未回复，已达到上限。在联系人回复之前，您无法再发送消息。",
    ),
    _spec(
        "no_reply_24h", EMPLOYEES,
        "when the guest has not written for `warning_after_seconds` (24 h) and the window is still open",
        "hours remaining_hours",
        "Your contact has not responded for {hours} hours. If no response is received in the next "
        "{remaining_hours} hours, your chat will become inactive until your contact replies.",
        "您的联系人已经 {hours} 小时没有回复。如果在接下来的 {remaining_hours} 小时内仍未收到回复，"
        "对话将进入非活跃状态，直到联系人回复为止。",
    ),
    _spec(
        "chat_inactive", EMPLOYEES,
        "when the chat becomes inactive, by count or by time (once per window)",
        "queue_limit",
        "This chat is now inactive. You can queue up to {queue_limit} messages to be sent after the WeChat "
        "user responds.",
        "此对话现已进入非活跃状态。您最多可以排队 {queue_limit} 条消息，待微信用户回复后自动发送。",
    ),
    # --- to the guest while the chat waits for them ------------------------------------------
    _spec(
        "on_hold", GUEST,
        "at the 24 h mark, if the employees' message limit was reached (free-form, in a reserved slot)",
        "",
        "Your contact is unable to send you any more messages, till you respond. Per WeChat Policy, this "
        "conversation is on-hold. Please reply to resume.",
        "在您回复之前，您的联系人无法再给您发送消息。根据微信规定，此对话已暂停。请回复任意消息以继续对话。",
    ),
    _spec(
        "participants_changed", GUEST,
        "at the 24 h mark if participants were added or removed since the guest's last message "
        "(at once if that happens after the 24 h mark)",
        "hours",
        "If you do not reply in the next {hours} hours, your contact will not be able to send any more "
        "messages. To keep the chat active, please reply with any message. Please note: Other user(s) have "
        "been added or removed from this chat.",
        "如果您在接下来的 {hours} 小时内没有回复，您的联系人将无法再给您发送消息。如需保持对话，请回复任意消息。"
        "请注意：此对话中已有其他用户加入或退出。",
    ),
    _spec(
        "new_messages", GUEST,
        "when messages wait in the queue (once per window): free-form if a slot is open, else as a "
        "template message",
        "count",
        "You have new messages from this sender. Please reply to the chat to resume the conversation and "
        "receive the latest messages.",
        "您有来自该联系人的新消息。请在对话中回复任意消息，以恢复对话并接收最新消息。",
    ),
    _spec(
        "no_template", EMPLOYEES,
        "instead of `new_messages` when the window is closed and no template id is configured",
        "count",
        "The WeChat user cannot be told that messages are waiting: the chat is inactive and no template "
        "message is configured for your organization. Queued messages will be sent when the WeChat user "
        "writes again.",
        "无法通知微信用户有消息待接收：对话已进入非活跃状态，且贵机构未配置模板消息。"
        "排队中的消息将在微信用户再次发消息后发送。",
    ),
    _spec(
        "template_failed", EMPLOYEES,
        "when WeChat refuses the `new_messages` template message",
        "errcode reason",
        "WeChat refused the template message that tells the WeChat user messages are waiting (error "
        "{errcode}: {reason}). Queued messages will be sent when the WeChat user writes again.",
        "微信拒绝了用于通知微信用户有消息待接收的模板消息（错误 {errcode}：{reason}）。"
        "排队中的消息将在微信用户再次发消息后发送。",
    ),
    # --- about one employee message ----------------------------------------------------------
    _spec(
        "queued", EMPLOYEES,
        "an employee message is queued (or put back in the queue after WeChat refused it)",
        "position queue_limit",
        "Queued ({position} of {queue_limit}). Your message will be sent after the WeChat user responds.",
        "已加入发送队列（{position}/{queue_limit}）。微信用户回复后，您的消息将自动发送。",
    ),
    _spec(
        "queue_full", EMPLOYEES,
        "an employee message cannot be queued: the queue holds `queue_limit` messages",
        "queue_limit",
        "The queue is full ({queue_limit} of {queue_limit}). Your message was not queued and will not be "
        "sent. Cancel a queued message, or wait until the WeChat user responds.",
        "发送队列已满（{queue_limit}/{queue_limit}），您的消息未加入队列，也不会被发送。"
        "您可以取消队列中的消息，或等待微信用户回复。",
    ),
    _spec(
        "cancelled", EMPLOYEES,
        "an employee cancelled a queued message",
        "",
        "Your queued message was cancelled and will not be sent.",
        "您排队中的消息已取消，不会被发送。",
    ),
    _spec(
        "dlp_blocked", EMPLOYEES,
        "data-loss prevention refused an employee message (before it was queued, or on its way out)",
        "reason",
        "Data-loss prevention: {reason}",
        "数据防泄漏：{reason}",
    ),
    _spec(
        "dlp_withheld_guest", GUEST,
        "data-loss prevention kept a guest's message from the employees",
        "reason",
        "Data protection: {reason}",
        "数据保护：{reason}",
    ),
    _spec(
        "not_queued", EMPLOYEES,
        "a cancel request for a message that is not in the queue",
        "",
        "That message is not in the queue any more: it was already sent or cancelled.",
        "该消息已不在队列中：它已被发送或已被取消。",
    ),
    _spec(
        "wechat_refused", EMPLOYEES,
        "WeChat refused an employee message for a reason other than the window or the quota",
        "errcode reason",
        "WeChat refused your message (error {errcode}: {reason}). It was not sent.",
        "微信拒绝了您的消息（错误 {errcode}：{reason}），该消息未发送。",
    ),
    _spec(
        "chat_closed", EMPLOYEES,
        "an employee writes in a closed chat",
        "",
        "This chat is closed. Your message was not sent.",
        "此对话已关闭，您的消息未发送。",
    ),
    # --- leaving -------------------------------------------------------------------------------
    _spec(
        "guest_left_guest", GUEST,
        "confirms to the guest that they left (they replied with the leave keyword)",
        "",
        "You have left the chat. Send a message at any time to start a new conversation.",
        "您已退出对话。如需开始新的对话，随时发送消息即可。",
    ),
    _spec(
        "guest_left", EMPLOYEES,
        "the guest left the conversation",
        "count",
        "The WeChat user left the conversation. The chat is closed; {count} queued message(s) were cancelled.",
        "微信用户已退出对话。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
    _spec(
        "employee_left_guest", GUEST,
        "tells the guest that an employee left the conversation",
        "name",
        "{name} has left the conversation.",
        "{name} 已退出对话。",
    ),
    _spec(
        "employee_left", EMPLOYEES,
        "an employee left the conversation",
        "name count",
        "{name} left the conversation. The chat is closed; {count} queued message(s) were cancelled.",
        "{name} 已退出对话。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
    _spec(
        "employee_left_others_stay", EMPLOYEES,
        "an employee left the conversation; colleagues are still in it",
        "name",
        "{name} left the conversation. It stays open for the colleagues still in it.",
        "{name} 已退出对话。其他同事仍在对话中，对话保持开启。",
    ),
    _spec(
        "guest_unfollowed", EMPLOYEES,
        "the guest unfollowed the Official Account",
        "count",
        "The WeChat user unfollowed the Official Account. The chat is closed; {count} queued message(s) "
        "were cancelled.",
        "微信用户已取消关注公众号。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
    _spec(
        "guest_unreachable", EMPLOYEES,
        "WeChat answered that the user cannot be reached (43004 not a follower, 43019 blocked, 48002 "
        "messages turned off, 40003 invalid openid)",
        "errcode reason count",
        "WeChat can no longer deliver messages to this user (error {errcode}: {reason}). The chat is "
        "closed; {count} queued message(s) were cancelled.",
        "微信已无法向该用户发送消息（错误 {errcode}：{reason}）。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
    # --- phone-number validation (dialogs/phone_validation.py) -------------------------------
    # Keywords the guest types are accepted in both languages whatever the guest's language:
    # Help/帮助, Update/更新, Call/电话, Resend/重发, Yes/是, No/否.
    _spec(
        "validation_ask_number", GUEST,
        "a new guest's first message, or after Update / No: asks for the guest's phone number",
        "example",
        "Welcome! To connect you with your contact, we first need to verify your mobile phone number. "
        "Please reply with it, e.g. {example} (add the country code, e.g. +852, for a number from "
        "another country or region).",
        "欢迎！为了帮您联系您的联系人，我们需要先验证您的手机号码。请回复您的手机号码，例如 {example}"
        "（其他国家或地区的号码请加上国家或地区代码，例如 +852）。",
    ),
    _spec(
        "validation_number_unreadable", GUEST,
        "the guest's answer to the number question contains no phone number",
        "tries_left example",
        "We could not find a phone number in your message. Please reply with your mobile phone number "
        "only, e.g. {example}. Tries left: {tries_left}.",
        "我们未能在您的消息中识别出电话号码。请只回复您的手机号码，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    _spec(
        "validation_number_too_short", GUEST,
        "the number the guest gave has too few digits",
        "tries_left example",
        "That phone number is too short: a digit may be missing. Please check it and reply again, e.g. "
        "{example}. Tries left: {tries_left}.",
        "该电话号码位数太少，可能缺少数字。请检查后重新回复，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    _spec(
        "validation_number_too_long", GUEST,
        "the number the guest gave has too many digits",
        "tries_left example",
        "That phone number is too long: there may be an extra digit. Please check it and reply again, "
        "e.g. {example}. Tries left: {tries_left}.",
        "该电话号码位数太多，可能多了数字。请检查后重新回复，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    _spec(
        "validation_number_invalid", GUEST,
        "the number the guest gave is not a valid number (unknown country code, no such number range)",
        "tries_left example",
        "That is not a valid phone number. Please check the number and the country code and reply "
        "again, e.g. {example}. Tries left: {tries_left}.",
        "该号码不是有效的电话号码。请检查号码及国家或地区代码后重新回复，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    _spec(
        "validation_too_many_numbers", GUEST,
        "the guest gave an invalid number for the last time (the attempt is recorded)",
        "",
        "That is still not a valid phone number and there are no tries left. Please try again tomorrow, "
        "or contact the firm by phone.",
        "该号码仍然无效，您已没有剩余尝试次数。请明天再试，或致电本公司联系。",
    ),
    _spec(
        "validation_confirm_number", GUEST,
        "a returning guest's first message: do they still use the number validated last time?",
        "number",
        "Welcome back! Do you still use the phone number {number}? Reply Yes to receive a PIN on it, "
        "or Help to update your number.",
        "欢迎回来！您是否仍在使用手机号码 {number}？回复“是”(Yes) 以接收验证码，"
        "或回复“帮助”(Help) 以更新号码。",
    ),
    _spec(
        "validation_pin_sent", GUEST,
        "a PIN was sent by SMS",
        "number minutes",
        "We have sent a 6-digit PIN by SMS to {number}. It is valid for {minutes} minutes. Please reply "
        "with the PIN. If it does not arrive, reply Help.",
        "我们已通过短信向 {number} 发送了 6 位验证码，{minutes} 分钟内有效。请回复该验证码。"
        "如未收到，请回复“帮助”(Help)。",
    ),
    _spec(
        "validation_pin_calling", GUEST,
        "a PIN is being read out by a voice call",
        "number minutes",
        "We are calling {number} to read out a 6-digit PIN. It is valid for {minutes} minutes. Please "
        "reply with the PIN. If the call does not come, reply Help.",
        "我们正在致电 {number} 播报 6 位验证码，{minutes} 分钟内有效。请回复该验证码。"
        "如未接到来电，请回复“帮助”(Help)。",
    ),
    _spec(
        "validation_ask_pin", GUEST,
        "while a PIN is awaited, the guest wrote something that is not a 6-digit PIN",
        "number",
        "Please reply with the 6-digit PIN we sent to {number}, or reply Help for other options.",
        "请回复我们发送至 {number} 的 6 位验证码，或回复“帮助”(Help) 查看其他选项。",
    ),
    _spec(
        "validation_pin_wrong", GUEST,
        "the guest entered a wrong PIN and has tries left",
        "tries_left",
        "That PIN is not correct. Please check it and reply again. Tries left: {tries_left}.",
        "验证码不正确，请检查后重新回复。剩余尝试次数：{tries_left}。",
    ),
    _spec(
        "validation_too_many_pins", GUEST,
        "the guest entered a wrong PIN for the last time (the attempt is recorded)",
        "",
        "That PIN is not correct and there are no tries left. Please try again tomorrow, or contact the "
        "firm by phone.",
        "验证码不正确，您已没有剩余尝试次数。请明天再试，或致电本公司联系。",
    ),
    _spec(
        "validation_pin_expired", GUEST,
        "the guest entered a PIN after it expired",
        "",
        "This PIN has expired. Reply Resend to receive a new PIN by SMS, Call to receive it by a voice "
        "call, or Update to change your phone number.",
        "该验证码已过期。回复“重发”(Resend) 通过短信接收新的验证码，回复“电话”(Call) 通过语音来电接收，"
        "或回复“更新”(Update) 更改您的手机号码。",
    ),
    _spec(
        "validation_help", GUEST,
        "the guest typed Help, or did not enter the PIN in time: the options",
        "number",
        "Need help? Reply Update to change your phone number ({number}), Call to receive the PIN by a "
        "voice call, or Resend to receive a new PIN by SMS.",
        "需要帮助吗？回复“更新”(Update) 更改您的手机号码（{number}），回复“电话”(Call) 通过语音来电接收验证码，"
        "或回复“重发”(Resend) 通过短信重新接收验证码。",
    ),
    _spec(
        "validation_pin_not_delivered", GUEST,
        "the SMS or voice provider could not deliver the PIN",
        "number",
        "We could not deliver a PIN to {number}. Reply Call to receive it by a voice call, Resend to try "
        "SMS again, or Update to change your phone number.",
        "我们未能将验证码发送至 {number}。回复“电话”(Call) 通过语音来电接收，回复“重发”(Resend) 重新通过短信发送，"
        "或回复“更新”(Update) 更改您的手机号码。",
    ),
    _spec(
        "validation_resend_cooldown", GUEST,
        "the guest asked for another PIN too soon after the last one",
        "seconds",
        "A PIN was sent only a moment ago. Please wait {seconds} seconds before asking for another one, "
        "or reply with the PIN you received.",
        "验证码刚刚已发送。请等待 {seconds} 秒后再申请新的验证码，或直接回复您收到的验证码。",
    ),
    _spec(
        "validation_pin_cap", GUEST,
        "no more PINs may be sent today (per-number or per-guest daily cap; the attempt is recorded)",
        "",
        "You have reached the maximum number of PINs for today. Please try again tomorrow, or contact "
        "the firm by phone.",
        "您今天接收验证码的次数已达上限。请明天再试，或致电本公司联系。",
    ),
    _spec(
        "validation_locked", GUEST,
        "the guest writes again on the day the validation was stopped",
        "",
        "For your security, phone number verification is paused until tomorrow. Please try again "
        "tomorrow, or contact the firm by phone.",
        "为保障您的安全，手机号码验证已暂停至明天。请明天再试，或致电本公司联系。",
    ),
    _spec(
        "validation_validated", GUEST,
        "the guest entered the right PIN",
        "number",
        "Thank you, your phone number {number} is verified.",
        "谢谢，您的手机号码 {number} 已验证成功。",
    ),
    _spec(
        "validation_ask_employee", GUEST,
        "after the validation: whom does the guest want to reach?",
        "example",
        "Please reply with the phone number of the person you want to reach, e.g. {example}.",
        "请回复您想联系的人的电话号码，例如 {example}。",
    ),
    _spec(
        "validation_ask_whom", GUEST,
        "after the validation, where the routing assistant finds whom the guest wants",
        "",
        "Whom would you like to reach? Please write their name, e-mail or phone number, or what you need help with.",
        "请问您想联系哪位同事？请告诉我们对方的姓名、邮箱或电话号码，或者您需要哪方面的帮助。",
    ),
    _spec(
        "validation_employee_number_invalid", GUEST,
        "the guest's answer to whom they want to reach is not a valid phone number",
        "tries_left example",
        "That is not a valid phone number. Please reply with the phone number of the person you want "
        "to reach, e.g. {example}. Tries left: {tries_left}.",
        "该号码不是有效的电话号码。请回复您想联系的人的电话号码，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    _spec(
        "validation_employee_not_found", GUEST,
        "nobody at the firm who can take WeChat chats has the number the guest gave",
        "number tries_left",
        "We could not find anyone at the firm with the number {number} who can chat on WeChat. Please "
        "check the number and reply again. Tries left: {tries_left}.",
        "我们未能在本公司找到号码为 {number} 且可通过微信联系的人员。请检查号码后重新回复。剩余尝试次数：{tries_left}。",
    ),
    _spec(
        "validation_too_many_employees", GUEST,
        "the guest named nobody the firm could find, for the last time (the attempt is recorded)",
        "",
        "We could not find the person you want to reach and there are no tries left. Please contact "
        "your contact at the firm by phone, or try again tomorrow.",
        "我们未能找到您想联系的人，您已没有剩余尝试次数。请致电本公司联系您的联系人，或明天再试。",
    ),
    _spec(
        "validation_connected", GUEST,
        "the guest is connected with the employee they named",
        "name",
        "You are now connected with {name}.",
        "您现在已与 {name} 建立联系。",
    ),
    _spec(
        "validated_guest_connected", EMPLOYEES,
        "a guest who validated their phone number asked for this employee",
        "number",
        "Validated the phone number {number} and asked for you. You can answer now.",
        "已验证电话号码 {number}，并希望与您联系。您现在可以回复。",
    ),
    # --- end of phone-number validation ------------------------------------------------------
    # --- the routing assistant (dialogs/routing.py) -------------------------------------------
    _spec(
        "routing_ask", GUEST,
        "a new guest's first message does not say whom they want",
        "",
        "Hello! Whom would you like to reach? Please write their name, e-mail or phone number, or what you "
        "need help with (for example: mortgage, funds, insurance).",
        "您好！请问您想联系哪位同事？请告诉我们对方的姓名、邮箱或电话号码，或者您需要哪方面的帮助（例如：按揭、基金、保险）。",
    ),
    _spec(
        "routing_ask_again", GUEST,
        "the guest, asked whom they want, only greets (not counted as a failed turn)",
        "",
        "Please tell us whom you would like to reach: their name, e-mail or phone number, or what you need help with.",
        "请告诉我们您想联系哪位同事：对方的姓名、邮箱或电话号码，或者您需要哪方面的帮助。",
    ),
    _spec(
        "routing_not_found", GUEST,
        "what the guest wrote matches nobody (a guided follow-up)",
        "",
        "Sorry, we could not find that colleague. Please write their full name (in English or Chinese), "
        "their e-mail or phone number, or tell us what you need help with.",
        "抱歉，我们没有找到这位同事。请写出对方的全名（中文或英文）、邮箱或电话号码，或者告诉我们您需要哪方面的帮助。",
    ),
    _spec(
        "routing_not_found_last", GUEST,
        "nobody found, one try left before the guest is passed to the team",
        "",
        "We still could not find that colleague. Please try once more with their full name, e-mail or phone "
        "number; otherwise we will pass your message to our team.",
        "我们仍然没有找到这位同事。请再试一次，写出对方的全名、邮箱或电话号码；否则我们会把您的消息转给我们的团队。",
    ),
    _spec(
        "routing_narrow", GUEST,
        "what the guest wrote matches too many colleagues to list",
        "",
        "Several colleagues match. Please add their full name, e-mail or phone number, or what they do.",
        "有多位同事符合。请补充对方的全名、邮箱、电话号码或负责的业务。",
    ),
    _spec(
        "routing_choose", GUEST,
        "what the guest wrote fits several colleagues (or one, not surely): a numbered choice",
        "choices numbers",
        "Whom would you like to reach?\n{choices}\nPlease reply {numbers}.",
        "请问您想联系哪一位？\n{choices}\n请回复 {numbers}。",
    ),
    _spec(
        "routing_connected", GUEST,
        "the assistant found the colleague: the guest is connected (the assistant leaves)",
        "name",
        "Thank you. You are now connected with {name}, who will answer you here.",
        "谢谢！您现在已与 {name} 建立联系，对方会在这里回复您。",
    ),
    _spec(
        "routing_to_inbox", GUEST,
        "the assistant could not tell whom the guest wants: the guest goes to the team's inbox",
        "",
        "We have passed your message to our team; a colleague will answer you here shortly.",
        "我们已将您的消息转给我们的团队，同事会尽快在这里回复您。",
    ),
    _spec(
        "routed_guest_connected", EMPLOYEES,
        "the routing assistant connected a new guest with this employee (their words follow)",
        "",
        "The routing assistant connected this new WeChat guest with you. What they wrote:",
        "路由助手已将这位新的微信访客转给您。对方写道：",
    ),
    _spec(
        "routed_guest_to_inbox", EMPLOYEES,
        "the routing assistant could not tell whom a new guest wants (their words follow)",
        "",
        "The routing assistant could not tell whom this new WeChat guest wants. What they wrote:",
        "路由助手无法确定这位新的微信访客想联系谁。对方写道：",
    ),
)

CATALOGUE: Mapping[str, NoticeSpec] = {spec.key: spec for spec in _CATALOGUE}
KEYS = frozenset(CATALOGUE)

_FORMATTER = string.Formatter()


def _fields(text: str) -> list[str]:
    """The placeholder names in a text; NoticeError for anything but plain `{name}` fields."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:  # unbalanced braces
        raise NoticeError(f"malformed braces ({exc}); write {{{{ and }}}} for literal braces") from None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise NoticeError(f"placeholder {{{name}{'!' + conversion if conversion else ''}"
                              f"{':' + spec if spec else ''}}} must be a plain {{name}}")
        names.append(name)
    return names


def _substitute(text: str, params: Mapping[str, Any]) -> str:
    out = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(text):
        out.append(literal)
        if name is not None:
            out.append(str(params[name]))
    return "".join(out)


class Notices:
    """The catalogue with an organization's overrides: `{key: {language: text}}`."""

    def __init__(self, overrides: Mapping[str, Mapping[str, str]] | None = None) -> None:
        problems: list[str] = []
        texts: dict[str, dict[str, str]] = {key: dict(spec.texts) for key, spec in CATALOGUE.items()}
        for key, by_language in (overrides or {}).items():
            spec = CATALOGUE.get(key)
            if spec is None:
                problems.append(f"{key!r}: unknown notice (known: {', '.join(sorted(KEYS))})")
                continue
            if not isinstance(by_language, Mapping):
                problems.append(f"{key}: expected {{language: text}}, got {type(by_language).__name__}")
                continue
            for lang, text in by_language.items():
                where = f"{key}[{lang}]"
                if lang not in LANGUAGES:
                    problems.append(f"{where}: unknown language (known: {', '.join(LANGUAGES)})")
                    continue
                if not isinstance(text, str) or not text.strip():
                    problems.append(f"{where}: the text must be a non-empty string")
                    continue
                try:
                    unknown = sorted(set(_fields(text)) - spec.placeholders)
                except NoticeError as exc:
                    problems.append(f"{where}: {exc}")
                    continue
                if unknown:
                    allowed = ", ".join(f"{{{p}}}" for p in sorted(spec.placeholders)) or "none"
                    problems.append(f"{where}: unknown placeholder(s) {', '.join(f'{{{u}}}' for u in unknown)}"
                                    f" (allowed: {allowed})")
                    continue
                texts[key][lang] = text
        if problems:
            raise NoticeError("invalid notice overrides:\n  " + "\n  ".join(problems))
        self._texts = texts

    def text(self, key: str, lang: str) -> str:
        """The template (placeholders unfilled) of `key` in `lang`."""
        if key not in self._texts:
            raise NoticeError(f"unknown notice {key!r}")
        language = normalize_language(lang)
        if language is None:
            raise NoticeError(f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})")
        return self._texts[key][language]

    def render(self, key: str, lang: str, **params: Any) -> str:
        """The text a person reads. Every placeholder the text uses must be given; extra params are
        fine (an override may leave a number out)."""
        text = self.text(key, lang)
        missing = sorted(set(_fields(text)) - set(params))
        if missing:
            raise NoticeError(f"{key}: missing value(s) for {', '.join(missing)}")
        return _substitute(text, params)

    @staticmethod
    def audience(key: str) -> str:
        return CATALOGUE[key].audience
