"""The short forms of English given names, as colleagues and clients call people (Steve of Stephen, Fi of Fiona, Ray of
Raymond), and the familiar form of a Chinese given name (阿强, Ah Keung: 阿 and its last syllable). A guest who writes
one most likely names the person the directory gives by the full name: they are asked (a Steve the directory lists
is Steve, not a Stephen)."""
from __future__ import annotations

# Each name, with the short forms people use for it (a short form of several names names each: Pat); not those that
# are everyday words and rarer as names (Sue, Rob, Cat); Will and Bill are names only where written as one
# (words.COMMON_WORDS).
_FORMS = {
    "alexander": ("alex", "xander"), "alexandra": ("alex", "sandra"), "andrew": ("andy", "drew"),
    "anthony": ("tony",), "benjamin": ("ben", "benny"), "catherine": ("cathy", "kate"),
    "christina": ("chris", "tina"), "christine": ("chris", "chrissy"), "christopher": ("chris", "topher"),
    "daniel": ("dan", "danny"), "deborah": ("debbie", "deb"), "dominic": ("dom",), "edward": ("ed", "eddie", "ted"),
    "edmond": ("ed", "eddie"), "edmund": ("ed", "eddie"), "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza"),
    "fiona": ("fi",), "frank": ("frankie",), "francis": ("frank", "frankie"), "frederick": ("fred", "freddie"),
    "gregory": ("greg",), "henry": ("harry", "hal"), "jacqueline": ("jackie",), "james": ("jim", "jimmy", "jamie"),
    "jennifer": ("jen", "jenny"), "jessica": ("jess", "jessie"), "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey"), "katherine": ("kate", "kathy", "katie", "kat"), "kenneth": ("ken", "kenny"),
    "lawrence": ("larry", "laurie"), "margaret": ("maggie", "peggy", "meg"), "matthew": ("matt",),
    "michael": ("mike", "mikey", "mick"), "nicholas": ("nick", "nicky"), "nicole": ("nikki", "nic"),
    "patricia": ("pat", "patty", "trish"), "patrick": ("pat", "paddy"), "peter": ("pete",),
    "raymond": ("ray",), "rebecca": ("becky", "becca"), "richard": ("rick", "ricky", "richie"),
    "robert": ("bob", "bobby", "robbie"), "ronald": ("ron", "ronnie"), "samantha": ("sam",),
    "samuel": ("sam", "sammy"), "stephanie": ("steph",), "stephen": ("steve", "stevie"), "steven": ("steve",),
    "susan": ("susie",), "terence": ("terry",), "thomas": ("tom", "tommy"), "timothy": ("tim", "timmy"),
    "victor": ("vic",), "victoria": ("vicky", "vic", "tori"), "vincent": ("vince", "vinny"),
    "william": ("will", "bill", "billy", "willie"), "zachary": ("zach", "zack"),
}

FAMILIAR = "ah"  # 阿: Ah Keung, Ah Yi


def short_forms(given: str) -> tuple[str, ...]:
    """The short forms of an English given name (stephen: steve, stevie)."""
    return _FORMS.get(given, ())


def familiar(syllables: tuple[str, ...]) -> str:
    """How a Chinese given name of two syllables is called familiarly: Ah and its last (Kwok Keung: ahkeung)."""
    return FAMILIAR + syllables[-1] if len(syllables) == 2 else ""
