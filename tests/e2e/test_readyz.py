"""/healthz says the process answers; /readyz whether to send it traffic (storage answers), and whether a worker
is alive and each Official Account's access token fresh, as a probe or an operator reads them."""
from __future__ import annotations

from services.health import WORKER_DEAD_AFTER
from tests.e2e.conftest import _close, _stack


async def test_ready_when_storage_answers_saying_whether_a_worker_runs_and_the_tokens(tmp_path, clock):
    s = await _stack(tmp_path, clock=clock)
    try:
        async with s.session.get(s.app_server.make_url("/healthz")) as alive:
            assert alive.status == 200
        await s.components.worker._beat()  # what the worker's loop does every HEARTBEAT_SECONDS
        async with s.session.get(s.app_server.make_url("/readyz")) as r:
            body = await r.json()
        assert r.status == 200 and body["ready"] and body["storage"] == "ok" and body["worker"] == "alive"
        assert body["tokens"] == {"default": "none yet"}

        clock.advance(WORKER_DEAD_AFTER + 1)
        async with s.session.get(s.app_server.make_url("/readyz")) as r:
            body = await r.json()
        assert r.status == 200 and body["worker"] == "not seen"  # jobs wait; the instance still takes pushes
    finally:
        await _close(s)


async def test_not_ready_when_storage_does_not_answer(tmp_path, clock):
    s = await _stack(tmp_path, clock=clock)
    try:
        async def unreachable(*args, **kwargs):
            raise OSError("storage down")

        s.components.storage.get = unreachable
        async with s.session.get(s.app_server.make_url("/readyz")) as r:
            body = await r.json()
        assert r.status == 503 and body == {**body, "ready": False, "storage": "unreachable"}
    finally:
        await _close(s)
