"""Why a pathway option is offered, said in the page's language.

The engine records what an explanation names (:class:`~careshift.domain.pathways.Explanation`)
and says it in English for the API; a page says the same here, each skill and role by its label
in the reader's language (marked with the language a label is really in). Called while a page
renders, so gettext answers in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from babel.lists import format_list
from markupsafe import Markup, escape

from careshift.domain.pathways import Explanation, PathwayKind, SkillRef
from careshift.entrypoints.web.i18n import N_, formatter, gettext, ngettext

__all__ = ["KIND_LABELS", "Label", "explain"]

#: uri, fallback label -> (label in the reader's language or English, the language it is in)
Label = Callable[[str, str | None], tuple[str, str]]

KIND_LABELS = {
    PathwayKind.PROGRESSION: N_("progression"),
    PathwayKind.SWITCH: N_("job switch"),
    PathwayKind.ENHANCEMENT: N_("role enhancement"),
}


def explain(explained: Explanation, label: Label, lang: str) -> Markup:
    """The explanation as one or two sentences of HTML in ``lang``."""
    if explained.kind == PathwayKind.ENHANCEMENT:
        parts = [_stay(explained, label, lang), _what(explained, lang)]
    else:
        parts = [_keeps(explained, label, lang), _needs(explained, label, lang)]
    return Markup(" ").join(part for part in parts if part)


def _keeps(explained: Explanation, label: Label, lang: str) -> Markup:
    if not explained.keeps:
        return escape(gettext("Few of your listed skills carry over."))
    return _say(gettext("You bring %(skills)s."), skills=_names(explained.keeps, label, lang))


def _needs(explained: Explanation, label: Label, lang: str) -> Markup:
    if not explained.needs:
        return escape(gettext("Nothing essential is missing."))
    hours = round(explained.hours)
    text = ngettext(
        "Still to learn: %(skills)s (about %(num)s hour in all).",
        "Still to learn: %(skills)s (about %(num)s hours in all).",
        hours,
    )
    skills = _names(explained.needs, label, lang)
    return _say(text, skills=skills, num=formatter(lang).number(hours))


def _stay(explained: Explanation, label: Label, lang: str) -> Markup | None:
    if not explained.adds:  # none of the module's skills is in the taxonomy: nothing to name
        return None
    role = _names([explained.role], label, lang) if explained.role else None
    skills = _names(explained.adds, label, lang)
    if role is None:
        return _say(gettext("Stay in your role and add %(skills)s."), skills=skills)
    return _say(
        gettext("Stay in your role as %(role)s and add %(skills)s."), role=role, skills=skills
    )


def _what(explained: Explanation, lang: str) -> Markup | None:
    """The module's description in ``lang``, else in English, else how many roles it opens."""
    for text_lang in (lang, "en"):
        text = explained.descriptions.get(text_lang)
        if text:
            return escape(text) if text_lang == lang else _in(text, text_lang)
    if not explained.opens:
        return None
    return _say(
        ngettext(
            "It opens %(num)s more safe and desirable role.",
            "It opens %(num)s more safe and desirable roles.",
            explained.opens,
        ),
        num=formatter(lang).number(explained.opens),
    )


def _names(refs: Sequence[SkillRef], label: Label, lang: str) -> Markup:
    """'A, B and C' in ``lang``, each name in the reader's language where it has one."""
    names = []
    for ref in refs:
        text, text_lang = label(ref.uri, ref.label)
        names.append(escape(text) if text_lang == lang else _in(text, text_lang))
    # The items are escaped and the list patterns hold no markup: the result is safe HTML.
    return Markup(format_list(names, locale=lang))


def _in(text: str, text_lang: str) -> Markup:
    return Markup('<span lang="{}">{}</span>').format(text_lang or "en", text)


def _say(message: str, **values: object) -> Markup:
    """``message`` (translated, with %(name)s placeholders) filled with escaped values."""
    return escape(message) % values
