"""The simulators' control routes (`/sim/...`): a JSON body in, the state's answer out."""
from __future__ import annotations

from typing import Any, Callable

from aiohttp import web


def json_control(operation: Callable[[Any, dict[str, Any]], Any], key: web.AppKey, *,
                 refusals: tuple[type[Exception], ...] = (), view: Callable[[Any, Any], Any] | None = None):
    """A handler calling `operation(app[key], body)`; a body that is not a JSON object, a missing field,
    bad arguments or one of the simulator's own `refusals` are a 400. `view(state, result)`: what is
    answered for a result that is not JSON as it is."""
    async def handler(request: web.Request) -> web.Response:
        state = request.app[key]
        body: Any = {}
        if request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                return web.json_response({"error": "body must be JSON"}, status=400)
            if not isinstance(body, dict):
                return web.json_response({"error": "body must be a JSON object"}, status=400)
        try:
            result = operation(state, body)
        except KeyError as exc:
            return web.json_response({"error": f"missing {exc}"}, status=400)
        except (TypeError, ValueError, *refusals) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        if view is not None:
            result = view(state, result)
        return web.json_response(result if result is not None else {"ok": True})

    return handler
