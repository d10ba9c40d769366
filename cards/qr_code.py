"""An employee's own WeChat QR code: followers who scan it are connected to them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.common import card, fill, text


@dataclass(frozen=True)
class QrTexts:
    title: str          # also the image's alternative text and the card's summary
    scan: str           # {account}: the Official Account's name
    link: str           # {url}
    open: str           # the button


def qr_code_card(*, image_url: str, url: str, account_name: str, texts: QrTexts) -> dict[str, Any]:
    t = texts
    return card(
        [
            text(t.title, weight="Bolder", size="Medium"),
            text(fill(t.scan, account=account_name)),
            {"type": "Image", "url": image_url, "altText": t.title, "size": "Large"},
            text(fill(t.link, url=url), isSubtle=True, size="Small"),
        ],
        [{"type": "Action.OpenUrl", "title": t.open, "url": image_url}],
        summary=t.title,
    )
