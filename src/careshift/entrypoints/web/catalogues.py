"""Keeping the gettext catalogues in step with the code: extract msgids, merge into each .po.

``python -m careshift.entrypoints.web.catalogues`` extracts every marked string from the page
templates and the web package (``_``, ``gettext``, ``ngettext``, ``N_``, ``{% trans %}``) and
merges them into ``locales/<lang>/LC_MESSAGES/messages.po``; translators then fill the msgstrs.
A test fails while any msgid lacks a Norwegian or Swedish translation.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.extract import extract as babel_extract
from babel.messages.pofile import read_po, write_po

from careshift.entrypoints.web.i18n import LANGUAGES, LOCALES_DIR

__all__ = ["extract", "po_path", "update"]

WEB_DIR = Path(__file__).parent
_METHODS = [
    ("templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
_OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
_KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extract() -> Catalog:
    """Every translatable string of the web pages, with where it occurs."""
    catalog = Catalog(project="careshift", domain="messages", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        WEB_DIR, _METHODS, _OPTIONS, _KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    charts = WEB_DIR.parent / "api" / "routers" / "charts.py"
    with charts.open("rb") as handle:
        for lineno, message, _comments, context in babel_extract("python", handle, _KEYWORDS):
            catalog.add(message, None, [(charts.name, lineno)], context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


def update() -> dict[str, int]:
    """Merge the extracted strings into every language's .po; returns untranslated counts."""
    template = extract()
    missing = {}
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="careshift", domain="messages")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        catalog.project, catalog.version = "careshift", ""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, no_location=True, ignore_obsolete=True)
        missing[lang] = sum(1 for m in catalog if m.id and not m.string)
    return missing


if __name__ == "__main__":
    for lang, count in update().items():
        print(f"{lang}: {count} untranslated")
