"""Channel threads a crash may have started twice, so that an answer written in the copy the app never
learnt of is told it was not sent, instead of being dropped in silence.

A guest's first message in an inbox channel starts a thread. Teams takes no idempotency key: when a crash
cuts a start short, the job starts the thread again (saying so), and the first copy may exist with an id
the app never got. The bot is silent in channel threads it does not know (colleagues talk there too),
so an employee who answers in that first copy would be ignored. Each start made again is noted here per
channel for `WINDOW_SECONDS`; a message in an unknown thread of that channel meanwhile is answered once
per thread: not sent, answer in the thread that says it was started again.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock
from core.storage import KV, Conflict, PreconditionFailed, Storage

WINDOW_SECONDS = 7 * 24 * 3600.0  # how long after such a start an employee may still answer in the first copy
MOST_STARTS, MOST_TOLD = 50, 500  # per channel: bounded, the oldest go first


@dataclass(frozen=True)
class InterruptedStarts:
    storage: Storage
    clock: Clock

    async def note(self, channel_id: str, label: str) -> None:
        """The thread of the guest shown as `label` in channel `channel_id` is being started again: its
        first start may have made a thread the app never learnt of. (No openid kept: the label is all
        an employee needs.)"""
        start = {"label": label, "at": self.clock.now()}
        await self._change(channel_id, lambda body: {
            **body, "starts": [*self._recent(body), start][-MOST_STARTS:]})

    async def unknown_thread(self, channel_id: str, conversation_id: str) -> tuple[str, ...]:
        """The labels of the guests whose first copy `conversation_id` (a thread of `channel_id` the app
        does not know) may be, when that thread was not told so yet; () when there is nothing to say
        (the bot stays silent there, as in any colleagues' thread)."""
        item = await self.storage.get(KV, _key(channel_id), _key(channel_id))
        if item is None or conversation_id in item.body.get("told", ()):
            return ()
        labels = tuple(dict.fromkeys(start["label"] for start in self._recent(item.body)))
        if labels:
            await self._change(channel_id, lambda body: {
                **body, "told": [*body.get("told", ()), conversation_id][-MOST_TOLD:]})
        return labels

    def _recent(self, body: dict) -> list[dict]:
        since = self.clock.now() - WINDOW_SECONDS
        return [start for start in body.get("starts", ()) if start["at"] >= since]

    async def _change(self, channel_id: str, change) -> None:
        key = _key(channel_id)
        for _ in range(10):  # optimistic: another start or thread of this channel may write meanwhile
            item = await self.storage.get(KV, key, key)
            try:
                if item is None:
                    await self.storage.create(KV, key, key, change({}))
                else:
                    await self.storage.replace(KV, key, key, change(item.body), item.etag)
                return
            except (Conflict, PreconditionFailed):
                continue
        raise PreconditionFailed(f"{key} kept changing")


def _key(channel_id: str) -> str:  # one document per channel, in kv
    return f"interrupted-starts:{channel_id}"
