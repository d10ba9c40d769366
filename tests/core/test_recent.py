import pytest

from core.recent import Recent


def test_it_forgets_the_entry_least_recently_put_or_got():
    recent: Recent[str, int] = Recent(2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1  # "b" is now the least recent
    recent.put("c", 3)
    assert ("a" in recent, "b" in recent, "c" in recent) == (True, False, True)
    assert len(recent) == 2


def test_putting_again_refreshes_and_replaces():
    recent: Recent[str, int] = Recent(2)
    recent.put("a", 1)
    recent.put("b", 2)
    recent.put("a", 10)
    recent.put("c", 3)
    assert [key for key, _ in recent.items()] == ["a", "c"]
    assert recent.get("a") == 10


def test_pop_and_clear_forget_without_error_for_what_is_not_there():
    recent: Recent[str, int] = Recent(3)
    recent.put("a", 1)
    assert recent.pop("a") == 1
    assert recent.pop("a") is None
    recent.put("b", 2)
    recent.clear()
    assert len(recent) == 0 and recent.get("b") is None


def test_its_items_may_be_changed_while_read():
    recent: Recent[str, int] = Recent(3)
    for n, key in enumerate("abc"):
        recent.put(key, n)
    for key, _ in recent.items():
        recent.pop(key)
    assert len(recent) == 0


def test_it_keeps_at_least_one():
    with pytest.raises(ValueError):
        Recent(0)
