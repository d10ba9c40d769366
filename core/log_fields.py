"""What a log line is about (the job, the Teams activity, the guest), carried by the task that logs it,
so that every line of a job's run says which job without each call saying it. Pure.

A guest is named by a reference (`guest_ref`): a hash of their openid, the same in every line and every
process, that cannot be turned back into the openid (28 random characters). The openid itself never goes to a
log: adapters/logs.py also replaces any openid-shaped text in a line (a job id made of one) by its reference.
"""
from __future__ import annotations

import contextlib
import hashlib
import re
from contextvars import ContextVar
from types import MappingProxyType
from typing import Iterator, Mapping

FIELDS: ContextVar[Mapping[str, str]] = ContextVar("log_fields", default=MappingProxyType({}))
# WeChat's openids of an Official Account: 28 characters of base64url, starting with "o".
OPENID = re.compile(r"(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])")


def guest_ref(openid: str) -> str:
    """The guest, as logs name them: `g:` and 12 hex digits of a hash of their openid."""
    return "g:" + hashlib.sha256(b"wechat-bridge guest\0" + openid.encode()).hexdigest()[:12]


def without_openids(text: str) -> str:
    """`text` with every openid-shaped part replaced by its guest reference."""
    return OPENID.sub(lambda m: guest_ref(m.group()), text) if "o" in text else text


@contextlib.contextmanager
def about(**fields: str) -> Iterator[None]:
    """Lines logged inside (by this task, and the tasks it starts) carry these fields too."""
    token = FIELDS.set({**FIELDS.get(), **fields})
    try:
        yield
    finally:
        FIELDS.reset(token)
