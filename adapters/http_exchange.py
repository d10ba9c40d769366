"""One HTTP exchange with an outside service (a CRM, an SMS or voice provider), with its failures
told apart the same way for all of them: no answer in time or no connection is `unavailable`
(try again later), a URL that cannot be used is `rejected`. The answer is read up to a bound (it
only ever goes into an error message or a small JSON). Exceptions are raised `from None`: the
client's own exception may quote the request, which can carry a PIN or a secret."""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import aiohttp

READ_AT_MOST = 16_384  # bytes of an answer kept


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: Mapping[str, str]


def json_of(body: bytes) -> Any:
    """An answer's body as JSON; None where it is not (an error page, an answer cut at READ_AT_MOST)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


async def exchange(session: aiohttp.ClientSession, method: str, url: Any, *, service: str, what: str,
                   timeout: float, unavailable: Callable[[str], Exception], rejected: Callable[[str], Exception],
                   scrub: Callable[[str], str] = str, log: logging.Logger | None = None, **request: Any) -> Answer:
    """`request`: aiohttp's (data, headers, …). `scrub` cleans the client's error text (secrets,
    digits) before it goes into a message; `log` gets one warning line for a failed exchange."""
    try:
        async with session.request(method, url, allow_redirects=False, timeout=aiohttp.ClientTimeout(total=timeout),
                                   **request) as response:
            return Answer(response.status, await response.content.read(READ_AT_MOST), response.headers.copy())
    except (asyncio.TimeoutError, TimeoutError):
        problem = f"{service} did not answer in {timeout:g} s ({what})"
        error = unavailable(problem)
    except aiohttp.InvalidURL:
        problem = f"{service}: the URL is not valid ({what})"
        error = rejected(problem)
    except (aiohttp.ClientError, OSError) as exc:
        problem = f"{service} could not be reached ({what}): {type(exc).__name__}"
        error = unavailable(f"{problem}: {scrub(str(exc))}")
    if log is not None:
        log.warning("%s", problem)
    raise error from None
