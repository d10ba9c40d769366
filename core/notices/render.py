"""A catalogue's texts with an organization's overrides, checked once, and rendered for a reader."""
from __future__ import annotations

import string
from typing import Any, Mapping

from core.notices.catalogue import CATALOGUE, KEYS
from core.notices.languages import LANGUAGES, normalize_language
from core.notices.spec import NoticeError

_FORMATTER = string.Formatter()


def _fields(text: str) -> list[str]:
    """The placeholder names in a text; NoticeError for anything but plain `{name}` fields."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:  # unbalanced braces
        raise NoticeError(f"malformed braces ({exc}); write {{{{ and }}}} for literal braces") from None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise NoticeError(f"placeholder {{{name}{'!' + conversion if conversion else ''}"
                              f"{':' + spec if spec else ''}}} must be a plain {{name}}")
        names.append(name)
    return names


def _substitute(text: str, params: Mapping[str, Any]) -> str:
    out = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(text):
        out.append(literal)
        if name is not None:
            out.append(str(params[name]))
    return "".join(out)


class Notices:
    """The catalogue with an organization's overrides: `{key: {language: text}}`."""

    def __init__(self, overrides: Mapping[str, Mapping[str, str]] | None = None) -> None:
        problems: list[str] = []
        texts: dict[str, dict[str, str]] = {key: dict(spec.texts) for key, spec in CATALOGUE.items()}
        for key, by_language in (overrides or {}).items():
            spec = CATALOGUE.get(key)
            if spec is None:
                problems.append(f"{key!r}: unknown notice (known: {', '.join(sorted(KEYS))})")
                continue
            if not isinstance(by_language, Mapping):
                problems.append(f"{key}: expected {{language: text}}, got {type(by_language).__name__}")
                continue
            for lang, text in by_language.items():
                where = f"{key}[{lang}]"
                if lang not in LANGUAGES:
                    problems.append(f"{where}: unknown language (known: {', '.join(LANGUAGES)})")
                    continue
                if not isinstance(text, str) or not text.strip():
                    problems.append(f"{where}: the text must be a non-empty string")
                    continue
                try:
                    unknown = sorted(set(_fields(text)) - spec.placeholders)
                except NoticeError as exc:
                    problems.append(f"{where}: {exc}")
                    continue
                if unknown:
                    allowed = ", ".join(f"{{{p}}}" for p in sorted(spec.placeholders)) or "none"
                    problems.append(f"{where}: unknown placeholder(s) {', '.join(f'{{{u}}}' for u in unknown)}"
                                    f" (allowed: {allowed})")
                    continue
                texts[key][lang] = text
        if problems:
            raise NoticeError("invalid notice overrides:\n  " + "\n  ".join(problems))
        self._texts = texts

    def text(self, key: str, lang: str) -> str:
        """The template (placeholders unfilled) of `key` in `lang`."""
        if key not in self._texts:
            raise NoticeError(f"unknown notice {key!r}")
        language = normalize_language(lang)
        if language is None:
            raise NoticeError(f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})")
        return self._texts[key][language]

    def render(self, key: str, lang: str, **params: Any) -> str:
        """The text a person reads. Every placeholder the text uses must be given; extra params are
        fine (an override may leave a number out)."""
        text = self.text(key, lang)
        missing = sorted(set(_fields(text)) - set(params))
        if missing:
            raise NoticeError(f"{key}: missing value(s) for {', '.join(missing)}")
        return _substitute(text, params)

    @staticmethod
    def audience(key: str) -> str:
        return CATALOGUE[key].audience
