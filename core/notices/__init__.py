"""Every auto-message the product sends, as data: a key, who reads it, its placeholders, and its
text in English and Simplified Chinese.

The English defaults are the seeds' wording (the product documents quote them), with the numbers
turned into placeholders so they follow the organization's policy. An organization overrides any
text by key and language; overrides are checked once, when `Notices` is built: only known keys,
known languages, and the placeholders that notice declares (a plain `{name}`: no attribute access,
indexing, conversion or format spec, so an override can never reach into the objects rendered).
Write `{{` and `}}` for literal braces.

Pure: no I/O. `Notices(overrides).render(key, lang, **params)`.

The modules: `languages` (ours, and what a language code means), `spec` (one notice), `render`
(`Notices`: the overrides checked, a text rendered), `catalogue` (every notice by key), and the texts
by topic, where to look for one:
- `conversation`: the WeChat policy's notices to the guest and the employees (welcome, limits, the
  window, the queue, one message's fate, leaving);
- `inbound`: a guest's messages and events as Teams shows them, the new-guest e-mail;
- `validation`: the phone-number validation (`validation_*`);
- `media`: an employee's media on its way to a guest, why one was not sent (`media_*`);
- `routing`: the routing assistant (`routing_*`, `routed_*`);
- `cards`: the Teams cards (`card_*`); `teams_answers`: the bot's answers in Teams (`teams_*`).
This package's names are its importers' API.
"""
from core.notices.catalogue import CATALOGUE, KEYS
from core.notices.languages import EN, LANGUAGES, ZH_CN, normalize_language, sentences
from core.notices.render import Notices
from core.notices.spec import EMPLOYEES, GUEST, NoticeError, NoticeSpec

__all__ = ["CATALOGUE", "EMPLOYEES", "EN", "GUEST", "KEYS", "LANGUAGES", "ZH_CN", "NoticeError", "NoticeSpec",
           "Notices", "normalize_language", "sentences"]
