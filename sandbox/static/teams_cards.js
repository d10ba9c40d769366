// Adaptive Cards as Microsoft Teams shows them, with the official renderer (adaptivecards 3.0.6,
// loaded before this file as window.AdaptiveCards). One implementation for the sandbox page and
// the card rendering tests (tests/cards/render_page.py):
//   - a light-theme HostConfig (Segoe UI, Teams' colours and spacing), interactivity on;
//   - the highest card version 1.5, and features newer than the card's declared version refused
//     (so Action.Execute, the Universal Action, needs a 1.4+ card, as in Teams);
//   - Teams' `msteams` root extension taken off the card before parsing (the renderer does not
//     know it) and honoured: width "Full" (fullWidth), `entities` mentions (<at>Name</at>) shown as
//     Teams shows them; anything else under msteams is reported to `warn`, as Teams ignores it;
//   - Markdown in TextBlocks as Teams' subset (bold, italic, links, lists), with HTML escaped.
// window.TeamsCards.parse(json, {warn, onAction}) -> {card, context, fullWidth}: render at once
// with card.render() (mentions are the last parsed card's). renderInto(host, json, options) does both.
(function () {
    "use strict";
    const AC = window.AdaptiveCards;
    // The font stack is teams_cards.css's (loaded before this file), so it is written once.
    const FONT = getComputedStyle(document.documentElement).getPropertyValue("--teams-font").trim() || "sans-serif";
    const colours = (normal, subtle) => ({default: normal, subtle: subtle});
    const FOREGROUND = {
        default: colours("#242424", "#616161"), dark: colours("#242424", "#424242"),
        light: colours("#FFFFFF", "#F5F5F5"), accent: colours("#5B5FC7", "#7F85F5"),
        good: colours("#237B4B", "#13A10E"), warning: colours("#835B00", "#C19C00"),
        attention: colours("#C4314B", "#D13438"),
    };
    const sizes = {small: 12, default: 14, medium: 14, large: 18, extraLarge: 24};
    const weights = {lighter: 300, default: 400, bolder: 600};
    const style = (background) => ({backgroundColor: background, foregroundColors: FOREGROUND});
    // Teams' light theme, in the renderer's HostConfig terms.
    const HOST_CONFIG = {
        supportsInteractivity: true,
        choiceSetInputValueSeparator: ",",
        fontTypes: {
            default: {fontFamily: FONT, fontSizes: sizes, fontWeights: weights},
            monospace: {fontFamily: "Consolas, 'Courier New', 'DejaVu Sans Mono', monospace", fontSizes: sizes,
                        fontWeights: weights},
        },
        lineHeights: {small: 16, default: 20, medium: 20, large: 24, extraLarge: 32},
        spacing: {small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16},
        separator: {lineThickness: 1, lineColor: "#E0E0E0"},
        imageSizes: {small: 32, medium: 52, large: 160},
        containerStyles: {default: style("#FFFFFF"), emphasis: style("#F5F5F5"), accent: style("#E8EBFA"),
                          good: style("#F1FAF1"), warning: style("#FBF6D9"), attention: style("#FDF3F4")},
        actions: {maxActions: 6, spacing: "default", buttonSpacing: 8,
                  showCard: {actionMode: "inline", inlineTopMargin: 16, style: "emphasis"},
                  actionsOrientation: "horizontal", actionAlignment: "left",
                  iconPlacement: "leftOfTitle", iconSize: 16, allowTitleToWrap: false},
        adaptiveCard: {allowCustomStyle: true},
        imageSet: {imageSize: "medium", maxImageHeight: 100},
        factSet: {title: {color: "default", size: "default", isSubtle: false, weight: "bolder", wrap: true, maxWidth: 150},
                  value: {color: "default", size: "default", isSubtle: false, weight: "default", wrap: true},
                  spacing: 16},
        textBlock: {headingLevel: 2},
        inputs: {label: {inputSpacing: "small",
                         requiredInputs: {weight: "bolder", suffix: " *", suffixColor: "attention"},
                         optionalInputs: {weight: "bolder"}},
                 errorMessage: {size: "small", color: "attention"}},
    };
    const hostConfig = new AC.HostConfig(HOST_CONFIG);
    const MAX_VERSION = AC.Version.parse("1.5", new AC.SerializationContext());
    let mentions = [];

    function escapeHtml(text) {
        return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
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

    function markdown(text) {
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
        return blocks.join("");
    }
    AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
        result.outputHtml = markdown(text);
        result.didProcess = true;
    };

    // Teams reads `msteams` at the card's root; the renderer does not know it.
    function teamsExtension(card, warn) {
        const teams = {fullWidth: false, mentions: []};
        if (!card || typeof card !== "object" || !("msteams" in card)) {
            return [card, teams];
        }
        const {msteams, ...rest} = card;
        if (!msteams || typeof msteams !== "object" || Array.isArray(msteams)) {
            warn("msteams is not an object: Teams ignores it");
            return [rest, teams];
        }
        for (const [key, value] of Object.entries(msteams)) {
            if (key === "width") {
                if (value === "Full") {
                    teams.fullWidth = true;
                } else {
                    warn(`msteams.width ${JSON.stringify(value)}: Teams knows only "Full"`);
                }
            } else if (key === "entities" && Array.isArray(value)) {
                const texts = JSON.stringify(rest);
                for (const entity of value) {
                    const ok = entity && entity.type === "mention" && typeof entity.text === "string" &&
                        entity.mentioned && typeof entity.mentioned.id === "string" && typeof entity.mentioned.name === "string";
                    if (!ok) {
                        warn(`msteams.entities: not a mention Teams can show: ${JSON.stringify(entity)}`);
                    } else if (!texts.includes(JSON.stringify(entity.text).slice(1, -1))) {
                        warn(`msteams.entities: ${entity.text} appears in no text of the card`);
                    } else {
                        teams.mentions.push(entity.text);
                    }
                }
            } else {
                warn(`msteams.${key}: Teams ignores it`);
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

    function parse(json, options) {
        const warn = (options && options.warn) || (() => undefined);
        const [source, teams] = teamsExtension(json, warn);
        mentions = teams.mentions;
        const card = new AC.AdaptiveCard();
        card.hostConfig = hostConfig;
        card.maxVersion = MAX_VERSION;
        if (options && options.onAction) {
            card.onExecuteAction = options.onAction;
        }
        const context = new AC.SerializationContext(targetVersion(source));
        card.parse(source, context);
        return {card: card, context: context, fullWidth: teams.fullWidth};
    }

    function renderInto(host, json, options) {
        const parsed = parse(json, options);
        host.classList.toggle("full-width", parsed.fullWidth);
        const element = parsed.card.render();
        host.replaceChildren(element);
        return element;
    }

    window.TeamsCards = {FONT: FONT, HOST_CONFIG: HOST_CONFIG, escapeHtml: escapeHtml, markdown: markdown,
                         parse: parse, renderInto: renderInto};
})();
