"""What employees read on the Teams side comes from the notice catalogue, in their sub-organization's
language, and nowhere else: no English sentence is left in the bot, the cards or the services it uses."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cards.choose_guest import ChooseTexts
from cards.views import LeaveTexts, StatusTexts
from core.notices import EN, KEYS, ZH_CN, NoticeError, Notices
from core.organizations import directory_from_mapping
from services.teams_texts import CARD_KEYS, TeamsTexts, card_keys, employee_texts, texts_of

REPO = Path(__file__).resolve().parents[2]
ALICE, LI = "a11ce000-0000-4000-8000-000000000001", "11000000-0000-4000-8000-000000000002"

# ------------------------------------------------------------------------------------------------
# The catalogue and the cards agree
# ------------------------------------------------------------------------------------------------


def test_every_card_text_is_a_catalogue_key_and_every_card_key_is_read_by_a_card():
    read = {key for cls in CARD_KEYS for key in card_keys(cls)}
    assert read <= KEYS, sorted(read - KEYS)
    assert {k for k in KEYS if k.startswith("card_")} == read


def test_a_card_texts_object_is_the_catalogues_templates_in_the_language():
    en, zh = TeamsTexts(Notices(), EN).card(StatusTexts), TeamsTexts(Notices(), ZH_CN).card(StatusTexts)
    assert en.active == "{left} of {limit} messages left · window closes in {closes_in}"  # filled by the card
    assert (en.guest.brand, zh.guest.brand, zh.durations.hours) == ("WeChat", "微信", "{n} 小时")


# ------------------------------------------------------------------------------------------------
# Whose words: the sub-organization's, else the employee's, else the default
# ------------------------------------------------------------------------------------------------

DIRECTORY = directory_from_mapping({"organizations": [{
    "id": "contoso", "name": "Contoso",
    "sub_organizations": [
        {"id": "wealth", "name": "Wealth", "employees": [{"aad": ALICE, "name": "Alice Wong"}]},
        {"id": "sh", "name": "Shanghai", "employees": [{"aad": LI, "name": "Li Wei"}],
         "policy": {"employee_language": "zh-CN"},
         "notices": {"card_choose_sent": {"zh-CN": "已发给 {guest}（上海）。"}, "teams_not_valid": {"en": "Nope."}}},
    ]}]})


def test_a_sub_organizations_language_and_own_words_are_used():
    shanghai = texts_of(DIRECTORY.get("sh"))
    assert shanghai.language == ZH_CN and shanghai.card(ChooseTexts).sent == "已发给 {guest}（上海）。"
    assert shanghai.card(LeaveTexts).leave == "退出对话"
    assert texts_of(DIRECTORY.get("wealth"))("teams_not_valid") == "That card is out of date or not valid here."


def test_where_no_conversation_is_concerned_the_employees_sub_organization_speaks_else_the_default():
    assert employee_texts(DIRECTORY, LI)("teams_nothing_queued") == "这里没有等待发送的消息。"
    assert employee_texts(DIRECTORY, ALICE)("teams_nothing_queued") == "No message is waiting to be sent here."
    assert employee_texts(DIRECTORY, "someone-else") == texts_of(DIRECTORY.get("wealth"))
    assert employee_texts(DIRECTORY, None) == texts_of(DIRECTORY.get("wealth"))


def test_an_override_of_a_card_text_is_checked_like_a_notices():
    with pytest.raises(NoticeError, match=r"card_choose_sent\[en\]: unknown placeholder\(s\) \{name\}"):
        Notices({"card_choose_sent": {"en": "Sent to {name}."}})


# ------------------------------------------------------------------------------------------------
# No English sentence in the code
# ------------------------------------------------------------------------------------------------

PROSE = re.compile(r"[A-Za-z]{2,}[,.:;!?']? +[A-Za-z]{2,}")  # two words: a sentence, or a piece of one
# services/conversation_runner.py's part on the Teams side (the rest carries out the policy: not employee texts)
NOTICE_PART = {"notice"}


def english_literals(source: str, only_functions: set[str] | None = None) -> list[str]:
    """String literals that read as English words, except docstrings, what goes to the log or into an
    exception, a reason kept for the log (`why`), and the command words (bots/commands.py)."""
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)):
            exempt.add(id(body[0].value))  # a docstring
        logged = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            isinstance(node.func.value, ast.Name) and node.func.value.id in ("log", "logging")
        why = (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "why" for t in node.targets)) \
            or (isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "why" for k in node.keys))
        command = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Command"
        if isinstance(node, ast.Raise) or logged or why or command:
            exempt |= {id(n) for n in ast.walk(node)}
    scopes = [tree] if only_functions is None else [
        n for n in ast.walk(tree)
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in only_functions]
    return [node.value for scope in scopes for node in ast.walk(scope)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt
            and PROSE.search(node.value)]


TEAMS_SIDE = [*sorted((REPO / "bots").glob("*.py")), *sorted((REPO / "cards").glob("*.py"))] + [
    REPO / "services" / f"{name}.py" for name in ("admin_panel", "contacts", "enablement", "outbound", "participants",
                                                  "qr_codes", "teams_texts", "guest_dialogs", "mail", "routing",
                                                  "guest_connections", "guest_posts", "thread_cards", "live_cards")]


@pytest.mark.parametrize("path", TEAMS_SIDE, ids=lambda p: str(p.relative_to(REPO)))
def test_no_english_sentence_is_left_in_the_teams_side(path):
    assert english_literals(path.read_text(encoding="utf-8")) == []


def test_what_reaches_teams_from_wechat_has_no_english_sentence_but_the_stored_jobs_marker():
    from services.inbound import WITHHELD  # replaces a validation answer in the stored job; never shown

    assert english_literals((REPO / "services" / "inbound.py").read_text(encoding="utf-8")) == [WITHHELD]


def test_no_english_sentence_is_left_in_the_notice_part_of_the_conversation_runner():
    source = (REPO / "services" / "conversation_runner.py").read_text(encoding="utf-8")
    assert english_literals(source, NOTICE_PART) == []
    found = {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assert NOTICE_PART <= found  # the scan reaches every one of them


def test_the_scan_finds_what_it_looks_for():
    source = '''
"""A docstring, never shown."""
log = None
def answer(turn_context, texts):
    """What it says."""
    log.info("refused: not enabled for %s", 1)
    why = "the thread is closed"
    await turn_context.send_activity(MessageFactory.text("Find whom? For example: find Chen."))
    return f"Opened **{guest}** in your chat", texts("teams_find_whom"), " · ", "cancelQueued"
'''
    assert sorted(english_literals(source)) == ["** in your chat", "Find whom? For example: find Chen."]
