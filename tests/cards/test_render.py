"""Every sample card renders cleanly in the official Adaptive Cards renderer, as Teams would show it.

The schema test checks the JSON; this one runs the JavaScript renderer (`adaptivecards` 3.0.6) in
headless Chromium with a Teams host config (`render_page.py`) and fails on any parse error, parse
warning, validation issue or empty render. First the harness is shown to catch broken cards (and
to pass a minimal one); then every sample of `samples.py` is rendered, one test each. One browser
and one page serve the whole module.
"""
from __future__ import annotations

import copy

import pytest
import pytest_asyncio
from playwright.async_api import Error as PlaywrightError

from tests.browser import CHROMIUM_MISSING, ChromiumMissing, chromium_path, new_page, serve
from tests.cards.render_page import CARD_WIDTH, PANE_WIDTH, RendererMissing, card_page, problems
from tests.cards.samples import all_samples

pytestmark = pytest.mark.asyncio(loop_scope="module")

MINIMAL = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
           "version": "1.5", "body": [{"type": "TextBlock", "text": "Hello", "wrap": True}]}


def with_(**changes):
    return {**copy.deepcopy(MINIMAL), **changes}


def body(*elements):
    return with_(body=[{"type": "TextBlock", "text": "Hello"}, *elements])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cards(chromium_browser):
    try:
        async with card_page(chromium_browser) as page:
            yield page
            return
    except RendererMissing as exc:
        problem = str(exc)
    pytest.fail(problem, pytrace=False)


# ------------------------------------------------------------------------------------------------
# The harness has teeth
# ------------------------------------------------------------------------------------------------

async def test_a_minimal_card_renders_cleanly(cards):
    result = await cards.render(MINIMAL)
    assert problems(result) == []
    assert result["renderedText"] == "Hello" and result["width"] == CARD_WIDTH


BROKEN = {
    "unknown element type": (body({"type": "Frobnicator", "text": "x"}),
                             'error UnknownElementType: Unknown element type "Frobnicator"'),
    "invalid property value": (body({"type": "TextBlock", "text": "x", "weight": "heavy"}),
                               'warning InvalidPropertyValue at TextBlock: '
                               'Invalid value "heavy" for property "weight"'),
    "card version 9.9": (with_(version="9.9"), "issue UnsupportedCardVersion at AdaptiveCard"),
    "Input.ChoiceSet without choices": (body({"type": "Input.ChoiceSet", "id": "pick", "label": "Pick one"}),
                                        "issue CollectionCantBeEmpty at Input.ChoiceSet#pick"),
    "card version 1.6 (beyond Teams)": (with_(version="1.6"), "issue UnsupportedCardVersion"),
    "unknown action type": (with_(actions=[{"type": "Action.Http", "title": "x"}]),
                            'error UnknownActionType: Unknown action type "Action.Http"'),
    "Action.Execute in a 1.3 card": (with_(version="1.3", actions=[{"type": "Action.Execute", "title": "x"}]),
                                     'error UnknownActionType: Unknown action type "Action.Execute"'),
    "input without label": (body({"type": "Input.Text", "id": "note", "isRequired": True, "errorMessage": "x"}),
                            "issue RequiredInputsShouldHaveLabel"),
    "invalid card type": (with_(type="HeroCard"), "issue MissingCardType"),
    "unknown msteams key": (with_(msteams={"width": "Full", "height": "Full"}),
                            "warning Teams at AdaptiveCard: msteams.height: Teams ignores it"),
    "nothing to show": (with_(body=[]), "render produced nothing"),
}


@pytest.mark.parametrize("case", BROKEN, ids=str)
async def test_the_harness_reports(cards, case):
    card, expected = BROKEN[case]
    found = problems(await cards.render(card))
    assert any(line.startswith(expected) for line in found), found


async def test_teams_extensions_are_honoured(cards):
    """`msteams.width: Full` widens the card to the chat pane; Action.Execute is a button whose press
    is recorded with its verb and data, like Action.Submit's."""
    full = await cards.render(with_(msteams={"width": "Full"}))
    assert problems(full) == [] and full["fullWidth"] and full["width"] == PANE_WIDTH
    card = with_(actions=[{"type": "Action.Execute", "title": "Go", "verb": "go", "data": {"n": 1}},
                          {"type": "Action.Submit", "title": "Send", "data": {"verb": "send"}}])
    assert problems(await cards.render(card)) == []
    await cards.page.get_by_role("button", name="Go").click()
    await cards.page.get_by_role("button", name="Send").click()
    pressed = await cards.page.evaluate("window.executedActions")
    assert [(a["type"], a["verb"], a["data"]) for a in pressed] == [
        ("Action.Execute", "go", {"n": 1}), ("Action.Submit", None, {"verb": "send"})]


# ------------------------------------------------------------------------------------------------
# The browser helper
# ------------------------------------------------------------------------------------------------

async def test_a_missing_chromium_fails_clearly(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "chromium"))
    with pytest.raises(ChromiumMissing) as raised:
        chromium_path()
    assert str(raised.value).startswith(CHROMIUM_MISSING)


async def test_pages_reach_only_this_machine(chromium_browser, tmp_path):
    (tmp_path / "site" / "sub").mkdir(parents=True)
    (tmp_path / "site" / "sub" / "index.html").write_text("<title>folder</title>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    async with serve(tmp_path / "site", files={"/page": "<title>inline</title>"}) as base, \
            new_page(chromium_browser) as page:
        assert base.startswith("http://127.0.0.1:")
        await page.goto(base + "/page")
        assert await page.title() == "inline"
        await page.goto(base + "/sub/")
        assert await page.title() == "folder"
        assert (await page.goto(base + "/../secret.txt")).status == 404
        assert (await page.goto(base + "/%2e%2e/secret.txt")).status == 404
        with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
            await page.goto("https://example.com/")


# ------------------------------------------------------------------------------------------------
# Every sample card
# ------------------------------------------------------------------------------------------------

KNOWN_FINDINGS: dict[str, str] = {}  # sample name → the renderer's complaint, until its builder is fixed


def sample_params() -> list:
    return [pytest.param(make, id=name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FINDINGS[name])]
                         if name in KNOWN_FINDINGS else []) for name, make in all_samples()]


@pytest.mark.parametrize("make", sample_params())
async def test_sample_renders_cleanly(cards, make):
    result = await cards.render(make())
    assert problems(result) == []
    # our own images are data: URIs and must decode; other hosts are not reachable from the test
    assert [url for url in result["failedImages"] if url.startswith("data:")] == []
    assert result["width"] in (CARD_WIDTH, PANE_WIDTH)
