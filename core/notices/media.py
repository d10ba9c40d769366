"""An employee's pictures, voice notes, videos and documents on their way to a guest: why one was not
sent (`media_*`, the `reason` of `media_refused` and of `teams_not_sent`), what each kind is called, and
the document link the guest gets."""
from core.notices.spec import EMPLOYEES, GUEST, NoticeSpec, notice

NOTICES: tuple[NoticeSpec, ...] = (
    notice("media_refused", EMPLOYEES, "an employee's medium was not sent (the reason is one of media_*)", "reason",
           "Not sent to WeChat. {reason}", "未发送到微信。{reason}"),
    notice("media_kind_image", EMPLOYEES, "the word for a picture, in the media_* reasons", "",
           "picture", "图片"),
    notice("media_kind_voice", EMPLOYEES, "the word for an audio file, in the media_* reasons", "",
           "voice message", "语音"),
    notice("media_kind_video", EMPLOYEES, "the word for a video, in the media_* reasons", "",
           "video", "视频"),
    notice("media_kind_document", EMPLOYEES, "the word for a document, in the media_* reasons", "",
           "document", "文件"),
    notice("media_not_allowed", EMPLOYEES, "a kind of medium the sub-organization does not let out", "kind",
           "Your organization does not allow sending a {kind} to WeChat contacts.",
           "贵机构不允许向微信联系人发送{kind}。"),
    notice("media_too_large", EMPLOYEES, "a medium larger than the sub-organization allows, or than WeChat takes "
           "after conversion", "kind max_mb",
           "The {kind} is larger than {max_mb} MB, the most that can be sent.",
           "该{kind}超过 {max_mb} MB，超出可发送的上限。"),
    notice("media_too_long", EMPLOYEES, "a voice message longer than WeChat plays", "seconds",
           "The voice message is longer than {seconds} seconds, the most WeChat takes.",
           "该语音超过 {seconds} 秒，超出微信允许的上限。"),
    notice("media_unreadable", EMPLOYEES, "a medium that could not be converted to what WeChat takes", "kind",
           "The {kind} could not be read or converted to a format WeChat takes.",
           "无法读取该{kind}，或无法将其转换为微信支持的格式。"),
    notice("media_not_fetched", EMPLOYEES, "an attachment that could not be downloaded from Teams", "kind",
           "The {kind} could not be downloaded from Teams. Please attach it again.",
           "无法从 Teams 下载该{kind}。请重新添加附件。"),
    notice("media_gone", EMPLOYEES, "a queued medium no longer in the media store when it was to go", "kind",
           "The {kind} is no longer stored. Please send it again.", "该{kind}已不再保存。请重新发送。"),
    notice("media_wechat_refused", EMPLOYEES, "WeChat's media/upload refused a medium (40004-40012)",
           "kind errcode",
           "WeChat did not accept the {kind} (error {errcode}): its type or size is not one WeChat takes.",
           "微信未接受该{kind}（错误 {errcode}）：其格式或大小不符合微信的要求。"),
    notice("media_document_guest", GUEST, "an employee's document, as the link the guest opens", "name url days",
           "{name}: {url} (the link works for {days} days)", "{name}：{url}（链接 {days} 天内有效）"),
)
