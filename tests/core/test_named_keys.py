"""Which media a stored document names: what retention keeps a medium for."""
from __future__ import annotations

import hashlib

from core.media_store import named_keys

A, B, C = (hashlib.sha256(x).hexdigest() for x in (b"a", b"b", b"c"))


def test_keys_are_found_under_key_fields_at_any_depth_and_hashes_are_not():
    entry = {"kind": "inbound", "hash": C, "prev": C, "media_key": A,
             "media": [{"field": "MediaId", "key": B, "size": 3}], "queue": [{"item": {"thumb_key": C}}]}
    assert named_keys(entry) == {A, B, C}
    assert named_keys({"hash": A, "prev": B, "text": C}) == set()


def test_what_has_no_key_shape_is_not_a_key():
    assert named_keys({"key": "k", "media_key": A.upper(), "x_key": 42, "list": ["key", A]}) == set()
