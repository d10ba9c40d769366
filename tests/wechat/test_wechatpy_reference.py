"""Our WeChat protocol code checked against wechatpy 1.8.18, the reference Python implementation.

wechatpy is a test requirement only (requirements-dev.txt): the product signs, encrypts and parses
with its own code (adapters/wechat/signature.py, crypto.py, xml.py), and here each must agree with
wechatpy on the same input, both ways, on WeChat's published safe-mode sample and on every message
and event type WeChat documents. A disagreement is a finding, except where wechatpy is the weaker
one and we deliberately differ; each such place says so and asserts our behaviour:

- signatures: wechatpy compares with `!=` (wechatpy/utils.py line 70, crypto/__init__.py line 102),
  we compare in constant time (hmac.compare_digest); the verdicts must still be the same;
- freshness: wechatpy checks no timestamp, our webhook refuses one more than 300 s off;
- padding: wechatpy reads only the last padding byte (crypto/base.py, `_decrypt`), we check all of it;
- whitespace: wechatpy's xmltodict strips every value, we keep a text message's Content verbatim;
- ids: wechatpy takes any text as an openid, account or MsgId, we only what WeChat issues
  (tests/wechat/test_xml.py), so every row here carries ids of WeChat's form.

Passive replies: none to compare. The webhook answers a push with `success` only (WeChat's
documented "no reply"); every answer goes later through the customer-service API.
A `file` message is not among an Official Account's documented types (text, image, voice, video,
shortvideo, location, link): like any undocumented type (`notsure`), it is kept as it came, and wechatpy
reads it as an unknown message. What the product shows of a location (its coordinates, checked) and of
a link (its address, a link only if it is a web address) is checked against wechatpy's reading too.
"""
from __future__ import annotations

import base64
import re
import struct
import xml.etree.ElementTree as ElementTree
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import example, given, settings
from hypothesis import strategies as st
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto as TheirCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as TheirWorkCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import MESSAGE_TYPES
from wechatpy.utils import WeChatSigner, check_signature

from adapters.wechat.crypto import CryptoError, WeChatCrypto
from adapters.wechat.signature import sign, verify_msg_signature, verify_signature
from adapters.wechat.webhook import WeChatWebhook
from adapters.wechat.xml import build_xml, parse_encrypted_envelope, parse_inbound
from cards.text import markdown_link
from core.clock import FakeClock
from core.inbound import WeChatInbound
from core.locations import coordinates
from core.storage import CREATED, NonceRecord
from core.threads import employee_from_scene
from simulators.wechat_push import build_push

# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------

# WeChat's published safe-mode sample: the Python sample (Sample.py) of WeChat's WXBizMsgCrypt
# download, linked from the Official Account docs' message encryption guide ("消息加解密说明",
# "加解密示例"), reproduced unchanged by ports in many languages. The body is as WeChat's sample has
# it: the plaintext fields and the Encrypt element side by side.
SAMPLE_TOKEN = "spamtest"
SAMPLE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_APP_ID = "wx2c2769f8efd9abc2"
SAMPLE_TIMESTAMP = "1409735669"
SAMPLE_NONCE = "1320562132"
SAMPLE_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
SAMPLE_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHF"
    "VAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVti"
    "cbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0Vxp"
    "Ae+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpC"
    "umEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)
SAMPLE_BODY = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>"
    "<CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId>"
    f"<Encrypt><![CDATA[{SAMPLE_ENCRYPT}]]></Encrypt></xml>"
).encode()

# wechatpy's own crypto vectors (tests/test_crypto.py at tag v1.8.18): the same scheme for WeCom,
# with the corp id where an Official Account has its appid. Their encryption uses the fixed
# random prefix "1234567890123456", so its output is exact.
WORK_TOKEN = "123456"
WORK_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
WORK_CORP_ID = "wx49f0ab532d5d035a"
WORK_REPLY = (
    "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n"
    "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n"
    "<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>"
)
WORK_REPLY_ENCRYPT = (
    "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAt"
    "ObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB"
    "6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vW"
    "wi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3"
)
WORK_REPLY_SIGNATURE = "407518b7649e86ef23978113f92d27afa9296533"
WORK_PUSH_ENCRYPT = (
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dG"
    "ymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P"
    "4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgW"
    "YEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0="
)
WORK_PUSH_SIGNATURE = "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"
WORK_TIMESTAMP, WORK_NONCE = "1411525903", "461056294"
WORK_ECHO = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="
WORK_ECHO_SIGNATURE = "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
WORK_ECHO_TIMESTAMP, WORK_ECHO_NONCE = "1411443780", "437374425"

TOKEN = "referencetoken"
KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"
OLD_KEY = SAMPLE_KEY
APP_ID = "wx1234567890abcdef"

# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

# Any Unicode a query string can carry once decoded (lone surrogates cannot be UTF-8 at all).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
# What an XML document can carry (XML 1.0 Char production, less the discouraged-but-legal C1 range
# that adds nothing here).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
xml_text = st.text(st.characters(exclude_categories=("Cs",)).filter(lambda c: not _NOT_XML.match(c)), max_size=200)
aes_keys = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", min_size=43, max_size=43)
app_ids = st.from_regex(r"wx[0-9a-f]{16}", fullmatch=True)
CHINESE_AND_EMOJI = "您好，王经理 👋 我想了解一下基金 📈 (粵語: 唔該) 👨‍👩‍👧 🇨🇳"


def theirs_sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def theirs_accept_signature(token: str, timestamp: str, nonce: str, signature: str) -> bool:
    try:
        check_signature(token, signature, timestamp, nonce)
        return True
    except InvalidSignatureException:
        return False


# ---------------------------------------------------------------------------------------------
# 1. Signatures: the GET/POST `signature` and safe mode's `msg_signature`
# ---------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(token=any_text, timestamp=any_text, nonce=any_text)
@example(token="spamtest", timestamp="1409735669", nonce="1320562132")
@example(token="令牌", timestamp="1409735669", nonce="😀")
def test_signature_both_ways(token, timestamp, nonce):
    ours = sign(token, timestamp, nonce)
    assert theirs_accept_signature(token, timestamp, nonce, ours)
    assert verify_signature(token, timestamp, nonce, theirs_sign(token, timestamp, nonce))
    assert ours == theirs_sign(token, timestamp, nonce)


@settings(max_examples=300, deadline=None)
@given(token=any_text, timestamp=any_text, nonce=any_text, data=st.data())
def test_signature_verdicts_agree_on_any_given_signature(token, timestamp, nonce, data):
    # wechatpy compares with `!=`, we in constant time: the verdict must be the same all the same.
    right = theirs_sign(token, timestamp, nonce)
    given_signature = data.draw(st.one_of(
        st.just(right),
        st.just(right.upper()),
        st.integers(0, 39).map(lambda i: right[:i] + ("0" if right[i] != "0" else "1") + right[i + 1:]),
        st.just(right[:-1]),
        any_text,
    ))
    ours = verify_signature(token, timestamp, nonce, given_signature)
    assert ours == theirs_accept_signature(token, timestamp, nonce, given_signature)
    assert ours == (given_signature == right)


@settings(max_examples=300, deadline=None)
@given(token=any_text, timestamp=any_text, nonce=any_text, encrypt=any_text)
def test_msg_signature_both_ways(token, timestamp, nonce, encrypt):
    theirs = theirs_sign(token, timestamp, nonce, encrypt)
    assert sign(token, timestamp, nonce, encrypt) == theirs
    assert verify_msg_signature(token, timestamp, nonce, encrypt, theirs)
    assert not verify_msg_signature(token, timestamp, nonce, encrypt + "A", theirs)


def test_published_sample_msg_signature():
    assert sign(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE, SAMPLE_ENCRYPT) == SAMPLE_MSG_SIGNATURE
    assert verify_msg_signature(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE, SAMPLE_ENCRYPT, SAMPLE_MSG_SIGNATURE)
    assert not verify_msg_signature(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, "1320562133", SAMPLE_ENCRYPT, SAMPLE_MSG_SIGNATURE)


# ---------------------------------------------------------------------------------------------
# 2. AES (safe mode)
# ---------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=300), key=aes_keys, app_id=app_ids,
       nonce=st.text("0123456789", min_size=1, max_size=10))
@example(text=CHINESE_AND_EMOJI, key=KEY, app_id=APP_ID, nonce="1")
@example(text="", key=KEY, app_id=APP_ID, nonce="1")
def test_our_push_decrypts_with_wechatpy(text, key, app_id, nonce):
    """What our simulator pushes (our signature, our AES) is what wechatpy's server side reads."""
    ours = WeChatCrypto(TOKEN, [key], app_id)
    query, body = build_push(text.encode("utf-8"), token=TOKEN, timestamp=1700000000, nonce=nonce, aes=ours,
                             openid="o_guest")
    theirs = TheirCrypto(TOKEN, key, app_id)
    assert theirs.decrypt_message(body, query["msg_signature"], query["timestamp"], query["nonce"]) == text


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=300), key=aes_keys, app_id=app_ids,
       nonce=st.text("0123456789", min_size=1, max_size=10))
@example(text=CHINESE_AND_EMOJI, key=KEY, app_id=APP_ID, nonce="1")
def test_wechatpy_encryption_decrypts_with_ours(text, key, app_id, nonce):
    envelope = TheirCrypto(TOKEN, key, app_id).encrypt_message(text, nonce, "1700000000")
    root = ElementTree.fromstring(envelope)  # wechatpy's envelope; Encrypt read by our parser below
    encrypt = parse_encrypted_envelope(envelope.encode())
    assert verify_msg_signature(TOKEN, root.findtext("TimeStamp"), root.findtext("Nonce"), encrypt,
                                root.findtext("MsgSignature"))
    assert WeChatCrypto(TOKEN, [key], app_id).decrypt(encrypt) == text.encode("utf-8")


def test_a_message_for_another_account_is_refused_by_both():
    envelope = TheirCrypto(TOKEN, KEY, "wx0000000000000001").encrypt_message(CHINESE_AND_EMOJI, "7", "1700000000")
    encrypt = parse_encrypted_envelope(envelope.encode())
    with pytest.raises(InvalidAppIdException):
        TheirCrypto(TOKEN, KEY, APP_ID).decrypt_message(envelope, sign(TOKEN, "1700000000", "7", encrypt),
                                                        "1700000000", "7")
    with pytest.raises(CryptoError) as refused:
        WeChatCrypto(TOKEN, [KEY], APP_ID).decrypt(encrypt)
    assert refused.value.reasons == ("key 1: appid mismatch",)


def test_key_rotation_reads_wechatpy_under_either_key():
    during_rotation = WeChatCrypto(TOKEN, [KEY, OLD_KEY], APP_ID)
    for key in (KEY, OLD_KEY):
        envelope = TheirCrypto(TOKEN, key, APP_ID).encrypt_message(CHINESE_AND_EMOJI, "7", "1700000000")
        assert during_rotation.decrypt(parse_encrypted_envelope(envelope.encode())) == CHINESE_AND_EMOJI.encode()
    # and what we send goes under the first key
    encrypt = during_rotation.encrypt(b"<xml/>")
    signed = {"Encrypt": encrypt}
    assert TheirCrypto(TOKEN, KEY, APP_ID).decrypt_message(signed, sign(TOKEN, "1", "2", encrypt), "1", "2") == "<xml/>"


def test_published_sample_decrypts_the_same():
    theirs = TheirCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_APP_ID).decrypt_message(
        SAMPLE_BODY, SAMPLE_MSG_SIGNATURE, SAMPLE_TIMESTAMP, SAMPLE_NONCE)
    ours = WeChatCrypto(SAMPLE_TOKEN, [SAMPLE_KEY], SAMPLE_APP_ID).decrypt(parse_encrypted_envelope(SAMPLE_BODY))
    assert ours.decode("utf-8") == theirs
    assert_same_message(parse_inbound(ours), parse_message(theirs), ())
    assert parse_inbound(ours).content == "abcdteT"


def test_wechatpy_work_vectors():
    ours = WeChatCrypto(WORK_TOKEN, [WORK_KEY], WORK_CORP_ID)
    theirs = TheirWorkCrypto(WORK_TOKEN, WORK_KEY, WORK_CORP_ID)
    # their fixed-prefix encryption, byte for byte, and its signature
    assert ours.encrypt(WORK_REPLY.encode(), random16=b"1234567890123456") == WORK_REPLY_ENCRYPT
    assert sign(WORK_TOKEN, WORK_TIMESTAMP, WORK_NONCE, WORK_REPLY_ENCRYPT) == WORK_REPLY_SIGNATURE
    # their push sample
    assert verify_msg_signature(WORK_TOKEN, WORK_TIMESTAMP, WORK_NONCE, WORK_PUSH_ENCRYPT, WORK_PUSH_SIGNATURE)
    pushed = ours.decrypt(WORK_PUSH_ENCRYPT)
    assert pushed.decode() == theirs.decrypt_message({"Encrypt": WORK_PUSH_ENCRYPT}, WORK_PUSH_SIGNATURE,
                                                     WORK_TIMESTAMP, WORK_NONCE)
    assert b"<Content><![CDATA[test]]></Content>" in pushed
    # their URL-verification sample: the echostr is encrypted and signed like a push
    assert verify_msg_signature(WORK_TOKEN, WORK_ECHO_TIMESTAMP, WORK_ECHO_NONCE, WORK_ECHO, WORK_ECHO_SIGNATURE)
    assert ours.decrypt(WORK_ECHO).decode() == theirs.check_signature(
        WORK_ECHO_SIGNATURE, WORK_ECHO_TIMESTAMP, WORK_ECHO_NONCE, WORK_ECHO)


def test_padding_is_checked_where_wechatpy_does_not():
    # Deliberate difference: wechatpy strips as many bytes as the last one says and never looks at
    # the others; a payload WeChat cannot have produced is refused by us, not read.
    key = base64.b64decode(KEY + "=")
    xml = b"<xml>" + b"x" * 4 + b"</xml>"
    body = b"r" * 16 + struct.pack(">I", len(xml)) + xml + APP_ID.encode()
    pad = 32 - len(body) % 32
    assert pad > 1
    plain = body + b"\x00" * (pad - 1) + bytes([pad])
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    encrypt = base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
    assert TheirCrypto(TOKEN, KEY, APP_ID).decrypt_message(
        {"Encrypt": encrypt}, sign(TOKEN, "1", "2", encrypt), "1", "2") == xml.decode()
    with pytest.raises(CryptoError) as refused:
        WeChatCrypto(TOKEN, [KEY], APP_ID).decrypt(encrypt)
    assert refused.value.reasons == ("key 1: bad padding",)


# ---------------------------------------------------------------------------------------------
# 3. Push XML: every documented message and event, ours against wechatpy.parse_message
# ---------------------------------------------------------------------------------------------

Spec = str | Callable[[Any], Any]  # wechatpy: an attribute or a function; ours: a field or a function


def _theirs(msg: Any, spec: Spec) -> Any:
    return spec(msg) if callable(spec) else getattr(msg, spec)


def _ours(inbound: WeChatInbound, spec: Spec) -> Any:
    return spec(inbound) if callable(spec) else inbound.fields.get(spec)


def _id(inbound: WeChatInbound) -> int:
    return int(inbound.msg_id) if inbound.msg_id else 0  # wechatpy's IntegerField('MsgId', 0)


# What every push has, compared on every row.
COMMON: tuple[tuple[Spec, Spec], ...] = (
    ("source", lambda m: m.from_user),  # the guest's openid
    ("target", lambda m: m.to_user),  # the Official Account
    ("time", lambda m: m.create_time),
    ("id", _id),
)


def _their_event_name(inbound: WeChatInbound) -> str:
    # wechatpy names a follow through a parametric QR code (subscribe + qrscene_) "subscribe_scan".
    if inbound.event == "subscribe" and (inbound.event_key or "").startswith("qrscene_"):
        return "subscribe_scan"
    return inbound.event.lower()


def _comparable(theirs: Any, ours: Any) -> tuple[Any, Any]:
    if isinstance(theirs, (int, float)) and isinstance(ours, str):
        ours = type(theirs)(ours)  # wechatpy converts IntegerField/FloatField; we keep the text
    return (theirs if theirs != "" else None), (ours if ours != "" else None)  # empty element = absent


def assert_same_message(ours: WeChatInbound, theirs: Any, pairs: tuple[tuple[Spec, Spec], ...]) -> None:
    if theirs.type == "event":
        assert ours.msg_type == "event" and _their_event_name(ours) == theirs.event
    elif theirs.type == "unknown":
        assert ours.msg_type not in MESSAGE_TYPES and ours.msg_type != "event"
    else:
        assert ours.msg_type == theirs.type and ours.event is None
    overridden = {their for their, _ in pairs if isinstance(their, str)}
    for their_spec, our_spec in tuple(p for p in COMMON if p[0] not in overridden) + pairs:
        expected, got = _comparable(_theirs(theirs, their_spec), _ours(ours, our_spec))
        assert got == expected, f"{their_spec}: wechatpy {expected!r}, ours {got!r}"


def _xml(body: str) -> bytes:
    return ("<xml>" + body + "</xml>").encode("utf-8")


# The docs write "toUser" where WeChat puts the account's original id; our parser checks it is one.
DOCS_ACCOUNT = "gh_0123456789ab"


def _head(from_user: str, create_time: int, msg_type: str, to_user: str = DOCS_ACCOUNT) -> str:
    return (f"<ToUserName><![CDATA[{to_user}]]></ToUserName>\n<FromUserName><![CDATA[{from_user}]]></FromUserName>\n"
            f"<CreateTime>{create_time}</CreateTime>\n<MsgType><![CDATA[{msg_type}]]></MsgType>\n")


def _event(event: str, rest: str = "", from_user: str = "FromUser", create_time: int = 123456789,
           to_user: str = DOCS_ACCOUNT) -> bytes:
    return _xml(_head(from_user, create_time, "event", to_user) + f"<Event><![CDATA[{event}]]></Event>\n" + rest)


MENU_USER, MENU_ACCOUNT = "oMgHVjngRipVsoxg6TuX3vz6glDg", "gh_e136c6e50636"
# The ticket of the docs' QR code example.
QR_TICKET = "gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw=="


def _pictures(event: str, md5s: tuple[str, ...]) -> bytes:
    items = "".join(f"<item><PicMd5Sum><![CDATA[{md5}]]></PicMd5Sum></item>\n" for md5 in md5s)
    return _event(event, f"<EventKey><![CDATA[6]]></EventKey>\n<SendPicsInfo><Count>{len(md5s)}</Count>\n"
                         f"<PicList>{items}</PicList>\n</SendPicsInfo>\n", MENU_USER, 1408090651, MENU_ACCOUNT)


def _scan_code(event: str, result: str) -> bytes:
    return _event(event, "<EventKey><![CDATA[6]]></EventKey>\n<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>\n"
                         f"<ScanResult><![CDATA[{result}]]></ScanResult>\n</ScanCodeInfo>\n",
                  MENU_USER, 1408090502, MENU_ACCOUNT)


# The examples of WeChat's Official Account docs ("接收普通消息", "接收事件推送", "自定义菜单事件推送",
# the template and mass-send job events), as wechatpy's tests/test_parser.py and test_events.py
# (v1.8.18) carry them; the docs' later additions (MsgDataId/Idx, MediaId16K, CopyrightCheckResult)
# included.
CASES = [
    pytest.param(_xml(_head("fromUser", 1348831860, "text") + "<Content><![CDATA[this is a test]]></Content>\n"
                      "<MsgId>1234567890123456</MsgId>\n<MsgDataId>xxxx</MsgDataId>\n<Idx>xxxx</Idx>\n"),
                 (("content", lambda m: m.content),), id="text"),
    pytest.param(_xml(_head("fromUser", 1348831860, "image") + "<PicUrl><![CDATA[this is a url]]></PicUrl>\n"
                      "<MediaId><![CDATA[media_id]]></MediaId>\n<MsgId>1234567890123456</MsgId>\n"),
                 (("image", "PicUrl"), ("media_id", "MediaId")), id="image"),
    pytest.param(_xml(_head("fromUser", 1357290913, "voice") + "<MediaId><![CDATA[media_id]]></MediaId>\n"
                      "<Format><![CDATA[Format]]></Format>\n<MsgId>1234567890123456</MsgId>\n"
                      "<MediaId16K><![CDATA[media_id_16k]]></MediaId16K>\n"),
                 (("media_id", "MediaId"), ("format", "Format"), ("recognition", "Recognition")), id="voice"),
    pytest.param(_xml(_head("fromUser", 1357290913, "voice") + "<MediaId><![CDATA[media_id]]></MediaId>\n"
                      "<Format><![CDATA[Format]]></Format>\n<Recognition><![CDATA[腾讯微信团队]]></Recognition>\n"
                      "<MsgId>1234567890123456</MsgId>\n"),
                 (("media_id", "MediaId"), ("format", "Format"), ("recognition", "Recognition")),
                 id="voice-recognition"),
    pytest.param(_xml(_head("fromUser", 1357290913, "video") + "<MediaId><![CDATA[media_id]]></MediaId>\n"
                      "<ThumbMediaId><![CDATA[thumb_media_id]]></ThumbMediaId>\n<MsgId>1234567890123456</MsgId>\n"),
                 (("media_id", "MediaId"), ("thumb_media_id", "ThumbMediaId")), id="video"),
    pytest.param(_xml(_head("fromUser", 1357290913, "shortvideo") + "<MediaId><![CDATA[media_id]]></MediaId>\n"
                      "<ThumbMediaId><![CDATA[thumb_media_id]]></ThumbMediaId>\n<MsgId>1234567890123456</MsgId>\n"),
                 (("media_id", "MediaId"), ("thumb_media_id", "ThumbMediaId")), id="shortvideo"),
    pytest.param(_xml(_head("fromUser", 1351776360, "location") + "<Location_X>23.134521</Location_X>\n"
                      "<Location_Y>113.358803</Location_Y>\n<Scale>20</Scale>\n<Label><![CDATA[位置信息]]></Label>\n"
                      "<MsgId>1234567890123456</MsgId>\n"),
                 (("location_x", "Location_X"), ("location_y", "Location_Y"), ("scale", "Scale"), ("label", "Label")),
                 id="location"),
    pytest.param(_xml(_head("fromUser", 1351776360, "link") + "<Title><![CDATA[公众平台官网链接]]></Title>\n"
                      "<Description><![CDATA[公众平台官网链接]]></Description>\n<Url><![CDATA[url]]></Url>\n"
                      "<MsgId>1234567890123456</MsgId>\n"),
                 (("title", "Title"), ("description", "Description"), ("url", "Url")), id="link"),
    pytest.param(_xml(_head("fromUser", 1348831860, "notsure") + "<MsgId>1234567890123456</MsgId>\n"),
                 ((lambda t: t._data["MsgType"], lambda m: m.msg_type),), id="undocumented-type"),
    # A file, as WeChat pushes one where it does (customer service of mini programs, WeCom).
    pytest.param(_xml(_head("fromUser", 1348831860, "file") + "<Title><![CDATA[报告.pdf]]></Title>\n"
                      "<Description><![CDATA[1.2 MB]]></Description>\n<FileKey><![CDATA[key]]></FileKey>\n"
                      "<FileMd5><![CDATA[5a75aaca956d97be686719218f275c6b]]></FileMd5>\n"
                      "<FileTotalLen>1258291</FileTotalLen>\n<MsgId>1234567890123457</MsgId>\n"),
                 ((lambda t: t._data["MsgType"], lambda m: m.msg_type),
                  (lambda t: t._data["Title"], "Title")), id="file"),
    pytest.param(_event("subscribe"), (("key", lambda m: m.event_key),), id="subscribe"),
    pytest.param(_event("subscribe", "<EventKey><![CDATA[last_trade_no_4008072001201701105817415015]]></EventKey>\n"),
                 (("key", lambda m: m.event_key),), id="subscribe-with-key"),
    pytest.param(_event("subscribe", "<EventKey><![CDATA[qrscene_123123]]></EventKey>\n"
                                     "<Ticket><![CDATA[TICKET]]></Ticket>\n"),
                 ((lambda t: "qrscene_" + t.scene_id, lambda m: m.event_key), ("ticket", "Ticket")),
                 id="subscribe-qrscene"),
    pytest.param(_event("subscribe", "<EventKey><![CDATA[qrscene_emp_8f0c2b1e-aad]]></EventKey>\n"
                                     f"<Ticket><![CDATA[{QR_TICKET}]]></Ticket>\n"),
                 ((lambda t: t.scene_id.removeprefix("emp_"), lambda m: employee_from_scene(m.event_key)),
                  ("ticket", "Ticket")),
                 id="subscribe-employee-qr"),
    pytest.param(_event("unsubscribe"), (), id="unsubscribe"),
    pytest.param(_event("SCAN", "<EventKey><![CDATA[123123]]></EventKey>\n<Ticket><![CDATA[TICKET]]></Ticket>\n"),
                 (("scene_id", lambda m: m.event_key), ("ticket", "Ticket")), id="SCAN"),
    pytest.param(_event("SCAN", "<EventKey><![CDATA[emp_8f0c2b1e-aad]]></EventKey>\n<Ticket><![CDATA[T]]></Ticket>\n"),
                 ((lambda t: t.scene_id.removeprefix("emp_"), lambda m: employee_from_scene(m.event_key)),),
                 id="SCAN-employee-qr"),
    pytest.param(_event("LOCATION", "<Latitude>23.137466</Latitude>\n<Longitude>113.352425</Longitude>\n"
                                    "<Precision>119.385040</Precision>\n", "fromUser"),
                 (("latitude", "Latitude"), ("longitude", "Longitude"), ("precision", "Precision")), id="LOCATION"),
    pytest.param(_event("CLICK", "<EventKey><![CDATA[EVENTKEY]]></EventKey>\n"), (("key", lambda m: m.event_key),),
                 id="CLICK"),
    pytest.param(_event("VIEW", "<EventKey><![CDATA[www.qq.com]]></EventKey>\n"), (("url", lambda m: m.event_key),),
                 id="VIEW"),
    pytest.param(_scan_code("scancode_push", "1"),
                 (("key", lambda m: m.event_key), ("scan_type", "ScanCodeInfo.ScanType"),
                  ("scan_result", "ScanCodeInfo.ScanResult")), id="scancode_push"),
    pytest.param(_scan_code("scancode_waitmsg", "2"),
                 (("key", lambda m: m.event_key), ("scan_type", "ScanCodeInfo.ScanType"),
                  ("scan_result", "ScanCodeInfo.ScanResult")), id="scancode_waitmsg"),
    *[pytest.param(_pictures(event, ("1b5f7c23b5bf75682a53e7b6d163e185",)),
                   (("key", lambda m: m.event_key), ("count", "SendPicsInfo.Count"),
                    (lambda t: t.pictures[0]["PicMd5Sum"], "SendPicsInfo.PicList.item.PicMd5Sum")), id=event)
      for event in ("pic_sysphoto", "pic_photo_or_album", "pic_weixin")],
    # The same menu events with two pictures: WeChat lists one <item> per picture.
    *[pytest.param(_pictures(event, ("1b5f7c23b5bf75682a53e7b6d163e185", "5a75aaca956d97be686719218f275c6b")),
                   (("key", lambda m: m.event_key), ("count", "SendPicsInfo.Count"),
                    (lambda t: t.pictures[0]["PicMd5Sum"], "SendPicsInfo.PicList.item[1].PicMd5Sum"),
                    (lambda t: t.pictures[1]["PicMd5Sum"], "SendPicsInfo.PicList.item[2].PicMd5Sum")),
                   id=f"{event}-two-pictures")
      for event in ("pic_sysphoto", "pic_photo_or_album", "pic_weixin")],
    pytest.param(_event("location_select", "<EventKey><![CDATA[6]]></EventKey>\n<SendLocationInfo>"
                                           "<Location_X><![CDATA[23]]></Location_X>\n"
                                           "<Location_Y><![CDATA[113]]></Location_Y>\n"
                                           "<Scale><![CDATA[15]]></Scale>\n"
                                           "<Label><![CDATA[广州市海珠区客村艺苑路 106号]]></Label>\n"
                                           "<Poiname><![CDATA[]]></Poiname>\n</SendLocationInfo>\n",
                        MENU_USER, 1408091189, MENU_ACCOUNT),
                 (("key", lambda m: m.event_key), ("location_x", "SendLocationInfo.Location_X"),
                  ("location_y", "SendLocationInfo.Location_Y"), ("scale", "SendLocationInfo.Scale"),
                  ("label", "SendLocationInfo.Label"), ("poiname", "SendLocationInfo.Poiname")),
                 id="location_select"),
    pytest.param(_event("TEMPLATESENDJOBFINISH", "<MsgID>200163836</MsgID>\n<Status><![CDATA[success]]></Status>\n",
                        "oia2TjuEGTNoeX76QEjQNrcURxG8", 1395658920, "gh_7f083739789a"),
                 (("id", "MsgID"), ("status", "Status")), id="TEMPLATESENDJOBFINISH"),
    pytest.param(_event("TEMPLATESENDJOBFINISH", "<MsgID>200163840</MsgID>\n"
                                                 "<Status><![CDATA[failed:user block]]></Status>\n",
                        "oia2TjuEGTNoeX76QEjQNrcURxG8", 1395658984, "gh_7f083739789a"),
                 (("id", "MsgID"), ("status", "Status")), id="TEMPLATESENDJOBFINISH-user-block"),
    pytest.param(_event("MASSSENDJOBFINISH", "<MsgID>1988</MsgID>\n<Status><![CDATA[sendsuccess]]></Status>\n"
                                             "<TotalCount>100</TotalCount>\n<FilterCount>80</FilterCount>\n"
                                             "<SentCount>75</SentCount>\n<ErrorCount>5</ErrorCount>\n",
                        "oR5Gjjl_eiZoUpGozMo7dbBJ362A", 1394524295, "gh_3e8adccde292"),
                 (("id", "MsgID"), ("status", "Status"), ("total_count", "TotalCount"),
                  ("filter_count", "FilterCount"), ("sent_count", "SentCount"), ("error_count", "ErrorCount")),
                 id="MASSSENDJOBFINISH"),
    pytest.param(_event("MASSSENDJOBFINISH", "<MsgID>1988</MsgID>\n<Status><![CDATA[sendsuccess]]></Status>\n"
                                             "<TotalCount>100</TotalCount>\n<FilterCount>80</FilterCount>\n"
                                             "<SentCount>75</SentCount>\n<ErrorCount>5</ErrorCount>\n"
                                             "<CopyrightCheckResult><Count>2</Count><ResultList>"
                                             + "".join(f"<item><ArticleIdx>{i}</ArticleIdx><UserDeclareState>0"
                                                       f"</UserDeclareState><AuditState>2</AuditState>"
                                                       f"<OriginalArticleUrl><![CDATA[Url_{i}]]></OriginalArticleUrl>"
                                                       f"<OriginalArticleType>1</OriginalArticleType><CanReprint>1"
                                                       f"</CanReprint><NeedReplaceContent>1</NeedReplaceContent>"
                                                       f"<NeedShowReprintSource>1</NeedShowReprintSource></item>"
                                                       for i in (1, 2))
                                             + "</ResultList><CheckState>2</CheckState></CopyrightCheckResult>\n",
                        "oR5Gjjl_eiZoUpGozMo7dbBJ362A", 1394524295, "gh_3e8adccde292"),
                 (("id", "MsgID"), ("status", "Status"), ("total_count", "TotalCount"),
                  *((lambda t, i=i: t._data["CopyrightCheckResult"]["ResultList"]["item"][i]["OriginalArticleUrl"],
                     f"CopyrightCheckResult.ResultList.item[{i + 1}].OriginalArticleUrl") for i in (0, 1))),
                 id="MASSSENDJOBFINISH-copyright-check"),
]


@pytest.mark.parametrize("xml, pairs", CASES)
def test_parses_like_wechatpy(xml, pairs):
    theirs = parse_message(xml)
    # the row is what wechatpy knows, or one of the types it does not
    assert type(theirs).__name__ != "UnknownMessage" or re.search(rb"\[(notsure|file)\]", xml)
    assert_same_message(parse_inbound(xml), theirs, pairs)


def test_the_table_covers_every_documented_type():
    ids = {param.id for param in CASES}
    assert {"text", "image", "voice", "voice-recognition", "video", "shortvideo", "location", "link"} <= ids
    assert {"subscribe", "subscribe-qrscene", "unsubscribe", "SCAN", "LOCATION", "CLICK", "VIEW", "scancode_push",
            "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin", "location_select",
            "TEMPLATESENDJOBFINISH", "MASSSENDJOBFINISH"} <= ids
    # every ordinary message type wechatpy knows, except mini-program cards (not an Official Account's)
    assert set(MESSAGE_TYPES) - {"miniprogrampage"} <= ids


@settings(max_examples=300, deadline=None)
@given(openid=st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True), content=xml_text, scene=xml_text)
@example(openid="oyORnuP8q7ou2gfYjqLzSIWZf0rs", content=f"  {CHINESE_AND_EMOJI}\u3000\n", scene=" emp_1 ")
@example(openid="o", content="a]]>b<c>&amp;", scene="]]>")
def test_any_text_parses_like_wechatpy(openid, content, scene):
    text = build_xml({"ToUserName": "gh_5a1b2c3d4e5f", "FromUserName": openid, "CreateTime": 1700000000,
                      "MsgType": "text", "Content": content, "MsgId": 6054768590064713728})
    ours, theirs = parse_inbound(text), parse_message(text)
    assert_same_message(ours, theirs, ())
    # XML turns every \r\n and \r into \n, for both parsers alike.
    as_parsed = content.replace("\r\n", "\n").replace("\r", "\n")
    assert ours.content == as_parsed
    # Deliberate difference: wechatpy (xmltodict) strips what the guest wrote; we keep it verbatim.
    assert theirs.content == (as_parsed.strip() or None)

    scan = build_xml({"ToUserName": "gh_5a1b2c3d4e5f", "FromUserName": openid, "CreateTime": 1700000000,
                      "MsgType": "event", "Event": "SCAN", "EventKey": scene, "Ticket": "T"})
    ours, theirs = parse_inbound(scan), parse_message(scan)
    assert_same_message(ours, theirs, (("scene_id", lambda m: m.event_key),))


# The fields the product reads of each message (services/inbound_lines.py, guest media), each one
# compared with wechatpy's reading on its row above; MsgId, CreateTime and the ids on every row (COMMON),
# Event and EventKey on the events' rows.
FIELDS_WE_USE = {
    "image": {"PicUrl", "MediaId"},
    "voice": {"MediaId", "Format", "Recognition"},
    "voice-recognition": {"MediaId", "Format", "Recognition"},
    "video": {"MediaId", "ThumbMediaId"},
    "shortvideo": {"MediaId", "ThumbMediaId"},
    "location": {"Location_X", "Location_Y", "Scale", "Label"},
    "link": {"Title", "Description", "Url"},
}


def test_every_field_we_use_is_compared_with_wechatpy():
    rows = {param.id: param.values[1] for param in CASES}
    for row, used in FIELDS_WE_USE.items():
        assert used <= {ours for _, ours in rows[row] if isinstance(ours, str)}, row


def _stripped(value: str | None) -> str | None:
    return (value or "").strip() or None  # wechatpy (xmltodict) strips every value; an empty one is None


degrees = st.one_of(st.floats(-200, 200).map(lambda x: f"{x:.6f}"), st.integers(-999, 999).map(str),
                    st.sampled_from(["nan", "inf", "-inf", "1e1", "1_0", "0x1A", "２３.１", " 23.5 ", "", "+90",
                                     "90.5"]),
                    xml_text)


@settings(max_examples=300, deadline=None)
@given(latitude=degrees, longitude=degrees, label=xml_text)
@example(latitude="23.134521", longitude="113.358803", label="位置信息")
def test_a_location_is_read_as_wechatpy_reads_it_and_shown_only_with_its_numbers(latitude, longitude, label):
    xml = build_xml({"ToUserName": "gh_5a1b2c3d4e5f", "FromUserName": "oGuest", "CreateTime": 1700000000,
                     "MsgType": "location", "Location_X": latitude, "Location_Y": longitude, "Scale": "15",
                     "Label": label, "MsgId": 6054768590064713729})
    ours, theirs = parse_inbound(xml), parse_message(xml)
    assert_same_message(ours, theirs, ())
    for name, their_value in (("Location_X", theirs.location_x), ("Location_Y", theirs.location_y),
                              ("Label", theirs.label), ("Scale", theirs.scale)):
        assert _stripped(ours.fields.get(name)) == their_value, name
    point = coordinates(ours.fields.get("Location_X"), ours.fields.get("Location_Y"))
    if point is not None:  # the very numbers wechatpy's text is, within range
        assert (point.latitude, point.longitude) == (float(theirs.location_x), float(theirs.location_y))
        assert abs(point.latitude) <= 90 and abs(point.longitude) <= 180
    # Deliberate difference: wechatpy keeps the text, which float() would take as "nan", "1e1" or "1_0";
    # we show coordinates only where both are plain decimal numbers.
    if any(not re.fullmatch(r"[+-]?[0-9]{1,3}(\.[0-9]+)?", value or "") for value in theirs.location):
        assert point is None


urls = st.one_of(st.builds("{}://{}{}".format, st.sampled_from(["http", "https", "HTTP", "javascript", "data", "file"]),
                           st.sampled_from(["example.com", "例子.cn", "", "[::1]"]), xml_text),
                 xml_text)


@settings(max_examples=300, deadline=None)
@given(title=xml_text, description=xml_text, url=urls)
@example(title="公众平台官网链接", description="公众平台官网链接", url="https://mp.weixin.qq.com/(a)?b=<c>")
@example(title=" t ", description="", url="javascript:alert(1)")
def test_a_link_is_read_as_wechatpy_reads_it_and_made_a_link_only_to_the_web(title, description, url):
    xml = build_xml({"ToUserName": "gh_5a1b2c3d4e5f", "FromUserName": "oGuest", "CreateTime": 1700000000,
                     "MsgType": "link", "Title": title, "Description": description, "Url": url,
                     "MsgId": 6054768590064713730})
    ours, theirs = parse_inbound(xml), parse_message(xml)
    assert_same_message(ours, theirs, ())
    for name, their_value in (("Title", theirs.title), ("Description", theirs.description), ("Url", theirs.url)):
        assert _stripped(ours.fields.get(name)) == their_value, name
    link = re.fullmatch(r"\[.*\]\(([^()\s]*)\)", markdown_link(ours.fields["Url"]), re.DOTALL)
    if link is not None:  # it goes where wechatpy's Url says, and only to the web
        assert unquote(link.group(1)) == unquote(theirs.url)
        assert urlsplit(theirs.url).scheme.lower() in ("http", "https")


# ---------------------------------------------------------------------------------------------
# 4. The published sample through our real webhook, and what wechatpy does not check
# ---------------------------------------------------------------------------------------------

MAX_SKEW = 300  # WEBHOOK_MAX_SKEW_SECONDS' default


@pytest_asyncio.fixture
async def webhook():
    clock = FakeClock(int(SAMPLE_TIMESTAMP))
    accepted: list[WeChatInbound] = []

    async def accept(inbound: WeChatInbound, *, nonce: NonceRecord | None = None) -> str:
        accepted.append(inbound)
        return CREATED

    hook = WeChatWebhook(token=SAMPLE_TOKEN, crypto=WeChatCrypto(SAMPLE_TOKEN, [SAMPLE_KEY], SAMPLE_APP_ID),
                         clock=clock, nonces=None, accept=accept, max_body_bytes=64 * 1024,
                         max_skew_seconds=MAX_SKEW)
    app = web.Application()
    app.router.add_post("/api/wechat", hook.post)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        async def post() -> tuple[int, str]:
            query = {"signature": theirs_sign(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE),
                     "timestamp": SAMPLE_TIMESTAMP, "nonce": SAMPLE_NONCE, "openid": "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
                     "encrypt_type": "aes", "msg_signature": SAMPLE_MSG_SIGNATURE}
            async with session.post(server.make_url("/api/wechat"), params=query, data=SAMPLE_BODY) as response:
                return response.status, await response.text()

        yield clock, post, accepted
    await server.close()


async def test_webhook_accepts_the_published_sample_as_wechatpy_reads_it(webhook):
    clock, post, accepted = webhook
    assert await post() == (200, "success")
    theirs = parse_message(TheirCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_APP_ID).decrypt_message(
        SAMPLE_BODY, SAMPLE_MSG_SIGNATURE, SAMPLE_TIMESTAMP, SAMPLE_NONCE))
    [ours] = accepted
    assert_same_message(ours, theirs, (("content", lambda m: m.content),))
    assert ours.dedup_key == "msg:6054768590064713728"


async def test_webhook_refuses_the_sample_once_stale_which_wechatpy_would_take(webhook):
    # Deliberate difference: wechatpy's check_signature and decrypt_message take a signed request
    # whenever it comes; ours refuses a timestamp more than MAX_SKEW seconds off (a replayed capture).
    clock, post, accepted = webhook
    clock.advance(MAX_SKEW + 1)
    assert await post() == (403, "stale timestamp")
    assert accepted == []
    check_signature(SAMPLE_TOKEN, theirs_sign(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE), SAMPLE_TIMESTAMP,
                    SAMPLE_NONCE)
    assert TheirCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_APP_ID).decrypt_message(
        SAMPLE_BODY, SAMPLE_MSG_SIGNATURE, SAMPLE_TIMESTAMP, SAMPLE_NONCE)
