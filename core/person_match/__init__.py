"""Who a guest means: the people of a directory ranked against what the guest wrote, in English or
Chinese, and what to do about it (`verdict`). Pure and offline: rapidfuzz for typos, pypinyin for
how Chinese names sound, OpenCC's tables for Traditional characters, and a dictionary given as data
(`Glossary`: CC-CEDICT, read by adapters/cedict.py).

What counts as evidence, strongest first:
- an e-mail address or a phone number of theirs (any format, Chinese numerals too): certain;
- their full name: Latin (either order, joined or not, tones or tone digits or none), Chinese
  characters (Simplified or Traditional; 张伟明 is not 张伟), an alias (陈总 too), a nickname with
  the family name; a misspelling of it (one edit) is as good; written two ways, it counts twice;
- their Chinese name as it sounds, written with other characters (an input-method slip, or a
  namesake): never certain, the guest is asked;
- a family name with a title ("Mr Wang", "王经理", "小王", "何生", "zhou jingli", "lei saang": any spelling)
  or a given name or nickname alone; one that is an everyday word (sunny, grace, 小雨) only where written
  as a name (capitalised in a sentence, "ask for grace", 找小雨), else it is weak evidence, never certain;
  one syllable of a given name ("yan" of Ka Yan) is never certain;
- what they do ("my mortgage advisor", "想找负责基金的同事"), through a bilingual topic table (Hong
  Kong and mainland words; pinyin and Cantonese romanisation read as the characters: keung jik gam is
  强积金) and the words of their desk (`desk_zh`) and sub-organization names; it adds to a name ("the
  Li who does insurance"); a narrower need outweighs a broader one (首置按揭: the first-time buyers' desk,
  not every mortgage desk); a unit named after a need (everyone in `insurance`) fits it broadly; a title
  one holds names them (CEO, 行政总裁; not "PA to the CEO"); a role or a place asked for (保险部的主管,
  "Kevin in Singapore") keeps to who holds it or is there, among those who fit the need; a city's desk and
  a desk for the need, where none does both, are asked about (我在广州，想开户); a Chinese word the topic table
  lacks, through an outside dictionary's definitions (离休 "to retire": a retirement desk), weakly: asked about.
With the dictionary, a word that holds a topic's or a name's characters and means something else is read as
itself (保险丝 is a fuse, 旧金山 San Francisco, not a 金山 of the directory).
Whom the guest names as someone else ("not X, the other one", "not the insurance one", "X referred me",
"X的助理", "X is on leave", "X's friend here", "my husband's RM is X", X说她让我找…, "I bank with X, she said I
should …", X，佢叫我搵…, "X said Y would help", 我朋友系X嘅客) is left out ("not Michael": every Michael), the need
said beside their name kept; "X's boss" is who heads X's unit (an assistant's: whom they assist); one named so
but not singled out is asked about, and namesakes named only so ("my accountant Mr Wong said …") do not outweigh the
need. Among equals, whom a receptionist names first comes first (never connected): the referrer's unit's, the head
of the unit named, whose name as written more of it is, whom the title fits (Mr Chan, 陈小姐).
Whom the guest names before asking for someone by role or need ("…, but I need the pension person", "…, who does the
bookings?", 我是X的朋友，想问…) is someone else; namesakes a guest tells apart ("not Wei Zhang in Beijing, the one in
Guangzhou") are whom the rest fits, a place deciding, else asked about; an alias of a family name and a title (黄小姐)
is no more than they where the guest describes the one wanted by what they do (做保险的那个) and namesakes do it, its
holder not: they are asked about. A desk is where the guest is or in a place they name, not a sibling of it (the Bay
Area is not Xiamen); a place alone is sure only of the place's own desk; a thing sold or bought (a car) is no need to
insure it; "just browsing" asks for nobody.

`verdict`: one certain best → connect; several equally good (up to `MAX_CHOICES`) or one
uncertain → ask which; more → ask for more; nothing → ask who. It never connects on a tie.

The modules: `words` (titles, family names, romanisations: data), `lexicon` (what guests ask about:
topics and which is narrower, places, roles, idioms: data), `desk_terms` and its areas (a glossary of the desks of
financial-services firms, finer topics merged into the lexicon: data), `reading` (folding,
sound, tones, stems), `glossary` (what an outside dictionary adds: words as words, Chinese words bridged to
English desks), `forms` (a person and a guest's text, prepared), `evidence` (the weaker kinds
of evidence), `index` (`PeopleIndex`: the directory ranked against a text), `verdict` (what to do
about the ranking), `others` (who is named as someone else), `namesakes` (whom a title fits among equals).
This package's names are its importers' API.
"""
from core.person_match.glossary import Glossary
from core.person_match.index import PeopleIndex
from core.person_match.lexicon import TOPICS
from core.person_match.reading import fold
from core.person_match.verdict import (CHOOSE, CONNECT, DESK, DESK_NEAR, FULL, FUZZY_FULL, ID, MAX_CHOICES, NARROW,
                                       PART, SOUNDS, TIE, UNKNOWN, Candidate, Verdict, verdict)
from core.person_match.words import TITLES_EN

__all__ = ["CHOOSE", "CONNECT", "DESK", "DESK_NEAR", "FULL", "FUZZY_FULL", "Glossary", "ID", "MAX_CHOICES", "NARROW",
           "PART", "SOUNDS", "TIE", "TITLES_EN", "TOPICS", "UNKNOWN", "Candidate", "PeopleIndex", "Verdict", "fold",
           "verdict"]
