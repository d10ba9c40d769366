"""WeChat push XML: parse what the webhook received, build what the simulator sends.

A flat push, WeChat's usual (leaves of text or CDATA under `<xml>`), is read by one regular expression
that takes only what is well-formed and means the same to expat (`_flat`). Anything else is expat's, in
one pass that writes the fields as it reads (no tree), with what defusedxml forbids forbidden: WeChat
never sends a DOCTYPE, so any DOCTYPE, entity declaration or external reference is an attack (billion
laughs, XXE) and is refused as MalformedXml, which the webhook answers with 400. So is a document shaped
like no push (nested deeper, or with more elements, than any WeChat sends): refused as soon as the parser
sees it, so a small body cannot cost a deep recursion or a large tree. So are ids WeChat would not issue
(they become storage ids and partition keys, where `/ \\ ? #` cannot go) and a top-level
element given twice (which Content, which FromUserName?).

`fields` keeps every element as text: a block's leaves as "Block.Leaf", and an element repeated
inside a block (WeChat's lists: `<PicList><item>…</item><item>…</item></PicList>`) numbered from 1
as XPath numbers it, "SendPicsInfo.PicList.item[2].PicMd5Sum"; alone, it has no number. Keys stay
strings and values text, so the push is stored, recorded and read back as it always was.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping, NoReturn
from xml.parsers import expat

from core.inbound import ORIGINAL_ID, WeChatInbound

REQUIRED = ("ToUserName", "FromUserName", "CreateTime", "MsgType")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# Characters XML 1.0 cannot carry at all, not even in CDATA.
_NOT_XML_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_NOT_XML = re.compile(f"[{_NOT_XML_CHARS}]")
_DIGITS = re.compile(r"[0-9]{1,12}")
_OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # WeChat's are 28 characters of base64url
_EVENT = re.compile(r"[A-Za-z0-9_]{1,64}")  # subscribe, SCAN, pic_sysphoto, TEMPLATESENDJOBFINISH, …
_UNSIGNED = re.compile(r"[0-9]{1,20}")


def _msg_id(value: str) -> bool:
    return bool(_UNSIGNED.fullmatch(value)) and int(value) < 2**64


# The fields that name the account, the guest and the message, and make ids (a thread's is the openid,
# a push's job MsgId or FromUserName+CreateTime+Event), as WeChat issues them. The error names the
# field, never the value: the webhook logs it, and an openid is not logged.
_FORMS: dict[str, tuple[Callable[[str], object], str]] = {
    "ToUserName": (ORIGINAL_ID.fullmatch, "an Official Account's original id (gh_…)"),
    "FromUserName": (_OPENID.fullmatch, "an openid"),
    "CreateTime": (_DIGITS.fullmatch, "a number of seconds"),
    "MsgId": (_msg_id, "a 64-bit message id"),
    "Event": (_EVENT.fullmatch, "an event name"),
}

# WeChat's deepest documented push is 5 levels (<xml><CopyrightCheckResult><ResultList><item><ArticleIdx>),
# its largest about a hundred elements (MASSSENDJOBFINISH's copyright check of 8 articles).
MAX_DEPTH = 10
MAX_ELEMENTS = 1000


class MalformedXml(ValueError):
    """Not a WeChat push we accept; the message says what is wrong."""


class _Fields:
    """expat's handlers: every element below the root as "Block.Leaf" text, refused past MAX_DEPTH or
    MAX_ELEMENTS, an element given twice at the top or under two names ("A.B" and <A><B>) refused.

    Text goes straight into `text` (expat calls its `append`, in C): what came since the last tag is a
    leaf's text at its end, a block's own text at its first child's start (a push is mostly leaves, and
    a call into Python per text cost a third of the parse)."""

    __slots__ = ("fields", "open", "text", "elements", "root")

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        # An open element: [its key, its children's tags -> how many so far (None until its first child)].
        self.open: list[list[Any]] = []
        self.text: list[str] = []
        self.elements = 0
        self.root = ""

    def start(self, tag: str, attrs: object) -> None:
        self.elements += 1
        open_ = self.open
        depth = len(open_)
        if depth >= MAX_DEPTH:
            raise MalformedXml(f"nested deeper than {MAX_DEPTH} levels")
        if self.elements > MAX_ELEMENTS:
            raise MalformedXml(f"more than {MAX_ELEMENTS} elements")
        text = self.text
        if not depth:
            self.root = tag
            open_.append(["", {}])  # the root's text is nobody's
            text.clear()
            return
        parent = open_[-1]
        seen = parent[1]
        if seen is None:  # a block (ScanCodeInfo, SendLocationInfo, ...): "" itself, then its leaves
            seen = parent[1] = {}
            self._keep(parent[0], "".join(text).strip())
        text.clear()
        key = tag if depth == 1 else f"{parent[0]}.{tag}"
        n = seen[tag] = seen.get(tag, 0) + 1
        if n > 1:
            if depth == 1:  # two Contents, two FromUserNames: which would be the push's?
                raise MalformedXml(f"element {key} appears twice")
            if n == 2:  # a list after all: the first one becomes [1]
                self._number_first(key)
            key += f"[{n}]"
        open_.append([key, None])

    def end(self, tag: str) -> None:
        key, seen = self.open.pop()
        if seen is None:  # a leaf (the root has its dict)
            self._keep(key, "".join(self.text))
        self.text.clear()  # what follows a block's first child is not its text

    def _keep(self, key: str, text: str) -> None:
        if key in self.fields:  # "A.B" written both as <A.B> and as <A><B>
            raise MalformedXml(f"element {key} appears twice")
        self.fields[key] = text

    def _number_first(self, key: str) -> None:
        inside = key + "."
        self.fields = {(f"{key}[1]{k[len(key):]}" if k == key or k.startswith(inside) else k): v
                       for k, v in self.fields.items()}
        for frame in self.open:  # the first one may still be open (its children's keys are made from it)
            if frame[0] == key or frame[0].startswith(inside):
                frame[0] = f"{key}[1]{frame[0][len(key):]}"


def _forbidden(what: str) -> Callable[..., NoReturn]:
    def refuse(*_: object) -> NoReturn:
        raise MalformedXml(f"DTDs and entities are not accepted ({what})")
    return refuse


_NO_DTD, _NO_ENTITY, _NO_EXTERNAL = (_forbidden(what) for what in ("DTDForbidden", "EntitiesForbidden",
                                                                   "ExternalReferenceForbidden"))


# A flat push (WeChat's usual: `<xml>` holding leaves only) read by one regular expression: a leaf is
# `<Name>` text or one CDATA section `</Name>`, with what XML forbids in either excluded ("]]>", `&` in
# text, characters XML cannot carry), a CR (a parser turns it into a LF) and any `<` (so that no attempt
# at a leaf reads past the next `<`: linear in the body); anything else between the leaves, white space
# aside, is caught by the last group, with all that follows it.
_CHARS = r"<\r\]" + _NOT_XML_CHARS  # a character class's body: `<`, CR, "]" (see below), what XML cannot carry
_FLAT = re.compile(
    r"<([A-Za-z_][A-Za-z0-9_]*)>"
    r"(?:<!\[CDATA\[([^" + _CHARS + r"]*+(?:\](?!\]>)[^" + _CHARS + r"]*+)*+)\]\]>"  # "]" where no "]>" follows
    r"|([^&" + _CHARS + r"]*+(?:\](?!\]>)[^&" + _CHARS + r"]*+)*+))</\1>"  # possessive: no backtracking
    r"|([^ \t\n][\s\S]*)")
_SPACE = " \t\n"  # XML's white space, less the CR


def _flat(xml: bytes) -> dict[str, str] | None:
    """The fields of a flat push, in one pass in C; None for any other document, which expat reads. What
    it reads is well-formed XML and read as expat reads it (tests/wechat/test_xml_flat.py compares the two
    on thousands of mutated pushes); expat's handlers, a call into Python per tag, cost a push 2.4 times
    as many instructions."""
    try:
        doc = xml.decode().strip(_SPACE)
    except UnicodeDecodeError:
        return None
    if not (doc.startswith("<xml>") and doc.endswith("</xml>")):
        return None
    leaves = _FLAT.findall(doc, 5, len(doc) - 6)
    fields = {name: cdata or text for name, cdata, text, _ in leaves}
    # A name given twice, or anything but a leaf (a "" name), or more leaves than a push has: expat's to say.
    if len(fields) != len(leaves) or "" in fields or len(fields) >= MAX_ELEMENTS:
        return None
    return fields


def _fields(xml: bytes) -> dict[str, str]:
    """The elements below `<xml>`, as text by key (see the module's doc)."""
    if not xml or not xml.strip():
        raise MalformedXml("empty body")
    flat = _flat(xml)
    return _expat_fields(xml) if flat is None else flat


def _expat_fields(xml: bytes) -> dict[str, str]:
    """`_fields` by expat, for any document: what it refuses, MalformedXml says why."""
    reader = _Fields()
    parser = expat.ParserCreate()
    parser.buffer_text = True  # one data call per text, not per line or entity
    parser.StartElementHandler, parser.EndElementHandler = reader.start, reader.end
    parser.CharacterDataHandler = reader.text.append
    # What defusedxml forbids (forbid_dtd, forbid_entities, forbid_external).
    parser.StartDoctypeDeclHandler = _NO_DTD
    parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = _NO_ENTITY
    parser.ExternalEntityRefHandler = _NO_EXTERNAL
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise MalformedXml(f"not well-formed XML: {exc}") from None
    except ValueError as exc:  # e.g. an encoding declaration expat cannot use
        if isinstance(exc, MalformedXml):
            raise
        raise MalformedXml(f"not readable XML: {exc}") from None
    if reader.root != "xml":
        raise MalformedXml(f"root element must be <xml>, not <{reader.root}>")
    return reader.fields


def parse_inbound(xml: bytes) -> WeChatInbound:
    fields = _fields(xml)
    missing = [name for name in REQUIRED if not fields.get(name, "").strip()]
    if missing:
        raise MalformedXml("missing " + ", ".join(missing))
    for name, (valid, what) in _FORMS.items():
        value = fields.get(name, "").strip()
        if value and not valid(value):
            raise MalformedXml(f"{name} is not {what}")
    return WeChatInbound.of(fields)


def parse_encrypted_envelope(xml: bytes) -> str:
    """The `<Encrypt>` text of a safe-mode push body."""
    value = _fields(xml).get("Encrypt", "").strip()
    if not value:
        raise MalformedXml("Encrypt is missing or empty")
    return value


def _cdata(text: str) -> str:
    # "]]>" cannot appear inside CDATA: close the section after "]]" and open a new one.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _elements(fields: Mapping[str, Any]) -> str:
    parts = []
    for name, value in fields.items():
        if not _NAME.fullmatch(name) or name.lower().startswith("xml"):
            raise ValueError(f"not a usable element name: {name!r}")
        if isinstance(value, Mapping):
            inner = _elements(value)
        elif isinstance(value, bool):
            raise ValueError(f"{name}: booleans have no WeChat XML form")
        elif isinstance(value, int):
            inner = str(value)  # numbers go bare, as WeChat writes CreateTime and MsgId
        else:
            text = str(value)
            if _NOT_XML.search(text):
                raise ValueError(f"{name}: contains characters XML cannot carry")
            inner = _cdata(text)
        parts.append(f"<{name}>{inner}</{name}>")
    return "".join(parts)


def build_xml(fields: Mapping[str, Any]) -> bytes:
    """`<xml>` with one element per field: strings in CDATA, ints bare, mappings nested."""
    return ("<xml>" + _elements(fields) + "</xml>").encode("utf-8")
