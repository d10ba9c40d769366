"""The archive by SMTP journaling (adapters/archive/smtp.py) against a real SMTP server (aiosmtpd
on 127.0.0.1): a message arrives once, parses, and carries its headers; the envelope goes to the
journaling address; a server that is down (refused, silent), deferring (4xx) or rejecting (5xx)
gives the typed error a job worker retries or gives up on; while it is down nothing is lost; a
resend keeps the Message-ID."""
from __future__ import annotations

import datetime
import ipaddress
import logging
import ssl
from email.message import EmailMessage

import pytest

from adapters.archive.smtp import SmtpArchive
from core.mail_relay import SmtpRejected, SmtpUnavailable
from core.journal import eml
from tests.compliance.smtp_server import Handler, SilentServer, SmtpServer, free_port
from tests.compliance.test_journal import (ALICE, BOB, GUEST, NAMES, SETTINGS, answer_fields, employee_fields,
                                           guest_fields, thread_entries)

JOURNAL = SETTINGS.journal_to
SYSTEM = SETTINGS.system_address


@pytest.fixture
async def server():
    smtp = SmtpServer()
    await smtp.start()
    try:
        yield smtp
    finally:
        await smtp.stop()


def archive_for(server_or_port, **options) -> SmtpArchive:
    port = server_or_port if isinstance(server_or_port, int) else server_or_port.port
    return SmtpArchive.for_journal(SETTINGS, "127.0.0.1", port, **{"timeout": 5.0, "local_hostname": "bridge.test",
                                                                   "starttls": False, **options})


def messages() -> list[EmailMessage]:
    """A conversation's record as journal messages: guest, employee, WeChat's answer."""
    return [eml(e, SETTINGS, names=NAMES) for e in thread_entries(guest_fields(), employee_fields(), answer_fields())]


async def test_a_message_arrives_once_with_its_headers_and_the_envelope_to_the_journal(server):
    first, second, _ = messages()
    await archive_for(server).deliver(second)

    assert len(server.received) == 1
    got = server.received[0]
    assert (got.mail_from, got.rcpt_tos) == (SYSTEM, (JOURNAL,))  # journaling: not the header parties
    m = got.message()
    assert not m.defects
    assert m["Message-ID"] == second["Message-ID"] and m["X-WeChat-Record-Hash"] == second["X-WeChat-Record-Hash"]
    assert {h: m[h] for h in ("X-WeChat-Channel", "X-WeChat-Direction", "X-WeChat-Thread", "X-WeChat-Seq",
                              "X-WeChat-Event-Type", "X-GlobalRelay-MsgType")} == {
        "X-WeChat-Channel": "wechat", "X-WeChat-Direction": "outbound", "X-WeChat-Thread": GUEST,
        "X-WeChat-Seq": "2", "X-WeChat-Event-Type": "employee_message", "X-GlobalRelay-MsgType": "WeChat"}
    assert [a.addr_spec for a in m["From"].addresses] == [f"{ALICE}@teams.bridge.example.com"]
    assert [a.addr_spec for a in m["Cc"].addresses] == [f"{BOB}@teams.bridge.example.com"]
    assert "Noted, selling at market. 好的" in m.get_body(("plain",)).get_content()
    assert got.data == second.as_bytes()  # the archive holds the very bytes the journal made

    await archive_for(server).deliver(first)
    assert [r.message()["X-WeChat-Seq"] for r in server.received] == ["2", "1"]
    assert server.received[1].message()["From"].addresses[0].display_name == "陈先生"


async def test_a_stopped_server_is_unavailable_and_the_same_port_works_again_after_a_restart(server):
    archive = archive_for(server)
    first, second, third = messages()
    await archive.deliver(first)
    port = server.port
    await server.stop()

    with pytest.raises(SmtpUnavailable) as refused:
        await archive.deliver(second)
    assert refused.value.code is None and not isinstance(refused.value, SmtpRejected)

    assert await server.start() == port
    await archive.deliver(second)
    await archive.deliver(third)
    assert [r.message()["X-WeChat-Seq"] for r in server.received] == ["1", "2", "3"]


async def test_with_the_server_down_for_a_while_nothing_is_lost_and_everything_arrives_after(server):
    """What a durable job worker does: every record waits in its outbox until the archive took it;
    an SmtpUnavailable leaves it there for the next round (the backoff is the worker's)."""
    archive = archive_for(server)
    entries = thread_entries(*(guest_fields(text=f"消息 {i}", at=1_763_769_600.0 + i) for i in range(1, 7)))
    outbox = [eml(e, SETTINGS, names=NAMES) for e in entries]
    expected = [m["Message-ID"] for m in outbox]

    async def one_round() -> int:
        failures = 0
        for message in list(outbox):
            try:
                await archive.deliver(message)
            except SmtpUnavailable:
                failures += 1
                continue
            outbox.remove(message)
        return failures

    await archive.deliver(outbox.pop(0))  # the first one goes before the outage
    await server.stop()
    for _ in range(3):  # three rounds of retries while it is down: each fails, nothing is dropped
        assert await one_round() == 5
        assert len(outbox) == 5
    await server.start()
    assert await one_round() == 0 and outbox == []

    arrived = [r.message()["Message-ID"] for r in server.received]
    assert arrived == expected  # each once, in order
    assert [r.message().get_body(("plain",)).get_content().count(f"消息 {i}") > 0
            for i, r in enumerate(server.received, start=1)] == [True] * 6


async def test_nothing_listening_is_unavailable():
    with pytest.raises(SmtpUnavailable):
        await archive_for(free_port()).deliver(messages()[0])


async def test_a_server_that_never_answers_times_out_as_unavailable():
    async with SilentServer() as silent:
        with pytest.raises(SmtpUnavailable) as hung:
            await archive_for(silent.port, timeout=0.2).deliver(messages()[0])
    assert "timed out" in str(hung.value).lower() or "timeout" in str(hung.value).lower()


async def test_a_permanent_5xx_is_rejected_and_a_4xx_is_unavailable():
    handler = Handler(reject={JOURNAL: "550 5.1.1 <journal@archive.example.net>: mailbox unknown"})
    async with SmtpServer(handler) as smtp:
        with pytest.raises(SmtpRejected) as rejected:
            await archive_for(smtp).deliver(messages()[0])
        assert rejected.value.code == 550 and "mailbox unknown" in str(rejected.value)

        handler.reject.clear()
        handler.defer[JOURNAL] = "451 4.3.0 archive busy, try later"
        with pytest.raises(SmtpUnavailable) as deferred:
            await archive_for(smtp).deliver(messages()[0])
        assert deferred.value.code == 451 and not isinstance(deferred.value, SmtpRejected)

        handler.defer.clear()
        handler.data_reply = "554 5.6.0 message content refused"
        with pytest.raises(SmtpRejected) as refused:
            await archive_for(smtp).deliver(messages()[0])
        assert refused.value.code == 554

        handler.data_reply = None
        await archive_for(smtp).deliver(messages()[0])  # and the same server takes it once it agrees
    assert len(smtp.received) == 1


async def test_a_duplicate_delivery_keeps_its_message_id(server):
    entry = thread_entries(guest_fields())[0]
    archive = archive_for(server)
    await archive.deliver(eml(entry, SETTINGS, names=NAMES))
    await archive.deliver(eml(dict(entry), SETTINGS, names=dict(NAMES)))  # a retry after a lost answer
    assert len(server.received) == 2
    first, again = (r.message() for r in server.received)
    assert first["Message-ID"] == again["Message-ID"] == f"<{GUEST}.1.{entry['hash'][:16]}@bridge.example.com>"
    assert server.received[0].data == server.received[1].data  # byte for byte: the archive may deduplicate


async def test_smtp_auth_logs_in_and_a_wrong_password_is_unavailable_and_never_shown(caplog):
    caplog.set_level(logging.DEBUG)
    secret = "s3cret-Pa55word!"
    async with SmtpServer(credentials=("bridge", secret)) as smtp:
        archive = archive_for(smtp, username="bridge", password=secret)
        assert secret not in repr(archive) and "***" in repr(archive)
        await archive.deliver(messages()[0])
        assert smtp.received[0].authenticated_as == "bridge"

        wrong = archive_for(smtp, username="bridge", password="wrong-" + secret)
        with pytest.raises(SmtpUnavailable) as failed:  # the set-up's fault: wait for a fix, keep the record
            await wrong.deliver(messages()[1])
        assert failed.value.code == 535 and secret not in str(failed.value)

        anonymous = archive_for(smtp)  # AUTH required, none given: 530 at MAIL, also the set-up's
        with pytest.raises(SmtpUnavailable) as needs_auth:
            await anonymous.deliver(messages()[1])
        assert needs_auth.value.code == 530
    ours = [r for r in caplog.records if r.name.startswith(("adapters.", "aiosmtplib"))]
    assert ours and not any(secret in r.getMessage() for r in ours)
    assert len(smtp.received) == 1


def self_signed() -> tuple[bytes, bytes]:
    """A certificate for 127.0.0.1 and its key (PEM), made for the test."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "archive.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


async def test_starttls_upgrades_and_a_server_requiring_it_refuses_plain_text(tmp_path):
    cert, key = self_signed()
    (tmp_path / "cert.pem").write_bytes(cert)
    (tmp_path / "key.pem").write_bytes(key)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    client_tls = ssl.create_default_context(cadata=cert.decode())
    async with SmtpServer(tls_context=server_tls, require_starttls=True) as smtp:
        await archive_for(smtp, starttls=True, tls_context=client_tls).deliver(messages()[0])
        assert len(smtp.received) == 1

        with pytest.raises(SmtpUnavailable) as plain:  # 530 "STARTTLS first": the set-up's fault
            await archive_for(smtp, starttls=False).deliver(messages()[1])
        assert plain.value.code == 530

        with pytest.raises(SmtpUnavailable):  # a certificate we do not trust: never sent in clear
            await archive_for(smtp, starttls=True).deliver(messages()[1])
    assert len(smtp.received) == 1


def test_settings_that_cannot_work_are_refused_up_front():
    for bad in ({"use_tls": True, "starttls": True}, {"username": "only-a-name"}, {"timeout": 0},
                {"journal_to": "not an address"}):
        options = {"journal_to": JOURNAL, "envelope_from": SYSTEM, **bad}
        with pytest.raises(ValueError):
            SmtpArchive("127.0.0.1", 2525, **options)
