"""The administrators' card: the Official Account connection's health, and who may use WeChat
(sub-organizations and people, each with a button that switches it). After a button, the bot
updates the card in place: the outcome on top, every switch as it now is."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from cards.common import card, client_time, column, columns, fill, literal, rich, submit, text

ADMIN = "admin"  # refresh
ADMIN_SET = "adminSet"  # data: kind (user | sub), id, enabled
ADMIN_SET_TYPED = "adminSetTyped"  # data: enabled; the input `person`: an e-mail or Entra object id
PERSON_INPUT = "person"


@dataclass(frozen=True)
class Switch:
    kind: str  # user | sub
    ident: str
    name: str
    enabled: bool
    note: str = ""  # e.g. "through HK Private Banking" (in the reader's language)


@dataclass(frozen=True)
class AdminTexts:
    title: str                  # also the card's summary
    official_account: str
    token_valid: str            # {account} {until}
    token_none: str             # {account}
    last_push: str              # {when}
    last_push_none: str
    jobs: str                   # {count}
    archive: str                # {count}
    archive_none: str
    subs: str
    subs_none: str
    people: str
    people_none: str
    more: str                   # {count}
    person_label: str
    person_placeholder: str
    enabled: str
    not_enabled: str
    enable: str
    disable: str
    refresh: str


@dataclass(frozen=True)
class AdminView:
    tokens: Sequence[tuple[str, float | None]]  # account name, token valid until
    last_push_at: float | None
    jobs_waiting: int
    archive_backlog: int | None
    subs: Sequence[Switch]
    people: Sequence[Switch]
    texts: AdminTexts
    more_people: int = 0  # not listed (find them by e-mail)
    message: str = ""  # what the last action did


def _switch_row(switch: Switch, t: AdminTexts) -> dict[str, Any]:
    state = literal(t.enabled if switch.enabled else t.not_enabled, color="Good" if switch.enabled else "Attention")
    runs = [literal(switch.name, weight="Bolder"), literal(" · "), state]
    if switch.note:
        runs.append(literal(f" ({switch.note})", isSubtle=True))
    button = submit(t.disable if switch.enabled else t.enable, ADMIN_SET, kind=switch.kind, id=switch.ident,
                    enabled=not switch.enabled)
    return columns([column([rich(runs)], verticalContentAlignment="Center"),
                    column([{"type": "ActionSet", "actions": [button]}], "auto")], separator=True)


def admin_card(view: AdminView) -> dict[str, Any]:
    t = view.texts
    lines = [fill(t.token_valid, account=name, until=client_time(until)) if until else fill(t.token_none, account=name)
             for name, until in view.tokens]
    lines.append(fill(t.last_push, when=client_time(view.last_push_at)) if view.last_push_at else t.last_push_none)
    lines.append(fill(t.jobs, count=view.jobs_waiting))
    lines.append(t.archive_none if view.archive_backlog is None else fill(t.archive, count=view.archive_backlog))
    body: list[dict[str, Any]] = [text(t.title, weight="Bolder", size="Medium")]
    if view.message:
        body.append(rich([literal(view.message, weight="Bolder")], id="admin-message"))
    body += [text(t.official_account, weight="Bolder", spacing="Medium"),
             *(text(line, spacing="None") for line in lines),
             text(t.subs, weight="Bolder", spacing="Medium")]
    body += [_switch_row(s, t) for s in view.subs] or [text(t.subs_none, isSubtle=True)]
    body.append(text(t.people, weight="Bolder", spacing="Medium"))
    body += [_switch_row(p, t) for p in view.people] or [text(t.people_none, isSubtle=True)]
    if view.more_people:
        body.append(text(fill(t.more, count=view.more_people), isSubtle=True))
    body.append({"type": "Input.Text", "id": PERSON_INPUT, "label": t.person_label,
                 "placeholder": t.person_placeholder})
    actions = [submit(t.enable, ADMIN_SET_TYPED, enabled=True), submit(t.disable, ADMIN_SET_TYPED, enabled=False),
               submit(t.refresh, ADMIN)]
    return card(body, actions, summary=t.title)
