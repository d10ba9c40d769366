// The sandbox page: polls /api/snapshot (sections unchanged since the last poll are left out) and
// posts what the person at the page does. Plain DOM, no framework, nothing from outside 127.0.0.1.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {guest: "", conversation: "chat:alice", thread: "", hashes: {}, data: {}, queue: Promise.resolve(),
               polling: false};
const cardNodes = new Map();  // message id -> {version, el}: cards keep their inputs between polls
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

// The bot's text messages: escaped HTML, **bold**, _italic_, [links](…), "> " quotes, line breaks.
function inline(text) {
    return esc(text)
        .replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, (m, ch) => "&#" + ch.charCodeAt(0) + ";")
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
        .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
        .replace(/(^|[^\w])_(?!\s)([^_]+?)_(?!\w)/g, "$1<em>$2</em>");
}

function messageHtml(text) {
    const out = [];
    let group = [], quoted = false;
    const flush = () => {
        if (group.length) out.push(quoted ? "<blockquote>" + group.join("<br>") + "</blockquote>" : group.join("<br>"));
        group = [];
    };
    for (const line of text.split(/\r?\n/)) {
        const quote = /^\s*>\s?(.*)$/.exec(line);
        if (Boolean(quote) !== quoted) { flush(); quoted = Boolean(quote); }
        group.push(inline(quote ? quote[1] : line));
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
            item.from === "template" ? el("b", {}, "Template message") : null, el("div", {}, item.text))));
    if (!p.chat.length) chat.append(el("div", {class: "event"}, "Follow the Official Account, or scan an employee's QR code, to start."));
    if (follow || state.data.phoneGuest !== p.id) chat.scrollTop = chat.scrollHeight;
    state.data.phoneGuest = p.id;
    const input = $("guest-text");
    input.disabled = !p.following;
    input.placeholder = p.following ? "Message " + p.accountName : "Follow (or scan a QR code) to write";
    $("guest-form").querySelector("button").disabled = !p.following;
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
        if (message.text) body.append(el("div", {class: "text", html: messageHtml(message.text)}));
        for (const card of message.cards) {
            const host = el("div", {class: "teams-card"});
            try {
                window.TeamsCards.renderInto(host, card, {onAction: (action) => press(message, action)});
            } catch (error) {
                host.textContent = "This card could not be shown: " + error;
            }
            body.append(host);
        }
        for (const other of message.other) body.append(el("div", {class: "muted"}, "[" + other + "]"));
    }
    const node = el("div", {class: "msg" + (mine ? " mine" : ""), "data-id": message.id},
        el("div", {class: "avatar" + (mine ? "" : " bot")}, mine ? message.name[0] : "W"), body);
    cardNodes.set(message.id, {version: message.version, deleted: message.deleted, el: node});
    return node;
}

function renderTeams() {
    const t = state.data.teams, c = currentConversation();
    if (!t || !c || t.key !== state.conversation) return;
    $("teams-title").textContent = c.title;
    const box = $("messages");
    const follow = scrolledDown(box) || box.dataset.key !== t.key;
    box.dataset.key = t.key;
    if (c.kind === "chat") {
        box.replaceChildren(...t.messages.map(messageNode));
    } else {
        if (!t.threads.some((th) => th.root === state.thread)) state.thread = t.threads.length ? t.threads[t.threads.length - 1].root : "";
        box.replaceChildren(...t.threads.map((th) => {
            const [root, ...replies] = t.messages.filter((m) => m.thread === th.root);
            return el("div", {class: "thread" + (th.root === state.thread ? " chosen" : "")},
                messageNode(root), el("div", {class: "replies"}, ...replies.map(messageNode)),
                el("button", {type: "button", class: "reply", onclick: () => { state.thread = th.root; renderTeams(); $("teams-text").focus(); }},
                   th.root === state.thread ? "Replying here" : "Reply"));
        }));
        if (!t.threads.length) box.append(el("div", {class: "muted empty"}, "No WeChat guest has reached this inbox yet."));
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
    $("teams-text").disabled = c.kind === "channel" && !thread;
    if (follow) box.scrollTop = box.scrollHeight;
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
        if (!input.value.trim()) return;
        const body = {conversation: state.conversation, employee: writer(), text: input.value,
                      thread: isChannel() ? state.thread : ""};
        if (await post("/api/teams/say", body)) input.value = "";
    });
    for (const button of document.querySelectorAll("[data-hours]")) {
        button.addEventListener("click", () => post("/api/clock", {hours: Number(button.dataset.hours)}));
    }
}

wire();
poll();
setInterval(poll, 700);
