"""One-time PINs by Twilio: an SMS (Programmable Messaging) or a voice call reading the PIN out
(Programmable Voice), by the REST API with the account's SID and auth token (HTTP basic auth).

    POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json
         form To, From (or MessagingServiceSid), Body                    → 201 {"sid": "SM…", …}
    POST {base}/2010-04-01/Accounts/{AccountSid}/Calls.json
         form To, From, Twiml=<Response><Say language="…">…</Say></Response>   → 201 {"sid": "CA…", …}

A call needs `from_number` (a messaging service cannot place calls). A refusal is JSON:
`{"code": 21211, "message": "The 'To' number … is not a valid phone number.", "more_info": …,
"status": 400}`. 429 (code 20429), 408 and 5xx, timeouts and connection failures are
`DeliveryUnavailable`, with the Retry-After Twilio gave; anything else is `DeliveryRejected`:
21211 (invalid number), 21614 (not a mobile number), 21408 (the region is not enabled), 21610
(the recipient replied STOP), 21606/21659/21608 (a sender or recipient the account may not use),
20003 (the SID or token is wrong).

Neither the auth token nor anything of the text sent (which holds the PIN) appears in a log, an
exception or repr; logs name the number masked and the message's or call's SID.
"""
from __future__ import annotations

import base64
import logging
import re
import time
from typing import Callable, Mapping
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import aiohttp

from adapters.http_exchange import exchange, json_of
from core.otp_delivery import (DeliveryError, DeliveryRejected, DeliveryUnavailable, check_language, is_e164,
                               is_transient, mask_number, retry_after, snippet)

log = logging.getLogger(__name__)

SERVICE = "Twilio"
API_VERSION = "2010-04-01"
BODY_LIMIT = 1600  # characters of an SMS body
TWIML_LIMIT = 4000  # characters of the Twiml parameter
TRANSIENT_CODES = frozenset({20429})
# What a refusal means, for the error message (the code and the status are kept on the error too).
KNOWN_CODES: Mapping[int, str] = {
    20003: "the account SID or auth token is wrong",
    20404: "the account was not found",
    21211: "the number is not a valid phone number",
    21408: "sending to this region is not enabled on the account",
    21606: "the From number cannot send to this number",
    21608: "a trial account may only send to verified numbers",
    21610: "the recipient has opted out (replied STOP)",
    21612: "the number cannot be reached",
    21614: "the number is not a mobile number",
    21659: "the From number is not a number of this account",
}
_SID = re.compile(r"[A-Za-z0-9]{2,64}")


def twiml(spoken_text: str, language: str, voice: str | None = None) -> str:
    """The TwiML of a call that says `spoken_text` in `language` (XML-escaped)."""
    attributes = f"language={quoteattr(check_language(language))}"
    if voice:
        attributes += f" voice={quoteattr(voice)}"
    return f"<Response><Say {attributes}>{escape(spoken_text)}</Say></Response>"


class TwilioSender:
    """SMS and voice PINs through one Twilio account.

    `from_number`: an E.164 number of the account (needed for calls); `messaging_service_sid`:
    a Messaging Service (MG…) to send SMS from instead (it picks the sender per country).
    `voices`: an optional `<Say voice=…>` per language ("Polly.Zhiyu" for "zh-CN"); by default
    Twilio's for the language. `timeout`: seconds for a whole request. `clock`: unix seconds, for
    a Retry-After date."""

    def __init__(self, account_sid: str, auth_token: str, session: aiohttp.ClientSession, *,
                 from_number: str | None = None, messaging_service_sid: str | None = None,
                 base_url: str = "https://api.twilio.com", timeout: float = 10.0,
                 voices: Mapping[str, str] | None = None, clock: Callable[[], float] = time.time) -> None:
        if not account_sid or not _SID.fullmatch(account_sid):
            raise ValueError("the Twilio account SID is letters and digits (AC…)")
        if not auth_token:
            raise ValueError("the Twilio auth token is required")
        if from_number is None and messaging_service_sid is None:
            raise ValueError("Twilio needs a from_number or a messaging_service_sid")
        if from_number is not None and not is_e164(from_number):
            raise ValueError("from_number must be an E.164 number (+14155550123)")
        if messaging_service_sid is not None and not _SID.fullmatch(messaging_service_sid):
            raise ValueError("the messaging service SID is letters and digits (MG…)")
        parts = urlsplit(base_url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the Twilio base URL must be an http(s) URL")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.account_sid = account_sid
        self._token = auth_token
        self._session = session
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.base_url = base_url.rstrip("/")
        self.timeout = float(timeout)
        self.voices = dict(voices or {})
        self._clock = clock

    def __repr__(self) -> str:
        sender = f"from_number={mask_number(self.from_number)}" if self.from_number else \
            f"messaging_service_sid={self.messaging_service_sid!r}"
        return f"TwilioSender({self.base_url}, account_sid={self.account_sid!r}, auth_token=***, {sender})"

    def _url(self, resource: str) -> str:
        return f"{self.base_url}/{API_VERSION}/Accounts/{self.account_sid}/{resource}.json"

    async def send_sms(self, to_e164: str, text: str) -> str:
        """Send `text` to `to_e164`; returns the message SID (SM…)."""
        to = mask_number(to_e164)
        if not is_e164(to_e164):
            raise DeliveryRejected(f"{SERVICE}: the number is not an E.164 number ({to})")
        if not text or len(text) > BODY_LIMIT:
            raise DeliveryRejected(f"{SERVICE}: an SMS body is 1 to {BODY_LIMIT} characters")
        form = {"To": to_e164, "Body": text}
        if self.messaging_service_sid:
            form["MessagingServiceSid"] = self.messaging_service_sid
        else:
            form["From"] = self.from_number  # type: ignore[assignment]
        sid = await self._create("Messages", form, f"SMS to {to}")
        log.info("Twilio accepted the SMS to %s: %s", to, sid)
        return sid

    async def call(self, to_e164: str, spoken_text: str, language: str) -> str:
        """Call `to_e164` and say `spoken_text` in `language`; returns the call SID (CA…)."""
        to = mask_number(to_e164)
        if not is_e164(to_e164):
            raise DeliveryRejected(f"{SERVICE}: the number is not an E.164 number ({to})")
        if not self.from_number:
            raise DeliveryRejected(f"{SERVICE}: voice calls need a from_number (a messaging service cannot call)")
        try:
            document = twiml(spoken_text, language, self.voices.get(language))
        except ValueError as exc:
            raise DeliveryRejected(f"{SERVICE}: {exc}") from None
        if not spoken_text or len(document) > TWIML_LIMIT:
            raise DeliveryRejected(f"{SERVICE}: the TwiML of a call is at most {TWIML_LIMIT} characters")
        sid = await self._create("Calls", {"To": to_e164, "From": self.from_number, "Twiml": document},
                                 f"call to {to}")
        log.info("Twilio placed the call to %s: %s", to, sid)
        return sid

    async def _create(self, resource: str, form: Mapping[str, str], what: str) -> str:
        reply = await exchange(self._session, "POST", self._url(resource), service=SERVICE, what=what,
                               timeout=self.timeout, unavailable=DeliveryUnavailable, rejected=DeliveryRejected,
                               scrub=self._snippet, log=log, data=dict(form),
                               headers={"Accept": "application/json", "Authorization": self._basic()})
        status, body = reply.status, reply.body
        wait = retry_after(reply.headers.get("Retry-After"), self._clock())
        if 200 <= status < 300:
            answer = json_of(body)
            sid = answer.get("sid") if isinstance(answer, Mapping) else None
            if isinstance(sid, str) and sid:
                return sid
            raise DeliveryUnavailable(f"{SERVICE} answered HTTP {status} without a SID ({what})", status=status)
        error = self._error(status, body, wait, what)
        log.warning("Twilio refused the %s: %s", what, error)
        raise error

    def _basic(self) -> str:
        credentials = f"{self.account_sid}:{self._token}".encode("utf-8")
        return "Basic " + base64.b64encode(credentials).decode("ascii")

    def _snippet(self, text: str | bytes | None) -> str:
        return snippet(text, hide=(self._token, self._basic()[len("Basic "):]))

    def _error(self, status: int, body: bytes, wait: float | None, what: str) -> DeliveryError:
        answer = json_of(body)
        code = answer.get("code") if isinstance(answer, Mapping) else None
        code = code if isinstance(code, int) and not isinstance(code, bool) else None
        said = self._snippet(answer.get("message") if isinstance(answer, Mapping) and answer.get("message")
                             else body)
        meaning = f"; {KNOWN_CODES[code]}" if code in KNOWN_CODES else ""
        which = f", error {code}" if code is not None else ""
        detail = f": {said}" if said else ""
        if is_transient(status) or code in TRANSIENT_CODES:
            after = f"; retry after {wait:g} s" if wait is not None else ""
            return DeliveryUnavailable(f"{SERVICE} is unavailable for the {what} (HTTP {status}{which}{after}){detail}",
                                       status=status, code=code, retry_after=wait)
        return DeliveryRejected(f"{SERVICE} refused the {what} (HTTP {status}{which}{meaning}){detail}",
                                status=status, code=code)
