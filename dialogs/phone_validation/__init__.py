"""The WeChat guest's phone-number validation, as a pure decision core.

`decide_validation(state, event, now, settings, notices, *, key, fresh_pin) -> ValidationDecision`:
no I/O, no clock reads, no randomness. The caller passes `now`, the server's PIN key, and a
fresh PIN (`core.pins.new_pin()`) on every call; the PIN is used only when one is sent, and then
appears in exactly one place: the `SendPin` command (whose repr hides it). The state keeps only
its keyed hash (`core.pins.pin_hash`).

The flow (the seeds' "WeChat Guest Phone Number validation flow"):
- a new guest is asked for their phone number, gets a 6-digit PIN on it, types it, then names the
  phone number of the person they want to reach; the caller looks that person up
  (`WantsEmployee` -> `EmployeeFound` / `EmployeeNotFound`) and the guest is connected or told why not;
- a returning guest is asked whether they still use the same number (masked); Yes -> PIN;
  Help -> Update (or No) -> the new-number path;
- three tries each for the number, the PIN (per PIN sent) and the person to reach; after the last
  the guest is told what to do next, `GaveUp(reason)` is emitted, and the dialog stays stopped
  for the rest of the UTC day (so nobody can brute-force PINs or enumerate employees' numbers);
- Help (typed, or offered once per PIN by a `Tick` after `help_after_seconds` without a PIN):
  Update the number, Call (PIN by voice), Resend (PIN by SMS);
- PINs expire, a new one invalidates the old, sends to a number have a cooldown, and daily caps
  per number and per guest hold (`core.pins.may_send_pin`);
- every message to the guest counts against WeChat's quota: at most
  `settings.max_replies_per_guest_message` (2) `AskGuest` between two guest messages, whatever
  happens in between (provider answers, ticks); a notice past that is dropped (and `Record`ed).

Steps (`ValidationState.step`):

```mermaid
stateDiagram-v2
    [*] --> ask_number: Start / first text (new guest)
    [*] --> confirm_number: Start (returning guest)
    ask_number --> ask_number: invalid number (tries left)
    ask_number --> ask_pin: valid number / SendPin(sms)
    ask_number --> gave_up: 3rd invalid number / daily PIN cap
    confirm_number --> ask_pin: Yes / SendPin(sms)
    confirm_number --> ask_number: No
    confirm_number --> help: Help
    ask_pin --> ask_pin: wrong PIN (tries left) / other text
    ask_pin --> help: Help / Tick after help_after_seconds / expired PIN / not delivered
    ask_pin --> ask_employee: right PIN / Validated
    ask_pin --> gave_up: 3rd wrong PIN
    help --> ask_number: Update / No
    help --> ask_pin: Call / SendPin(voice), Resend / SendPin(sms)
    help --> help: cooldown / other text
    help --> ask_employee: right PIN / Validated
    help --> gave_up: 3rd wrong PIN / daily PIN cap
    ask_employee --> looking_up: valid number / WantsEmployee
    ask_employee --> ask_employee: invalid number (tries left)
    ask_employee --> gave_up: 3rd invalid number
    looking_up --> connected: EmployeeFound / ConnectValidatedGuest
    looking_up --> ask_employee: EmployeeNotFound (tries left)
    looking_up --> gave_up: 3rd EmployeeNotFound
    gave_up --> ask_number: guest writes on a later UTC day (new guest)
    gave_up --> confirm_number: guest writes on a later UTC day (validated before)
    connected --> [*]
```

| step           | guest text                                   | other events                             |
|----------------|----------------------------------------------|------------------------------------------|
| start          | as `Start(None)`                             | -                                        |
| ask_number     | number -> PIN sent; invalid -> try used; Help -> asked again | -                        |
| confirm_number | Yes -> PIN sent; No -> ask_number; Help -> help; else asked again | -                   |
| ask_pin        | 6 digits -> compared (try used if wrong); Help -> help; | Tick: help once per PIN, expiry; |
|                | Update/Call/Resend work too; else reminder   | PinDelivery failed -> help               |
| help           | Update / Call / Resend / 6 digits; else the options again | Tick: expiry; PinDelivery failed |
| ask_employee   | number -> WantsEmployee; invalid -> try used  | -                                        |
| looking_up     | nothing (the lookup is under way)            | EmployeeFound / EmployeeNotFound         |
| connected      | nothing (the conversation has begun)         | -                                        |
| gave_up        | same UTC day: told again; later day: starts over | -                                    |

A `Start` always starts over (counters, caps, the lock and the validated number survive it).
Keywords are folded (NFKC: full-width ＨＥＬＰ, case, surrounding punctuation) and accepted in
both languages whatever the guest's language.

The modules: `state` (the steps, the settings, where a guest is), `events` (what is decided on),
`commands` (what is decided), `guest_words` (what a guest's text says), `decision` (the decision);
the phone numbers themselves are `core/phone.py`'s. This package's names are its importers' API.
"""
from dialogs.phone_validation.commands import (AskGuest, ConnectValidatedGuest, GaveUp, Record, SendPin, Validated,
                                               ValidationCommand, ValidationDecision, WantsEmployee)
from dialogs.phone_validation.decision import decide_validation
from dialogs.phone_validation.events import (EmployeeFound, EmployeeNotFound, GuestText, PinDelivery, Routed,
                                             Scanned, Start, Tick, ValidationEvent)
from dialogs.phone_validation.guest_words import keyword
from dialogs.phone_validation.state import (ASK_EMPLOYEE, ASK_NUMBER, ASK_PIN, CHANNELS, CONFIRM_NUMBER, CONNECTED,
                                            EMPLOYEE_TRIES, GAVE_UP, HANDED_OVER, HELP, LOOKING_UP, NUMBER_TRIES,
                                            PIN_TRIES, SMS, START, STEPS, VOICE, ValidationSettings, ValidationState)

__all__ = [
    "ASK_EMPLOYEE", "ASK_NUMBER", "ASK_PIN", "CHANNELS", "CONFIRM_NUMBER", "CONNECTED", "EMPLOYEE_TRIES", "GAVE_UP",
    "HANDED_OVER", "HELP", "LOOKING_UP", "NUMBER_TRIES", "PIN_TRIES", "SMS", "START", "STEPS", "VOICE", "AskGuest",
    "ConnectValidatedGuest", "EmployeeFound", "EmployeeNotFound", "GaveUp", "GuestText", "PinDelivery", "Record",
    "Routed", "Scanned", "SendPin", "Start", "Tick", "Validated", "ValidationCommand", "ValidationDecision",
    "ValidationEvent", "ValidationSettings", "ValidationState", "WantsEmployee", "decide_validation", "keyword",
]
