"""An employee's own WeChat QR code: followers who scan it are connected to them."""
from __future__ import annotations

from typing import Any

from cards.common import card, text


def qr_code_card(*, image_url: str, url: str, account_name: str) -> dict[str, Any]:
    return card(
        [
            text("Your WeChat QR code", weight="Bolder", size="Medium"),
            text(f"Guests who scan it follow {account_name} and are connected to you."),
            {"type": "Image", "url": image_url, "altText": "Your WeChat QR code", "size": "Large"},
            text(f"Code link: {url}", isSubtle=True, size="Small"),
        ],
        [{"type": "Action.OpenUrl", "title": "Open the image", "url": image_url}],
    )
