"""What reaches Teams from WeChat (services/inbound.py), and the e-mail an employee gets about a
new guest a dialog connected. `who` is the guest's name as Teams shows it (Markdown, bold).
"""
from core.notices.spec import EMPLOYEES, NoticeSpec, notice

NOTICES: tuple[NoticeSpec, ...] = (
    notice(
        "inbound_text", EMPLOYEES,
        "a guest's text message, as posted in Teams",
        "who text",
        "{who} (WeChat): {text}",
        "{who}（微信）：{text}",
    ),
    notice(
        "inbound_followed", EMPLOYEES,
        "a guest followed the Official Account",
        "who",
        "{who} followed the Official Account. You can answer once they write.",
        "{who} 关注了公众号。对方发消息后您即可回复。",
    ),
    notice(
        "inbound_followed_qr", EMPLOYEES,
        "a guest followed the Official Account through the employee's QR code",
        "who",
        "{who} followed the Official Account through your QR code. You can answer once they write.",
        "{who} 通过您的二维码关注了公众号。对方发消息后您即可回复。",
    ),
    notice(
        "inbound_scanned", EMPLOYEES,
        "a follower scanned the employee's QR code",
        "who",
        "{who} scanned your QR code.",
        "{who} 扫描了您的二维码。",
    ),
    notice(
        "inbound_unfollowed", EMPLOYEES,
        "a guest unfollowed the Official Account",
        "who",
        "{who} unfollowed the Official Account. Messages can no longer reach them.",
        "{who} 取消关注了公众号，消息已无法送达对方。",
    ),
    notice(
        "inbound_image", EMPLOYEES,
        "a guest sent an image, shown under this line (kept with the record)",
        "who",
        "{who} sent an image:",
        "{who} 发送了一张图片：",
    ),
    notice(
        "inbound_image_not_kept", EMPLOYEES,
        "a guest sent an image that could not be kept (WeChat no longer had it, or it was too large)",
        "who",
        "{who} sent an image, but it could not be kept (WeChat no longer has it, or it is too large).",
        "{who} 发送了一张图片，但无法保存（微信已不再保留该图片，或图片过大）。",
    ),
    notice(
        "inbound_image_not_shown", EMPLOYEES,
        "a guest sent an image that was kept but that Teams cannot be given (unreadable, or far too many pixels)",
        "who",
        "{who} sent an image that Teams cannot show (it is kept with the record).",
        "{who} 发送了一张 Teams 无法显示的图片（已随记录保存）。",
    ),
    notice(
        "inbound_voice", EMPLOYEES,
        "a guest sent a voice message (kept in the record)",
        "who",
        "{who} sent a voice message (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一条语音消息（已记录；暂不支持在 Teams 中显示）。",
    ),
    notice(
        "inbound_video", EMPLOYEES,
        "a guest sent a video: its thumbnail under this line, the link plays it (kept with the record)",
        "who link",
        "{who} sent a video: [play it]({link})",
        "{who} 发送了一段视频：[播放]({link})",
    ),
    notice(
        "inbound_video_not_kept", EMPLOYEES,
        "a guest sent a video that could not be kept (WeChat no longer had it, or it was over 10 MB)",
        "who",
        "{who} sent a video, but it could not be kept (WeChat no longer has it, or it is over 10 MB).",
        "{who} 发送了一段视频，但无法保存（微信已不再保留该视频，或视频超过 10 MB）。",
    ),
    notice(
        "inbound_shortvideo", EMPLOYEES,
        "a guest sent a short video: its thumbnail under this line, the link plays it (kept with the record)",
        "who link",
        "{who} sent a short video: [play it]({link})",
        "{who} 发送了一段小视频：[播放]({link})",
    ),
    notice(
        "inbound_shortvideo_not_kept", EMPLOYEES,
        "a guest sent a short video that could not be kept (WeChat no longer had it, or it was over 10 MB)",
        "who",
        "{who} sent a short video, but it could not be kept (WeChat no longer has it, or it is over 10 MB).",
        "{who} 发送了一段小视频，但无法保存（微信已不再保留该视频，或视频超过 10 MB）。",
    ),
    notice(
        "inbound_location", EMPLOYEES,
        "a guest sent a location (kept in the record)",
        "who",
        "{who} sent a location (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一个位置（已记录；暂不支持在 Teams 中显示）。",
    ),
    notice(
        "inbound_link", EMPLOYEES,
        "a guest sent a link (kept in the record)",
        "who",
        "{who} sent a link (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一个链接（已记录；暂不支持在 Teams 中显示）。",
    ),
    notice(
        "inbound_file", EMPLOYEES,
        "a guest sent a file (kept in the record)",
        "who",
        "{who} sent a file (recorded; showing it in Teams is not supported yet).",
        "{who} 发送了一个文件（已记录；暂不支持在 Teams 中显示）。",
    ),
    notice(
        "inbound_unknown", EMPLOYEES,
        "a guest sent a message of a type this app does not know (kept in the record)",
        "who type",
        "{who} sent a message of a type this app does not know ({type}); it has been recorded.",
        "{who} 发送了一条本应用无法识别的消息（{type}），已记录。",
    ),
    notice(
        "inbound_thread_again", EMPLOYEES,
        "opens a guest's channel thread started again after an interruption (the first start may have made a "
        "thread the app never learnt of)",
        "",
        "_Posted again after an interruption: this guest's first message may show twice in this channel. "
        "Answer in this thread; an answer in the other one is not sent (the bot says so there)._",
        "_中断后重新发布：该访客的第一条消息可能在本频道中显示两次。请在此话题中回复；在另一个话题中的回复不会发送（机器人会在那里说明）。_",
    ),
    notice(
        "inbound_thread_unknown", EMPLOYEES,
        "the bot's answer, once per thread, to a message in a channel thread it does not know, in a channel where "
        "a guest's thread was started again after an interruption within the last week (`guests`: their names)",
        "guests",
        "This message was not sent. A restart may have shown the first message of {guests} twice in this "
        "channel: if this thread is theirs, answer in the thread that says it was posted again.",
        "此消息未发送。重启可能使 {guests} 的第一条消息在本频道中显示了两次："
        "如果这是其话题，请在注明“中断后重新发布”的话题中回复。",
    ),
    notice(
        "inbound_withheld_line", EMPLOYEES,
        "in place of a guest's words that inbound data-loss prevention withholds (the record keeps them)",
        "",
        "[withheld by data-loss prevention]",
        "[已被数据防泄漏规则拦截]",
    ),
    notice(
        "mail_new_guest_subject", EMPLOYEES,
        "the subject of the e-mail an employee gets at `notify_email` when a dialog connects a new guest",
        "guest",
        "New WeChat guest: {guest}",
        "新的微信访客：{guest}",
    ),
    notice(
        "mail_new_guest", EMPLOYEES,
        "the body of that e-mail: the guest, what the employees were told in Teams (`details`), what to do",
        "guest details",
        "WeChat guest {guest}\n\n{details}\n\nAnswer them in Microsoft Teams.",
        "微信访客 {guest}\n\n{details}\n\n请在 Microsoft Teams 中回复对方。",
    ),
)
