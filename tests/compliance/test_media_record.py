"""Media in the record: the entry's hash covers each medium's SHA-256, type, size and content type, and the
verification command finds a medium the media store no longer holds as recorded (gone, or other bytes),
each named, without failing on it."""
from __future__ import annotations

import asyncio
from pathlib import Path

from adapters.media.files import FileMediaStore
from core.clock import FakeClock
from core.media_record import media_item
from core.record import entry_hash
from services.record import Recorder
from tests.compliance.test_record import DAY0, GUEST, verify_command
from tests.media.streams import chunked

PHOTO, VOICE = b"\xff\xd8\xff\xe0 a photo" * 1000, b"#!AMR\n a voice note" * 100


async def recorded_with_media(storage, media_root: Path) -> tuple[str, str]:
    store = FileMediaStore(media_root)
    photo = await store.put(chunked(PHOTO), content_type="image/jpeg", max_bytes=len(PHOTO))
    voice = await store.put(chunked(VOICE), content_type="audio/amr", max_bytes=len(VOICE))
    recorder = Recorder(storage, FakeClock(start=DAY0 + 3600))
    await recorder.append(GUEST, {"kind": "inbound", "text": "hello"})
    await recorder.append(GUEST, {"kind": "inbound", "media": [media_item(photo, field="MediaId", type="image")]})
    await recorder.append(GUEST, {"kind": "inbound", "media": [media_item(voice, field="MediaId", type="voice")],
                                  "transcript": "hello", "transcript_source": "wechat"})
    return photo.key, voice.key


async def test_an_entrys_hash_covers_its_media(sqlite_storage, tmp_path):
    await recorded_with_media(sqlite_storage, tmp_path / "media")
    [_, image, _] = await Recorder(sqlite_storage, FakeClock()).entries(GUEST)
    assert entry_hash(image) == image["hash"]
    for change in ({"size": image["media"][0]["size"] + 1}, {"key": "0" * 64}, {"content_type": "image/png"}):
        assert entry_hash({**image, "media": [{**image["media"][0], **change}]}) != image["hash"]


async def test_the_command_finds_a_medium_altered_or_missing_in_the_store(sqlite_storage):
    db = Path(sqlite_storage.path)
    photo, voice = await recorded_with_media(sqlite_storage, db.parent / "media")  # MEDIA_PATH's default
    await sqlite_storage.close()
    whole = await verify_command(db, "--thread", GUEST)
    assert (whole.returncode, whole.stdout.splitlines()) == (
        0, ["ok: 3 entries in 1 thread(s), every chain whole", "ok: 2 media in the store as recorded (SHA-256)"])

    (db.parent / "media" / photo[:2] / photo).write_bytes(PHOTO[::-1])  # altered where it is kept
    (db.parent / "media" / voice[:2] / voice).unlink()
    by_thread, by_days = await asyncio.gather(verify_command(db, "--thread", GUEST),
                                              verify_command(db, "--from", "2025-11-22", "--to", "2025-11-22"))
    for result in (by_thread, by_days):
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout.splitlines() == [
            "ok: 3 entries in 1 thread(s), every chain whole",
            f"MEDIA: thread {GUEST}: entry 2: medium {photo} is in the media store with other bytes (altered)",
            f"MEDIA: thread {GUEST}: entry 3: medium {voice} is not in the media store"]
