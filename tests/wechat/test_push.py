"""What WeChat's servers send to the webhook, as built by simulators.wechat_push."""
from adapters.wechat.crypto import WeChatCrypto
from adapters.wechat.signature import verify_msg_signature, verify_signature
from adapters.wechat.xml import parse_encrypted_envelope, parse_inbound
from simulators.wechat_push import build_push, event, text_message, verification_query

TOKEN = "pushtoken123"
KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx2c2769f8efd9abc2"


def test_plaintext_push():
    xml = text_message("o_user", "你好", create_time=1700000000, msg_id=123, to_user="gh_acct")
    query, body = build_push(xml, token=TOKEN, timestamp=1700000001, nonce="n1", aes=None)
    assert list(query) == ["signature", "timestamp", "nonce", "openid"]
    assert query["openid"] == "o_user" and query["timestamp"] == "1700000001"
    assert verify_signature(TOKEN, query["timestamp"], query["nonce"], query["signature"])
    assert body == xml


def test_safe_mode_push():
    crypto = WeChatCrypto(TOKEN, [KEY], APP_ID)
    xml = event("o_user", "subscribe", create_time=1700000000, event_key="qrscene_emp_1", to_user="gh_acct")
    query, body = build_push(xml, token=TOKEN, timestamp="1700000001", nonce="n2", aes=crypto)
    assert query["encrypt_type"] == "aes"
    assert verify_signature(TOKEN, query["timestamp"], query["nonce"], query["signature"])
    encrypt = parse_encrypted_envelope(body)
    assert verify_msg_signature(TOKEN, query["timestamp"], query["nonce"], encrypt, query["msg_signature"])
    assert body.startswith(b"<xml><ToUserName><![CDATA[gh_acct]]></ToUserName><Encrypt>")
    assert parse_inbound(crypto.decrypt(encrypt)).event_key == "qrscene_emp_1"


def test_malformed_xml_is_still_signed_and_sent():
    hostile = b'<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>'
    query, body = build_push(hostile, token=TOKEN, timestamp=1, nonce="n", aes=None, openid="o1")
    assert body == hostile and query["openid"] == "o1"
    assert verify_signature(TOKEN, "1", "n", query["signature"])


def test_verification_query():
    q = verification_query(TOKEN, timestamp=5, nonce="n", echostr="echo")
    assert q["echostr"] == "echo" and verify_signature(TOKEN, "5", "n", q["signature"])
