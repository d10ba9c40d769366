"""The port that fits an image to a destination's limits (Teams' inline images, WeChat's uploads): the
services call it off the event loop and never decode images themselves. adapters/media/images.py
implements it with Pillow. Pure: no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ImageLimits:
    max_side: int  # pixels, width and height
    max_bytes: int
    formats: frozenset[str]  # the content types shown as they are


# Teams shows an inline image up to these (no animated GIF: its first frame is shown instead).
TEAMS_INLINE = ImageLimits(1024, 1024 * 1024, frozenset({"image/png", "image/jpeg", "image/gif"}))


class UnfitImage(ValueError):
    """Not an image that can be fitted: unreadable, of an unknown format, or more pixels than may be
    decoded (a small file can claim 100000 × 100000)."""


class FitImage(Protocol):
    def __call__(self, data: bytes, *, max_side: int, max_bytes: int,
                 formats: frozenset[str]) -> tuple[bytes, str] | None:
        """The image re-encoded within the limits, with its content type; None if it fits as it is.
        UnfitImage if it cannot be read. CPU-bound: run it on a thread."""


def fit(fit_image: FitImage, data: bytes, limits: ImageLimits) -> tuple[bytes, str] | None:
    return fit_image(data, max_side=limits.max_side, max_bytes=limits.max_bytes, formats=limits.formats)
