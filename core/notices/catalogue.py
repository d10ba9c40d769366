"""The whole catalogue: every notice by key, gathered from the modules that hold them by topic."""
from __future__ import annotations

from typing import Iterable, Mapping

from core.notices import cards, conversation, inbound, media, routing, teams_answers, validation
from core.notices.spec import NoticeSpec


def _by_key(specs: Iterable[NoticeSpec]) -> dict[str, NoticeSpec]:
    """Each notice by its key; a key written in two topic modules is an error, not a silent override."""
    catalogue: dict[str, NoticeSpec] = {}
    for spec in specs:
        if spec.key in catalogue:
            raise ValueError(f"notice {spec.key!r} is written twice")
        catalogue[spec.key] = spec
    return catalogue


CATALOGUE: Mapping[str, NoticeSpec] = _by_key((*conversation.NOTICES, *inbound.NOTICES, *validation.NOTICES,
                                              *routing.NOTICES, *cards.NOTICES, *teams_answers.NOTICES,
                                              *media.NOTICES))
KEYS = frozenset(CATALOGUE)
