"""The WeChat policy's notices (core/conversation_policy/): a conversation's start, the employees'
allowance and the window, the guest asked to reply, what became of one employee message, leaving.
"""
from core.notices.spec import EMPLOYEES, GUEST, NoticeSpec, notice

NOTICES: tuple[NoticeSpec, ...] = (
    # --- the start of a conversation ---------------------------------------------------------
    notice(
        "recorded_guest", GUEST,
        "added to the guest's welcome where the sub-organization records its chats",
        "",
        "This chat is recorded and kept for regulatory purposes.",
        "本对话将被记录并按监管要求保存。",
    ),
    notice(
        "welcome_guest", GUEST,
        "once per conversation, at the guest's first follow/scan or message, unless a dialog connected "
        "them (then its words instead, e.g. `routing_connected`); `rules_guest` follows in the same message",
        "limit hours leave_keyword",
        "Thank you! You can now start messaging your contact.",
        "感谢您！现在可以开始给您的联系人发消息了。",
    ),
    notice(
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
    notice(
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
    notice(
        "limit_reached", EMPLOYEES,
        "when the employees' allowance for the guest's message is used up (once per window)",
        "count limit",
        "You have reached the maximum limit of {limit} consecutive messages, including system messages, "
        "without a response from your contact. You cannot send any more messages until your contact replies.",
        "您已连续发送 {limit} 条消息（包括系统消息）而联系人尚未回复，已达到上限。在联系人回复之前，您无法再发送消息。",
    ),
    notice(
        "no_reply_24h", EMPLOYEES,
        "when the guest has not written for `warning_after_seconds` (24 h) and the window is still open",
        "hours remaining_hours",
        "Your contact has not responded for {hours} hours. If no response is received in the next "
        "{remaining_hours} hours, your chat will become inactive until your contact replies.",
        "您的联系人已经 {hours} 小时没有回复。如果在接下来的 {remaining_hours} 小时内仍未收到回复，"
        "对话将进入非活跃状态，直到联系人回复为止。",
    ),
    notice(
        "chat_inactive", EMPLOYEES,
        "when the chat becomes inactive, by count or by time (once per window)",
        "queue_limit",
        "This chat is now inactive. You can queue up to {queue_limit} messages to be sent after the WeChat "
        "user responds.",
        "此对话现已进入非活跃状态。您最多可以排队 {queue_limit} 条消息，待微信用户回复后自动发送。",
    ),
    # --- to the guest while the chat waits for them ------------------------------------------
    notice(
        "on_hold", GUEST,
        "at the 24 h mark, if the employees' message limit was reached (free-form, in a reserved slot)",
        "",
        "Your contact is unable to send you any more messages, till you respond. Per WeChat Policy, this "
        "conversation is on-hold. Please reply to resume.",
        "在您回复之前，您的联系人无法再给您发送消息。根据微信规定，此对话已暂停。请回复任意消息以继续对话。",
    ),
    notice(
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
    notice(
        "new_messages", GUEST,
        "when messages wait in the queue (once per window): free-form if a slot is open, else as a "
        "template message",
        "count",
        "You have new messages from this sender. Please reply to the chat to resume the conversation and "
        "receive the latest messages.",
        "您有来自该联系人的新消息。请在对话中回复任意消息，以恢复对话并接收最新消息。",
    ),
    notice(
        "no_template", EMPLOYEES,
        "instead of `new_messages` when the window is closed and no template id is configured",
        "count",
        "The WeChat user cannot be told that messages are waiting: the chat is inactive and no template "
        "message is configured for your organization. Queued messages will be sent when the WeChat user "
        "writes again.",
        "无法通知微信用户有消息待接收：对话已进入非活跃状态，且贵机构未配置模板消息。"
        "排队中的消息将在微信用户再次发消息后发送。",
    ),
    notice(
        "template_failed", EMPLOYEES,
        "when WeChat refuses the `new_messages` template message",
        "errcode reason",
        "WeChat refused the template message that tells the WeChat user messages are waiting (error "
        "{errcode}: {reason}). Queued messages will be sent when the WeChat user writes again.",
        "微信拒绝了用于通知微信用户有消息待接收的模板消息（错误 {errcode}：{reason}）。"
        "排队中的消息将在微信用户再次发消息后发送。",
    ),
    # --- about one employee message ----------------------------------------------------------
    notice(
        "queued", EMPLOYEES,
        "an employee message is queued (or put back in the queue after WeChat refused it)",
        "position queue_limit",
        "Queued ({position} of {queue_limit}). Your message will be sent after the WeChat user responds.",
        "已加入发送队列（{position}/{queue_limit}）。微信用户回复后，您的消息将自动发送。",
    ),
    notice(
        "queue_full", EMPLOYEES,
        "an employee message cannot be queued: the queue holds `queue_limit` messages",
        "queue_limit",
        "The queue is full ({queue_limit} of {queue_limit}). Your message was not queued and will not be "
        "sent. Cancel a queued message, or wait until the WeChat user responds.",
        "发送队列已满（{queue_limit}/{queue_limit}），您的消息未加入队列，也不会被发送。"
        "您可以取消队列中的消息，或等待微信用户回复。",
    ),
    notice(
        "cancelled", EMPLOYEES,
        "an employee cancelled a queued message",
        "",
        "Your queued message was cancelled and will not be sent.",
        "您排队中的消息已取消，不会被发送。",
    ),
    notice(
        "dlp_blocked", EMPLOYEES,
        "data-loss prevention refused an employee message (before it was queued, or on its way out)",
        "reason",
        "Data-loss prevention: {reason}",
        "数据防泄漏：{reason}",
    ),
    notice(
        "dlp_withheld_guest", GUEST,
        "data-loss prevention kept a guest's message from the employees",
        "reason",
        "Data protection: {reason}",
        "数据保护：{reason}",
    ),
    notice(
        "not_queued", EMPLOYEES,
        "a cancel request for a message that is not in the queue",
        "",
        "That message is not in the queue any more: it was already sent or cancelled.",
        "该消息已不在队列中：它已被发送或已被取消。",
    ),
    notice(
        "wechat_refused", EMPLOYEES,
        "WeChat refused an employee message for a reason other than the window or the quota",
        "errcode reason",
        "WeChat refused your message (error {errcode}: {reason}). It was not sent.",
        "微信拒绝了您的消息（错误 {errcode}：{reason}），该消息未发送。",
    ),
    notice(
        "overtaken", EMPLOYEES,
        "WeChat refused an employee message for the window or the quota while the employees' next message was on "
        "its way, and that one reached the guest: sent now, the refused one would arrive after it",
        "",
        "WeChat refused this message while your next one was on its way, and that one reached your contact. This "
        "one was not sent, so that your messages do not arrive out of order: send it again if it is still needed.",
        "微信拒绝了这条消息，而您随后的一条消息已送达对方。为免消息顺序错乱，这条消息未发送；如仍需要，请重新发送。",
    ),
    notice(
        "not_confirmed", EMPLOYEES,
        "WeChat never answered for an employee message (a timeout after it was sent): it may or may not "
        "have reached the guest; it counts as sent and is not sent again unless the employee asks",
        "",
        "WeChat did not answer when your message was sent: it may or may not have reached your contact. It "
        "was not sent again on its own; press Send again if it should go (your contact may then see it twice).",
        "发送您的消息时微信没有响应：对方可能已收到，也可能没有收到。系统不会自动重发；如需发送，请点击“再次发送”"
        "（对方可能会收到两次）。",
    ),
    notice(
        "nothing_to_send_again", EMPLOYEES,
        "Send again was pressed for a message that cannot be sent again (already sent again, or the chat ended)",
        "message_id",
        "That message can no longer be sent again: it was sent again already, or the conversation ended.",
        "该消息已无法再次发送：它已被再次发送，或对话已结束。",
    ),
    notice(
        "chat_closed", EMPLOYEES,
        "an employee writes in a closed chat",
        "",
        "This chat is closed. Your message was not sent.",
        "此对话已关闭，您的消息未发送。",
    ),
    # --- leaving -------------------------------------------------------------------------------
    notice(
        "guest_left_guest", GUEST,
        "confirms to the guest that they left (they replied with the leave keyword)",
        "",
        "You have left the chat. Send a message at any time to start a new conversation.",
        "您已退出对话。如需开始新的对话，随时发送消息即可。",
    ),
    notice(
        "guest_left", EMPLOYEES,
        "the guest left the conversation",
        "count",
        "The WeChat user left the conversation. The chat is closed; {count} queued message(s) were cancelled.",
        "微信用户已退出对话。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
    notice(
        "employee_left_guest", GUEST,
        "tells the guest that an employee left the conversation",
        "name",
        "{name} has left the conversation.",
        "{name} 已退出对话。",
    ),
    notice(
        "employee_left", EMPLOYEES,
        "an employee left the conversation",
        "name count",
        "{name} left the conversation. The chat is closed; {count} queued message(s) were cancelled.",
        "{name} 已退出对话。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
    notice(
        "employee_left_others_stay", EMPLOYEES,
        "an employee left the conversation; colleagues are still in it",
        "name",
        "{name} left the conversation. It stays open for the colleagues still in it.",
        "{name} 已退出对话。其他同事仍在对话中，对话保持开启。",
    ),
    notice(
        "guest_unfollowed", EMPLOYEES,
        "the guest unfollowed the Official Account",
        "count",
        "The WeChat user unfollowed the Official Account. The chat is closed; {count} queued message(s) "
        "were cancelled.",
        "微信用户已取消关注公众号。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
    notice(
        "guest_unreachable", EMPLOYEES,
        "WeChat answered that the user cannot be reached (43004 not a follower, 43019 blocked, 48002 "
        "messages turned off, 40003 invalid openid)",
        "errcode reason count",
        "WeChat can no longer deliver messages to this user (error {errcode}: {reason}). The chat is "
        "closed; {count} queued message(s) were cancelled.",
        "微信已无法向该用户发送消息（错误 {errcode}：{reason}）。此对话已关闭，{count} 条排队中的消息已取消。",
    ),
)
