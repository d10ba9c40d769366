"""The flat pushes' reader (adapters/wechat/xml.py `_flat`) against expat: whatever it reads, expat reads
too, and into the same fields; the rest it leaves to expat."""
import random
import re

import pytest

from adapters.wechat.xml import MalformedXml, _expat_fields, _flat, parse_inbound
from simulators.wechat_push import event, message, text_message
from tests.wechat.samples import DEMO_XML

# WeChat's documented shape: a newline and two spaces before each element.
DOCUMENTED = (b"<xml>\n  <ToUserName><![CDATA[gh_1a2b]]></ToUserName>\n"
              b"  <FromUserName><![CDATA[oFrom]]></FromUserName>\n"
              b"  <CreateTime>1348831860</CreateTime>\n  <MsgType><![CDATA[text]]></MsgType>\n"
              b"  <Content><![CDATA[this is a test]]></Content>\n  <MsgId>1234567890123456</MsgId>\n"
              b"  <MsgDataId>xxxx</MsgDataId>\n  <Idx>xxxx</Idx>\n</xml>")
SEEDS = [
    DEMO_XML, DOCUMENTED,
    text_message("o1", "你好，世界 ]]> <b>&amp; 'quoted' \"double\" \n second line 😀 ", create_time=1700000000,
                 msg_id=1),
    text_message("o2", "", create_time=1, msg_id=2),
    message("o3", "image", create_time=3, msg_id=3, PicUrl="https://example.com/a.jpg?x=1&y=2", MediaId="m_1"),
    message("o4", "location", create_time=4, msg_id=4, Location_X="23.1", Location_Y="113.3", Scale="20",
            Label="广州市 > 天河区"),
    event("o5", "subscribe", create_time=5, event_key="qrscene_emp_42", ticket="gQabc"),
    event("o6", "scancode_waitmsg", create_time=6, event_key="k", ScanCodeInfo={"ScanType": "qrcode"}),
]

# What a mutation puts in: XML's markup, what it forbids, what a parser changes, and ordinary text.
PIECES = ["<", ">", "/", "&", "&amp;", "&#60;", "&lol;", "]", "]]", "]]>", "<![CDATA[", "<![CDATA[x]]>", "</", "/>",
          "\r", "\r\n", "\n", " ", "\t", "\x00", "\x0b", "\x7f", "\ufffe", "\ufeff", "<!-- c -->", "<?pi x?>",
          "<!DOCTYPE xml>", "<!ENTITY e 'x'>", "<A>", "</A>", "<A/>", "<Content>", "</Content>", "<MsgId>1</MsgId>",
          ' a="1"', "xml", "<xml>", "</xml>", *["中", "é", "😀", "x", "1", ">", "]", "]]", " ", "\n"] * 4]
BYTES = [b"\xff", b"\xed\xa0\x80", b"\xc3", b"\xef\xbb\xbf"]  # not UTF-8, a surrogate, a cut sequence, a BOM


def _inside_text(doc: bytes) -> list[int]:
    """Where a leaf's text or section is (a mutation there keeps most documents flat)."""
    return [at for m in re.finditer(rb">(?:<!\[CDATA\[)?([^<]*)", doc) for at in range(m.start(1), m.end(1) + 1)]


def _mutated(rng: random.Random, seed: bytes) -> bytes:
    doc = seed
    for _ in range(rng.choice((1, 1, 2, 3))):
        texts = _inside_text(doc) if rng.random() < 0.5 else []
        at = rng.choice(texts) if texts else rng.randint(0, len(doc))
        kind = rng.random()
        if kind < 0.5:
            piece = rng.choice(PIECES).encode() if rng.random() < 0.9 else rng.choice(BYTES)
            doc = doc[:at] + piece + doc[at:]
        elif kind < 0.75:
            doc = doc[:at] + doc[at + rng.randint(1, 12):]
        else:
            start = rng.randint(0, len(doc))
            doc = doc[:at] + doc[start:start + rng.randint(1, 30)] + doc[at:]
    return doc


def test_every_seed_is_read_flat_as_expat_reads_it_but_a_block_and_a_text_with_two_sections():
    for seed in SEEDS:
        flat = _flat(seed)
        if b"ScanCodeInfo" in seed or b"]]]]><![CDATA[>" in seed:  # a block; "]]>" in a text, in two sections
            assert flat is None
        else:
            assert flat == _expat_fields(seed)


def test_what_it_reads_of_mutated_pushes_expat_reads_the_same():
    rng = random.Random(21)
    read = refused = 0
    for _ in range(30_000):
        doc = _mutated(rng, rng.choice(SEEDS))
        flat = _flat(doc)
        if flat is None:
            continue
        read += 1
        try:
            expected = _expat_fields(doc)
        except MalformedXml as exc:
            raise AssertionError(f"read flat, refused by expat ({exc}): {doc!r}") from None
        assert flat == expected, doc
    try_expat = [_mutated(rng, rng.choice(SEEDS)) for _ in range(2_000)]
    for doc in try_expat:
        try:
            _expat_fields(doc)
        except MalformedXml:
            refused += 1
    # Neither side trivial: a good share read flat, a good share refused.
    assert read > 3_000 and refused > 500, (read, refused)


@pytest.mark.parametrize("doc", [
    b"<xml><Content>a&amp;b</Content></xml>",  # a reference: expat turns it into "&"
    b"<xml><Content>a\r\nb</Content></xml>",  # a CR: expat turns it into a LF
    b"<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>",  # "]]>" in two sections
    b"<xml><Content>  <![CDATA[x]]></Content></xml>",  # text beside a section
    b"<xml><Content a='1'>x</Content></xml>",
    b"<xml><Content/></xml>",
    b"<xml><Content>x</Content ></xml>",
    b"<xml><A>1</A><A>2</A></xml>",
    b"<xml>text<A>1</A></xml>",
    b"<xml><!-- c --><A>1</A></xml>",
    b"<?xml version='1.0'?><xml><A>1</A></xml>",
    b"\xef\xbb\xbf<xml><A>1</A></xml>",
    b"<!DOCTYPE xml><xml><A>1</A></xml>",
])
def test_anything_but_a_flat_push_is_left_to_expat(doc):
    assert _flat(doc) is None


def test_a_flat_push_reads_the_same_either_way():
    msg = parse_inbound(DOCUMENTED)
    assert (msg.from_user, msg.create_time, msg.content, msg.fields["Idx"]) == ("oFrom", 1348831860, "this is a test",
                                                                              "xxxx")
    assert msg.fields == _expat_fields(DOCUMENTED)
