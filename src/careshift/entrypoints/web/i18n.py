"""Languages of the web pages: gettext catalogues (Babel), negotiation, locale formatting.

Catalogues live as ``locales/<lang>/LC_MESSAGES/messages.po`` and are compiled in memory on
first use, so a fresh clone needs no build step. English is the source language: its msgids
are the English text. The language served is the account's setting, else the language cookie,
else the browser's Accept-Language, else English.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

__all__ = [
    "DEFAULT_LANGUAGE",
    "FILTERS",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LOCALES_DIR",
    "N_",
    "Formatter",
    "current_language",
    "formatter",
    "gettext",
    "negotiate",
    "ngettext",
    "translations",
    "using",
]

LANGUAGES = ("en", "nb", "sv")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "careshift_lang"
LOCALES_DIR = Path(__file__).parent / "locales"
#: Names of the languages in themselves, for the language switch.
LANGUAGE_NAMES = {"en": "English", "nb": "Norsk bokmål", "sv": "Svenska"}

#: Shown for a missing number (an en dash, as typographers write it).
_MISSING = "\u2013"

_current: ContextVar[NullTranslations] = ContextVar("careshift_translations")
_current_lang: ContextVar[str] = ContextVar("careshift_language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue for ``lang`` (English: the identity)."""
    po = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT_LANGUAGE or not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext(message: str) -> str:
    return _current.get(NullTranslations()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.get(NullTranslations()).ngettext(singular, plural, n)


class using:
    """``with using("nb"): ...`` makes gettext translate into Norwegian in this context."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    def __enter__(self) -> None:
        self._token = _current.set(translations(self.lang))
        self._lang_token = _current_lang.set(self.lang)

    def __exit__(self, *exc: object) -> None:
        _current.reset(self._token)
        _current_lang.reset(self._lang_token)


def current_language() -> str:
    return _current_lang.get()


@cache
def formatter(lang: str) -> Formatter:
    return Formatter(lang)


def _format(method: str) -> Callable[..., str]:
    def apply(value: Any, *args: Any) -> str:
        result: str = getattr(formatter(current_language()), method)(value, *args)
        return result

    return apply


#: Jinja filters formatting in the language being rendered: ``{{ n|number }}``.
FILTERS = {name: _format(name) for name in ("date", "datetime", "time", "number", "percent")}


def _accept_language(header: str) -> list[str]:
    """Languages in the header, best first (``nb-NO,nb;q=0.9,en;q=0.5``)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(preference: str | None, cookie: str | None, accept_language: str | None) -> str:
    for choice in (preference, cookie):
        if choice in LANGUAGES:
            return choice
    for tag in _accept_language(accept_language or ""):
        primary = tag.split("-")[0]
        # Norwegian without a written standard (no) and Nynorsk readers get Bokmål.
        if primary in ("no", "nn"):
            primary = "nb"
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


class Formatter:
    """Dates and numbers the way readers of ``lang`` write them (Babel CLDR data)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = Locale.parse(lang)

    def date(self, value: date | datetime | None, format: str = "medium") -> str:
        return "" if value is None else format_date(value, format=format, locale=self.locale)

    def datetime(self, value: datetime | None, format: str = "medium") -> str:
        if value is None:
            return ""
        return format_datetime(value, format=format, tzinfo=None, locale=self.locale)

    def time(self, value: datetime | None, format: str = "short") -> str:
        return "" if value is None else format_time(value, format=format, locale=self.locale)

    def number(self, value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return _MISSING
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return _MISSING
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
        if self.lang == "en":
            pattern = pattern.replace(" %", "%")
        return format_percent(value, format=pattern, locale=self.locale)
