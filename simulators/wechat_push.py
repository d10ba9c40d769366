"""What WeChat's servers send to our webhook: signed query strings and (optionally encrypted) XML.

`build_push` gives the query parameters and body of one push exactly as WeChat builds them, in
plaintext mode (signature, timestamp, nonce, openid) or safe mode (plus encrypt_type=aes and
msg_signature, with the XML inside `<Encrypt>`). `text_message`, `event` and `message` build
the inbound XML itself.
"""
from __future__ import annotations

import secrets
from typing import Any

from adapters.wechat.crypto import WeChatCrypto
from adapters.wechat.signature import sign
from adapters.wechat.xml import MalformedXml, build_xml, parse_inbound

DEFAULT_ACCOUNT = "gh_5a1b2c3d4e5f"  # the Official Account's original id, as ToUserName carries it


def build_push(
    xml: bytes,
    *,
    token: str,
    timestamp: int | str,
    nonce: str,
    aes: WeChatCrypto | None,
    openid: str | None = None,
    random16: bytes | None = None,
) -> tuple[dict[str, str], bytes]:
    """(query parameters, body) of a push. `openid` defaults to the XML's FromUserName; XML that
    does not parse (to test the webhook's refusals) is still signed and sent as given."""
    to_user = DEFAULT_ACCOUNT
    try:
        parsed = parse_inbound(xml)
        openid = openid if openid is not None else parsed.from_user
        to_user = parsed.to_user
    except MalformedXml:
        pass
    ts = str(timestamp)
    query = {"signature": sign(token, ts, nonce), "timestamp": ts, "nonce": nonce}
    if openid is not None:
        query["openid"] = openid
    if aes is None:
        return query, xml
    encrypt = aes.encrypt(xml, random16)
    query["encrypt_type"] = "aes"
    query["msg_signature"] = sign(token, ts, nonce, encrypt)
    return query, build_xml({"ToUserName": to_user, "Encrypt": encrypt})


def verification_query(token: str, *, timestamp: int | str, nonce: str, echostr: str) -> dict[str, str]:
    """The GET WeChat sends when the server URL is configured; the answer must be `echostr`."""
    ts = str(timestamp)
    return {"signature": sign(token, ts, nonce), "echostr": echostr, "timestamp": ts, "nonce": nonce}


def new_msg_id() -> int:
    return 10**18 + secrets.randbelow(9 * 10**18)  # 19 digits, like WeChat's 64-bit MsgId


def message(from_user: str, msg_type: str, *, create_time: int, to_user: str = DEFAULT_ACCOUNT,
            msg_id: int | str | None = None, **fields: Any) -> bytes:
    """Any inbound message: image (PicUrl, MediaId), voice (MediaId, Format), location, link, …"""
    body: dict[str, Any] = {"ToUserName": to_user, "FromUserName": from_user, "CreateTime": int(create_time),
                            "MsgType": msg_type}
    body.update(fields)
    body["MsgId"] = new_msg_id() if msg_id is None else msg_id
    return build_xml(body)


def text_message(from_user: str, content: str, *, create_time: int, to_user: str = DEFAULT_ACCOUNT,
                 msg_id: int | str | None = None) -> bytes:
    return message(from_user, "text", create_time=create_time, to_user=to_user, msg_id=msg_id, Content=content)


def event(from_user: str, event: str, *, create_time: int, to_user: str = DEFAULT_ACCOUNT,
          event_key: str | None = None, ticket: str | None = None, **fields: Any) -> bytes:
    """An event push (no MsgId). A follow through a parametric QR code is
    event(openid, "subscribe", event_key="qrscene_<scene>", ticket=…); a follower scanning is "SCAN"
    with event_key="<scene>"."""
    body: dict[str, Any] = {"ToUserName": to_user, "FromUserName": from_user, "CreateTime": int(create_time),
                            "MsgType": "event", "Event": event}
    if event_key is not None:
        body["EventKey"] = event_key
    if ticket is not None:
        body["Ticket"] = ticket
    body.update(fields)
    return build_xml(body)
