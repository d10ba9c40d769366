"""The organizations file (TOML) and the employee directory files it names (`people = "…csv"`
per organization, relative to it), read into a `Directory`; the employee directories are read
again when they change, without a restart (`LiveDirectory.watch`).

Only the employee directories are reloaded: the organizations file itself (sub-organizations,
accounts, policies) is read at start-up, with the environment it is checked against. A reload
that finds a problem keeps the directory as it was, and says what is wrong, line by line.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from core.config_error import ConfigError
from core.organizations import Directory, directory_from_mapping
from core.people import Person, people_from_text
from core.conversation_settings import ConversationSettings

if TYPE_CHECKING:
    from core.organizations import SubOrganization
    from core.person_match import PeopleIndex

log = logging.getLogger(__name__)


def people_files(data: Mapping[str, Any], base: Path) -> dict[str, Path]:
    """Each organization's employee directory file, by organization id."""
    out = {}
    for org in data.get("organizations") or []:
        if isinstance(org, Mapping) and isinstance(org.get("people"), str) and isinstance(org.get("id"), str):
            out[org["id"]] = base / org["people"]
    return out


def read_people(data: Mapping[str, Any], base: Path) -> dict[str, tuple[Person, ...]]:
    """The people of every organization's directory file; ConfigError with every problem."""
    problems: list[str] = []
    people: dict[str, tuple[Person, ...]] = {}
    left_out: list[str] = []  # a field that is not what it should be: the person is taken without it
    regions = {org.get("id"): _region(org) for org in data.get("organizations") or [] if isinstance(org, Mapping)}
    for org_id, path in people_files(data, base).items():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"organization {org_id}: cannot read its people file {path.name}: "
                            f"{getattr(exc, 'strerror', None) or exc}")
            continue
        try:
            people[org_id] = people_from_text(text, "json" if path.suffix.lower() == ".json" else "csv", path.name,
                                              regions.get(org_id) or "CN", left_out)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems, "employee directory")
    if left_out:
        log.warning("the employee directory was taken without these fields; fix them and save again:\n  %s",
                    "\n  ".join(left_out))
    return people


def _region(org: Mapping[str, Any]) -> str:
    validation = org.get("phone_validation")
    return str(validation.get("region", "CN")).upper() if isinstance(validation, Mapping) else "CN"


def load_directory(data: Mapping[str, Any], base: Path, settings: ConversationSettings) -> Directory:
    """ConfigError (its problems listed) when the files do not make a directory."""
    return directory_from_mapping(data, settings, read_people(data, base))


def _prepare(directory: Directory) -> Directory:
    """The directory with CC-CEDICT, its routing assistant's indexes built before anyone needs them (CPU: about
    0.7 ms a person; the dictionary, once per process: about 1.5 s and 31 MB)."""
    routed = [sub for sub in directory.sub_organizations if sub.routing is not None]
    if routed and directory.glossary is None:
        from adapters import cedict  # imported where needed: the matcher's readings take ~0.4 s to load

        directory = directory.with_glossary(cedict.glossary())
    for sub in routed:
        directory.people_index(sub)
    if routed:
        keep_out_of_full_collections()
    return directory


def keep_out_of_full_collections() -> None:
    """The dictionary and the indexes (some 300,000 objects, as long-lived as the directory) out of the collector's
    reach: each full collection walked them all, about 110 ms with the event loop stalled. Refcounting still frees a
    replaced directory's (they hold no cycles); what is garbage now is collected first."""
    gc.collect()
    gc.freeze()


class LiveDirectory:
    """The directory as the files say now: stands for a `Directory` (its attributes are the
    current one's), and `watch` replaces it when an employee directory file changes."""

    def __init__(self, directory: Directory, data: Mapping[str, Any] | None = None, base: Path | None = None,
                 settings: ConversationSettings | None = None) -> None:
        self.current = directory
        self._data, self._base, self._settings = data, base, settings
        self._seen: dict[Path, tuple[float, int] | None] | None = None  # the files as last read
        self._lock = threading.Lock()
        self._prepared = False  # the directory as given, prepared (`_prepare`) by the first look or the first guest

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current, name)

    def _stamps(self) -> dict[Path, tuple[float, int] | None]:
        if self._data is None or self._base is None:
            return {}
        out: dict[Path, tuple[float, int] | None] = {}
        for path in people_files(self._data, self._base).values():
            try:
                st = os.stat(path)
                out[path] = (st.st_mtime, st.st_size)
            except OSError:
                out[path] = None
        return out

    def people_index(self, sub: SubOrganization) -> PeopleIndex:
        """Blocking (the first call may prepare the directory: CC-CEDICT, seconds): call from a thread. A guest who
        writes in the app's first seconds waits for the dictionary rather than being read without it."""
        if not self._prepared:  # a reload in progress is not waited for: the current directory serves meanwhile
            with self._lock:
                self._prepare_once()
        return self.current.people_index(sub)

    def reload_if_changed(self) -> bool:
        """Blocking (files): call from a thread. True when a new directory is in place. One call at a time: the
        first prepares the directory (CC-CEDICT too: seconds), and a reload meanwhile would be overwritten."""
        with self._lock:
            return self._reload_if_changed()

    def _reload_if_changed(self) -> bool:
        stamps = self._stamps()
        if self._seen is None or stamps == self._seen:
            if self._seen is None:
                self._prepare_once()  # here, in a thread, rather than for the first guest
            self._seen = stamps
            return False
        self._seen = stamps
        try:
            directory = load_directory(self._data, self._base, self._settings or ConversationSettings())
        except ConfigError as exc:
            log.error("the employee directory was not reloaded; fix these and save again:\n  %s",
                      "\n  ".join(exc.problems))
            return False
        self.current = _prepare(directory)
        log.info("employee directory reloaded: %d people", len(directory.people))
        return True

    def _prepare_once(self) -> None:
        if not self._prepared:
            self.current, self._prepared = _prepare(self.current), True

    async def watch(self, every_seconds: float) -> None:
        await asyncio.to_thread(self.reload_if_changed)  # the files as read at start-up
        while True:
            await asyncio.sleep(every_seconds)
            try:
                await asyncio.to_thread(self.reload_if_changed)
            except Exception:  # the watch goes on; the directory stays as it was
                log.exception("checking the employee directory files failed")
