"""The employee directory file (core/people.py): CSV (byte-order mark, columns in any order, `;`
lists) and JSON (lists as arrays) read into `Person`s with phones in E.164 and e-mails in lower
case; and every problem reported at once, each with its line."""
from __future__ import annotations

import pytest

from core.config_error import ConfigError
from core.people import COLUMNS, Person, people_from_text


def problems(text: str, fmt: str = "csv", where: str = "people.csv", region: str = "CN") -> list[str]:
    with pytest.raises(ConfigError) as info:
        people_from_text(text, fmt, where, region)
    return info.value.problems


def test_a_csv_with_a_byte_order_mark_and_columns_in_any_order_is_read():
    text = ("\ufeffdesk,phone,sub_organization,email,name_zh,aliases,name,aad,languages\n"
            "Bonds;; Fixed income ,9123 4567,hk,Alice.Wong@Bank.Example,王嘉欣,Ally; Wong Ka Yan,"
            "Alice Wong,a-1,en;yue\n")

    (alice,) = people_from_text(text, "csv", "people.csv", "HK")

    assert alice == Person(aad="a-1", name="Alice Wong", sub_org="hk", name_zh="王嘉欣",
                           aliases=("Ally", "Wong Ka Yan"), email="alice.wong@bank.example",
                           phone="+85291234567", desk=("Bonds", "Fixed income"), languages=("en", "yue"))
    assert alice.display == "Alice Wong 王嘉欣"


def test_only_aad_name_and_sub_organization_are_needed_and_blank_lines_are_skipped():
    people = people_from_text("name,aad,sub_organization\n\nJohn Smith,j-1,retail\n\n", "csv", "people.csv")

    assert people == (Person(aad="j-1", name="John Smith", sub_org="retail"),)
    assert people[0].display == "John Smith"


@pytest.mark.parametrize("written, region, e164", [
    ("138 0013 8000", "CN", "+8613800138000"),
    ("138-0013-8000", "CN", "+8613800138000"),
    ("+86 138 0013 8000", "HK", "+8613800138000"),
    ("9123 4567", "HK", "+85291234567"),
    ("+852 9123-4567", "CN", "+85291234567"),
])
def test_phones_are_read_in_the_region_and_kept_in_e164(written, region, e164):
    text = f"aad,name,sub_organization,phone\na-1,Alice Wong,hk,{written}\n"

    assert people_from_text(text, "csv", "people.csv", region)[0].phone == e164


def test_a_json_directory_takes_lists_as_arrays():
    text = """[
      {"aad": "w-1", "name": "Wei Wang", "name_zh": "王伟", "sub_organization": "pb",
       "aliases": ["William", " Will "], "desk": ["Relationship manager", ""], "languages": ["zh", "en"],
       "email": "Wei.Wang@Bank.Example", "notify_email": "WW+notify@Bank.Example", "phone": "138 0013 8000"},
      {"aad": "w-2", "name": "Fang Wang", "sub_organization": "retail", "desk": "Gold;Precious metals"}
    ]"""

    wei, fang = people_from_text(text, "json", "people.json")

    assert wei == Person(aad="w-1", name="Wei Wang", sub_org="pb", name_zh="王伟", aliases=("William", "Will"),
                         email="wei.wang@bank.example", notify_email="ww+notify@bank.example",
                         phone="+8613800138000", desk=("Relationship manager",), languages=("zh", "en"))
    assert fang.desk == ("Gold", "Precious metals")


def test_every_problem_is_reported_at_once_each_with_its_line():
    text = ("aad,name,sub_organization,phone,email,name_zh\n"
            "a-1,Alice Wong,hk,+852 9123 4567,alice@bank.example,王嘉欣\n"
            "a-2,Bob Chan,hk,not a phone,bob@bank,Bob\n"
            ",Carol Ho,,,,\n")

    assert problems(text) == [
        "people.csv:3: email: not an e-mail address: 'bob@bank'",
        "people.csv:3: name_zh: no Chinese characters in 'Bob'",
        "people.csv:3: phone: not a phone number: 'not a phone'",
        "people.csv:4: aad: required",
        "people.csv:4: sub_organization: required",
    ]


def test_a_duplicate_aad_or_phone_names_both_lines():
    text = ("aad,name,sub_organization,phone\n"
            "a-1,Alice Wong,hk,+852 9123 4567\n"
            "a-2,Bob Chan,hk,\n"
            "a-1,Carol Ho,hk,\n"
            "a-4,Dan Lee,hk,9123-4567\n")

    assert problems(text, region="HK") == [
        "people.csv:4: aad a-1 is also at people.csv:2",
        "people.csv:5: phone +85291234567 is also at people.csv:2",
    ]


def test_people_without_a_phone_are_not_duplicates_of_each_other():
    text = "aad,name,sub_organization,phone\na-1,Alice Wong,hk,\na-2,Bob Chan,hk,\n"

    assert [p.phone for p in people_from_text(text, "csv", "people.csv")] == ["", ""]


def test_a_missing_required_column_is_reported_on_the_header_line():
    assert problems("aad,name,desk\na-1,Alice Wong,Bonds\n") == ["people.csv:1: missing column(s) sub_organization"]


def test_an_unknown_column_is_reported_with_the_known_ones():
    (problem,) = problems("aad,name,sub_organization,team\na-1,Alice Wong,hk,bonds\n")

    assert problem.startswith("people.csv:1: unknown column(s) team (known: ")
    assert all(column in problem for column in COLUMNS)


def test_a_row_with_more_fields_than_columns_is_reported():
    text = "aad,name,sub_organization\na-1,Alice Wong,hk\na-2,Bob Chan,hk,extra\n"

    assert problems(text) == ["people.csv:3: more fields than columns"]


def test_a_json_syntax_error_is_reported_with_its_line():
    text = '[\n  {"aad": "a-1", "name": "Alice Wong",\n   "sub_organization": "hk",}\n]'

    (problem,) = problems(text, "json", "people.json")

    assert problem.startswith("people.json:3: not JSON: ")


def test_json_problems_name_the_entry_by_its_index():
    text = '[{"aad": "a-1", "name": "Alice", "sub_organization": "hk", "team": "x"}, "Bob", {"aad": "a-3"}]'

    assert problems(text, "json", "people.json")[:2] == [
        "people.json[0]: unknown key(s) team (known: " + ", ".join(COLUMNS) + ")",
        "people.json[1]: must be an object",
    ]
    assert problems(text, "json", "people.json")[2:] == [
        "people.json[2]: name: required", "people.json[2]: sub_organization: required"]
    assert problems('{"aad": "a-1"}', "json", "people.json") == ["people.json: must be an array of people"]


def test_the_error_message_lists_every_problem():
    with pytest.raises(ConfigError) as info:
        people_from_text("aad,name,sub_organization,email\na-1,,hk,\na-2,Bob,hk,x\n", "csv", "people.csv")

    assert str(info.value) == ("invalid employee directory:\n"
                               "  people.csv:2: name: required\n"
                               "  people.csv:3: email: not an e-mail address: 'x'")


def test_a_phone_that_is_not_a_number_is_left_out_with_a_warning_naming_its_line():
    warnings: list[str] = []
    text = "aad,name,sub_organization,phone\na-1,Alice Wong,hk,+852 9123 4567\na-2,Bob Chan,hk,+852 5677 4023\n"

    alice, bob = people_from_text(text, "csv", "people.csv", "HK", warnings)

    assert (alice.phone, bob.phone, bob.name) == ("+85291234567", "", "Bob Chan")
    assert warnings == ["people.csv:3: phone: not a phone number: '+852 5677 4023'"]


def test_a_number_read_in_the_wrong_region_is_left_out_with_where_it_is_one():
    """A Hong Kong work phone without +852, read as a mainland number: the warning says where it is a number."""
    warnings: list[str] = []
    (amy,) = people_from_text("aad,name,sub_organization,phone\na-1,Amy Ho,hk,9123 4567\n", "csv", "people.csv", "CN",
                              warnings)
    assert amy.phone == ""
    assert warnings[0].startswith("people.csv:2: phone: not a phone number: '9123 4567' (a number in HK")
    assert "phone_validation" in warnings[0]


def test_a_chinese_desk_column_is_read_as_a_list():
    (amy,) = people_from_text("aad,name,sub_organization,desk_zh\na-1,Amy Lee,hk,保险; 理赔\n", "csv", "people.csv")

    assert amy.desk_zh == ("保险", "理赔")
