"""Every string a page shows is translated into Norwegian Bokmål and Swedish."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from careshift.entrypoints.web import catalogues, i18n

TEMPLATES = Path(catalogues.WEB_DIR) / "templates"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with catalogues.po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return message_id if isinstance(message_id, tuple) else (message_id,)


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_every_string_in_code_and_templates_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    missing = []
    for message in catalogues.extract():
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = _ids(translated.string) if translated is not None else ()
        if translated is None or translated.fuzzy or not all(strings) or not strings:
            missing.append(message.id)
    assert missing == [], f"untranslated in {lang}: run python -m {catalogues.__name__}"


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_translations_keep_every_placeholder(lang: str) -> None:
    for message in _catalog(lang):
        if not message.id or not message.string:
            continue
        wanted = {p for text in _ids(message.id) for p in _PLACEHOLDER.findall(text)}
        for text in _ids(message.string):
            assert set(_PLACEHOLDER.findall(text)) <= wanted, message.id
            assert wanted <= set(_PLACEHOLDER.findall(text)) | {"num"}, message.id


def _visible_text(template: str) -> str:
    """What a template would print that does not pass through gettext."""
    text = re.sub(r"\{#.*?#\}", " ", template, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    return text


# Not words to translate: the product name, file formats, numbers and separators.
_ALLOWED = re.compile(r"^(careshift|CSV|JSON|&\w+;|\d+|[\s\u00b7\u2013\u2014:(),./%|*+-])*$")


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_templates_print_no_text_outside_gettext(path: Path) -> None:
    leftover = [
        word for word in _visible_text(path.read_text()).split() if not _ALLOWED.match(word)
    ]
    assert leftover == [], f"{path.name}: wrap {leftover[:5]} in _()"


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_no_literal_text_in_labelling_attributes(path: Path) -> None:
    literal = re.findall(
        r'\b(?:placeholder|aria-label|title|alt)="([^"{]*[A-Za-z][^"{]*)"', path.read_text()
    )
    assert literal == [], f"{path.name}: translate {literal}"


def test_a_known_translation_is_served() -> None:
    with i18n.using("nb"):
        assert i18n.gettext("Sign in") == "Logg inn"
    with i18n.using("sv"):
        assert i18n.gettext("Sign in") == "Logga in"
    assert i18n.gettext("Sign in") == "Sign in"


@pytest.mark.parametrize(
    ("preference", "cookie", "header", "expected"),
    [
        ("sv", "nb", "en", "sv"),
        (None, "nb", "sv", "nb"),
        (None, None, "de-DE,sv;q=0.8,en;q=0.5", "sv"),
        (None, None, "no-NO,en;q=0.1", "nb"),
        (None, None, "fr", "en"),
        (None, "xx", None, "en"),
    ],
)
def test_language_is_the_setting_then_cookie_then_browser_then_english(
    preference: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert i18n.negotiate(preference, cookie, header) == expected


def test_numbers_and_dates_follow_the_locale() -> None:
    assert i18n.Formatter("en").number(4600) == "4,600"
    assert i18n.Formatter("nb").number(4600) == "4\xa0600"
    assert i18n.Formatter("sv").number(0.5, 1) == "0,5"
    assert i18n.Formatter("nb").date(date(2026, 3, 1), "long") == "1. mars 2026"
    assert i18n.Formatter("sv").date(date(2026, 3, 1), "long") == "1 mars 2026"
