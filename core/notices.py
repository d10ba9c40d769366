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
from typing import Any, Iterable, Mapping

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


def sentences(parts: Iterable[str], language: str | None) -> str:
    """Texts said in one message: Chinese runs its sentences on, English spaces them."""
    return ("" if normalize_language(language) == ZH_CN else " ").join(parts)


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
        "once per conversation, at the guest's first follow/scan or message, unless a dialog connected "
        "them (then its words instead, e.g. `routing_connected`); `rules_guest` follows in the same message",
        "limit hours leave_keyword",
        "Thank you! You can now start messaging your contact.",
        "感谢您！现在可以开始给您的联系人发消息了。",
    ),
    _spec(
        "rules_guest", GUEST,
        "with the welcome (or a dialog's connection), in the same WeChat message: WeChat's rules. "
        "`limit` is WeChat's number (`wechat_quota`), the messages the guest may receive per message of theirs",
        "limit hours leave_keyword",
        "Please note, WeChat allows your contact {limit} consecutive messages, including system messages, "
        "before requiring a response from you to continue messaging. If the conversation is inactive after "
        "{hours} hours, your contact will not be able to send any messages until you send a message. To leave "
        "the chat at any time, reply with {leave_keyword}.",
        "请注意：根据微信规定，您的联系人最多可以连续给您发送 {limit} 条消息（包括系统消息），"
        "之后需要您回复才能继续对话。"
        "如果您超过 {hours} 小时没有回复，在您发送消息之前，您的联系人将无法给您发消息。如需随时退出对话，"
        "请回复 {leave_keyword}。",
    ),
    _spec(
        "welcome_employee", EMPLOYEES,
        "once per conversation, at the guest's first follow/scan or message. `limit`: the messages the "
        "employees may send per message of the guest (`employee_quota`, system messages included): the "
        "number the status card counts down",
        "limit hours",
        "Please note, you can send {limit} consecutive messages, including system messages, before your "
        "contact must reply to continue messaging. If the conversation is inactive after {hours} hours, you "
        "will not be able to send any messages until your contact responds.",
        "请注意：您最多可以连续发送 {limit} 条消息（包括系统消息），之后需要等联系人回复才能继续发送。"
        "如果联系人超过 {hours} 小时没有回复，在联系人回复之前您将无法发送任何消息。",
    ),
    # --- the employees' allowance and the window ---------------------------------------------
    _spec(
        "limit_reached", EMPLOYEES,
        "when the employees' allowance for the guest's message is used up (once per window)",
        "count limit",
        "You have reached the maximum limit of {limit} consecutive messages, including system messages, "
        "without a response from your contact. You cannot send any more messages until your contact replies.",
        "您已连续发送 {limit} 条消息（包括系统消息）而联系人尚未回复，已达到上限。在联系人回复之前，您无法再发送消息。",
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
        "not_confirmed", EMPLOYEES,
        "WeChat never answered for an employee message (a timeout after it was sent): it may or may not "
        "have reached the guest; it counts as sent and is not sent again unless the employee asks",
        "",
        "WeChat did not answer when your message was sent: it may or may not have reached your contact. It "
        "was not sent again on its own; press Send again if it should go (your contact may then see it twice).",
        "发送您的消息时微信没有响应：对方可能已收到，也可能没有收到。系统不会自动重发；如需发送，请点击“再次发送”"
        "（对方可能会收到两次）。",
    ),
    _spec(
        "nothing_to_send_again", EMPLOYEES,
        "Send again was pressed for a message that cannot be sent again (already sent again, or the chat ended)",
        "message_id",
        "That message can no longer be sent again: it was sent again already, or the conversation ended.",
        "该消息已无法再次发送：它已被再次发送，或对话已结束。",
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
    # --- what reaches Teams from WeChat (services/inbound.py) -------------------------------
    # `who` is the guest's name as Teams shows it (Markdown, bold).
    _spec(
        "inbound_text", EMPLOYEES,
        "a guest's text message, as posted in Teams",
        "who text",
        "{who} (WeChat): {text}",
        "{who}（微信）：{text}",
    ),
    _spec(
        "inbound_followed", EMPLOYEES,
        "a guest followed the Official Account",
        "who",
        "{who} followed the Official Account. You can answer once they write.",
        "{who} 关注了公众号。对方发消息后您即可回复。",
    ),
    _spec(
        "inbound_followed_qr", EMPLOYEES,
        "a guest followed the Official Account through the employee's QR code",
        "who",
        "{who} followed the Official Account through your QR code. You can answer once they write.",
        "{who} 通过您的二维码关注了公众号。对方发消息后您即可回复。",
    ),
    _spec(
        "inbound_scanned", EMPLOYEES,
        "a follower scanned the employee's QR code",
        "who",
        "{who} scanned your QR code.",
        "{who} 扫描了您的二维码。",
    ),
    _spec(
        "inbound_unfollowed", EMPLOYEES,
        "a guest unfollowed the Official Account",
        "who",
        "{who} unfollowed the Official Account. Messages can no longer reach them.",
        "{who} 取消关注了公众号，消息已无法送达对方。",
    ),
    _spec(
        "inbound_image", EMPLOYEES,
        "a guest sent an image (kept in the record)",
        "who",
        "{who} sent an image (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一张图片（已记录；暂不支持在 Teams 中显示）。",
    ),
    _spec(
        "inbound_voice", EMPLOYEES,
        "a guest sent a voice message (kept in the record)",
        "who",
        "{who} sent a voice message (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一条语音消息（已记录；暂不支持在 Teams 中显示）。",
    ),
    _spec(
        "inbound_video", EMPLOYEES,
        "a guest sent a video (kept in the record)",
        "who",
        "{who} sent a video (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一段视频（已记录；暂不支持在 Teams 中显示）。",
    ),
    _spec(
        "inbound_shortvideo", EMPLOYEES,
        "a guest sent a short video (kept in the record)",
        "who",
        "{who} sent a short video (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一段小视频（已记录；暂不支持在 Teams 中显示）。",
    ),
    _spec(
        "inbound_location", EMPLOYEES,
        "a guest sent a location (kept in the record)",
        "who",
        "{who} sent a location (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一个位置（已记录；暂不支持在 Teams 中显示）。",
    ),
    _spec(
        "inbound_link", EMPLOYEES,
        "a guest sent a link (kept in the record)",
        "who",
        "{who} sent a link (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一个链接（已记录；暂不支持在 Teams 中显示）。",
    ),
    _spec(
        "inbound_file", EMPLOYEES,
        "a guest sent a file (kept in the record)",
        "who",
        "{who} sent a file (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一个文件（已记录；暂不支持在 Teams 中显示）。",
    ),
    _spec(
        "inbound_unknown", EMPLOYEES,
        "a guest sent a message of a type this app does not know (kept in the record)",
        "who type",
        "{who} sent a message of a type this app does not know ({type}); it has been recorded.",
        "{who} 发送了一条本应用无法识别的消息（{type}），已记录。",
    ),
    _spec(
        "inbound_thread_again", EMPLOYEES,
        "opens a guest's channel thread started again after an interruption (the first start may have made a "
        "thread the app never learnt of)",
        "",
        "_Posted again after an interruption: this guest's first message may show twice in this channel. "
        "Answer in this thread; an answer in the other one would not reach them._",
        "_中断后重新发布：该访客的第一条消息可能在本频道中显示两次。请在此话题中回复；在另一个话题中的回复将无法送达对方。_",
    ),
    _spec(
        "inbound_withheld_line", EMPLOYEES,
        "in place of a guest's words that inbound data-loss prevention withholds (the record keeps them)",
        "",
        "[withheld by data-loss prevention]",
        "[已被数据防泄漏规则拦截]",
    ),
    _spec(
        "mail_new_guest_subject", EMPLOYEES,
        "the subject of the e-mail an employee gets at `notify_email` when a dialog connects a new guest",
        "guest",
        "New WeChat guest: {guest}",
        "新的微信访客：{guest}",
    ),
    _spec(
        "mail_new_guest", EMPLOYEES,
        "the body of that e-mail: the guest, what the employees were told in Teams (`details`), what to do",
        "guest details",
        "WeChat guest {guest}\n\n{details}\n\nAnswer them in Microsoft Teams.",
        "微信访客 {guest}\n\n{details}\n\n请在 Microsoft Teams 中回复对方。",
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
        "我们未能在本公司找到号码为 {number} 且可通过微信联系的人员。请检查号码后重新回复。剩余尝试次数："
        "{tries_left}。",
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
    # --- the Teams side: cards, command answers, refusals (services/teams_texts.py) ------------
    # `card_<card>_<field>`: a card's texts (cards/); placeholders for text somebody else wrote
    # ({guest}, {author}, {names}, {query}) are shown literally. `teams_*`: the bot's answers.
    _spec("card_guest_brand", EMPLOYEES, "every WeChat card: beside the mark, and the mark's alternative text", "",
          "WeChat", "微信"),
    _spec("card_guest_unnamed", EMPLOYEES, "a card's header: a guest with neither name nor phone number", "",
          "WeChat user", "微信用户"),
    _spec("card_guest_phone", EMPLOYEES, "a card's header: the guest's validated number", "phone",
          "Validated phone number: {phone}", "已验证手机号：{phone}"),
    _spec("card_duration_hours", EMPLOYEES, "the live card: time left in the window, in hours", "n",
          "{n} h", "{n} 小时"),
    _spec("card_duration_minutes", EMPLOYEES, "the live card: time left in the window, in minutes", "n",
          "{n} min", "{n} 分钟"),
    _spec("card_duration_closed", EMPLOYEES, "the live card: the window has closed", "",
          "closed", "已关闭"),
    _spec("card_notice_intro", EMPLOYEES, "the card at the start of a chat, above `welcome_employee`", "guest",
          "A WeChat user ({guest}) is contacting you.", "一位微信用户（{guest}）正在联系您。"),
    _spec("card_status_new", EMPLOYEES, "the live card: the guest has not written yet",
          "left limit closes_in queued queue_limit",
          "Waiting for the WeChat user's first message", "等待微信用户的第一条消息"),
    _spec("card_status_active", EMPLOYEES, "the live card: the chat is active",
          "left limit closes_in queued queue_limit",
          "{left} of {limit} messages left · window closes in {closes_in}",
          "剩余 {left}/{limit} 条消息 · 窗口将在 {closes_in} 后关闭"),
    _spec("card_status_inactive_time", EMPLOYEES, "the live card: inactive, the window has closed",
          "left limit closes_in queued queue_limit",
          "Inactive · the reply window has closed · your messages wait for the WeChat user's reply",
          "非活跃 · 回复窗口已关闭 · 您的消息将在微信用户回复后发送"),
    _spec("card_status_inactive_count", EMPLOYEES, "the live card: inactive, the messages are used up",
          "left limit closes_in queued queue_limit",
          "Inactive · {left} of {limit} messages left · your messages wait for the WeChat user's reply",
          "非活跃 · 剩余 {left}/{limit} 条消息 · 您的消息将在微信用户回复后发送"),
    _spec("card_status_closed", EMPLOYEES, "the live card: the conversation is closed",
          "left limit closes_in queued queue_limit", "Conversation closed", "对话已结束"),
    _spec("card_status_queued", EMPLOYEES, "the live card: messages wait", "left limit closes_in queued queue_limit",
          "{queued} of {queue_limit} queued", "已排队 {queued}/{queue_limit} 条"),
    _spec("card_status_participants", EMPLOYEES, "the live card: who takes part", "names",
          "In this conversation: {names}", "参与对话的同事：{names}"),
    _spec("card_queue_title_inactive", EMPLOYEES, "the queue card: the chat is inactive",
          "message_limit window_hours queue_limit queued",
          "This chat is now inactive. You can queue up to {queue_limit} messages to be sent after the WeChat user "
          "responds.", "此对话现已进入非活跃状态。您最多可以排队 {queue_limit} 条消息，待微信用户回复后发送。"),
    _spec("card_queue_title_active", EMPLOYEES, "the queue card: the chat is active again, the queue goes out",
          "message_limit window_hours queue_limit queued", "Messages waiting to be sent", "等待发送的消息"),
    _spec("card_queue_title_closed", EMPLOYEES, "the queue card: the chat is closed",
          "message_limit window_hours queue_limit queued", "This chat is closed.", "此对话已关闭。"),
    _spec("card_queue_reason_new", EMPLOYEES, "the queue card: why (the guest has not written yet)",
          "message_limit window_hours queue_limit queued", "The WeChat user has not written yet.",
          "微信用户尚未发送消息。"),
    _spec("card_queue_reason_count", EMPLOYEES, "the queue card: why (the messages are used up)",
          "message_limit window_hours queue_limit queued",
          "You have reached the limit of {message_limit} messages without a reply.",
          "您已发送 {message_limit} 条消息而未收到回复，已达到上限。"),
    _spec("card_queue_reason_time", EMPLOYEES, "the queue card: why (the window has closed)",
          "message_limit window_hours queue_limit queued",
          "The WeChat user has not replied for {window_hours} hours.", "微信用户已 {window_hours} 小时未回复。"),
    _spec("card_queue_count", EMPLOYEES, "the queue card: how many wait",
          "message_limit window_hours queue_limit queued",
          "{queued} of {queue_limit} queued", "已排队 {queued}/{queue_limit} 条"),
    _spec("card_queue_empty", EMPLOYEES, "the queue card: nothing waits",
          "message_limit window_hours queue_limit queued",
          "No messages are queued.", "没有排队的消息。"),
    _spec("card_queue_full", EMPLOYEES, "the queue card: the queue is full",
          "message_limit window_hours queue_limit queued",
          "The queue is full: further messages will be refused until the WeChat user replies.",
          "队列已满：在微信用户回复之前，新消息将被拒绝。"),
    _spec("card_queue_queued_at", EMPLOYEES, "the queue card: when a message was queued", "when",
          "Queued {when}", "排队于 {when}"),
    _spec("card_queue_queued_by", EMPLOYEES, "the queue card: who queued a message", "author",
          "by {author}", "由 {author} 排队"),
    _spec("card_queue_cancel", EMPLOYEES, "the queue card: the button beside each queued message", "",
          "Cancel", "取消"),
    _spec("card_queue_told_not_yet", EMPLOYEES, "the queue card: the guest has not been asked to reply yet",
          "message_limit window_hours queue_limit queued",
          "The WeChat user has not yet been asked to reply.", "尚未请微信用户回复。"),
    _spec("card_queue_told_notice", EMPLOYEES, "the queue card: the guest was asked to reply (`new_messages`)",
          "message_limit window_hours queue_limit queued",
          "The WeChat user was asked to reply to resume the conversation.", "已请微信用户回复以恢复对话。"),
    _spec("card_queue_told_template", EMPLOYEES, "the queue card: the guest was sent the template message",
          "message_limit window_hours queue_limit queued",
          "The WeChat user was sent a template message asking them to reply.", "已通过模板消息请微信用户回复。"),
    _spec("card_queue_told_no_template", EMPLOYEES, "the queue card: the guest could not be told (no template)",
          "message_limit window_hours queue_limit queued",
          "The WeChat user could not be told that messages are waiting: no template message is configured for "
          "this account.", "无法通知微信用户有消息待接收：此公众号未配置模板消息。"),
    _spec("card_leave_question", EMPLOYEES, "Leave conversation: the confirmation's question", "guest",
          "Leave the WeChat conversation with {guest}?", "退出与 {guest} 的微信对话？"),
    _spec("card_leave_told", EMPLOYEES, "Leave conversation: who is told", "guest",
          "{guest} and your colleagues will see a message that you left.", "{guest} 和您的同事将看到您已退出的消息。"),
    _spec("card_leave_others_stay", EMPLOYEES, "Leave conversation: colleagues stay", "guest",
          "Your colleagues stay in the conversation.", "您的同事仍留在对话中。"),
    _spec("card_leave_closes", EMPLOYEES, "Leave conversation: the last one leaving closes it", "guest",
          "You are the last one in it: the conversation closes. If {guest} writes again, they are connected anew.",
          "您是对话中的最后一人：对话将关闭。如果 {guest} 再次发来消息，将重新为其分配联系人。"),
    _spec("card_leave_to_inbox", EMPLOYEES, "Leave conversation: the last one leaving returns the guest to the inbox",
          "guest",
          "You are the last one in it: if {guest} writes again, the message goes to your team's WeChat inbox.",
          "您是对话中的最后一人：如果 {guest} 再次发来消息，消息将进入您团队的微信收件箱。"),
    _spec("card_leave_leave", EMPLOYEES, "the button on the live card and on the confirmation", "guest",
          "Leave conversation", "退出对话"),
    _spec("card_leave_cancel", EMPLOYEES, "the confirmation's other button", "guest", "Cancel", "取消"),
    _spec("card_leave_left", EMPLOYEES, "the confirmation, once confirmed", "guest",
          "You left the WeChat conversation with {guest}.", "您已退出与 {guest} 的微信对话。"),
    _spec("card_leave_stayed", EMPLOYEES, "the confirmation, once cancelled", "guest",
          "You stay in the WeChat conversation with {guest}.", "您仍在与 {guest} 的微信对话中。"),
    _spec("card_leave_summary", EMPLOYEES, "the confirmation's one-line summary (notifications, screen readers)", "",
          "Leave this WeChat conversation?", "退出这个微信对话？"),
    _spec("card_moved_text", EMPLOYEES, "an older copy of the live card, once a newer one is posted", "",
          "This conversation's card has moved: the latest one is further down in this chat.",
          "此对话的卡片已移动：最新的卡片在本聊天的下方。"),
    _spec("card_choose_question", EMPLOYEES, "a message that could be for several guests: the question", "",
          "Which WeChat contact is this message for?", "这条消息是发给哪位微信联系人的？"),
    _spec("card_choose_send_to", EMPLOYEES, "a message that could be for several guests: a guest's button", "guest",
          "Send to {guest}", "发送给 {guest}"),
    _spec("card_choose_contact", EMPLOYEES, "a message that could be for several guests: the drop-down's label", "",
          "Contact", "联系人"),
    _spec("card_choose_choose", EMPLOYEES, "a message that could be for several guests: nothing chosen", "",
          "Choose a contact", "请选择联系人"),
    _spec("card_choose_send", EMPLOYEES, "a message that could be for several guests: the drop-down's button", "",
          "Send", "发送"),
    _spec("card_choose_sent", EMPLOYEES, "a message that could be for several guests: once chosen", "guest",
          "Sent to {guest}.", "已发送给 {guest}。"),
    _spec("card_qr_title", EMPLOYEES, "`qr`: the card's title", "", "Your WeChat QR code", "您的微信二维码"),
    _spec("card_qr_scan", EMPLOYEES, "`qr`: what the code does", "account",
          "Guests who scan it follow {account} and are connected to you.",
          "扫码的访客将关注 {account}，并直接与您联系。"),
    _spec("card_qr_link", EMPLOYEES, "`qr`: the code's link", "url", "Code link: {url}", "二维码链接：{url}"),
    _spec("card_qr_open", EMPLOYEES, "`qr`: the button", "", "Open the image", "打开图片"),
    _spec("card_help_title", EMPLOYEES, "`help` (and at installation)", "", "WeChat in Teams", "Teams 中的微信"),
    _spec("card_help_intro", EMPLOYEES, "`help`: what the bot does", "",
          "I bring your clients' WeChat messages into Teams and send your answers back, within WeChat's rules: "
          "answer in the chat where a message arrived; if several WeChat contacts are open there, I ask which one "
          "you mean.",
          "我把客户的微信消息带进 Teams，并在微信规则范围内把您的回复发回去：请在消息所在的聊天中回复；"
          "如果那里有多位微信联系人的对话，我会问您指的是哪一位。"),
    _spec("card_help_help_usage", EMPLOYEES, "`help`: how `help` is typed", "", "help", "帮助"),
    _spec("card_help_help", EMPLOYEES, "`help`: what `help` does", "", "What I can do (this card).",
          "我能做什么（本卡片）。"),
    _spec("card_help_find_usage", EMPLOYEES, "`help`: how `find` is typed", "",
          "find <name, nickname or phone>", "查找 <姓名、昵称或电话>"),
    _spec("card_help_find", EMPLOYEES, "`help`: what `find` does", "",
          "Find a WeChat contact and open the conversation.", "查找微信联系人并打开对话。"),
    _spec("card_help_qr_usage", EMPLOYEES, "`help`: how `qr` is typed", "", "qr", "二维码"),
    _spec("card_help_qr", EMPLOYEES, "`help`: what `qr` does", "",
          "Your own WeChat QR code: clients who scan it are connected to you.",
          "您自己的微信二维码：扫码的客户会直接与您联系。"),
    _spec("card_help_queue_usage", EMPLOYEES, "`help`: how `queue` is typed", "", "queue", "队列"),
    _spec("card_help_queue", EMPLOYEES, "`help`: what `queue` does", "",
          "The messages waiting to be sent in this chat's WeChat conversations.", "本聊天中微信对话里等待发送的消息。"),
    _spec("card_help_leave_usage", EMPLOYEES, "`help`: how `leave` is typed", "", "leave", "退出"),
    _spec("card_help_leave", EMPLOYEES, "`help`: what `leave` does", "",
          "Leave the WeChat conversation of this chat or thread (you confirm first).",
          "退出本聊天或本话题中的微信对话（需先确认）。"),
    _spec("card_help_admin_usage", EMPLOYEES, "`help`: how `admin` is typed", "", "admin", "管理"),
    _spec("card_help_admin", EMPLOYEES, "`help`: what `admin` does (shown to administrators)", "",
          "Administrators: enable WeChat for people and sub-organizations; the Official Account's health.",
          "管理员：为人员和子机构启用微信；查看公众号的运行状况。"),
    _spec("card_help_together", EMPLOYEES, "`help`: working together in an inbox (Markdown)", "",
          "In your team's WeChat inbox, **add @colleague** in a contact's thread lets them take part; "
          "**Leave conversation** on the conversation's card ends your part.",
          "在团队的微信收件箱中，在联系人的话题里输入 **添加 @同事** 即可让同事加入；"
          "对话卡片上的 **退出对话** 可结束您的参与。"),
    _spec("card_help_as_written", EMPLOYEES, "`help`: a line that reads like a command", "",
          "A line that starts with a command word is that command and never reaches the WeChat contact; to send "
          "it as written, begin it with a backslash: \\find attached …",
          "以命令词开头的一行会被当作命令，不会发给微信联系人；如需原样发送，请在开头加反斜杠：\\查找 …"),
    _spec("card_help_not_enabled", EMPLOYEES, "`help`, for someone WeChat is not enabled for", "",
          "WeChat is not enabled for you yet: ask your administrator.", "您尚未启用微信：请联系管理员。"),
    _spec("card_contacts_title", EMPLOYEES, "`find`: the results' title", "query",
          "WeChat contacts matching “{query}”", "与“{query}”匹配的微信联系人"),
    _spec("card_contacts_found", EMPLOYEES, "`find`: the one-line summary (notifications, screen readers)", "count",
          "WeChat contacts found: {count}", "找到的微信联系人：{count} 位"),
    _spec("card_contacts_none", EMPLOYEES, "`find`: nothing found", "",
          "No WeChat contact of yours matches. Search by name, WeChat nickname or phone number.",
          "没有匹配的微信联系人。请按姓名、微信昵称或电话号码搜索。"),
    _spec("card_contacts_as_written", EMPLOYEES, "`find`: nothing found; perhaps the line was for the guest", "",
          "Was the line meant for the WeChat contact? Nothing was sent: start it with a backslash to send it as "
          "written (\\find …).",
          "这一行是要发给微信联系人的吗？没有发送任何内容：请在开头加反斜杠以原样发送（\\查找 …）。"),
    _spec("card_contacts_label", EMPLOYEES, "the message extension: a contact inserted into a message", "",
          "WeChat contact", "微信联系人"),
    _spec("card_contacts_not_validated", EMPLOYEES, "`find`: a contact without a validated number", "",
          "phone not validated", "电话号码未验证"),
    _spec("card_contacts_ended", EMPLOYEES, "`find`: a contact whose conversation ended", "", "(ended)", "（已结束）"),
    _spec("card_contacts_last_message", EMPLOYEES, "`find`: when the contact last wrote", "when",
          "Last message {when}", "最后一条消息 {when}"),
    _spec("card_contacts_open", EMPLOYEES, "`find`: the button that posts the contact's card again", "",
          "Open", "打开"),
    _spec("card_admin_title", EMPLOYEES, "`admin`: the card's title", "", "WeChat administration", "微信管理"),
    _spec("card_admin_official_account", EMPLOYEES, "`admin`: the health section", "", "Official Account", "公众号"),
    _spec("card_admin_token_valid", EMPLOYEES, "`admin`: an account's access token", "account until",
          "Access token ({account}): valid until {until}", "访问令牌（{account}）：有效期至 {until}"),
    _spec("card_admin_token_none", EMPLOYEES, "`admin`: an account without an access token yet", "account",
          "Access token ({account}): none yet (fetched at the first message)",
          "访问令牌（{account}）：尚无（收到第一条消息时获取）"),
    _spec("card_admin_last_push", EMPLOYEES, "`admin`: WeChat's last push", "when",
          "Last push from WeChat: {when}", "微信最近一次推送：{when}"),
    _spec("card_admin_last_push_none", EMPLOYEES, "`admin`: no push from WeChat yet", "",
          "Last push from WeChat: none yet", "微信最近一次推送：尚无"),
    _spec("card_admin_jobs", EMPLOYEES, "`admin`: jobs waiting", "count", "Jobs waiting: {count}",
          "等待中的任务：{count}"),
    _spec("card_admin_archive", EMPLOYEES, "`admin`: the archive's backlog", "count",
          "Archive backlog: {count}", "待归档：{count}"),
    _spec("card_admin_archive_none", EMPLOYEES, "`admin`: no archive configured", "",
          "Archive backlog: no archive configured", "待归档：未配置归档"),
    _spec("card_admin_subs", EMPLOYEES, "`admin`: the sub-organizations section", "", "Sub-organizations", "子机构"),
    _spec("card_admin_subs_none", EMPLOYEES, "`admin`: no sub-organization", "", "None configured.", "尚未配置。"),
    _spec("card_admin_people", EMPLOYEES, "`admin`: the people section", "", "People", "人员"),
    _spec("card_admin_people_none", EMPLOYEES, "`admin`: nobody yet", "",
          "Nobody has installed the app yet.", "还没有人安装此应用。"),
    _spec("card_admin_more", EMPLOYEES, "`admin`: people not listed", "count",
          "{count} more: find them by e-mail below.", "另有 {count} 人：请在下方按邮箱查找。"),
    _spec("card_admin_person_label", EMPLOYEES, "`admin`: the input for anyone else", "",
          "Someone else (e-mail or Entra object id)", "其他人（邮箱或 Entra 对象 ID）"),
    _spec("card_admin_person_placeholder", EMPLOYEES, "`admin`: the input's example", "",
          "e.g. alice.wong@contoso.com", "例如 alice.wong@contoso.com"),
    _spec("card_admin_enabled", EMPLOYEES, "`admin`: a switch that is on", "", "enabled", "已启用"),
    _spec("card_admin_not_enabled", EMPLOYEES, "`admin`: a switch that is off", "", "not enabled", "未启用"),
    _spec("card_admin_enable", EMPLOYEES, "`admin`: the button that enables", "", "Enable", "启用"),
    _spec("card_admin_disable", EMPLOYEES, "`admin`: the button that disables", "", "Disable", "停用"),
    _spec("card_admin_refresh", EMPLOYEES, "`admin`: the button that reads everything again", "", "Refresh", "刷新"),
    _spec("teams_not_enabled", EMPLOYEES, "someone WeChat is not enabled for writes or uses a command", "",
          "Using WeChat from Teams requires it to be enabled by your administrator. Nothing was sent; ask an "
          "administrator of the WeChat app to enable it for you.",
          "在 Teams 中使用微信需要管理员启用。没有发送任何内容；请联系微信应用的管理员为您启用。"),
    _spec("teams_not_valid", EMPLOYEES, "a card action that is out of date, tampered with or from elsewhere", "",
          "That card is out of date or not valid here.", "该卡片已过期，或在此处无效。"),
    _spec("teams_admins_only", EMPLOYEES, "`admin` (or its buttons) by someone who is not an administrator", "",
          "Only the WeChat app's administrators can use admin.", "只有微信应用的管理员才能使用“管理”。"),
    _spec("teams_find_whom", EMPLOYEES, "`find` without a query", "",
          "Find whom? For example: find Chen, or find 9123 4567. Nothing was sent to the WeChat contact.",
          "要查找谁？例如：查找 陈，或 查找 9123 4567。没有向微信联系人发送任何内容。"),
    _spec("teams_nothing_queued", EMPLOYEES, "`queue` where nothing waits", "",
          "No message is waiting to be sent here.", "这里没有等待发送的消息。"),
    _spec("teams_add_where", EMPLOYEES, "`add` outside a guest's thread of an inbox channel", "",
          "Colleagues are added in a WeChat contact's thread of your team's WeChat inbox channel. Nothing was sent "
          "to the WeChat contact.",
          "请在团队微信收件箱频道中某位微信联系人的话题里添加同事。没有向微信联系人发送任何内容。"),
    _spec("teams_add_mention", EMPLOYEES, "`add` without an @mention", "",
          "To add a colleague, @mention them: type @ and choose their name from the list. Nothing was sent to the "
          "WeChat contact; to send this line as written, begin it with a backslash.",
          "添加同事时请 @提及对方：输入 @ 并从列表中选择其姓名。没有向微信联系人发送任何内容；"
          "如需原样发送这一行，请在开头加反斜杠。"),
    _spec("teams_add_not_participant", EMPLOYEES, "`add` by someone not taking part in the conversation", "",
          "Only someone taking part in this WeChat conversation can add colleagues to it.",
          "只有参与此微信对话的人才能添加同事。"),
    _spec("teams_add_not_found", EMPLOYEES, "`add`: the mentioned person is not in the team", "name",
          "I could not find {name} in this team.", "我在此团队中找不到 {name}。"),
    _spec("teams_added", EMPLOYEES, "`add`: the colleague takes part", "name",
          "{name} now takes part in this WeChat conversation.", "{name} 现已加入此微信对话。"),
    _spec("teams_who_are_you", EMPLOYEES, "`qr` from someone without an Entra object id", "",
          "I could not tell who you are in your organization.", "我无法确认您在贵机构中的身份。"),
    _spec("teams_qr_wechat_error", EMPLOYEES, "`qr`: WeChat refused the code", "errcode",
          "No QR code this time (WeChat error {errcode}); try again later.",
          "暂时无法生成二维码（微信错误 {errcode}）；请稍后再试。"),
    _spec("teams_qr_unreachable", EMPLOYEES, "`qr`: WeChat could not be reached", "",
          "No QR code this time (WeChat could not be reached); try again later.",
          "暂时无法生成二维码（无法连接微信）；请稍后再试。"),
    _spec("teams_leave_none", EMPLOYEES, "`leave` where no conversation is open", "",
          "No WeChat conversation is open here.", "这里没有进行中的微信对话。"),
    _spec("teams_leave_which", EMPLOYEES, "`leave` in a chat with several conversations open", "",
          "Several WeChat conversations are open in this chat: press Leave conversation on the card of the one "
          "you want to leave.", "本聊天中有多个进行中的微信对话：请在要退出的对话卡片上点击“退出对话”。"),
    _spec("teams_already_left", EMPLOYEES, "a Leave confirmation pressed again", "",
          "This was already done: you left this WeChat conversation.", "此操作已完成：您已退出此微信对话。"),
    _spec("teams_draft_gone", EMPLOYEES, "a \"which contact?\" button pressed again, or too late", "",
          "That message was already sent or has expired; please write it again.", "该消息已发送或已过期；请重新输入。"),
    _spec("teams_text_only", EMPLOYEES, "an employee message without text", "",
          "Only text can be sent to WeChat for now; your message had none.",
          "目前只能向微信发送文字；您的消息中没有文字。"),
    _spec("teams_not_sent", EMPLOYEES, "an employee message refused before it was queued", "reason",
          "{reason} Your message was not sent.", "{reason}您的消息未发送。"),
    _spec("card_warning_send_again", EMPLOYEES, "the button on a message whose delivery WeChat did not confirm", "",
          "Send again", "再次发送"),
    _spec("card_warning_sent_again", EMPLOYEES, "that card once Send again was pressed (the button gone)", "",
          "Sent again.", "已再次发送。"),
    _spec("teams_cancel_elsewhere", EMPLOYEES, "a Cancel pressed outside the chat of the conversation", "",
          "That card is not from a WeChat conversation open in this chat.", "该卡片不属于本聊天中进行中的微信对话。"),
    _spec("teams_no_thread", EMPLOYEES, "an employee message in a chat with no open conversation", "",
          "There is no open WeChat conversation in this chat to reply to.", "本聊天中没有可以回复的进行中的微信对话。"),
    _spec("teams_chosen_closed", EMPLOYEES, "a \"which contact?\" choice of a conversation closed since", "",
          "That WeChat conversation is not open in this chat any more.", "该微信对话已不在本聊天中进行。"),
    _spec("teams_join_other_sub", EMPLOYEES, "someone of another sub-organization writes in (or is added to) a thread",
          "sub", "Only colleagues in {sub} can take part in this WeChat conversation.",
          "只有 {sub} 的同事才能参与此微信对话。"),
    _spec("teams_join_not_enabled", EMPLOYEES, "a colleague WeChat is not enabled for joins (or is added)", "name",
          "WeChat is not enabled for {name}: an administrator can enable it.",
          "{name} 尚未启用微信：管理员可以为其启用。"),
    _spec("teams_join_full", EMPLOYEES, "a colleague joins a conversation that has `max_participants`", "count sub",
          "This WeChat conversation already has {count} participants, the most {sub} allows. One of them can leave "
          "it for another to join.",
          "此微信对话已有 {count} 位参与者，已达到 {sub} 允许的上限。需有人退出后其他人才能加入。"),
    _spec("teams_open_not_written", EMPLOYEES, "`find` → Open: the guest has not written yet (Markdown)", "guest",
          "**{guest}** has not written yet: their conversation opens with their first message.",
          "**{guest}** 尚未发来消息：对话将在其第一条消息时开启。"),
    _spec("teams_open_unreachable", EMPLOYEES, "`find` → Open: the conversation cannot be reached", "",
          "That conversation cannot be reached now; try again later.", "暂时无法访问该对话；请稍后再试。"),
    _spec("teams_opened_chat", EMPLOYEES, "`find` → Open, in a personal chat (Markdown)", "guest",
          "Opened **{guest}**: their card is now the latest message of that chat.",
          "已打开 **{guest}**：其卡片现在是该聊天的最新消息。"),
    _spec("teams_opened_thread", EMPLOYEES, "`find` → Open, in a channel thread (Markdown)", "guest where link",
          "Opened **{guest}** in {where}: [go to the thread]({link}).",
          "已在{where}中打开 **{guest}**：[前往该话题]({link})。"),
    _spec("teams_where_own", EMPLOYEES, "`find`: where a conversation is", "", "your chat", "您的聊天"),
    _spec("teams_where_colleague", EMPLOYEES, "`find`: where a conversation is", "name", "{name}'s chat",
          "{name} 的聊天"),
    _spec("teams_where_inbox", EMPLOYEES, "`find`: where a conversation is", "sub", "the {sub} inbox", "{sub} 收件箱"),
    _spec("teams_where_channel", EMPLOYEES, "`find`: where a conversation is", "", "a team channel", "团队频道"),
    _spec("teams_colleague", EMPLOYEES, "an employee whose name is not known", "", "a colleague", "一位同事"),
    _spec("teams_admin_enabled", EMPLOYEES, "`admin`: an administrator enabled WeChat", "name",
          "WeChat enabled for {name}.", "已为 {name} 启用微信。"),
    _spec("teams_admin_disabled", EMPLOYEES, "`admin`: an administrator disabled WeChat", "name",
          "WeChat disabled for {name}.", "已为 {name} 停用微信。"),
    _spec("teams_admin_already_enabled", EMPLOYEES, "`admin`: an old Enable button pressed again", "name",
          "This was already done: WeChat is enabled for {name}.", "此操作已完成：{name} 的微信已启用。"),
    _spec("teams_admin_already_disabled", EMPLOYEES, "`admin`: an old Disable button pressed again", "name",
          "This was already done: WeChat is disabled for {name}.", "此操作已完成：{name} 的微信已停用。"),
    _spec("teams_admin_unknown_email", EMPLOYEES, "`admin`: the e-mail typed is nobody's", "email",
          "Nobody in the directory has the e-mail {email}; give their Entra object id.",
          "目录中没有邮箱为 {email} 的人；请提供其 Entra 对象 ID。"),
    _spec("teams_admin_note_own", EMPLOYEES, "`admin`: a person's own setting decides", "", "own setting", "个人设置"),
    _spec("teams_admin_note_through", EMPLOYEES, "`admin`: a person's sub-organization decides", "sub",
          "through {sub}", "通过 {sub}"),
    _spec("teams_only_personal", EMPLOYEES, "`find`, `qr` or `admin` used outside the personal chat with the bot",
          "command",
          "“{command}” works in your personal chat with me, where only you see the answer; here everyone would. "
          "Nothing was sent to the WeChat contact.",
          "“{command}”只能在您与我的个人聊天中使用，那里只有您能看到回复；在这里所有人都会看到。没有向微信联系人发送任何内容。"),
    _spec("teams_only_inbox_thread", EMPLOYEES, "`add` used outside a team channel", "command",
          "“{command}” works in a WeChat contact's thread of your team's WeChat inbox channel. Nothing was sent to "
          "the WeChat contact.",
          "“{command}”只能在团队微信收件箱频道中某位微信联系人的话题里使用。没有向微信联系人发送任何内容。"),
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
