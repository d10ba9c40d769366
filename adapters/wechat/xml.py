"""WeChat push XML: parse what the webhook received, build what the simulator sends.

Parsing goes through defusedxml with DTDs forbidden: WeChat never sends a DOCTYPE, so any
DOCTYPE, entity declaration or external reference is an attack (billion laughs, XXE) and is
refused as MalformedXml, which the webhook answers with 400.
"""
from __future__ import annotations

import re
from typing import Any, Mapping
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from core.inbound import WeChatInbound

REQUIRED = ("ToUserName", "FromUserName", "CreateTime", "MsgType")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# Characters XML 1.0 cannot carry at all, not even in CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DIGITS = re.compile(r"[0-9]{1,12}")


class MalformedXml(ValueError):
    """Not a WeChat push we accept; the message says what is wrong."""


def _root(xml: bytes) -> Element:
    if not xml or not xml.strip():
        raise MalformedXml("empty body")
    try:
        root = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
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
    for child in element:
        key = f"{prefix}{child.tag}"
        if key in out:
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
    create_time = fields["CreateTime"].strip()
    if not _DIGITS.fullmatch(create_time):
        raise MalformedXml("CreateTime is not a number of seconds")
    msg_type = fields["MsgType"].strip()

    def opt(name: str) -> str | None:
        value = fields.get(name)
        return value.strip() if value is not None and value.strip() else None

    return WeChatInbound(
        to_user=fields["ToUserName"].strip(),
        from_user=fields["FromUserName"].strip(),
        create_time=int(create_time),
        msg_type=msg_type,
        msg_id=opt("MsgId"),
        content=fields.get("Content"),  # verbatim: the user's spaces are theirs
        event=opt("Event") if msg_type == "event" else None,
        event_key=opt("EventKey"),
        fields=fields,
    )


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
