import copy

import pytest

from core.replies import AskWhich, NoThread, SendTo, resolve_reply
from core.conversation_policy import PolicyState
from core.threads import Target, Thread, assign, employee_from_scene, employee_scene

ALICE = Target("employee", "aad-alice")
INBOX = Target("channel", "19:inbox@thread.tacv2")


@pytest.mark.parametrize(
    "event_key, expected",
    [
        ("qrscene_emp_aad-alice", "aad-alice"),  # subscribe through a QR code
        ("emp_aad-alice", "aad-alice"),  # SCAN by an existing follower
        ("qrscene_promo2024", None),  # somebody else's scene
        ("emp_", None),
        ("", None),
        (None, None),
    ],
)
def test_employee_from_scene(event_key, expected):
    assert employee_from_scene(event_key) == expected


def test_scene_round_trip():
    assert employee_from_scene("qrscene_" + employee_scene("x-1")) == "x-1"


def thread(openid="o1", target=ALICE, status="open", last=0.0):
    return Thread(openid=openid, target=target, status=status, policy=PolicyState(last_guest_message_at=last))


def test_assign_prefers_the_scanned_employee_then_the_open_thread_then_the_default():
    bob = Target("employee", "aad-bob")
    assert assign(thread(target=bob), "aad-alice", INBOX) == (ALICE, "qr")
    assert assign(thread(target=bob), None, INBOX) == (bob, "default")
    assert assign(thread(target=bob, status="closed"), None, INBOX) == (INBOX, "default")
    assert assign(None, None, INBOX) == (INBOX, "default")
    assert assign(None, None, None) == (None, "unassigned")


def test_thread_round_trips_through_storage_body():
    t = Thread(openid="o1", target=INBOX, nickname="李雷", teams_conversation_id="c;messageid=1",
               created_at=5.0, reference={"a": 1})
    assert Thread.from_body(t.to_body()) == t
    assert Thread(openid="oABCDEF123456", target=ALICE).label == "WeChat user …123456"


# A thread as stored today (its "extra" holds the services' notes, and a key an earlier version wrote).
STORED = {
    "openid": "oGuest1", "account": "default", "target": "channel:19:hk-inbox@thread.tacv2", "status": "closed",
    "nickname": "Mei", "language": "zh_CN", "source": "inbox",
    "teams_conversation_id": "19:hk-inbox@thread.tacv2;messageid=17", "created_at": 1750000000.0,
    "extra": {
        "reference": {"conversation": {"id": "19:hk-inbox@thread.tacv2;messageid=17"},
                      "serviceUrl": "https://smba.example/"},
        "status_activity_id": "1750000001000", "returns_to": "channel:19:hk-inbox@thread.tacv2",
        "connected_by": "job-42", "validated_phone": "+85291234567", "validated_at": 1749999000.0,
        "employee_told": "job-41",
    },
    "policy": {"status": "new", "last_guest_message_at": 1750000000.0, "window_kind": None, "window_ends_at": None,
               "sent": 0, "employee_sent": 0, "epoch": 0, "queue": [], "pending": [], "notices_sent": [],
               "guest_language": None, "participants_changed": False, "unconfirmed": [], "next_seq": 1,
               "next_due_at": None},
    "next_due_at": None, "outbox": [], "outbox_seq": 2, "applied": ["e1"],
    "participants": [{"aad": "aad-alice", "name": "Alice"}], "sub_org": "hk", "generation": 3,
}


def test_a_stored_thread_reads_back_typed_and_writes_back_identical():
    t = Thread.from_body(copy.deepcopy(STORED))
    assert (t.reference, t.status_activity_id, t.returns_to) == (
        STORED["extra"]["reference"], "1750000001000", Target("channel", "19:hk-inbox@thread.tacv2"))
    assert (t.connected_by, t.validated_phone, t.validated_at) == ("job-42", "+85291234567", 1749999000.0)
    assert t.to_body() == STORED
    assert assign(t, None, ALICE) == (t.returns_to, "inbox")  # closed: back to the inbox it names


@pytest.mark.parametrize("extra", [{}, {"connected_by": "job-1"},
                                   {"validated_phone": "+85291234567", "validated_at": None}])
def test_fewer_notes_write_back_as_few(extra):
    stored = {**STORED, "extra": extra}
    assert Thread.from_body(copy.deepcopy(stored)).to_body() == stored


def test_one_open_thread_is_the_target():
    assert resolve_reply([thread()]) == SendTo(thread())


def test_several_open_threads_ask_most_recent_first():
    a, b = thread("a", last=10), thread("b", last=20)
    result = resolve_reply([a, b])
    assert isinstance(result, AskWhich) and [t.openid for t in result.candidates] == ["b", "a"]


def test_explicit_choice_must_be_open_in_this_chat():
    a, b = thread("a"), thread("b")
    assert resolve_reply([a, b], chosen_openid="b") == SendTo(b)
    assert isinstance(resolve_reply([a, b], chosen_openid="zzz"), NoThread)


def test_no_open_thread():
    assert isinstance(resolve_reply([]), NoThread)
