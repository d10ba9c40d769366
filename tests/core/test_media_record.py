"""What a record entry says of its media (core/media_record.py): the `media` list and the older `media_key`,
the originals among them, their file names, and what a CRM is told of them (never the bytes)."""
from __future__ import annotations

from core.crm import crm_event, day_transcript
from core.media_record import MediaRef, media_refs, originals, references, with_urls
from core.record import GENESIS, chained

A, B, C = "a" * 64, "b" * 64, "c" * 64


def sealed(**fields) -> dict:
    return chained({"at": 1_750_000_000, "kind": "decision", **fields}, thread="oGuest", seq=1, prev=GENESIS)


def test_the_list_is_read_in_order_once_a_key_and_an_old_media_key_is_the_one_original_image():
    voice = sealed(media=[{"field": "MediaId", "key": A, "size": 6, "content_type": "audio/amr", "type": "voice"},
                          {"key": B, "size": 3, "content_type": "audio/mpeg", "type": "voice", "role": "for_teams"},
                          {"key": A, "type": "voice"}, {"key": "not a key"}, "junk"])
    assert media_refs(voice) == (MediaRef(A, "voice", "original", "MediaId", 6, "audio/amr"),
                                 MediaRef(B, "voice", "for_teams", None, 3, "audio/mpeg"))
    assert [r.key for r in originals(voice)] == [A]
    assert media_refs(sealed(media_key=C)) == (MediaRef(C, "image", "original", "MediaId"),)
    assert [r.file_name for r in media_refs(voice)] == [f"voice-{A[:12]}.amr", f"voice-{B[:12]}.mp3"]
    assert MediaRef(C, "../x", content_type="application/x-odd").file_name == f"x-{C[:12]}.bin"


def test_a_crm_is_told_what_which_bytes_and_where_while_a_link_lasts():
    photo = sealed(media=[{"key": A, "size": 9, "content_type": "image/jpeg", "type": "image"}])
    assert crm_event(photo)["media"] == [{"type": "image", "role": "original", "size": 9, "content_type": "image/jpeg",
                                          "sha256": A, "file_name": f"image-{A[:12]}.jpg"}]
    linked = with_urls(photo, lambda key: f"https://bridge.example.com/media/{key[:4]}")
    assert references(linked)[0]["url"] == "https://bridge.example.com/media/aaaa"
    assert crm_event(sealed())["media"] == [] and with_urls(sealed(), str) == sealed()


def test_a_day_transcript_names_each_original_by_file_size_and_sha256():
    photo = sealed(what={"type": "guest_message", "text": ""}, push={"msg_type": "image"},
                   media=[{"key": A, "size": 9, "content_type": "image/jpeg", "type": "image"},
                          {"key": B, "size": 5, "content_type": "image/png", "type": "image", "role": "for_teams"}])
    assert day_transcript([photo], {"oGuest": "Chen"}).split("\n") == [
        "15:06 Chen → nobody: [image message]", f"      [image-{A[:12]}.jpg: image, 9 bytes, SHA-256 {A}]"]
