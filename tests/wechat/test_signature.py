import hashlib

from adapters.wechat.signature import sign, verify_msg_signature, verify_signature

# The sample values of WeChat's own WXBizMsgCrypt demo (token "spamtest").
TOKEN, TIMESTAMP, NONCE = "spamtest", "1409735669", "1320562132"
ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHF"
    "VAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVti"
    "cbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0Vxp"
    "Ae+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpC"
    "umEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)
MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"  # from the demo
SIGNATURE = "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"  # the plain signature for the same values


def test_sign_sorts_then_joins_then_sha1():
    assert sign("b", "a", "c") == hashlib.sha1(b"abc").hexdigest()
    assert sign("c", "b", "a") == sign("a", "b", "c")


def test_known_vectors():
    assert sign(TOKEN, TIMESTAMP, NONCE) == SIGNATURE
    assert sign(TOKEN, TIMESTAMP, NONCE, ENCRYPT) == MSG_SIGNATURE


def test_verify_signature():
    assert verify_signature(TOKEN, TIMESTAMP, NONCE, SIGNATURE)
    assert not verify_signature(TOKEN, TIMESTAMP, NONCE, SIGNATURE[:-1] + "0")
    assert not verify_signature("other", TIMESTAMP, NONCE, SIGNATURE)
    assert not verify_signature(TOKEN, "1409735670", NONCE, SIGNATURE)
    assert not verify_signature(TOKEN, TIMESTAMP, NONCE, "")
    assert not verify_signature(TOKEN, TIMESTAMP, NONCE, SIGNATURE.upper())


def test_verify_msg_signature():
    assert verify_msg_signature(TOKEN, TIMESTAMP, NONCE, ENCRYPT, MSG_SIGNATURE)
    assert not verify_msg_signature(TOKEN, TIMESTAMP, NONCE, ENCRYPT + "x", MSG_SIGNATURE)
    assert not verify_msg_signature(TOKEN, TIMESTAMP, NONCE, ENCRYPT, SIGNATURE)


def test_hostile_input_is_false_not_an_exception():
    # hmac.compare_digest raises TypeError on non-ASCII str; an attacker controls this value.
    assert not verify_signature(TOKEN, TIMESTAMP, NONCE, "签名" * 20)
    assert not verify_signature(TOKEN, TIMESTAMP, NONCE, None)  # type: ignore[arg-type]
