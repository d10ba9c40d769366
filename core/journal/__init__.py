"""The compliance record as e-mail: one RFC 5322 message (EML) per record entry, in the form
journaling archives (Smarsh, Global Relay, Proofpoint, Veritas) ingest. Pure: no I/O.

The message's parties are the conversation's: an inbound guest message is From the WeChat contact
(`<openid>@wechat.<sender_domain>`) To the employees taking part (`<aad>@teams.<sender_domain>`,
or their real address where `JournalSettings.employee_addresses` gives one); an employee's message
is From that employee To the contact, Cc the other employees; everything else (notices, WeChat's
answers, timers, joins and leaves) is From the bridge's system address To the contact, Cc the
employees. The SMTP envelope goes to the archive's journaling address (see adapters/archive).

`Message-ID` is `<thread.seq.hash[:16]@sender_domain>`: the same entry always gives the same id
(and the same bytes), so the archive recognises a resend. `In-Reply-To` names the entry before it
in the thread's chain, so the archive threads a conversation. `X-WeChat-Record-Hash` anchors the
hash chain in the (WORM) archive, and the `application/json` attachment holds the whole entry in
canonical JSON: `core.record.entry_hash` of it is the hash, checkable from the archive alone.

Headers are built with `email.headerregistry` under `email.policy.SMTP`: text from a guest or an
employee (a nickname, a message) is cleaned of control characters and RFC 2047-encoded where it
is not ASCII, so it can never start a header of its own. Bodies are UTF-8 in quoted-printable or
base64 (whichever is shorter): 7-bit clean, whatever the relay supports.

The modules: `settings` (`JournalSettings`: the deployment's domain, archive and headers), `names`
(ids and names as header text and addresses), `entry` (a sealed entry: its direction, its event,
its canonical JSON), `message` (`eml`: the entry as one message), `transcript` (its readable body),
`media` (what became of a media entry's media, and the parts its attachments are streamed into).
This package's names are its importers' API.
"""
from core.journal.entry import (INBOUND, OUTBOUND, SYSTEM, check_entry, direction, event_type, mapping_field,
                                record_json)
from core.journal.message import CHANNEL, POLICY, SYSTEM_NAME, UNKNOWN_EMPLOYEE_LOCAL_PART, eml, message_id
from core.journal.names import is_address
from core.journal.settings import SYSTEM_LOCAL_PART, EmployeeAddresses, JournalError, JournalSettings
from core.journal.transcript import DLP_PART_LABEL

__all__ = ["CHANNEL", "DLP_PART_LABEL", "INBOUND", "OUTBOUND", "POLICY", "SYSTEM", "SYSTEM_LOCAL_PART", "SYSTEM_NAME",
           "UNKNOWN_EMPLOYEE_LOCAL_PART", "EmployeeAddresses", "JournalError", "JournalSettings", "check_entry",
           "direction", "eml", "event_type", "is_address", "mapping_field", "message_id", "record_json"]
