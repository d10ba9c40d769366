import base64
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from adapters.wechat.crypto import CryptoError, WeChatCrypto
from tests.wechat.samples import DEMO_XML

# WeChat's WXBizMsgCrypt demo (the official sample shipped with the docs, reproduced unchanged
# in many ports): key, appid and a ciphertext WeChat produced.
DEMO_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
DEMO_APPID = "wx2c2769f8efd9abc2"
DEMO_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHF"
    "VAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVti"
    "cbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0Vxp"
    "Ae+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpC"
    "umEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)
# The Java SDK sample's encryption vector: fixed random "aaaabbbbccccdddd", so the output is exact.
JAVA_APPID = "wxb11529c136998cb6"
JAVA_ENCRYPT = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="

OTHER_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"


def raw_encrypt(key43: str, plain: bytes) -> str:
    """AES-CBC with no padding logic of its own, to build deliberately broken payloads."""
    key = base64.b64decode(key43 + "=")
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def test_decrypts_wechat_demo_message():
    assert WeChatCrypto("spamtest", [DEMO_KEY], DEMO_APPID).decrypt(DEMO_ENCRYPT) == DEMO_XML


def test_encrypts_exactly_like_the_java_sample():
    crypto = WeChatCrypto("pamtest", [DEMO_KEY], JAVA_APPID)
    out = crypto.encrypt("我是中文abcd123".encode("utf-8"), random16=b"aaaabbbbccccdddd")
    assert out == JAVA_ENCRYPT
    assert crypto.decrypt(JAVA_ENCRYPT).decode("utf-8") == "我是中文abcd123"


@pytest.mark.parametrize("size", [0, 1, 11, 12, 13, 31, 32, 33, 1000])
def test_round_trip_every_padding_length(size):
    crypto = WeChatCrypto("t", [DEMO_KEY], DEMO_APPID)
    xml = ("<xml>" + "中" * size + "</xml>").encode()
    token = crypto.encrypt(xml)
    assert len(base64.b64decode(token)) % 32 == 0
    assert crypto.decrypt(token) == xml


def test_random_prefix_differs_each_time():
    crypto = WeChatCrypto("t", [DEMO_KEY], DEMO_APPID)
    assert crypto.encrypt(b"<xml/>") != crypto.encrypt(b"<xml/>")


def test_tampered_ciphertext_is_refused():
    data = bytearray(base64.b64decode(DEMO_ENCRYPT))
    for position in (len(data) - 1, len(data) - 20, len(data) - 33):  # last block, appid, padding byte
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        with pytest.raises(CryptoError):
            WeChatCrypto("spamtest", [DEMO_KEY], DEMO_APPID).decrypt(base64.b64encode(bytes(tampered)).decode())


def test_length_field_tampering_is_refused():
    # Flipping ciphertext block 0 flips plaintext block 1, where the 4-byte length lives.
    data = bytearray(base64.b64decode(DEMO_ENCRYPT))
    data[0] ^= 0x80
    with pytest.raises(CryptoError):
        WeChatCrypto("spamtest", [DEMO_KEY], DEMO_APPID).decrypt(base64.b64encode(bytes(data)).decode())


@pytest.mark.parametrize("bad", ["", "not base64!!", "YWJj", DEMO_ENCRYPT[:-8], DEMO_ENCRYPT + "AAAA"])
def test_garbage_is_refused(bad):
    with pytest.raises(CryptoError):
        WeChatCrypto("spamtest", [DEMO_KEY], DEMO_APPID).decrypt(bad)


def test_wrong_appid_is_refused():
    with pytest.raises(CryptoError) as info:
        WeChatCrypto("spamtest", [DEMO_KEY], "wx0000000000000000").decrypt(DEMO_ENCRYPT)
    assert "appid" in " ".join(info.value.reasons)
    assert "appid" not in str(info.value)  # the public message stays generic


def test_wrong_key_is_refused():
    with pytest.raises(CryptoError):
        WeChatCrypto("spamtest", [OTHER_KEY], DEMO_APPID).decrypt(DEMO_ENCRYPT)


def _payload(xml: bytes, appid: str = DEMO_APPID, *, length: int | None = None) -> bytes:
    return b"r" * 16 + struct.pack(">I", len(xml) if length is None else length) + xml + appid.encode()


@pytest.mark.parametrize(
    "tail",
    [
        b"\x00" * 32,  # pad value 0
        bytes([33]) * 32,  # pad value above the 32-byte block
        b"\x05" * 31 + b"\x06",  # inconsistent padding bytes
        b"\x01" * 31 + b"\x20",  # claims 32 bytes of padding but they differ
    ],
)
def test_bad_padding_is_refused(tail):
    body = _payload(b"<xml/>")
    filler = b"x" * ((-len(body)) % 32)  # align so `tail` is the whole final block
    with pytest.raises(CryptoError) as info:
        WeChatCrypto("t", [DEMO_KEY], DEMO_APPID).decrypt(raw_encrypt(DEMO_KEY, body + filler + tail))
    assert info.value.reasons


def test_length_beyond_the_payload_is_refused():
    body = _payload(b"<xml/>", length=10_000)
    pad = 32 - len(body) % 32
    with pytest.raises(CryptoError):
        WeChatCrypto("t", [DEMO_KEY], DEMO_APPID).decrypt(raw_encrypt(DEMO_KEY, body + bytes([pad]) * pad))


def test_key_rotation_previous_key_still_decrypts():
    old = WeChatCrypto("t", [DEMO_KEY], DEMO_APPID)
    rotating = WeChatCrypto("t", [OTHER_KEY, DEMO_KEY], DEMO_APPID)
    from_old = old.encrypt(b"<xml>old</xml>")
    assert rotating.decrypt(from_old) == b"<xml>old</xml>"
    assert rotating.decrypt(DEMO_ENCRYPT) == DEMO_XML
    # Encryption uses the current (first) key only.
    from_new = rotating.encrypt(b"<xml>new</xml>")
    assert WeChatCrypto("t", [OTHER_KEY], DEMO_APPID).decrypt(from_new) == b"<xml>new</xml>"
    with pytest.raises(CryptoError):
        old.decrypt(from_new)


def test_single_key_string_is_accepted():
    assert WeChatCrypto("spamtest", DEMO_KEY, DEMO_APPID).decrypt(DEMO_ENCRYPT) == DEMO_XML


@pytest.mark.parametrize("key", [DEMO_KEY[:-1], DEMO_KEY + "A", "", "#" * 43])
def test_bad_key_names_the_variable(key):
    with pytest.raises(ValueError, match="WECHAT_ENCODING_AES_KEY") as info:
        WeChatCrypto("t", [key], DEMO_APPID)
    assert key not in str(info.value) or not key


def test_bad_previous_key_is_named_too():
    with pytest.raises(ValueError, match=r"WECHAT_ENCODING_AES_KEY \(key 2\)"):
        WeChatCrypto("t", [DEMO_KEY, "short"], DEMO_APPID)


def test_no_key_at_all():
    with pytest.raises(ValueError, match="WECHAT_ENCODING_AES_KEY"):
        WeChatCrypto("t", [], DEMO_APPID)


def test_repr_hides_keys():
    assert DEMO_KEY not in repr(WeChatCrypto("t", [DEMO_KEY], DEMO_APPID))
