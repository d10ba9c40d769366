"""The phone-number validation's texts (dialogs/phone_validation/).

Keywords the guest types are accepted in both languages whatever the guest's language:
Help/帮助, Update/更新, Call/电话, Resend/重发, Yes/是, No/否.
"""
from core.notices.spec import EMPLOYEES, GUEST, NoticeSpec, notice

NOTICES: tuple[NoticeSpec, ...] = (
    notice(
        "validation_ask_number", GUEST,
        "a new guest's first message, or after Update / No: asks for the guest's phone number",
        "example",
        "Welcome! To connect you with your contact, we first need to verify your mobile phone number. "
        "Please reply with it, e.g. {example} (add the country code, e.g. +852, for a number from "
        "another country or region).",
        "欢迎！为了帮您联系您的联系人，我们需要先验证您的手机号码。请回复您的手机号码，例如 {example}"
        "（其他国家或地区的号码请加上国家或地区代码，例如 +852）。",
    ),
    notice(
        "validation_number_unreadable", GUEST,
        "the guest's answer to the number question contains no phone number",
        "tries_left example",
        "We could not find a phone number in your message. Please reply with your mobile phone number "
        "only, e.g. {example}. Tries left: {tries_left}.",
        "我们未能在您的消息中识别出电话号码。请只回复您的手机号码，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    notice(
        "validation_number_too_short", GUEST,
        "the number the guest gave has too few digits",
        "tries_left example",
        "That phone number is too short: a digit may be missing. Please check it and reply again, e.g. "
        "{example}. Tries left: {tries_left}.",
        "该电话号码位数太少，可能缺少数字。请检查后重新回复，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    notice(
        "validation_number_too_long", GUEST,
        "the number the guest gave has too many digits",
        "tries_left example",
        "That phone number is too long: there may be an extra digit. Please check it and reply again, "
        "e.g. {example}. Tries left: {tries_left}.",
        "该电话号码位数太多，可能多了数字。请检查后重新回复，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    notice(
        "validation_number_invalid", GUEST,
        "the number the guest gave is not a valid number (unknown country code, no such number range)",
        "tries_left example",
        "That is not a valid phone number. Please check the number and the country code and reply "
        "again, e.g. {example}. Tries left: {tries_left}.",
        "该号码不是有效的电话号码。请检查号码及国家或地区代码后重新回复，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    notice(
        "validation_too_many_numbers", GUEST,
        "the guest gave an invalid number for the last time (the attempt is recorded)",
        "",
        "That is still not a valid phone number and there are no tries left. Please try again tomorrow, "
        "or contact the firm by phone.",
        "该号码仍然无效，您已没有剩余尝试次数。请明天再试，或致电本公司联系。",
    ),
    notice(
        "validation_confirm_number", GUEST,
        "a returning guest's first message: do they still use the number validated last time?",
        "number",
        "Welcome back! Do you still use the phone number {number}? Reply Yes to receive a PIN on it, "
        "or Help to update your number.",
        "欢迎回来！您是否仍在使用手机号码 {number}？回复“是”(Yes) 以接收验证码，"
        "或回复“帮助”(Help) 以更新号码。",
    ),
    notice(
        "validation_pin_sent", GUEST,
        "a PIN was sent by SMS",
        "number minutes",
        "We have sent a 6-digit PIN by SMS to {number}. It is valid for {minutes} minutes. Please reply "
        "with the PIN. If it does not arrive, reply Help.",
        "我们已通过短信向 {number} 发送了 6 位验证码，{minutes} 分钟内有效。请回复该验证码。"
        "如未收到，请回复“帮助”(Help)。",
    ),
    notice(
        "validation_pin_calling", GUEST,
        "a PIN is being read out by a voice call",
        "number minutes",
        "We are calling {number} to read out a 6-digit PIN. It is valid for {minutes} minutes. Please "
        "reply with the PIN. If the call does not come, reply Help.",
        "我们正在致电 {number} 播报 6 位验证码，{minutes} 分钟内有效。请回复该验证码。"
        "如未接到来电，请回复“帮助”(Help)。",
    ),
    notice(
        "validation_ask_pin", GUEST,
        "while a PIN is awaited, the guest wrote something that is not a 6-digit PIN",
        "number",
        "Please reply with the 6-digit PIN we sent to {number}, or reply Help for other options.",
        "请回复我们发送至 {number} 的 6 位验证码，或回复“帮助”(Help) 查看其他选项。",
    ),
    notice(
        "validation_pin_wrong", GUEST,
        "the guest entered a wrong PIN and has tries left",
        "tries_left",
        "That PIN is not correct. Please check it and reply again. Tries left: {tries_left}.",
        "验证码不正确，请检查后重新回复。剩余尝试次数：{tries_left}。",
    ),
    notice(
        "validation_too_many_pins", GUEST,
        "the guest entered a wrong PIN for the last time (the attempt is recorded)",
        "",
        "That PIN is not correct and there are no tries left. Please try again tomorrow, or contact the "
        "firm by phone.",
        "验证码不正确，您已没有剩余尝试次数。请明天再试，或致电本公司联系。",
    ),
    notice(
        "validation_pin_expired", GUEST,
        "the guest entered a PIN after it expired",
        "",
        "This PIN has expired. Reply Resend to receive a new PIN by SMS, Call to receive it by a voice "
        "call, or Update to change your phone number.",
        "该验证码已过期。回复“重发”(Resend) 通过短信接收新的验证码，回复“电话”(Call) 通过语音来电接收，"
        "或回复“更新”(Update) 更改您的手机号码。",
    ),
    notice(
        "validation_help", GUEST,
        "the guest typed Help, or did not enter the PIN in time: the options",
        "number",
        "Need help? Reply Update to change your phone number ({number}), Call to receive the PIN by a "
        "voice call, or Resend to receive a new PIN by SMS.",
        "需要帮助吗？回复“更新”(Update) 更改您的手机号码（{number}），回复“电话”(Call) 通过语音来电接收验证码，"
        "或回复“重发”(Resend) 通过短信重新接收验证码。",
    ),
    notice(
        "validation_pin_not_delivered", GUEST,
        "the SMS or voice provider could not deliver the PIN",
        "number",
        "We could not deliver a PIN to {number}. Reply Call to receive it by a voice call, Resend to try "
        "SMS again, or Update to change your phone number.",
        "我们未能将验证码发送至 {number}。回复“电话”(Call) 通过语音来电接收，回复“重发”(Resend) 重新通过短信发送，"
        "或回复“更新”(Update) 更改您的手机号码。",
    ),
    notice(
        "validation_resend_cooldown", GUEST,
        "the guest asked for another PIN too soon after the last one",
        "seconds",
        "A PIN was sent only a moment ago. Please wait {seconds} seconds before asking for another one, "
        "or reply with the PIN you received.",
        "验证码刚刚已发送。请等待 {seconds} 秒后再申请新的验证码，或直接回复您收到的验证码。",
    ),
    notice(
        "validation_pin_cap", GUEST,
        "no more PINs may be sent today (per-number or per-guest daily cap; the attempt is recorded)",
        "",
        "You have reached the maximum number of PINs for today. Please try again tomorrow, or contact "
        "the firm by phone.",
        "您今天接收验证码的次数已达上限。请明天再试，或致电本公司联系。",
    ),
    notice(
        "validation_locked", GUEST,
        "the guest writes again on the day the validation was stopped",
        "",
        "For your security, phone number verification is paused until tomorrow. Please try again "
        "tomorrow, or contact the firm by phone.",
        "为保障您的安全，手机号码验证已暂停至明天。请明天再试，或致电本公司联系。",
    ),
    notice(
        "validation_validated", GUEST,
        "the guest entered the right PIN",
        "number",
        "Thank you, your phone number {number} is verified.",
        "谢谢，您的手机号码 {number} 已验证成功。",
    ),
    notice(
        "validation_ask_employee", GUEST,
        "after the validation: whom does the guest want to reach?",
        "example",
        "Please reply with the phone number of the person you want to reach, e.g. {example}.",
        "请回复您想联系的人的电话号码，例如 {example}。",
    ),
    notice(
        "validation_ask_whom", GUEST,
        "after the validation, where the routing assistant finds whom the guest wants",
        "",
        "Whom would you like to reach? Please write their name, e-mail or phone number, or what you need help with.",
        "请问您想联系哪位同事？请告诉我们对方的姓名、邮箱或电话号码，或者您需要哪方面的帮助。",
    ),
    notice(
        "validation_employee_number_invalid", GUEST,
        "the guest's answer to whom they want to reach is not a valid phone number",
        "tries_left example",
        "That is not a valid phone number. Please reply with the phone number of the person you want "
        "to reach, e.g. {example}. Tries left: {tries_left}.",
        "该号码不是有效的电话号码。请回复您想联系的人的电话号码，例如 {example}。剩余尝试次数：{tries_left}。",
    ),
    notice(
        "validation_employee_not_found", GUEST,
        "nobody at the firm who can take WeChat chats has the number the guest gave",
        "number tries_left",
        "We could not find anyone at the firm with the number {number} who can chat on WeChat. Please "
        "check the number and reply again. Tries left: {tries_left}.",
        "我们未能在本公司找到号码为 {number} 且可通过微信联系的人员。请检查号码后重新回复。剩余尝试次数："
        "{tries_left}。",
    ),
    notice(
        "validation_too_many_employees", GUEST,
        "the guest named nobody the firm could find, for the last time (the attempt is recorded)",
        "",
        "We could not find the person you want to reach and there are no tries left. Please contact "
        "your contact at the firm by phone, or try again tomorrow.",
        "我们未能找到您想联系的人，您已没有剩余尝试次数。请致电本公司联系您的联系人，或明天再试。",
    ),
    notice(
        "validation_connected", GUEST,
        "the guest is connected with the employee they named",
        "name",
        "You are now connected with {name}.",
        "您现在已与 {name} 建立联系。",
    ),
    notice(
        "validated_guest_connected", EMPLOYEES,
        "a guest who validated their phone number asked for this employee",
        "number",
        "Validated the phone number {number} and asked for you. You can answer now.",
        "已验证电话号码 {number}，并希望与您联系。您现在可以回复。",
    ),
)
