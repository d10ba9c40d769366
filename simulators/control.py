"""The simulators' control routes (`/sim/...`): a JSON body in, the state's answer out."""
from __future__ import annotations

from typing import Any, Callable

from aiohttp import web


def json_control(operation: Callable[[Any, dict[str, Any]], Any], key: web.AppKey):
    """A handler calling `operation(app[key], body)`; a bad body or arguments are a 400."""
    async def handler(request: web.Request) -> web.Response:
        body: dict[str, Any] = {}
        if request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                return web.json_response({"error": "body must be JSON"}, status=400)
        try:
            result = operation(request.app[key], body if isinstance(body, dict) else {})
        except (KeyError, TypeError, ValueError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response(result if result is not None else {"ok": True})

    return handler
