"""`python -m tools.export` with media, on the database and media folder of a real run: a guest's photo is
exported next to the entries as `media/<SHA-256>`, the entry (JSON Lines) and its EML pointing at it;
a medium the store holds with other bytes is named and not copied."""
from __future__ import annotations

import email
import email.policy
import hashlib
import json

from services.record import Recorder
from tests.e2e.conftest import ALICE
from tests.e2e.test_export import export
from tests.e2e.test_images import PHOTO, _guest_sends_a_photo

KEY = hashlib.sha256(PHOTO).hexdigest()


async def test_the_export_holds_the_photo_by_its_key_and_names_one_altered(stack, tmp_path):
    await stack.install(ALICE)
    guest = stack.wechat.guest("oGuestExportMedia00000001", nickname="Li Lei")
    await _guest_sends_a_photo(stack, guest)
    [entry] = [e for e in await Recorder(stack.components.storage, stack.clock).entries(guest.openid) if e.get("media")]

    as_lines = await export(tmp_path, "--thread", guest.openid, "--format", "jsonl", "--out", str(tmp_path / "j"))
    assert as_lines.returncode == 0, as_lines.stdout + as_lines.stderr
    assert "1 media file(s)" in as_lines.stdout
    [exported] = [e for e in map(json.loads, (tmp_path / "j" / "records.jsonl").read_text("utf-8").splitlines())
                  if e.get("media")]
    assert exported["media"][0]["key"] == KEY and (tmp_path / "j" / "media" / KEY).read_bytes() == PHOTO

    as_eml = await export(tmp_path, "--thread", guest.openid, "--out", str(tmp_path / "e"))
    assert as_eml.returncode == 0, as_eml.stdout + as_eml.stderr
    message = email.message_from_bytes((tmp_path / "e" / guest.openid / f"{entry['seq']:012d}.0.eml").read_bytes(),
                                       policy=email.policy.default)  # the guest's message, its first communication
    note = next(p for p in message.iter_attachments() if p["Content-Description"] == "Delivery")
    assert f"in the export as media/{KEY}" in note.get_content()
    assert (tmp_path / "e" / "media" / KEY).read_bytes() == PHOTO

    (tmp_path / "media" / KEY[:2] / KEY).write_bytes(PHOTO[::-1])  # where the app keeps it (MEDIA_PATH's default)
    altered = await export(tmp_path, "--thread", guest.openid, "--format", "jsonl", "--out", str(tmp_path / "a"))
    assert altered.returncode == 1
    assert f"MEDIA: thread {guest.openid}: entry {entry['seq']}: medium {KEY} is in the media store with other " \
           f"bytes (altered)" in altered.stdout
    assert not (tmp_path / "a" / "media").exists() or list((tmp_path / "a" / "media").iterdir()) == []
