"""Export for e-discovery: the record of a thread, of a contact (every thread whose guest bears that
name) or of a date range, as EML files (the archive's form: one per communication, `<seq>.<index>.eml`,
as the archive gets it, and each entry that holds none as itself, `<seq>.eml`, marked internal; an entry
whose communication could not be derived, recorded before entries kept it, is named in `not-derived.txt`) or JSON
Lines (one entry per line, exactly as stored, so each line's hash can be checked). Each thread's chain is verified
on the way out, and the export says where one is broken.

The media the entries name go next to them, `media/<key>` (the key is the SHA-256 the entry records),
each checked against its key as it is copied: one missing or altered in the store is reported, not
copied. An EML's body says where in the export each of its media is."""
from __future__ import annotations

import asyncio
import json
import os
import unicodedata
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Collection, Iterable, Mapping

from core.journal import POLICY, JournalSettings
from core.journal.communication import communications, underived
from core.journal.communication_message import communication_eml, internal_eml
from core.journal.media import EXPORTED, MediaNote
from core.media_record import media_refs
from core.media_store import MediaStore
from core.record import Break, verify
from core.storage import THREADS
from services.media_check import MediaChecked, check_media
from services.record import Recorder
from services.threads import ThreadStore

EML, JSONL = "eml", "jsonl"
MEDIA_DIR = "media"
UNDERIVED_FILE = "not-derived.txt"  # one line per entry whose communication could not be derived


@dataclass
class Exported:
    threads: int = 0
    entries: int = 0
    communications: int = 0
    files: list[str] = field(default_factory=list)
    breaks: list[Break] = field(default_factory=list)
    underived: list[str] = field(default_factory=list)  # a line per entry whose communication is not derivable


async def threads_of_contact(threads: ThreadStore, name: str) -> list[str]:
    """The openids of the threads whose guest's nickname is `name` (case and width aside)."""
    wanted = _folded(name)
    items = await threads.storage.query(THREADS)
    return sorted(i.pk for i in items if wanted and _folded(str(i.body.get("nickname", ""))) == wanted)


async def select(recorder: Recorder, *, thread: str | None = None, threads: Iterable[str] = (),
                 start: float | None = None, end: float | None = None) -> dict[str, list[dict[str, Any]]]:
    """Entries by thread: whole threads (`thread`, `threads`), or every thread's in [start, end)."""
    if start is not None and end is not None:
        return await recorder.entries_between(start, end)
    chosen = ([thread] if thread else []) + list(threads)
    return {t: await recorder.entries(t) for t in sorted(set(chosen))}


async def export_media(store: MediaStore, selected: Mapping[str, list[dict[str, Any]]], out_dir: str) -> MediaChecked:
    """Every medium the selected entries name, copied to `<out_dir>/media/<key>` as it is checked."""
    folder = os.path.join(out_dir, MEDIA_DIR)

    async def to_file(key: str, chunks: AsyncIterator[bytes]) -> None:
        path = os.path.join(folder, key)
        await asyncio.to_thread(os.makedirs, folder, exist_ok=True)
        file = await asyncio.to_thread(open, path + ".part", "wb")
        try:
            async for chunk in chunks:
                await asyncio.to_thread(file.write, chunk)
        except BaseException:  # not the recorded bytes, or not all of them: no file of that name
            await asyncio.to_thread(_discard, file, path + ".part")
            raise
        await asyncio.to_thread(file.close)
        await asyncio.to_thread(os.replace, path + ".part", path)

    return await check_media(store, selected, to_file)


def write(selected: Mapping[str, list[dict[str, Any]]], out_dir: str, fmt: str, journal: JournalSettings,
          names: Mapping[str, Mapping[str, str]], *, whole: bool,
          retained_after: Mapping[str, tuple[int, str] | None] | None = None,
          exported_media: Collection[str] = ()) -> Exported:
    """Write the export into `out_dir` (created). Blocking file I/O: run it in a thread. `whole`:
    whole threads, verified from their start, or from where a retention purge left them
    (`retained_after`, Recorder.retained_after). `exported_media`: the keys export_media copied."""
    result = Exported()
    os.makedirs(out_dir, exist_ok=True)
    lines = []
    for thread, entries in selected.items():
        result.threads += 1
        result.entries += len(entries)
        found = verify(thread, entries, whole=whole, after=(retained_after or {}).get(thread) if whole else None)
        if found is not None:
            result.breaks.append(found)
        for entry in entries:
            if fmt == JSONL:
                lines.append(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
                continue
            where = {ref.key: MediaNote(ref, EXPORTED) for ref in media_refs(entry) if ref.key in exported_media}
            shown = names.get(thread, {})
            held = communications(entry, shown)
            result.communications += len(held)
            why = underived(entry)
            if why:  # exported as itself (internal), and said here: never silently dropped
                result.underived.append(f"{thread} seq {entry.get('seq')} ({entry.get('hash')}): {why}")
            messages = {f"{int(entry.get('seq', 0)):012d}.{c.index}.eml":
                        communication_eml(c, entry, journal, names=shown, media=where) for c in held} or {
                f"{int(entry.get('seq', 0)):012d}.eml": internal_eml(entry, journal, shown, where)}
            for name, message in messages.items():
                path = os.path.join(out_dir, _safe(thread), name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(message.as_bytes(policy=POLICY))
                result.files.append(path)
    if fmt == JSONL:
        path = os.path.join(out_dir, "records.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in lines)
        result.files.append(path)
    if result.underived:
        path = os.path.join(out_dir, UNDERIVED_FILE)
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in result.underived)
        result.files.append(path)
    return result


def _discard(file: Any, path: str) -> None:
    file.close()
    os.remove(path)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "_"


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()
