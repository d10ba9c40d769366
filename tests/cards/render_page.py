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

Like Teams: a light-theme `HostConfig` (Segoe UI, Teams' colours and spacing), interactivity on,
the highest card version 1.5, and features newer than the card's declared version refused (so
`Action.Execute`, the Universal Action, needs a 1.4+ card, as in Teams). Teams' `msteams` root
extension is taken off the card before parsing (the renderer does not know it) and honoured:
`width: "Full"` widens the card to the chat pane; `entities` mentions (`<at>Name</at>`) are shown
as Teams shows them; anything else under `msteams` is a warning, as Teams ignores it. Markdown in
TextBlocks is Teams' subset (bold, italic, links, lists), with HTML escaped.

Pressing a button records the action (`window.executedActions`): type, title, verb, data.
"""
from __future__ import annotations

import contextlib
import json
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

TEAMS_MAX_VERSION = "1.5"
CARD_WIDTH = 500        # px: a card in a Teams chat
PANE_WIDTH = 600        # px: the chat pane's content width, which a `msteams.width: Full` card fills
PANE_PADDING = 20

TEAMS_FONT = ("'Segoe UI', 'Segoe UI Web (West European)', -apple-system, 'Helvetica Neue', 'Liberation Sans', "
              "Arial, 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif")


def _colours(default: str, subtle: str) -> dict[str, str]:
    return {"default": default, "subtle": subtle}


_FOREGROUND = {
    "default": _colours("#242424", "#616161"),
    "dark": _colours("#242424", "#424242"),
    "light": _colours("#FFFFFF", "#F5F5F5"),
    "accent": _colours("#5B5FC7", "#7F85F5"),
    "good": _colours("#237B4B", "#13A10E"),
    "warning": _colours("#835B00", "#C19C00"),
    "attention": _colours("#C4314B", "#D13438"),
}

# Teams' light theme, in the renderer's HostConfig terms.
TEAMS_HOST_CONFIG: dict[str, Any] = {
    "supportsInteractivity": True,
    "choiceSetInputValueSeparator": ",",
    "fontTypes": {
        "default": {"fontFamily": TEAMS_FONT,
                    "fontSizes": {"small": 12, "default": 14, "medium": 14, "large": 18, "extraLarge": 24},
                    "fontWeights": {"lighter": 300, "default": 400, "bolder": 600}},
        "monospace": {"fontFamily": "Consolas, 'Courier New', 'DejaVu Sans Mono', monospace",
                      "fontSizes": {"small": 12, "default": 14, "medium": 14, "large": 18, "extraLarge": 24},
                      "fontWeights": {"lighter": 300, "default": 400, "bolder": 600}},
    },
    "lineHeights": {"small": 16, "default": 20, "medium": 20, "large": 24, "extraLarge": 32},
    "spacing": {"small": 8, "default": 12, "medium": 16, "large": 20, "extraLarge": 24, "padding": 16},
    "separator": {"lineThickness": 1, "lineColor": "#E0E0E0"},
    "imageSizes": {"small": 32, "medium": 52, "large": 160},
    "containerStyles": {
        "default": {"backgroundColor": "#FFFFFF", "foregroundColors": _FOREGROUND},
        "emphasis": {"backgroundColor": "#F5F5F5", "foregroundColors": _FOREGROUND},
        "accent": {"backgroundColor": "#E8EBFA", "foregroundColors": _FOREGROUND},
        "good": {"backgroundColor": "#F1FAF1", "foregroundColors": _FOREGROUND},
        "warning": {"backgroundColor": "#FBF6D9", "foregroundColors": _FOREGROUND},
        "attention": {"backgroundColor": "#FDF3F4", "foregroundColors": _FOREGROUND},
    },
    "actions": {"maxActions": 6, "spacing": "default", "buttonSpacing": 8,
                "showCard": {"actionMode": "inline", "inlineTopMargin": 16, "style": "emphasis"},
                "actionsOrientation": "horizontal", "actionAlignment": "left",
                "iconPlacement": "leftOfTitle", "iconSize": 16, "allowTitleToWrap": False},
    "adaptiveCard": {"allowCustomStyle": True},
    "imageSet": {"imageSize": "medium", "maxImageHeight": 100},
    "factSet": {"title": {"color": "default", "size": "default", "isSubtle": False, "weight": "bolder",
                          "wrap": True, "maxWidth": 150},
                "value": {"color": "default", "size": "default", "isSubtle": False, "weight": "default",
                          "wrap": True},
                "spacing": 16},
    "textBlock": {"headingLevel": 2},
    "inputs": {"label": {"inputSpacing": "small",
                         "requiredInputs": {"weight": "bolder", "suffix": " *", "suffixColor": "attention"},
                         "optionalInputs": {"weight": "bolder"}},
               "errorMessage": {"size": "small", "color": "attention"}},
}

PAGE_CSS = f"""
html, body {{ margin: 0; padding: 0; background: #F5F5F5; }}
body {{ font-family: {TEAMS_FONT}; color: #242424; -webkit-font-smoothing: antialiased; }}
#chat-pane {{ box-sizing: content-box; width: {PANE_WIDTH}px; padding: {PANE_PADDING}px; background: #F5F5F5; }}
#card-host {{ width: {CARD_WIDTH}px; max-width: 100%; background: #FFFFFF; border-radius: 6px; overflow: hidden;
             box-shadow: 0 1px 2px rgba(0, 0, 0, 0.14), 0 0 2px rgba(0, 0, 0, 0.12); }}
#card-host.full-width {{ width: 100%; }}
#card-host:empty {{ display: none; }}
.ac-adaptiveCard {{ outline: none; }}
.ac-textBlock p, .ac-textBlock ul, .ac-textBlock ol {{ margin: 0; }}
.ac-textBlock ul, .ac-textBlock ol {{ padding-left: 20px; }}
.ac-anchor, .ac-textBlock a {{ color: #5B5FC7; text-decoration: none; }}
.teams-mention {{ color: #5B5FC7; font-weight: 600; }}
.ac-pushButton {{ box-sizing: border-box; min-height: 32px; padding: 0 12px; border: 1px solid #D1D1D1;
                 border-radius: 4px; background: #FFFFFF; color: #242424; font-family: inherit; font-size: 14px;
                 font-weight: 600; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
                 display: flex; align-items: center; justify-content: center; }}
.ac-pushButton:hover {{ background: #F5F5F5; border-color: #C7C7C7; }}
.ac-pushButton.style-positive {{ background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }}
.ac-pushButton.style-destructive {{ color: #C4314B; }}
.ac-pushButton.expanded {{ background: #EBEBEB; }}
.ac-pushButton-disabled {{ opacity: 0.5; cursor: default; }}
.ac-input {{ font-family: inherit; font-size: 14px; color: #242424; }}
.ac-textInput, .ac-choiceSetInput-compact, .ac-numberInput, .ac-dateInput, .ac-timeInput {{
    box-sizing: border-box; min-height: 32px; padding: 0 10px; border: 1px solid #D1D1D1;
    border-bottom-color: #616161; border-radius: 4px; background: #FFFFFF; }}
.ac-input-validation-failed {{ border-color: #C4314B; }}
"""

PAGE_SCRIPT = r"""
"use strict";
const AC = window.AdaptiveCards;
const HOST_CONFIG = new AC.HostConfig(__HOST_CONFIG__);
const MAX_VERSION = AC.Version.parse("__MAX_VERSION__", new AC.SerializationContext());
// Parse events that drop part of the card (or all of it): errors. The rest (an invalid value
// replaced by the default, a deprecated property, ...): warnings.
const DROPPING = new Set(["UnknownElementType", "UnknownActionType", "ElementTypeNotAllowed",
    "ActionTypeNotAllowed", "MissingCardType", "UnsupportedCardVersion", "PropertyCantBeNull",
    "CollectionCantBeEmpty", "TooManyActions", "InteractivityNotAllowed"]);

window.executedActions = [];
let mentions = [];

function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// Teams' Markdown subset: **bold**, _italic_ / *italic*, [links](https://…), "- " / "1. " lists,
// paragraphs; raw HTML is shown as text. <at>Name</at> is a mention when msteams.entities has it.
function inlineMarkdown(html) {
    return html
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
        .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
        .replace(/(^|[^\w*])\*(?!\s)([^*]+?)\*(?!\w)/g, "$1<em>$2</em>")
        .replace(/(^|[^\w])_(?!\s)([^_]+?)_(?!\w)/g, "$1<em>$2</em>")
        .replace(/&lt;at&gt;(.+?)&lt;\/at&gt;/g, (whole, name) =>
            mentions.includes("<at>" + name + "</at>") ? '<span class="teams-mention">' + name + "</span>" : whole);
}

function teamsMarkdown(text, result) {
    const blocks = [];
    // a lone "\r" breaks a line too: Teams' own examples write lists as "- one\r- two"
    for (const paragraph of text.split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)/)) {
        const lines = paragraph.split(/\r\n|\r|\n/);
        const bullets = lines.every((line) => /^\s*[-*+] /.test(line));
        const numbers = lines.every((line) => /^\s*\d+\. /.test(line));
        if (bullets || numbers) {
            const items = lines.map((line) => "<li>" + inlineMarkdown(escapeHtml(line.replace(/^\s*([-*+]|\d+\.) /, ""))) + "</li>");
            blocks.push((bullets ? "<ul>" : "<ol>") + items.join("") + (bullets ? "</ul>" : "</ol>"));
        } else {
            blocks.push("<p>" + lines.map((line) => inlineMarkdown(escapeHtml(line))).join("<br>") + "</p>");
        }
    }
    result.outputHtml = blocks.join("");
    result.didProcess = true;
}
AC.AdaptiveCard.onProcessMarkdown = teamsMarkdown;

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

// Teams reads `msteams` at the card's root; the renderer does not know it.
function teamsExtension(card, out) {
    const teams = {fullWidth: false, mentions: []};
    if (!card || typeof card !== "object" || !("msteams" in card)) {
        return [card, teams];
    }
    const {msteams, ...rest} = card;
    if (!msteams || typeof msteams !== "object" || Array.isArray(msteams)) {
        out.warnings.push(finding("Teams", "msteams is not an object: Teams ignores it", "AdaptiveCard"));
        return [rest, teams];
    }
    for (const [key, value] of Object.entries(msteams)) {
        if (key === "width") {
            if (value === "Full") {
                teams.fullWidth = true;
            } else {
                out.warnings.push(finding("Teams", `msteams.width ${JSON.stringify(value)}: Teams knows only "Full"`, "AdaptiveCard"));
            }
        } else if (key === "entities" && Array.isArray(value)) {
            const texts = JSON.stringify(rest);
            for (const entity of value) {
                const ok = entity && entity.type === "mention" && typeof entity.text === "string" &&
                    entity.mentioned && typeof entity.mentioned.id === "string" && typeof entity.mentioned.name === "string";
                if (!ok) {
                    out.warnings.push(finding("Teams", `msteams.entities: not a mention Teams can show: ${JSON.stringify(entity)}`, "AdaptiveCard"));
                } else if (!texts.includes(JSON.stringify(entity.text).slice(1, -1))) {
                    out.warnings.push(finding("Teams", `msteams.entities: ${entity.text} appears in no text of the card`, "AdaptiveCard"));
                } else {
                    teams.mentions.push(entity.text);
                }
            }
        } else {
            out.warnings.push(finding("Teams", `msteams.${key}: Teams ignores it`, "AdaptiveCard"));
        }
    }
    return [rest, teams];
}

// The version the card declares, at most Teams' (so newer features are refused, as in Teams).
function targetVersion(card) {
    const declared = card && typeof card.version === "string"
        ? AC.Version.parse(card.version, new AC.SerializationContext()) : undefined;
    return declared && declared.isValid && declared.compareTo(MAX_VERSION) <= 0 ? declared : MAX_VERSION;
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
        const [source, teams] = teamsExtension(json, out);
        mentions = teams.mentions;
        out.fullWidth = teams.fullWidth;
        host.classList.toggle("full-width", teams.fullWidth);

        const card = new AC.AdaptiveCard();
        card.hostConfig = HOST_CONFIG;
        card.maxVersion = MAX_VERSION;
        card.onExecuteAction = (action) => window.executedActions.push({
            type: action.getJsonTypeName(), title: action.title, id: action.id,
            verb: action.verb, data: action.data, url: action.url});
        const context = new AC.SerializationContext(targetVersion(source));
        card.parse(source, context);
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
<style>{PAGE_CSS}</style>
<script src="/adaptivecards.min.js"></script>
</head>
<body>
<div id="chat-pane"><div id="card-host"></div></div>
<script>{PAGE_SCRIPT.replace("__HOST_CONFIG__", json.dumps(TEAMS_HOST_CONFIG))
                   .replace("__MAX_VERSION__", TEAMS_MAX_VERSION)}</script>
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
    return {"/": PAGE_HTML, "/adaptivecards.min.js": RENDERER_JS, "/adaptivecards.css": RENDERER_CSS}


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
