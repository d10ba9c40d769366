"""A number split over a sender's consecutive messages is found in the message that completes it: an
employee's is blocked (or flagged), a guest's part that is left is masked and compliance alerted; not once
the sender paused longer than the window, and a job run again finds what its first run found."""
from __future__ import annotations

from dataclasses import replace

from core.clock import FakeClock
from core.dlp import BLOCK, INBOUND, OUTBOUND, REDACT, DlpPolicy, Rule
from core.organizations import Directory
from core.threads import Target
from services.dlp_tails import WINDOW_SECONDS, DlpTails
from services.outbound import Queued
from tests.fakes import ALICE, BOB, Bridge, personal_conversation
from tests.memory_storage import MemoryStorage

GUEST = "oGuestSplit000000000000001"
ALICES_CHAT = personal_conversation(ALICE)


def policy(action: str, direction: str = "both") -> DlpPolicy:
    return DlpPolicy((Rule("cards", direction, action, detector="card"),))


def test_what_began_before_and_ends_here_is_found_as_its_part_here():
    verdict = policy(REDACT).evaluate("1111 1111 thanks", OUTBOUND, before="my card: 4111 1111")
    [finding] = verdict.findings
    assert (finding.start, finding.end, finding.text, finding.continued) == (0, 9, "1111 1111", True)
    assert verdict.delivered == "********* thanks" and verdict.flagged
    assert verdict.to_record()["findings"][0]["continued"] is True


def test_what_lies_wholly_before_was_judged_then():
    verdict = policy(BLOCK).evaluate("thanks", OUTBOUND, before="4111 1111 1111 1111")
    assert verdict.findings == () and verdict.delivered == "thanks"


async def alices(action: str, direction: str) -> Bridge:
    """Alice has the app; her sub-organization's DLP has one card rule."""
    everyone = Directory.open().sub_organizations[0]
    bridge = Bridge.build(Directory((replace(everyone, dlp=policy(action, direction)),)))
    await bridge.install(Target("employee", ALICE))
    return bridge


async def test_an_employees_card_number_in_two_messages_is_blocked_at_the_second():
    bridge = await alices(BLOCK, OUTBOUND)
    await bridge.guest(GUEST, "hello")
    await bridge.employee(ALICE, "the card is 4111 1111")
    await bridge.employee(ALICE, "1111 1111")
    sent = [text for _, text in bridge.wechat.texts]
    assert any(text.endswith("the card is 4111 1111") for text in sent)
    assert not any(text.endswith("1111 1111") and "card" not in text for text in sent)
    assert any("payment card number" in shown for shown in bridge.teams.shown(ALICES_CHAT))


async def test_each_sender_has_their_own_tail():
    bridge = await alices(BLOCK, OUTBOUND)
    await bridge.guest(GUEST, "hello")
    await bridge.employee(ALICE, "ref 4111 1111")
    await bridge.guest(GUEST, "1111 1111")  # the guest's words are not the end of Alice's
    bobs = await bridge.employee(BOB, "1111 1111", conversation=ALICES_CHAT)  # nor Bob's
    assert isinstance(bobs, Queued)
    assert not any("payment card number" in shown for shown in bridge.teams.shown(ALICES_CHAT))
    assert [text.endswith(": 1111 1111") for _, text in bridge.wechat.texts][-1]  # Bob's went


async def test_a_guests_split_number_is_masked_where_it_ends_and_flagged():
    bridge = await alices(REDACT, INBOUND)
    await bridge.guest(GUEST, "card 4111 1111")
    await bridge.guest(GUEST, "1111 1111 ok")
    shown = bridge.teams.shown(ALICES_CHAT)
    assert any(line.endswith("\\*" * 9 + " ok") for line in shown)
    record = await bridge.record(GUEST)
    assert any((e.get("dlp") or {}).get("findings", [{}])[0].get("continued") for e in record)


async def test_after_the_window_a_message_stands_alone_and_a_run_again_sees_what_the_first_saw():
    clock = FakeClock()
    tails = DlpTails(MemoryStorage(), clock)
    cards = policy(BLOCK)
    says = dict(thread=GUEST, sender=ALICE)
    await tails.evaluate(cards, "4111 1111", OUTBOUND, message_id="m1", **says)
    first = await tails.evaluate(cards, "1111 1111", OUTBOUND, message_id="m2", **says)
    again = await tails.evaluate(cards, "1111 1111", OUTBOUND, message_id="m2", **says)
    assert first.blocked and again.blocked and again.findings == first.findings

    clock.advance(WINDOW_SECONDS + 1)
    await tails.evaluate(cards, "4111 1111", OUTBOUND, message_id="m3", **says)
    clock.advance(WINDOW_SECONDS + 1)
    assert not (await tails.evaluate(cards, "1111 1111", OUTBOUND, message_id="m4", **says)).blocked
