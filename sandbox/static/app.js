// The sandbox page: polls /api/snapshot (sections unchanged since the last poll are left out) and
// posts what the person at the page does. Plain DOM, no framework, nothing from outside 127.0.0.1.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {guest: "", conversation: "chat:alice", thread: "", hashes: {}, data: {}, queue: Promise.resolve(),
               polling: false, toBottom: false};
const cardNodes = new Map();  // message id -> {version, el}: cards keep their inputs between polls
const threadNodes = new Map();  // a channel thread's root id -> {el, replies, button}
const compose = {mentions: new Map(), card: null, searches: 0};  // picked name -> member key; the extension's card
const esc = (text) => window.TeamsCards.escapeHtml(text == null ? "" : text);

function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
        if (key === "class") node.className = value;
        else if (key === "html") node.innerHTML = value;
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else if (value !== false && value != null) node.setAttribute(key, value === true ? "" : value);
    }
    node.append(...children.filter((c) => c != null));
    return node;
}

function time(at, withDay, withSeconds) {
    const opts = withDay ? {weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"}
        : {hour: "2-digit", minute: "2-digit", second: withSeconds ? "2-digit" : undefined};
    return new Date(at * 1000).toLocaleString("en-GB", opts);
}

// Text messages: escaped HTML, **bold**, _italic_, [links](…), "> " quotes, line breaks, and the
// message's mentions (<at>Name</at> with an entity) as Teams shows them.
function inline(text, mentions) {
    return esc(text)
        .replace(/&lt;at&gt;(.+?)&lt;\/at&gt;/g, (whole, name) =>
            mentions.some((m) => esc(m) === whole) ? '<span class="teams-mention">' + name + "</span>" : whole)
        .replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, (m, ch) => "&#" + ch.charCodeAt(0) + ";")
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
        .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
        .replace(/(^|[^\w])_(?!\s)([^_]+?)_(?!\w)/g, "$1<em>$2</em>");
}

function messageHtml(text, mentions) {
    const out = [];
    let group = [], quoted = false;
    const flush = () => {
        if (group.length) out.push(quoted ? "<blockquote>" + group.join("<br>") + "</blockquote>" : group.join("<br>"));
        group = [];
    };
    for (const line of text.split(/\r?\n/)) {
        const quote = /^\s*>\s?(.*)$/.exec(line);
        if (Boolean(quote) !== quoted) { flush(); quoted = Boolean(quote); }
        group.push(inline(quote ? quote[1] : line, mentions || []));
    }
    flush();
    return out.join("");
}

// --- talking to the sandbox -------------------------------------------------------------------
function showError(message) {
    const box = $("error");
    box.hidden = !message;
    box.replaceChildren(message ? el("span", {}, message) : "", el("button", {type: "button", onclick: () => showError("")}, "×"));
}

// Actions go one after another (each answers once the bridge has done its part), never dropped.
function post(path, body) {
    const run = async () => {
        document.body.classList.add("busy");
        try {
            const response = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                                                 body: JSON.stringify(body)});
            const answer = await response.json().catch(() => ({}));
            showError(response.ok ? "" : answer.error || "HTTP " + response.status);
            return response.ok ? answer : null;
        } catch (error) {
            showError("The sandbox does not answer: is it still running? (" + error + ")");
            return null;
        } finally {
            document.body.classList.remove("busy");
            poll();
        }
    };
    const result = state.queue.then(run);
    state.queue = result.catch(() => null);
    return result;
}

async function poll() {
    if (state.polling) {
        state.again = true;  // something changed meanwhile: ask again once this answer is in
        return;
    }
    state.polling = true;
    state.again = false;
    try {
        const query = new URLSearchParams({guest: state.guest, conversation: state.conversation,
                                           known: Object.values(state.hashes).join(",")});
        const response = await fetch("/api/snapshot?" + query);
        if (!response.ok) throw new Error("HTTP " + response.status);
        const snapshot = await response.json();
        const changed = Object.keys(snapshot).filter((k) => k !== "hashes");
        for (const key of changed) state.data[key] = snapshot[key];
        state.hashes = snapshot.hashes;
        render(new Set(changed));
    } catch (error) {
        $("clock-now").textContent = "not connected";
    } finally {
        state.polling = false;
        if (state.again) poll();
    }
}

// --- rendering ---------------------------------------------------------------------------------
function render(changed) {
    const d = state.data;
    if (changed.has("clock")) {
        $("clock-now").textContent = time(d.clock.now, true);
        $("clock-offset").textContent = d.clock.offsetHours ? "(+" + d.clock.offsetHours + " h)" : "";
    }
    if (changed.has("accounts")) {
        $("new-guest-account").replaceChildren(...d.accounts.map((a) => el("option", {value: a.id}, a.name)));
    }
    if (changed.has("guests")) renderGuests();
    if (changed.has("phone") || changed.has("employees")) renderPhone();
    if (changed.has("conversations")) renderConversations();
    if (changed.has("teams") || changed.has("conversations")) renderTeams();
    if (changed.has("threads")) renderThreads();
    if (changed.has("api")) renderApi();
}

function fill(select, options, value) {
    select.replaceChildren(...options.map(([v, label]) => el("option", {value: v}, label)));
    if (value && options.some(([v]) => v === value)) select.value = value;
}

function renderGuests() {
    const guests = state.data.guests;
    if (!guests.some((g) => g.id === state.guest) && guests.length) {
        state.guest = guests[0].id;  // the first guest's phone: ask for it at once
        state.hashes.phone = "";
        state.again = true;
    }
    const accounts = Object.fromEntries((state.data.accounts || []).map((a) => [a.id, a.name]));
    fill($("guest"), guests.map((g) => [g.id, g.name + " · " + accounts[g.account]]), state.guest);
}

function scrolledDown(box) {
    return box.scrollHeight - box.scrollTop - box.clientHeight < 40;
}

function renderPhone() {
    const p = state.data.phone;
    if (!p || p.id !== state.guest) return;
    $("account-name").textContent = p.accountName;
    $("phone-number").textContent = "this phone: " + p.phone;
    $("sms").replaceChildren(...p.sms.map((s) => el("div", {class: "sms-item"},
        el("b", {}, "SMS " + s.from), " ", el("time", {}, time(s.at)), el("div", {}, s.text))));
    const chat = $("chat");
    const follow = scrolledDown(chat);
    chat.replaceChildren(...p.chat.map((item) => item.from === "event"
        ? el("div", {class: "event"}, item.text + " · " + time(item.at))
        : el("div", {class: "bubble " + item.from, title: time(item.at, true)},
            item.from === "template" ? el("b", {}, "Template message") : null,
            window.SandboxMedia.phoneContent(item) || el("div", {}, item.text))));
    if (!p.chat.length) chat.append(el("div", {class: "event"}, "Follow the Official Account, or scan an employee's QR code, to start."));
    if (follow || state.data.phoneGuest !== p.id) chat.scrollTop = chat.scrollHeight;
    state.data.phoneGuest = p.id;
    const input = $("guest-text");
    input.disabled = !p.following;
    input.placeholder = p.following ? "Message " + p.accountName : "Follow (or scan a QR code) to write";
    $("guest-form").querySelector("button").disabled = !p.following;
    window.SandboxMedia.renderCompose(p);
    const employees = (state.data.employees || []).filter((e) => e.account === p.account);
    const act = (label, body, path, disabled) => el("button", {type: "button", disabled: disabled,
        onclick: () => post("/api/guest/" + path, {guest: p.id, ...body})}, label);
    $("guest-actions").replaceChildren(
        act("Follow", {}, "follow", p.following),
        ...employees.map((e) => act("Scan " + e.name + "'s QR code", {employee: e.key}, "scan", false)),
        act("#LEAVE", {text: "#LEAVE"}, "say", !p.following),
        act("Help", {text: "Help"}, "say", !p.following),
        act("Unfollow", {}, "unfollow", !p.following));
}

function currentConversation() {
    return (state.data.conversations || []).find((c) => c.key === state.conversation);
}

function renderConversations() {
    fill($("conversation"), state.data.conversations.map((c) => [c.key, c.title + (c.messages ? " (" + c.messages + ")" : "")]),
         state.conversation);
}

function writer() {
    const c = currentConversation();
    return c && c.kind === "chat" ? c.employees[0] : $("as").value;
}

function press(message, action) {
    const type = action.getJsonTypeName();
    if (type === "Action.OpenUrl") {
        window.open(action.url, "_blank", "noopener");
    } else if (type === "Action.Submit" || type === "Action.Execute") {
        const data = type === "Action.Execute" ? {...(action.data || {}), verb: action.verb} : action.data;
        post("/api/teams/press", {conversation: state.conversation, employee: writer(), activityId: message.id,
                                  data: data === undefined ? {} : data, thread: isChannel() ? message.thread : ""});
    }
}

function isChannel() {
    const c = currentConversation();
    return Boolean(c && c.kind === "channel");
}

function messageNode(message) {
    const cached = cardNodes.get(message.id);
    if (cached && cached.version === message.version && cached.deleted === message.deleted) return cached.el;
    const mine = message.from !== "bot";
    const body = el("div", {class: "msg-body"},
        el("div", {class: "meta"}, el("b", {}, message.name), " ", el("time", {}, time(message.at)),
           message.edits ? el("span", {class: "muted"}, " · updated") : null));
    if (message.deleted) {
        body.append(el("div", {class: "muted"}, "This message has been deleted."));
    } else {
        if (message.text) body.append(el("div", {class: "text", html: messageHtml(message.text, message.mentions)}));
        for (const card of message.cards) {
            const host = el("div", {class: "teams-card"});
            try {
                window.TeamsCards.renderInto(host, card, {onAction: (action) => press(message, action)});
            } catch (error) {
                host.textContent = "This card could not be shown: " + error;
            }
            body.append(host);
        }
        body.append(...window.SandboxMedia.teamsNodes(message.media));
        for (const other of message.other) body.append(el("div", {class: "muted"}, "[" + other + "]"));
    }
    const node = el("div", {class: "msg" + (mine ? " mine" : ""), "data-id": message.id},
        el("div", {class: "avatar" + (mine ? "" : " bot")}, mine ? message.name[0] : "W"), body);
    cardNodes.set(message.id, {version: message.version, deleted: message.deleted, el: node});
    return node;
}

// Puts `nodes` in `parent`, in order, detaching none that stays: the pane keeps its scroll position,
// and a focused button or card input its focus, as messages arrive and cards update in place.
function reconcile(parent, nodes) {
    const wanted = new Set(nodes);
    nodes.forEach((node, i) => {
        const here = parent.childNodes[i];
        if (here === node) return;
        if (here && !wanted.has(here)) parent.replaceChild(node, here);
        else parent.insertBefore(node, here || null);
    });
    while (parent.childNodes.length > nodes.length) parent.lastChild.remove();
}

const NO_THREAD = el("div", {class: "muted empty"}, "No WeChat guest has reached this inbox yet.");

function threadNode(thread, messages) {
    let node = threadNodes.get(thread.root);
    if (!node) {
        node = {el: el("div", {class: "thread"}), replies: el("div", {class: "replies"}),
                button: el("button", {type: "button", class: "reply",
                                      onclick: () => { state.thread = thread.root; renderTeams(); $("teams-text").focus(); }})};
        threadNodes.set(thread.root, node);
    }
    const [root, ...replies] = messages.filter((m) => m.thread === thread.root);
    const chosen = thread.root === state.thread;
    node.el.classList.toggle("chosen", chosen);
    node.button.textContent = chosen ? "Replying here" : "Reply";
    reconcile(node.replies, replies.map(messageNode));
    reconcile(node.el, [messageNode(root), node.replies, node.button]);
    return node.el;
}

function renderTeams() {
    const t = state.data.teams, c = currentConversation();
    if (!t || !c || t.key !== state.conversation) return;
    $("teams-title").textContent = c.title;
    const box = $("messages");
    const follow = state.toBottom || scrolledDown(box) || box.dataset.key !== t.key;
    state.toBottom = false;
    box.dataset.key = t.key;
    if (c.kind === "chat") {
        reconcile(box, t.messages.map(messageNode));
    } else {
        if (!t.threads.some((th) => th.root === state.thread)) state.thread = t.threads.length ? t.threads[t.threads.length - 1].root : "";
        reconcile(box, t.threads.length ? t.threads.map((th) => threadNode(th, t.messages)) : [NO_THREAD]);
    }
    if (!c.employees.includes($("as").value) || $("as").dataset.key !== c.key) {
        const names = Object.fromEntries(state.data.employees.map((e) => [e.key, e.name]));
        fill($("as"), c.employees.map((k) => [k, names[k]]), c.employees[0]);
        $("as").dataset.key = c.key;
    }
    $("as-label").hidden = c.kind === "chat";
    const thread = t.threads.find((th) => th.root === state.thread);
    $("reply-in").textContent = c.kind === "chat" ? "Writing as " + (state.data.employees.find((e) => e.key === c.employees[0]) || {}).name
        : thread ? "in the thread of " + thread.title : "";
    $("teams-text").disabled = $("extension-toggle").disabled = c.kind === "channel" && !thread;
    if (follow) box.scrollTop = box.scrollHeight;
}

// --- the compose box: @mentions and the message extension ---------------------------------------
// "@" in a channel's compose box offers the team's members; a pick writes "@Name" and remembers it.
// Sending writes each remembered name still in the text as Teams does, <at>Name</at>, with its
// mention: so the bot gets a real mention, never a typed "@Name".
function mentionQuery() {
    const input = $("teams-text"), c = currentConversation();
    if (!c || c.kind !== "channel") return null;
    const before = input.value.slice(0, input.selectionStart);
    const typed = /(?:^|\s)@([^@\n]{0,30})$/.exec(before);
    return typed ? {from: before.length - typed[1].length - 1, to: before.length, text: typed[1].toLowerCase()} : null;
}

function showPicker() {
    const query = mentionQuery(), picker = $("mention-picker");
    const names = Object.fromEntries((state.data.employees || []).map((e) => [e.key, e.name]));
    const members = query ? currentConversation().employees.map((key) => ({key: key, name: names[key]}))
        .filter((m) => (" " + m.name.toLowerCase()).includes(" " + query.text)) : [];
    const active = Math.min(Number(picker.dataset.active || 0), Math.max(members.length - 1, 0));
    picker.replaceChildren(...members.map((m, i) => el("li", {role: "option", id: "mention-" + m.key, "data-key": m.key,
        "aria-selected": i === active ? "true" : "false",
        onmousedown: (e) => { e.preventDefault(); pickMention(m); }}, m.name)));
    picker.dataset.active = active;
    picker.hidden = !members.length;
    $("teams-text").setAttribute("aria-expanded", String(!picker.hidden));
    $("teams-text").setAttribute("aria-activedescendant", members.length ? "mention-" + members[active].key : "");
}

function closePicker() {
    $("mention-picker").hidden = true;
    $("teams-text").setAttribute("aria-expanded", "false");
}

function pickMention(member) {
    const query = mentionQuery(), input = $("teams-text");
    if (!query) return;
    const written = "@" + member.name + " ";
    input.value = input.value.slice(0, query.from) + written + input.value.slice(query.to);
    input.setSelectionRange(query.from + written.length, query.from + written.length);
    compose.mentions.set(member.name, member.key);
    $("mention-picker").dataset.active = 0;
    showPicker();
}

function pickerKeys(e) {
    const picker = $("mention-picker"), options = [...picker.children];
    if (picker.hidden || !options.length) return;
    const active = Number(picker.dataset.active || 0);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        picker.dataset.active = (active + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        showPicker();
    } else if (e.key === "Enter" || e.key === "Tab") {
        const option = options[active];
        pickMention({key: option.dataset.key, name: option.textContent});
    } else if (e.key === "Escape") {
        closePicker();
    } else {
        return;
    }
    e.preventDefault();
}

function withMentions(text) {
    const mentions = [];
    for (const [name, key] of compose.mentions) {
        if (text.includes("@" + name)) {
            text = text.replace("@" + name, "<at>" + name + "</at>");
            mentions.push(key);
        }
    }
    return {text: text, mentions: mentions};
}

// The app's message extension, as in Teams' compose box: it opens with the bot's first results
// (initialRun), searches as one types, and a chosen result's card goes into the message.
function openExtension(open) {
    $("extension").hidden = !open;
    $("extension-toggle").setAttribute("aria-expanded", String(open));
    if (!open) return;
    $("extension-query").value = "";
    search(null);
    $("extension-query").focus();
}

async function search(query) {
    const asked = ++compose.searches;
    const answer = await post("/api/teams/search", {conversation: state.conversation, employee: writer(), query: query,
                                                    thread: isChannel() ? state.thread : ""});
    if (!answer || asked !== compose.searches) return;  // a newer search is on its way
    const message = answer.message || (answer.results.length ? "" : "No WeChat contact found.");
    $("extension-message").textContent = message;
    $("extension-message").hidden = !message;
    $("extension-results").replaceChildren(...answer.results.map((r) => el("li", {role: "option", tabindex: "0",
        onclick: () => attach(r.card), onkeydown: (e) => { if (e.key === "Enter") attach(r.card); }},
        el("b", {}, r.title), el("div", {class: "muted"}, r.text))));
}

function attach(card) {
    compose.card = card;
    const box = $("attachment");
    box.hidden = !card;
    box.replaceChildren();
    if (card) {
        const host = el("div", {class: "teams-card"});
        window.TeamsCards.renderInto(host, card, {onAction: () => undefined});  // a preview: nothing to press yet
        box.append(host, el("button", {type: "button", class: "remove", "aria-label": "Remove the card",
                                       onclick: () => attach(null)}, "×"));
        openExtension(false);
        $("teams-text").focus();
    }
}

function clearCompose() {
    compose.mentions.clear();
    attach(null);
    openExtension(false);
    closePicker();
}

function renderThreads() {
    const rows = state.data.threads.map((t) => el("tr", {},
        el("td", {}, el("b", {}, t.guest), el("div", {class: "muted"}, t.account)),
        el("td", {}, t.assigned),
        el("td", {class: "status-" + t.status.split(/[ :]/)[0]}, t.status),
        el("td", {}, t.left == null ? "—" : t.left + " of " + t.quota,
           t.left == null ? null : el("div", {class: "muted", title: "of which employees may use"}, "staff " + t.employeeLeft + " of " + t.employeeQuota)),
        el("td", {}, t.windowCloses ? time(t.windowCloses, true) : "—"),
        el("td", {}, t.queued.length ? el("span", {title: t.queued.join("\n")}, String(t.queued.length)) : "0")));
    $("threads").tBodies[0].replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", {colspan: 6, class: "muted"}, "No guest yet."))]));
}

function renderApi() {
    const rows = state.data.api.map((r) => el("tr", {class: r.errcode ? "failed" : ""},
        el("td", {}, time(r.at, false, true)), el("td", {title: r.account}, r.path),
        el("td", {title: r.openid}, r.guest || (r.openid ? "…" + r.openid.slice(-6) : "")),
        el("td", {class: "clip", title: r.text}, r.text), el("td", {}, r.errcode == null ? "—" : String(r.errcode))));
    $("api").tBodies[0].replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", {colspan: 5, class: "muted"}, "Nothing yet."))]));
}

// --- what the person at the page does -----------------------------------------------------------
function wire() {
    $("guest").addEventListener("change", (e) => { state.guest = e.target.value; state.hashes.phone = ""; poll(); });
    $("conversation").addEventListener("change", (e) => {
        state.conversation = e.target.value;
        state.thread = "";
        state.hashes.teams = "";
        cardNodes.clear();
        threadNodes.clear();
        clearCompose();
        poll();
    });
    $("new-guest-toggle").addEventListener("click", () => { $("new-guest").hidden = !$("new-guest").hidden; $("new-guest-name").focus(); });
    $("new-guest").addEventListener("submit", async (e) => {
        e.preventDefault();
        const answer = await post("/api/guests", {name: $("new-guest-name").value, account: $("new-guest-account").value,
                                                  language: $("new-guest-language").value});
        if (answer && answer.id) {
            state.guest = answer.id;
            state.hashes.phone = state.hashes.guests = "";
            $("new-guest").hidden = true;
            $("new-guest-name").value = "";
            poll();
        }
    });
    $("guest-form").addEventListener("submit", async (e) => {
        e.preventDefault();
        const input = $("guest-text");
        if (!input.value.trim()) return;
        if (await post("/api/guest/say", {guest: state.guest, text: input.value})) input.value = "";
    });
    $("teams-form").addEventListener("submit", async (e) => {
        e.preventDefault();
        const input = $("teams-text");
        if (!input.value.trim() && !compose.card) return;
        const body = {conversation: state.conversation, employee: writer(), ...withMentions(input.value),
                      card: compose.card, thread: isChannel() ? state.thread : ""};
        if (await post("/api/teams/say", body)) {
            input.value = "";
            clearCompose();
            state.toBottom = true;  // to what was just sent, as Teams does
        }
    });
    window.SandboxMedia.wire((action, body) => post("/api/guest/" + action, {guest: state.guest, ...body}));
    const text = $("teams-text");
    text.addEventListener("input", showPicker);
    text.addEventListener("keydown", pickerKeys);
    text.addEventListener("blur", closePicker);
    $("extension-toggle").addEventListener("click", () => openExtension($("extension").hidden));
    let typing = 0;
    $("extension-query").addEventListener("input", (e) => {
        clearTimeout(typing);  // search once the typing pauses, as Teams does
        typing = setTimeout(() => search(e.target.value), 250);
    });
    $("extension").addEventListener("keydown", (e) => { if (e.key === "Escape") openExtension(false); });
    for (const button of document.querySelectorAll("[data-hours]")) {
        button.addEventListener("click", () => post("/api/clock", {hours: Number(button.dataset.hours)}));
    }
}

wire();
poll();
setInterval(poll, 700);
