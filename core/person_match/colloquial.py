"""Hong Kong Cantonese written colloquially, as Mandarin, for the dictionary's look-ups (glossary.py): CC-CEDICT
is a Mandarin dictionary, so 攞返 (to take back) is read as 取回, 户口 as 账户 (a bank account), 屋企 as 家里. The
lexicon reads Cantonese itself; only what is looked up in the dictionary is read so."""
from __future__ import annotations

import re

# Simplified (the text is folded first): the Cantonese word -> the Mandarin one. Words, then the particles and
# verbs alone; longer first where one holds another.
MANDARIN = {
    "攞返": "取回", "拎返": "取回", "攞": "拿", "拎": "拿", "揾": "找", "搵": "找", "睇": "看", "冇": "没有",
    "唔该": "请", "唔": "不", "嘅": "的", "咗": "了", "啲": "些", "畀": "给", "俾": "给", "喺": "在", "佢哋": "他们",
    "佢": "他", "哋": "们", "嚟": "来", "嗰": "那", "咁": "这么", "乜嘢": "什么", "乜": "什么", "点样": "怎样",
    "边个": "谁", "边度": "哪里", "边位": "哪位", "而家": "现在", "屋企": "家里", "户口": "账户", "交唔切": "来不及",
    "搞掂": "搞定", "听日": "明天", "琴日": "昨天", "今日": "今天", "几时": "什么时候", "有冇": "有没有",
}
_WORDS = re.compile("|".join(sorted(MANDARIN, key=len, reverse=True)))


def as_mandarin(cjk: str) -> str:
    """`cjk` (folded) with its Cantonese words written as Mandarin ones."""
    return _WORDS.sub(lambda m: MANDARIN[m.group(0)], cjk)
