"""The record's hash chain: any change, removal or reordering of an entry is found and named."""
import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.record import GENESIS, Break, canonical, chained, entry_hash, verify
from tests.record_chains import sealed_chain

THREAD = "oGuest0001"


def chain(n: int, thread: str = THREAD) -> list[dict]:
    return sealed_chain(*({"kind": "inbound", "at": 1_750_000_000 + seq, "text": f"消息 {seq} message"}
                          for seq in range(1, n + 1)), thread=thread)


def test_a_whole_chain_verifies_and_a_range_of_it_too():
    entries = chain(6)
    assert verify(THREAD, entries) is None
    assert verify(THREAD, entries[2:5], whole=False) is None  # a date range: its first link is trusted
    assert verify(THREAD, entries[2:5]) == Break(THREAD, 1, "removed")  # the whole thread must start at 1
    assert verify(THREAD, []) is None


def test_the_hash_covers_every_field_in_one_canonical_form():
    entry = chain(1)[0]
    assert canonical({**entry, "hash": "x"}) == canonical(entry)
    assert canonical(dict(reversed(list(entry.items())))) == canonical(entry)
    assert "消息".encode() in canonical(entry)  # UTF-8, not escaped
    assert canonical({**entry, "at": 1750000001.0}) == canonical({**entry, "at": 1750000001})  # as Cosmos gives it
    assert entry_hash(entry) == entry["hash"] and len(entry["hash"]) == 64


@pytest.mark.parametrize("field, value", [("text", "changed"), ("at", 1), ("kind", "outbound"), ("extra", 1)])
def test_an_altered_entry_is_named(field, value):
    entries = chain(5)
    entries[2][field] = value
    assert verify(THREAD, entries) == Break(THREAD, 3, "altered")


def test_an_altered_entry_with_its_hash_recomputed_breaks_the_next_link():
    entries = chain(5)
    entries[2]["text"] = "rewritten"
    entries[2]["hash"] = entry_hash(entries[2])
    assert verify(THREAD, entries) == Break(THREAD, 4, "reordered")  # entry 4 no longer follows entry 3


def test_a_removed_entry_is_named():
    entries = chain(5)
    del entries[1]
    assert verify(THREAD, entries) == Break(THREAD, 2, "removed")
    assert verify(THREAD, chain(5)[:-1]) is None  # the tail cut off is not visible here: the archive holds it


def test_a_reordered_entry_is_named():
    entries = chain(5)
    entries[1], entries[3] = entries[3], entries[1]
    assert verify(THREAD, entries) == Break(THREAD, 4, "reordered")


def test_an_entry_of_another_thread_is_named():
    entries = chain(3)
    entries[1] = chain(3, thread="oOther")[1]
    assert verify(THREAD, entries) == Break(THREAD, 2, "foreign")


def test_a_first_entry_must_start_the_chain():
    entries = chain(2)
    forged = chained({"kind": "inbound"}, thread=THREAD, seq=1, prev="f" * 64)
    assert verify(THREAD, [forged, *entries[1:]]) == Break(THREAD, 1, "reordered")  # not after the start
    assert verify(THREAD, [forged, *entries[1:]], whole=False) == Break(THREAD, 1, "altered")


def test_the_chain_fields_are_the_chains_own():
    with pytest.raises(ValueError):
        chained({"hash": "x"}, thread=THREAD, seq=1, prev=GENESIS)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=2, max_value=12), data=st.data())
def test_any_single_tampering_is_found(n, data):
    entries = chain(n)
    tampered = copy.deepcopy(entries)
    how = data.draw(st.sampled_from(["alter", "remove", "swap"]))
    i = data.draw(st.integers(min_value=0, max_value=n - 2))  # not the last: see the tail test
    if how == "alter":
        tampered[i]["text"] += "!"
    elif how == "remove":
        del tampered[i]
    else:
        j = data.draw(st.integers(min_value=i + 1, max_value=n - 1))
        tampered[i], tampered[j] = tampered[j], tampered[i]
    found = verify(THREAD, tampered)
    named = j + 1 if how == "swap" else i + 1  # a swap names the entry found in the wrong place
    assert found is not None and found.seq == named
    assert found.problem == {"alter": "altered", "remove": "removed", "swap": "reordered"}[how]
    assert str(found).startswith(f"thread {THREAD}: entry {named} ")
