"""Bodies written with orjson and read back with it say exactly what the standard json module would."""
from __future__ import annotations

import datetime
import json

import pytest

from adapters.storage._common import body_text, decode_body, stored_body

STANDARD = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))

BODIES = [
    {"kind": "k", "payload": {"push": {"Content": "你好 \x00\x1f\u2028 \"q\"", "MsgId": "1234567890123456789"}},
     "at": 1765000000.123456, "lease_owner": None, "attempts": 0, "done": True},
    {"floats": [0.1, -0.0, 1e16, 5e-324, 1.7976931348623157e308], "nested": [[{"a": None}], ()]},
    {"edges": [2**64 - 1, -(2**63), 10**19, -(10**18)]},  # what orjson writes, and reads back as ints
    {"big": 2**70, "small": -(2**63) - 1},  # orjson writes no int past 64 bits
    {"keys": {1: "one", None: "none", 2.5: "x"}},  # the standard encoder makes them text; orjson refuses
    {"lone": "\ud800"},  # no UTF-8 for it: the standard encoder writes it
]


@pytest.mark.parametrize("body", BODIES)
def test_a_body_is_written_and_read_as_the_standard_json_module_does(body):
    text, stored = stored_body(body)
    assert json.loads(text) == json.loads(STANDARD.encode(body))
    assert repr(stored) == repr(json.loads(text))  # repr: -0.0 and 0.0, 1 and 1.0 told apart
    assert repr(decode_body(text)) == repr(json.loads(text))
    assert body_text(body) == text  # the text alone, for a write that answers no body


@pytest.mark.parametrize("write", [stored_body, body_text])
@pytest.mark.parametrize("value, error", [
    (float("nan"), ValueError), ([1.0, {"a": float("inf")}], ValueError), ((float("-inf"),), ValueError),
    (datetime.datetime(2026, 12, 6), TypeError), (object(), TypeError), ({"a": {1, 2}}, TypeError),
])
def test_what_the_standard_encoder_refuses_is_refused(write, value, error):
    with pytest.raises(error):
        write({"v": value, "other": None})
    with pytest.raises(error):
        write({"v": value, "null": "null"})
    with pytest.raises(error):
        STANDARD.encode({"v": value})


@pytest.mark.parametrize("text", [
    '{"n":123456789012345678901234567890}', '{"n":[-9999999999999999999]}', '{"n": 18446744073709551616}',
    '{"n":NaN,"m":-Infinity}', '{"s":"\\ud800"}', '{"f":1e400}', '{"s":"a:1234567890123456789","n":12}',
])
def test_a_text_of_an_earlier_version_reads_as_json_loads_reads_it(text):
    assert repr(decode_body(text)) == repr(json.loads(text))


@pytest.mark.parametrize("write", [stored_body, body_text])
@pytest.mark.parametrize("body", [{1: "x"}, {None: "x"}, {"_etag": "x"}, {"a": 1, "id": "x"}, {"pk": None}])
def test_a_top_level_key_no_backend_could_keep_is_refused(write, body):
    with pytest.raises(ValueError):
        write(body)


@pytest.mark.parametrize("body", [{"a": {"_inner": 1}}, {"a": '"_quoted'}, {"a": {"id": "x", "pk": "y"}}])
def test_only_the_top_level_keys_are_reserved(body):
    assert stored_body(body)[1] == body
