// Media on the sandbox page (loaded after teams_cards.js, before app.js): the Teams pane's pictures
// and players (inline image attachments, audio and video attachments, Adaptive Card Media elements),
// and the phone's photos and voice notes, sent and received. window.SandboxMedia:
//   teamsNodes(media) -> nodes for a Teams message's [{type, url, name}]
//   phoneContent(item) -> the bubble's content for a picture or a voice note, or null (text)
//   renderCompose(phone), wire(send): the phone's Photo / Voice buttons and its picture picker.
(function () {
    "use strict";
    const AC = window.AdaptiveCards;
    const $ = (id) => document.getElementById(id);

    function player(kind, sources, label) {
        const node = document.createElement(kind);
        node.controls = true;
        node.preload = "metadata";
        if (label) node.setAttribute("aria-label", label);
        for (const s of sources) {
            const source = document.createElement("source");
            source.src = s.url;
            if (s.type) source.type = s.type;
            node.append(source);
        }
        return node;
    }

    // Teams desktop and web play a card's Media element; the official renderer draws a poster with a
    // play button only, so the pane draws the player itself.
    class PaneMedia extends AC.Media {
        render() {
            return AC.CardElement.prototype.render.call(this);  // not Media's: no poster
        }

        internalRender() {
            const sources = this.sources.filter((s) => s.isValid()).map((s) => ({url: s.url, type: s.mimeType}));
            const video = sources.some((s) => s.type.startsWith("video/"));
            const node = player(video ? "video" : "audio", sources, this.altText || (video ? "Video" : "Audio"));
            node.className = this.hostConfig.makeCssClassName("ac-media");
            if (video && this.poster) node.poster = this.poster;
            return node;
        }

        releaseDOMResources() {
            AC.CardElement.prototype.releaseDOMResources.call(this);
        }
    }
    AC.GlobalRegistry.elements.register("Media", PaneMedia, AC.Versions.v1_1);

    // A picture grows the pane when it has loaded: a pane that was at its end stays there.
    function picture(className, src, alt) {
        const img = Object.assign(document.createElement("img"), {className: className, src: src, alt: alt});
        img.addEventListener("load", () => {
            const box = img.closest(".messages, .chat");
            if (box && box.scrollHeight - box.scrollTop - box.clientHeight - img.offsetHeight < 40) {
                box.scrollTop = box.scrollHeight;
            }
        });
        return img;
    }

    function teamsNodes(media) {
        return (media || []).map((m) => {
            if (m.type.startsWith("image/")) return picture("teams-image", m.url, m.name || "Image");
            const node = player(m.type.startsWith("video/") ? "video" : "audio", [m], m.name || "Audio");
            node.className = "teams-player";
            return node;
        });
    }

    function phoneContent(item) {
        if (item.image) return picture("photo", item.image, item.text);
        if (item.seconds) {
            const voice = document.createElement("div");
            voice.className = "voice";
            voice.textContent = item.text + " · " + Math.round(item.seconds) + "″";
            return voice;
        }
        return null;
    }

    function renderCompose(phone) {
        $("send-photo").disabled = $("pick-photo").disabled = !phone.following;
        $("send-voice").disabled = !phone.following || !phone.voice;
        $("send-voice").title = phone.voice ? "Send a voice note (a 3-second sample, AMR as WeChat records)" : phone.noVoice;
        $("no-voice").textContent = phone.voice ? "" : phone.noVoice;
        $("no-voice").hidden = phone.voice;
    }

    // `send(action, body)` posts /api/guest/<action> for the phone's guest.
    function wire(send) {
        $("send-photo").addEventListener("click", () => send("photo", {}));
        $("send-voice").addEventListener("click", () => send("voice", {}));
        $("pick-photo").addEventListener("change", (e) => {
            const file = e.target.files[0];
            e.target.value = "";
            if (!file) return;
            const reader = new FileReader();
            reader.onload = () => send("photo", {data: String(reader.result).replace(/^data:[^,]*,/, "")});
            reader.readAsDataURL(file);
        });
    }

    window.SandboxMedia = {teamsNodes: teamsNodes, phoneContent: phoneContent, renderCompose: renderCompose, wire: wire};
})();
