"""Which media a sub-organization's employees may send guests, and how large (the organizations file's
`media` table). Pure: no I/O.

The default leaves documents out. Pictures, voice notes and videos go into WeChat itself as messages,
each kept in the compliance record as sent. A document goes as a link to the firm's own server that
works for days for whoever holds it (a guest may forward it), its content unread by DLP, and files are
how client data (statements, contracts, ID copies) usually leaves a firm: a regulated firm decides to
allow that, it is not given by default.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from core.media_fit import MB
from core.outgoing_media import DOCUMENT, IMAGE, KINDS, VIDEO, VOICE

DEFAULT_ALLOWED = frozenset({IMAGE, VOICE, VIDEO})
# The largest file an employee may attach, before it is fitted to WeChat's limits (core/media_fit.py).
DEFAULT_MAX_BYTES: Mapping[str, int] = {IMAGE: 20 * MB, VOICE: 20 * MB, VIDEO: 100 * MB, DOCUMENT: 20 * MB}


@dataclass(frozen=True)
class MediaRules:
    allowed: frozenset[str] = DEFAULT_ALLOWED
    max_bytes: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MAX_BYTES))

    def allows(self, kind: str) -> bool:
        return kind in self.allowed

    def limit(self, kind: str) -> int:
        return self.max_bytes.get(kind, DEFAULT_MAX_BYTES[kind])


def media_rules_from(raw: object, inherited: MediaRules, where: str, problems: list[str]) -> MediaRules:
    """`media = { allow = ["image", "voice", "video", "document"], max_mb = { video = 50 } }`; what it
    leaves out is `inherited` (the organization's, or the default)."""
    if raw is None:
        return inherited
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: must be a table (allow, max_mb)")
        return inherited
    for key in set(raw) - {"allow", "max_mb"}:
        problems.append(f"{where}.{key}: unknown (allow, max_mb)")
    allowed = inherited.allowed
    if "allow" in raw:
        listed = raw["allow"]
        if not isinstance(listed, list) or any(k not in KINDS for k in listed):
            problems.append(f"{where}.allow: a list of {', '.join(KINDS)}, got {listed!r}")
        else:
            allowed = frozenset(listed)
    sizes = dict(inherited.max_bytes)
    limits = raw.get("max_mb", {})
    if not isinstance(limits, Mapping):
        problems.append(f"{where}.max_mb: must be a table (kind = megabytes)")
        limits = {}
    for kind, mb in limits.items():
        if kind not in KINDS or isinstance(mb, bool) or not isinstance(mb, (int, float)) or not 0 < mb <= 1024:
            problems.append(f"{where}.max_mb.{kind}: a kind ({', '.join(KINDS)}) = megabytes, more than 0 and "
                            f"at most 1024, got {mb!r}")
            continue
        sizes[kind] = int(mb * MB)
    return MediaRules(allowed, sizes)
