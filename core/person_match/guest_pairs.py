"""A need a guest writes as a thing and what they do with it, apart (我有三个强积金账户，想合并成一个; "move my MPF from
the old employer"; 基金今日价格): the narrower topic, where the thing's topic is named and one of the doing words is
written in the same message. A doing word alone names nothing (合并, "move"), nor the thing alone more than its own
topic. Read as a topic's words are (English by stem or as a phrase, Chinese anywhere, `NOT_ABOUT` applies).

PAIRS: narrower topic -> (the thing's topic, English doing words, Chinese doing words). The thing's topic is one the
narrower one is a kind of (tests/core/test_person_match_tables.py)."""
from __future__ import annotations

PAIRS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "mpf_consolidation": ("mpf", ("merge", "combine", "consolidate", "consolidation", "old employer",
                                  "previous employer", "former employer", "changed jobs", "changed job", "new job",
                                  "move my", "transfer my"),
                          ("合并", "整合", "合埋", "转过", "转去", "旧公司", "前公司", "转工", "新工", "换工作")),
}
