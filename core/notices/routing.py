"""The routing assistant's texts (dialogs/routing.py).
"""
from core.notices.spec import EMPLOYEES, GUEST, NoticeSpec, notice

NOTICES: tuple[NoticeSpec, ...] = (
    notice(
        "routing_ask", GUEST,
        "a new guest's first message does not say whom they want",
        "",
        "Hello! Whom would you like to reach? Please write their name, e-mail or phone number, or what you "
        "need help with (for example: mortgage, funds, insurance).",
        "您好！请问您想联系哪位同事？请告诉我们对方的姓名、邮箱或电话号码，或者您需要哪方面的帮助（例如：按揭、基金、保险）。",
    ),
    notice(
        "routing_ask_again", GUEST,
        "the guest, asked whom they want, only greets (not counted as a failed turn)",
        "",
        "Please tell us whom you would like to reach: their name, e-mail or phone number, or what you need help with.",
        "请告诉我们您想联系哪位同事：对方的姓名、邮箱或电话号码，或者您需要哪方面的帮助。",
    ),
    notice(
        "routing_not_found", GUEST,
        "what the guest wrote matches nobody (a guided follow-up)",
        "",
        "Sorry, we could not find that colleague. Please write their full name (in English or Chinese), "
        "their e-mail or phone number, or tell us what you need help with.",
        "抱歉，我们没有找到这位同事。请写出对方的全名（中文或英文）、邮箱或电话号码，或者告诉我们您需要哪方面的帮助。",
    ),
    notice(
        "routing_not_found_last", GUEST,
        "nobody found, one try left before the guest is passed to the team",
        "",
        "We still could not find that colleague. Please try once more with their full name, e-mail or phone "
        "number; otherwise we will pass your message to our team.",
        "我们仍然没有找到这位同事。请再试一次，写出对方的全名、邮箱或电话号码；否则我们会把您的消息转给我们的团队。",
    ),
    notice(
        "routing_narrow", GUEST,
        "what the guest wrote matches too many colleagues to list",
        "",
        "Several colleagues match. Please add their full name, e-mail or phone number, or what they do.",
        "有多位同事符合。请补充对方的全名、邮箱、电话号码或负责的业务。",
    ),
    notice(
        "routing_choose", GUEST,
        "what the guest wrote fits several colleagues (or one, not surely): a numbered choice",
        "choices numbers",
        "Whom would you like to reach?\n{choices}\nPlease reply {numbers}.",
        "请问您想联系哪一位？\n{choices}\n请回复 {numbers}。",
    ),
    notice(
        "routing_connected", GUEST,
        "the assistant found the colleague: the guest is connected (the assistant leaves)",
        "name",
        "Thank you. You are now connected with {name}, who will answer you here.",
        "谢谢！您现在已与 {name} 建立联系，对方会在这里回复您。",
    ),
    notice(
        "routing_to_inbox", GUEST,
        "the assistant could not tell whom the guest wants: the guest goes to the team's inbox",
        "",
        "We have passed your message to our team; a colleague will answer you here shortly.",
        "我们已将您的消息转给我们的团队，同事会尽快在这里回复您。",
    ),
    notice(
        "routed_guest_connected", EMPLOYEES,
        "the routing assistant connected a new guest with this employee (their words follow)",
        "",
        "The routing assistant connected this new WeChat guest with you. What they wrote:",
        "路由助手已将这位新的微信访客转给您。对方写道：",
    ),
    notice(
        "routed_guest_to_inbox", EMPLOYEES,
        "the routing assistant could not tell whom a new guest wants (their words follow)",
        "",
        "The routing assistant could not tell whom this new WeChat guest wants. What they wrote:",
        "路由助手无法确定这位新的微信访客想联系谁。对方写道：",
    ),
)
