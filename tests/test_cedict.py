"""CC-CEDICT read for the routing assistant (adapters/cedict.py): Simplified words of two to six characters and
what they mean, without the definitions that are only a usage note; not the names of institutions (longer)."""
from __future__ import annotations

from adapters import cedict

LINES = [
    "# CC-CEDICT",
    "保險 保险 [bao3 xian3] /insurance/to insure/CL:份[fen4]/",
    "錢 钱 [qian2] /coin/money/surname Qian/",  # one character: not a word the matcher reads
    "錢氏 钱氏 [qian2 shi4] /surname Qian/",  # nothing but a note
    "退休 退休 [tui4 xiu1] /to retire (from the workforce); to go into retirement/",
    "退休 退休 [tui4 xiu1] /variant of 退休[tui4 xiu1]/to step down/",
    "中國保險監督管理委員會 中国保险监督管理委员会 [x] /China Insurance Regulatory Commission/",  # a name: too long
    "not a line",
]


def test_words_and_their_definitions_without_usage_notes():
    assert cedict.read(LINES) == {"保险": "insurance/to insure",
                                  "退休": "to retire (from the workforce); to go into retirement/to step down"}
