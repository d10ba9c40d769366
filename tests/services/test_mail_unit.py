"""services/mail.py on the fakes (tests/fakes.py): an e-mail to an employee's notification address is sent
once per notice, with a Message-ID of its own; a relay that is down is tried again, an address refused for
good is not. The notice of a new guest itself: tests/services/test_routing_unit.py."""
from __future__ import annotations

from core.mail_relay import SmtpRejected, SmtpUnavailable
from services.jobs import DONE
from services.mail import MailNotices
from tests.fakes import MAIL_FROM, Bridge

ALICES_MAIL = "alice@contoso.example"


def mail(bridge: Bridge) -> MailNotices:
    assert bridge.mail is not None
    return bridge.mail


async def test_a_notice_is_sent_once_however_often_it_is_told():
    bridge = Bridge.build()
    for _ in range(2):  # the connection that tells it ran twice
        await mail(bridge).tell("route:oGuest:1.0", ALICES_MAIL, "New WeChat guest", "Chen wrote to you.")
        await bridge.settle()
    await mail(bridge).tell("route:oGuest:2.0", ALICES_MAIL, "New WeChat guest", "Li wrote to you.")
    await bridge.settle()

    [(first, to), (second, _)] = bridge.smtp.sent
    assert to == [ALICES_MAIL] and (first["From"], first["To"]) == (MAIL_FROM, ALICES_MAIL)
    assert first["Subject"] == "New WeChat guest" and first.get_content().strip() == "Chen wrote to you."
    assert first["Message-ID"].endswith("@contoso.example>") and first["Message-ID"] != second["Message-ID"]


async def test_a_relay_that_is_down_is_tried_again_an_address_refused_for_good_is_not():
    bridge = Bridge.build()
    bridge.smtp.refuse_next("send", SmtpUnavailable("connection refused"),
                            SmtpRejected("550 5.1.1 no such mailbox", 550))
    await mail(bridge).tell("n1", ALICES_MAIL, "New WeChat guest", "Chen wrote to you.")
    await bridge.settle()
    bridge.clock.advance(60)
    await bridge.run_due()
    [job] = await bridge.jobs("notify_mail")
    assert (job["status"], job["attempts"], job["result"]) == (DONE, 1, {"sent": False, "code": 550})
    assert bridge.smtp.sent == []

    await mail(bridge).tell("n2", ALICES_MAIL, "New WeChat guest", "Li wrote to you.")
    await bridge.settle()
    assert len(bridge.smtp.sent) == 1
