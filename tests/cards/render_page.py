"""A page that renders Adaptive Cards with the official JavaScript renderer, as Microsoft Teams would.

One implementation for the card rendering test (`tests/cards/test_render.py`) and the screenshot
tool (`tools/card_screenshots.py`). The page loads `adaptivecards` 3.0.6 (its standalone
`dist/adaptivecards.min.js`; npm installs it into node_modules) and exposes
`window.renderCard(card)`, which:

- parses the card with a `SerializationContext` and collects every parse event (unknown or
  forbidden types: `errors`; invalid property values and the like: `warnings`), together with
  anything the renderer logs with console.warn / console.error and any exception it throws;
- runs `card.validateProperties()` and collects `allIssues` (`issues`);
- renders the card into the page's chat pane and returns
  `{errors, warnings, issues, renderedHtmlLength, renderedText, width, height, fullWidth,
  failedImages}`, once the card's images have loaded or failed and the fonts are ready.

The Teams look is `sandbox/static/teams_cards.js` and `teams_cards.css`, the same files the local
sandbox page draws its cards with. Like Teams: a light-theme `HostConfig` (Segoe UI, Teams' colours and spacing),
interactivity on, the highest card version 1.5, and features newer than the card's declared version refused (so
`Action.Execute`, the Universal Action, needs a 1.4+ card, as in Teams). Teams' `msteams` root
extension is taken off the card before parsing (the renderer does not know it) and honoured:
`width: "Full"` widens the card to the chat pane; `entities` mentions (`<at>Name</at>`) are shown
as Teams shows them; anything else under `msteams` is a warning, as Teams ignores it. Markdown in
TextBlocks is Teams' subset (bold, italic, links, lists), with HTML escaped.

Pressing a button records the action (`window.executedActions`): type, title, verb, data.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, AsyncIterator, Mapping

from tests.browser import new_page, serve

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
RENDERER_DIST = REPO / "node_modules" / "adaptivecards" / "dist"
RENDERER_JS = RENDERER_DIST / "adaptivecards.min.js"
RENDERER_CSS = RENDERER_DIST / "adaptivecards.css"
RENDERER_MISSING = ("the Adaptive Cards renderer is not installed ({path} is missing): "
                    "run scripts/test.sh (its npm ci installs node_modules)")

CARD_WIDTH = 500        # px: a card in a Teams chat (teams_cards.css)
PANE_WIDTH = 600        # px: the chat pane's content width, which a `msteams.width: Full` card fills
PANE_PADDING = 20

# The Teams look (host config, Markdown, `msteams`) is one implementation, shared with the sandbox page.
SHARED_JS = REPO / "sandbox" / "static" / "teams_cards.js"
SHARED_CSS = REPO / "sandbox" / "static" / "teams_cards.css"

PAGE_CSS = f"""
html, body {{ margin: 0; padding: 0; background: #F5F5F5; }}
body {{ font-family: var(--teams-font); color: #242424; -webkit-font-smoothing: antialiased; }}
#chat-pane {{ box-sizing: content-box; width: {PANE_WIDTH}px; padding: {PANE_PADDING}px; background: #F5F5F5; }}
"""

PAGE_SCRIPT = r"""
"use strict";
const AC = window.AdaptiveCards;
// Parse events that drop part of the card (or all of it): errors. The rest (an invalid value
// replaced by the default, a deprecated property, ...): warnings.
const DROPPING = new Set(["UnknownElementType", "UnknownActionType", "ElementTypeNotAllowed",
    "ActionTypeNotAllowed", "MissingCardType", "UnsupportedCardVersion", "PropertyCantBeNull",
    "CollectionCantBeEmpty", "TooManyActions", "InteractivityNotAllowed"]);

window.executedActions = [];

function describe(source) {
    if (!source || typeof source.getJsonTypeName !== "function") {
        return "";
    }
    return source.getJsonTypeName() + (source.id ? "#" + source.id : "");
}

function finding(event, message, source) {
    return {event: typeof event === "number" ? AC.ValidationEvent[event] : event, message: String(message),
            where: typeof source === "string" ? source : describe(source)};
}

async function settled(element) {
    const failed = [];
    const images = element ? Array.from(element.querySelectorAll("img")) : [];
    await Promise.all(images.map((img) => img.decode().catch(() => failed.push(img.src.slice(0, 200)))));
    await document.fonts.ready;
    return failed;
}

window.renderCard = async function renderCard(json) {
    const out = {errors: [], warnings: [], issues: [], renderedHtmlLength: 0, renderedText: "",
                 width: 0, height: 0, fullWidth: false, failedImages: []};
    const host = document.getElementById("card-host");
    host.replaceChildren();
    host.classList.remove("full-width");
    window.executedActions = [];
    const logged = {warn: console.warn, error: console.error};
    console.warn = (...args) => out.warnings.push(finding("console.warn", args.join(" "), "renderer"));
    console.error = (...args) => out.errors.push(finding("console.error", args.join(" "), "renderer"));
    let element;
    try {
        const {card, context, fullWidth} = window.TeamsCards.parse(json, {
            warn: (message) => out.warnings.push(finding("Teams", message, "AdaptiveCard")),
            onAction: (action) => window.executedActions.push({
                type: action.getJsonTypeName(), title: action.title, id: action.id,
                verb: action.verb, data: action.data, url: action.url}),
        });
        out.fullWidth = fullWidth;
        host.classList.toggle("full-width", fullWidth);
        for (let i = 0; i < context.eventCount; i++) {
            const event = context.getEventAt(i);
            const item = finding(event.event, event.message, event.source);
            (DROPPING.has(item.event) ? out.errors : out.warnings).push(item);
        }
        for (const event of card.validateProperties().validationEvents) {
            out.issues.push(finding(event.event, event.message, event.source));
        }
        element = card.render(host);
    } catch (error) {
        out.errors.push(finding("Exception", error && error.stack || error, "renderer"));
    } finally {
        console.warn = logged.warn;
        console.error = logged.error;
    }
    out.failedImages = await settled(element);
    if (element) {
        const box = element.getBoundingClientRect();
        out.renderedHtmlLength = element.outerHTML.length;
        out.renderedText = element.innerText.trim();
        out.width = Math.round(box.width);
        out.height = Math.round(box.height);
    }
    return out;
};
window.cardPageReady = true;
"""

PAGE_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Adaptive Cards, as Teams renders them</title>
<link rel="stylesheet" href="/adaptivecards.css">
<link rel="stylesheet" href="/teams_cards.css">
<style>{PAGE_CSS}</style>
<script src="/adaptivecards.min.js"></script>
<script src="/teams_cards.js"></script>
</head>
<body>
<div id="chat-pane"><div id="card-host" class="teams-card"></div></div>
<script>{PAGE_SCRIPT}</script>
</body>
</html>
"""


class RendererMissing(RuntimeError):
    pass


def page_files() -> dict[str, Any]:
    """What the page's server serves; RendererMissing if npm has not installed the renderer."""
    for path in (RENDERER_JS, RENDERER_CSS):
        if not path.is_file():
            raise RendererMissing(RENDERER_MISSING.format(path=path.relative_to(REPO)))
    return {"/": PAGE_HTML, "/adaptivecards.min.js": RENDERER_JS, "/adaptivecards.css": RENDERER_CSS,
            "/teams_cards.js": SHARED_JS, "/teams_cards.css": SHARED_CSS}


def problems(result: Mapping[str, Any]) -> list[str]:
    """Everything wrong with one rendering, as lines: errors, warnings, issues, an empty render."""
    lines = [f"{kind[:-1]} {item['event']}{' at ' + item['where'] if item['where'] else ''}: {item['message']}"
             for kind in ("errors", "warnings", "issues") for item in result[kind]]
    if not result["renderedHtmlLength"] or not result["renderedText"] or not result["height"]:
        lines.append(f"render produced nothing (html {result['renderedHtmlLength']} characters, "
                     f"text {len(result['renderedText'])} characters, {result['height']} px high)")
    return lines


class CardPage:
    """The loaded page: render cards in it one after another (each replaces the last)."""

    def __init__(self, page: "Page"):
        self.page = page
        self.pane = page.locator("#chat-pane")

    async def render(self, card: Mapping[str, Any]) -> dict[str, Any]:
        return await self.page.evaluate("card => window.renderCard(card)", card)

    async def screenshot(self, card: Mapping[str, Any], path: Path | str) -> dict[str, Any]:
        """Renders `card` and saves the chat pane holding it (not the whole page) as a PNG."""
        result = await self.render(card)
        await self.pane.screenshot(path=str(path), animations="disabled", caret="hide")
        return result


@contextlib.asynccontextmanager
async def card_page(browser: "Browser", *, locale: str = "en-US") -> AsyncIterator[CardPage]:
    """The page, served on 127.0.0.1 and loaded in a new page of `browser` (both closed on exit).
    `locale` is the reader's: Teams shows {{DATE()}} and {{TIME()}} in it (the time zone is UTC)."""
    files = page_files()
    async with serve(files=files) as base, \
            new_page(browser, width=PANE_WIDTH + 2 * PANE_PADDING + 100, height=800, locale=locale) as page:
        await page.goto(base + "/")
        if not await page.evaluate("window.cardPageReady === true && typeof window.AdaptiveCards === 'object'"):
            raise RendererMissing(f"the renderer did not load from {RENDERER_JS} (is it the standalone dist build?)")
        yield CardPage(page)
