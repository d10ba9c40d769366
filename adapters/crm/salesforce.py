"""CRM logging to Salesforce: one Task per WeChat contact per (UTC) day, rewritten as the day goes
on (what Movius does for calls and texts), by the REST API.

Authentication is the OAuth 2.0 client credentials flow of a connected app (its "Run As" user
owns what it writes): `POST {login_url}/services/oauth2/token` with the app's consumer key and
secret gives an access token and the org's `instance_url`. `login_url` is the org's My Domain
(`https://<domain>.my.salesforce.com`; login.salesforce.com does not do this flow). The token is
kept until Salesforce refuses it (401 INVALID_SESSION_ID: the session expired or was revoked),
then fetched again and the request retried once; however many logs wait for a token, one request
for it is made at a time.

Each entry upserts its day's Task by an external id (core.crm.task_key: `wechat-<openid>-<YYYYMMDD>`):
`PATCH /services/data/<version>/sobjects/Task/WeChat_Conversation_Key__c/<key>` with the subject,
the day's communications so far as the Description (core/crm_transcript.py: who → whom, as delivered, never
DLP's originals), the day as ActivityDate, Status Completed and Type WeChat. Salesforce answers 201
(created) or 200/204 (updated). The org needs, on Task (Activity): a custom Text(80) field
`WeChat_Conversation_Key__c`, External ID and Unique, *case sensitive* (openids differ in case
only, sometimes); and "WeChat" among the Task Type picklist values (or `task_type=None`).

The Description holds 32,000 characters: a longer day keeps its end, under a line saying the
start was cut (the compliance archive has it all). `TaskSubtype` can be set when a Task is created
but not updated, and an upsert cannot say which it will do: it is sent while the key is not known
to exist in this process, and an update refused for it (INVALID_FIELD_FOR_INSERT_UPDATE) is sent
again without it.

Errors: 429, 5xx, timeouts, connection failures, and REQUEST_LIMIT_EXCEEDED (the org's daily API
limit) / UNABLE_TO_LOCK_ROW / DUPLICATE_VALUE (a concurrent write of the same Task) are
`CrmUnavailable` (with Retry-After when given); a second 401 in a row, the token endpoint's 4xx
(invalid_client: wrong consumer key or secret) are `CrmUnavailable` too: a configuration to fix,
during which the entries wait (services/outlets.py) rather than being given up; any other 4xx is
`CrmRejected`. Neither the
secret nor a token appears in a log, an exception or repr.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any, Awaitable, Callable, Mapping, Sequence
from urllib.parse import urlsplit

import aiohttp

from adapters.http_exchange import exchange, json_of
from core.crm import (CrmError, CrmRejected, CrmUnavailable, day_of, day_transcript, error_for_status, fit_end,
                      is_transient, retry_after, snippet, task_key)
from core.recent import Recent

log = logging.getLogger(__name__)

SERVICE = "Salesforce"
EXTERNAL_ID_FIELD = "WeChat_Conversation_Key__c"
DESCRIPTION_LIMIT = 32_000  # Task.Description (Long Text Area)
SUBJECT_LIMIT = 255
CUT_MARKER = ("[The start of this day's conversation is cut here to fit Salesforce's limit; "
              "the compliance archive has all of it.]")
CREATE_ONLY_FIELDS = ("TaskSubtype",)
# 4xx error codes that are not about the request itself: worth trying again later.
TRANSIENT_CODES = frozenset({"REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "DUPLICATE_VALUE", "SERVER_UNAVAILABLE"})
KNOWN_KEYS_KEPT = 10_000

Names = Callable[[str], Awaitable[Mapping[str, str]]]


class _Token:
    """An access token and the org it is for; repr shows neither the token nor its start."""

    __slots__ = ("value", "instance_url")

    def __init__(self, value: str, instance_url: str) -> None:
        self.value = value
        self.instance_url = instance_url

    def __repr__(self) -> str:
        return f"_Token(***, instance_url={self.instance_url!r})"


class SalesforceCrm:
    """Logs record entries as one Salesforce Task per contact per day.

    `names`: an async lookup of display names by id for a thread (the guest's nickname by openid,
    employees' names by Azure AD object id), for the subject and the transcript; without it the
    contact shows as its openid in the subject and "Guest" in the transcript. `task_owner_id`: the
    Tasks' OwnerId (default: the connected app's Run As user). `task_type`: the Type picklist value
    (None: not set). `clock`: unix seconds, for Retry-After dates."""

    def __init__(self, login_url: str, client_id: str, client_secret: str, session: aiohttp.ClientSession, *,
                 api_version: str = "v61.0", task_owner_id: str | None = None, timeout: float = 10.0,
                 task_type: str | None = "WeChat", names: Names | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        parts = urlsplit(login_url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the Salesforce login URL must be an http(s) URL (the org's My Domain)")
        if not client_id or not client_secret:
            raise ValueError("the Salesforce connected app's client id and client secret are required")
        if not re.fullmatch(r"v\d{2,3}\.\d", api_version or ""):
            raise ValueError(f"api_version is like v61.0, got {api_version!r}")
        if task_owner_id is not None and not re.fullmatch(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?", task_owner_id):
            raise ValueError("task_owner_id must be a Salesforce id (15 or 18 characters)")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.login_url = login_url.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self._session = session
        self.api_version = api_version
        self.task_owner_id = task_owner_id
        self.task_type = task_type
        self.timeout = float(timeout)
        self._names = names
        self._clock = clock
        self._token: _Token | None = None
        self._token_lock = asyncio.Lock()
        self._existing: Recent[str, bool] = Recent(KNOWN_KEYS_KEPT)  # Task keys known to exist (no TaskSubtype)

    def __repr__(self) -> str:
        return (f"SalesforceCrm({self.login_url}, client_id={self.client_id!r}, client_secret=***, "
                f"api_version={self.api_version!r})")

    # -- the Task --------------------------------------------------------------------------------

    def task_fields(self, entry: Mapping[str, Any], day: Sequence[Mapping[str, Any]],
                    names: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The Task of `entry`'s thread and day, as `day` (its entries so far) makes it; without the
        create-only fields."""
        names = names or {}
        thread, date = entry["thread"], day_of(entry["at"])
        contact = " ".join(str(names.get(thread) or "").split()) or thread
        suffix = f" ({date})"
        subject = f"WeChat conversation with {contact}"
        if len(subject) + len(suffix) > SUBJECT_LIMIT:
            subject = subject[:SUBJECT_LIMIT - len(suffix) - 1] + "…"
        fields: dict[str, Any] = {
            "Subject": subject + suffix,
            "Description": fit_end(day_transcript(day, names), DESCRIPTION_LIMIT, CUT_MARKER),
            "ActivityDate": date,
            "Status": "Completed",
        }
        if self.task_type:
            fields["Type"] = self.task_type
        if self.task_owner_id:
            fields["OwnerId"] = self.task_owner_id
        return fields

    async def log(self, entry: Mapping[str, Any], day: Sequence[Mapping[str, Any]]) -> None:
        """Upsert the day's Task of `entry`'s thread with the day so far (`day`; `entry` alone if
        empty)."""
        thread, date = entry["thread"], day_of(entry["at"])
        entries = [e for e in day if e.get("thread") == thread and day_of(e["at"]) == date]
        if not any(e.get("seq") == entry.get("seq") for e in entries):
            entries.append(entry)
        names = dict(await self._names(thread)) if self._names is not None else {}
        key = task_key(thread, date)
        fields = self.task_fields(entry, entries, names)
        path = f"/services/data/{self.api_version}/sobjects/Task/{EXTERNAL_ID_FIELD}/{key}"
        create_only = {} if key in self._existing else {"TaskSubtype": "Task"}
        status, body, headers = await self._api("PATCH", path, {**fields, **create_only}, what=f"Task {key}")
        if status == 400 and create_only and _create_only_refused(body):
            self._known(key)  # it exists: an update, which may not set TaskSubtype
            status, body, headers = await self._api("PATCH", path, fields, what=f"Task {key}")
        if 200 <= status < 300:
            self._known(key)
            return
        raise self._error(status, body, headers, f"upserting Task {key}")

    def _known(self, key: str) -> None:
        self._existing.put(key, True)

    # -- HTTP ------------------------------------------------------------------------------------

    async def _api(self, method: str, path: str, payload: Mapping[str, Any], *,
                   what: str) -> tuple[int, bytes, Mapping[str, str]]:
        """One REST call with the cached token; a 401 gets a new token and one retry, a second 401
        is CrmRejected. Returns any other answer for the caller to judge."""
        token = await self._access()
        status, body, headers = await self._send(method, token, path, payload, what)
        if status != 401:
            return status, body, headers
        log.info("Salesforce refused the access token (401); fetching a new one")
        token = await self._access(stale=token)
        status, body, headers = await self._send(method, token, path, payload, what)
        if status == 401:
            raise CrmUnavailable(f"{SERVICE} refused a freshly issued access token ({what}): HTTP 401: "
                              f"{self._snippet(body, token)} (check the connected app's policies and "
                              "its Run As user)", status=401, body=self._snippet(body, token))
        return status, body, headers

    async def _send(self, method: str, token: _Token, path: str, payload: Mapping[str, Any],
                    what: str) -> tuple[int, bytes, Mapping[str, str]]:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Authorization": f"Bearer {token.value}", "Content-Type": "application/json",
                   "Accept": "application/json"}
        answer = await exchange(self._session, method, token.instance_url + path, service=SERVICE, what=what,
                                timeout=self.timeout, unavailable=CrmUnavailable, rejected=CrmRejected,
                                scrub=lambda text: self._snippet(text, token), data=data, headers=headers)
        return answer.status, answer.body, answer.headers

    async def _access(self, stale: _Token | None = None) -> _Token:
        """The cached token, or (none, or the cached one is `stale`) a new one: one request at a
        time, shared by every caller waiting meanwhile."""
        current = self._token
        if current is not None and current is not stale:
            return current
        async with self._token_lock:
            current = self._token
            if current is not None and current is not stale:
                return current  # fetched while we waited
            self._token = None
            self._token = await self._fetch_token()
            return self._token

    async def _fetch_token(self) -> _Token:
        url = f"{self.login_url}/services/oauth2/token"
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._secret}
        what = "issuing an access token"
        answer = await exchange(self._session, "POST", url, service=SERVICE, what=what, timeout=self.timeout,
                                unavailable=CrmUnavailable, rejected=CrmRejected, scrub=self._snippet, data=form,
                                headers={"Accept": "application/json"})
        status, body, headers = answer.status, answer.body, answer.headers
        if status != 200:
            if is_transient(status):
                raise error_for_status(SERVICE, status, self._snippet(body), what=what,
                                       retry_after=retry_after(headers.get("Retry-After"), self._clock()))
            answer = json_of(body)
            code = answer.get("error") if isinstance(answer, Mapping) else None
            description = answer.get("error_description") if isinstance(answer, Mapping) else None
            if code:
                said = snippet(f"{code}: {description}" if description else str(code), hide=(self._secret,))
                raise CrmUnavailable(
                    f"{SERVICE} refused the connected app's credentials (HTTP {status}, {said}): a configuration "
                    f"error; check the client id, the client secret, that the client credentials flow is enabled "
                    f"with a Run As user, and that the login URL is the org's My Domain", status=status, body=said)
            raise error_for_status(SERVICE, status, self._snippet(body), what=what)
        answer = json_of(body)
        value = answer.get("access_token") if isinstance(answer, Mapping) else None
        instance = answer.get("instance_url") if isinstance(answer, Mapping) else None
        if not isinstance(value, str) or not value or not isinstance(instance, str) \
                or urlsplit(instance).scheme not in ("http", "https") or not urlsplit(instance).hostname:
            raise CrmUnavailable(f"{SERVICE} answered the token request without an access token and instance URL",
                                 status=status)
        return _Token(value, instance.rstrip("/"))

    # -- errors ----------------------------------------------------------------------------------

    def _snippet(self, body: bytes | str | None, token: _Token | None = None) -> str:
        hide = (self._secret, token.value if token else None, self._token.value if self._token else None)
        return snippet(body, hide=hide)

    def _error(self, status: int, body: bytes, headers: Mapping[str, str], what: str) -> CrmError:
        wait = retry_after(headers.get("Retry-After"), self._clock())
        shown = self._snippet(_describe(body) or body)
        if any(code in TRANSIENT_CODES for code in _error_codes(body)):
            return CrmUnavailable(f"{SERVICE} could not take it now ({what}): HTTP {status}: {shown}",
                                  status=status, body=shown, retry_after=wait)
        return error_for_status(SERVICE, status, shown, retry_after=wait, what=what)


def _errors(body: bytes) -> list[Mapping[str, Any]]:
    """Salesforce's REST errors: `[{"message", "errorCode", "fields"?}, …]`."""
    answer = json_of(body)
    if isinstance(answer, Mapping):
        answer = [answer]
    return [e for e in answer if isinstance(e, Mapping)] if isinstance(answer, list) else []


def _error_codes(body: bytes) -> list[str]:
    return [str(e.get("errorCode")) for e in _errors(body) if e.get("errorCode")]


def _describe(body: bytes) -> str:
    return "; ".join(f"{e.get('errorCode')}: {e.get('message')}" + (f" (fields: {', '.join(map(str, e['fields']))})"
                                                                     if e.get("fields") else "")
                     for e in _errors(body) if e.get("errorCode"))


def _create_only_refused(body: bytes) -> bool:
    """An upsert that updated refused a field only a create may set (TaskSubtype)."""
    for e in _errors(body):
        if e.get("errorCode") == "INVALID_FIELD_FOR_INSERT_UPDATE":
            named = [str(f) for f in e.get("fields") or ()] + [str(e.get("message") or "")]
            if any(field in text for field in CREATE_ONLY_FIELDS for text in named):
                return True
    return False
