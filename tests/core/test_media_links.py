"""Signed media links (core/media_links.py): only the key's holder makes them, nothing in them can be
changed, they end at their expiry."""
from __future__ import annotations

import hashlib

import pytest

from core.clock import FakeClock
from core.media_links import LinkExpired, LinkRefused, MediaLinks

KEY = hashlib.sha256(b"photo").hexdigest()
SECRET = b"k" * 32


def links(clock: FakeClock | None = None, secret: bytes = SECRET) -> MediaLinks:
    return MediaLinks(secret, "https://bridge.example.com", clock or FakeClock(1_000_000))


def test_a_link_names_its_medium_until_it_expires():
    clock = FakeClock(1_000_000)
    url = links(clock).url(KEY, ttl_seconds=600)
    assert url.startswith("https://bridge.example.com/media/")
    token = url.rsplit("/", 1)[1]
    assert KEY not in token and token.split(".")[1] == "1000600"
    assert links(clock).key(token) == KEY
    clock.advance(599)
    assert links(clock).key(token) == KEY
    clock.advance(1)
    with pytest.raises(LinkExpired):
        links(clock).key(token)


def test_a_link_signed_with_another_key_is_refused():
    token = links(secret=b"x" * 32).token(KEY, 2_000_000)
    with pytest.raises(LinkRefused) as refused:
        links().key(token)
    assert not isinstance(refused.value, LinkExpired)


def _altered(token: str) -> list[str]:
    digest, expiry, mac = token.split(".")
    flip = {"A": "B"}.get(digest[0], "A")
    return [f"{flip}{digest[1:]}.{expiry}.{mac}",  # another medium
            f"{digest}.{int(expiry) + 3600}.{mac}",  # a later expiry
            f"{digest}.0{expiry}.{mac}",  # the same number, written otherwise
            f"{digest}.{expiry}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",
            f"{digest}.{expiry}.{mac}=", f"{digest}.{expiry}.{mac}.x", f"{digest}.{expiry}",
            f"{digest}!.{expiry}.{mac}",
            f"{digest}.{expiry}.{mac}" + "A" * 200, token.replace(".", "", 1), f"{digest}.-{expiry}.{mac}",
            f"{digest}.{expiry}\u00b2.{mac}", KEY, "", "...", "%2e%2e"]


def test_an_altered_token_is_refused_never_expired():
    token = links().token(KEY, 1_000_600)
    for altered in _altered(token):
        with pytest.raises(LinkRefused) as refused:
            links().key(altered)
        assert type(refused.value) is LinkRefused, altered


def test_an_altered_expired_token_is_refused_not_called_expired():
    token = links().token(KEY, 999_999)  # past already
    with pytest.raises(LinkExpired):
        links().key(token)
    digest, expiry, mac = token.split(".")
    with pytest.raises(LinkRefused) as refused:
        links().key(f"{digest}.{expiry}.{mac[::-1]}")
    assert type(refused.value) is LinkRefused


def test_a_named_link_serves_under_that_name_only():
    url = links().url(KEY, ttl_seconds=600, filename="报告 Q3.pdf")
    token, name = url.removeprefix("https://bridge.example.com/media/").split("/")
    assert name == "%E6%8A%A5%E5%91%8A%20Q3.pdf"
    assert links().key(token, "报告 Q3.pdf") == KEY
    for renamed in ("", "报告 Q4.pdf"):  # nor unnamed, nor renamed
        with pytest.raises(LinkRefused):
            links().key(token, renamed)
    unnamed = links().token(KEY, 1_000_600)
    assert links().key(unnamed) == KEY and links().url(KEY, 600).endswith(unnamed)  # unnamed links: as before
