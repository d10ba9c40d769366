"""WeChat push XML: parse what the webhook received, build what the simulator sends.

Parsing goes through defusedxml with DTDs forbidden: WeChat never sends a DOCTYPE, so any
DOCTYPE, entity declaration or external reference is an attack (billion laughs, XXE) and is
refused as MalformedXml, which the webhook answers with 400. So is a document shaped like no push
(nested deeper, or with more elements, than any WeChat sends): refused as soon as the parser sees
it, so a small body cannot cost a deep recursion or a large tree. So are ids WeChat would not
issue (they become storage ids and partition keys, where `/ \\ ? #` cannot go) and a top-level
element given twice (which Content, which FromUserName?).

`fields` keeps every element as text: a block's leaves as "Block.Leaf", and an element repeated
inside a block (WeChat's lists: `<PicList><item>…</item><item>…</item></PicList>`) numbered from 1
as XPath numbers it, "SendPicsInfo.PicList.item[2].PicMd5Sum"; alone, it has no number. Keys stay
strings and values text, so the push is stored, recorded and read back as it always was.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, Mapping
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from core.inbound import ORIGINAL_ID, WeChatInbound

REQUIRED = ("ToUserName", "FromUserName", "CreateTime", "MsgType")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# Characters XML 1.0 cannot carry at all, not even in CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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


class _BoundedTree(TreeBuilder):
    """The parser's tree, refused (MalformedXml, from inside the parse) past MAX_DEPTH or MAX_ELEMENTS."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.elements = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            raise MalformedXml(f"nested deeper than {MAX_DEPTH} levels")
        if self.elements > MAX_ELEMENTS:
            raise MalformedXml(f"more than {MAX_ELEMENTS} elements")
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


def _root(xml: bytes) -> Element:
    if not xml or not xml.strip():
        raise MalformedXml("empty body")
    parser = DefusedXMLParser(target=_BoundedTree(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(xml)
        root = parser.close()
    except MalformedXml:
        raise
    except DefusedXmlException as exc:
        raise MalformedXml(f"DTDs and entities are not accepted ({type(exc).__name__})") from None
    except ParseError as exc:
        raise MalformedXml(f"not well-formed XML: {exc}") from None
    except ValueError as exc:  # e.g. an encoding declaration expat cannot use
        raise MalformedXml(f"not readable XML: {exc}") from None
    if root.tag != "xml":
        raise MalformedXml(f"root element must be <xml>, not <{root.tag}>")
    return root


def _flatten(element: Element, prefix: str, out: dict[str, str]) -> None:
    repeated = {tag for tag, count in Counter(child.tag for child in element).items() if count > 1}
    position: Counter[str] = Counter()
    for child in element:
        key = f"{prefix}{child.tag}"
        if child.tag in repeated:
            if not prefix:  # two Contents, two FromUserNames: which would be the push's?
                raise MalformedXml(f"element {key} appears twice")
            position[child.tag] += 1
            key += f"[{position[child.tag]}]"
        if key in out:  # "A.B" written both as <A.B> and as <A><B>
            raise MalformedXml(f"element {key} appears twice")
        if len(child) == 0:
            out[key] = child.text or ""
        else:
            # A block (ScanCodeInfo, SendLocationInfo, ...): "" itself, its leaves as "Parent.Child".
            out[key] = (child.text or "").strip()
            _flatten(child, f"{key}.", out)


def parse_inbound(xml: bytes) -> WeChatInbound:
    root = _root(xml)
    fields: dict[str, str] = {}
    _flatten(root, "", fields)
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
    root = _root(xml)
    found = root.findall("Encrypt")
    if len(found) != 1:
        raise MalformedXml("safe-mode body must have exactly one Encrypt element")
    value = (found[0].text or "").strip()
    if not value:
        raise MalformedXml("Encrypt is empty")
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
