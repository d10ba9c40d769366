"""The administrators' card: the Official Account connection's health, and who may use WeChat
(sub-organizations and people, each with a button that switches it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from cards.common import card, client_time, column, columns, literal, rich, submit, text

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
    note: str = ""  # e.g. "through HK Private Banking"


@dataclass(frozen=True)
class AdminView:
    tokens: Sequence[tuple[str, float | None]]  # account name, token valid until
    last_push_at: float | None
    jobs_waiting: int
    archive_backlog: int | None
    subs: Sequence[Switch]
    people: Sequence[Switch]
    more_people: int = 0  # not listed (find them by e-mail)
    message: str = ""  # what the last action did


def _switch_row(switch: Switch) -> dict[str, Any]:
    state = literal("enabled" if switch.enabled else "not enabled", color="Good" if switch.enabled else "Attention")
    runs = [literal(switch.name, weight="Bolder"), literal(" · "), state]
    if switch.note:
        runs.append(literal(f" ({switch.note})", isSubtle=True))
    button = submit("Disable" if switch.enabled else "Enable", ADMIN_SET, kind=switch.kind, id=switch.ident,
                    enabled=not switch.enabled)
    return columns([column([rich(runs)], verticalContentAlignment="Center"),
                    column([{"type": "ActionSet", "actions": [button]}], "auto")], separator=True)


def admin_card(view: AdminView) -> dict[str, Any]:
    lines = [f"Access token ({name}): " + (f"valid until {client_time(until)}" if until else
                                            "none yet (fetched at the first message)") for name, until in view.tokens]
    lines.append("Last push from WeChat: " + (client_time(view.last_push_at) if view.last_push_at else "none yet"))
    lines.append(f"Jobs waiting: {view.jobs_waiting}")
    lines.append("Archive backlog: " + ("no archive configured" if view.archive_backlog is None
                                        else str(view.archive_backlog)))
    body: list[dict[str, Any]] = [text("WeChat administration", weight="Bolder", size="Medium")]
    if view.message:
        body.append(rich([literal(view.message, weight="Bolder")]))
    body += [text("Official Account", weight="Bolder", spacing="Medium"),
             *(text(line, spacing="None") for line in lines),
             text("Sub-organizations", weight="Bolder", spacing="Medium")]
    body += [_switch_row(s) for s in view.subs] or [text("None configured.", isSubtle=True)]
    body.append(text("People", weight="Bolder", spacing="Medium"))
    body += [_switch_row(p) for p in view.people] or [text("Nobody has installed the app yet.", isSubtle=True)]
    if view.more_people:
        body.append(text(f"{view.more_people} more: find them by e-mail below.", isSubtle=True))
    body.append({"type": "Input.Text", "id": PERSON_INPUT, "label": "Someone else (e-mail or Entra object id)",
                 "placeholder": "alice.wong@contoso.com"})
    actions = [submit("Enable", ADMIN_SET_TYPED, enabled=True), submit("Disable", ADMIN_SET_TYPED, enabled=False),
               submit("Refresh", ADMIN)]
    return card(body, actions)
