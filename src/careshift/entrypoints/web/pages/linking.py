"""Link a pasted text to ESCO skills or occupations, showing the words that support each one.

Skills: the text is one document (a CV, a job ad, a course description). Occupations: one job
title per line. The linking service does the work (services.linking); this page shows each
concept with its label in the reader's language, its calibrated score and, as the explanation,
the supporting spans marked in short excerpts of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careshift.domain.taxonomy import LANGUAGES
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import LANGUAGE_NAMES, N_
from careshift.entrypoints.web.pages.taxonomy import KIND_LABELS
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.entrypoints.web.security import verify_csrf
from careshift.errors import InputError
from careshift.services import concepts
from careshift.services.access import Action, Resource, authorize
from careshift.services.linking import (
    MAX_BATCH_BYTES,
    MAX_DOCUMENT_CHARS,
    MAX_TITLE_CHARS,
    LinkResult,
    link_occupations,
    link_skills,
)
from careshift.services.taxonomy import snapshot

__all__ = ["MAX_TITLES", "excerpts", "router"]

router = APIRouter(dependencies=[Depends(verify_csrf)])

KINDS = {
    "skills": N_("Skills (one document)"),
    "occupations": N_("Occupations (one job title per line)"),
}
#: job titles per submission, as the REST API's batch limit
MAX_TITLES = 1_000
#: top results per text the form offers
TOP_RANGE = (1, 20)
_CONTEXT_CHARS = 60
_EXCERPTS_PER_CONCEPT = 3
_SPACE = re.compile(r"\s")

#: an excerpt: pieces of the text, each marked (a supporting span) or not
Excerpt = tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class ShownConcept:
    uri: str
    label: str
    label_lang: str
    kind: str
    score: float
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True)
class ShownText:
    text: str
    concepts: tuple[ShownConcept, ...]
    #: characters read when the text was cut (None: read whole)
    cut_to: int | None
    #: the service's other warnings, in English
    notes: tuple[str, ...]


@router.get("/taxonomy/link")
def link_form(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    authorize(principal, Action.READ, Resource.TAXONOMY)
    return _render(request, careshift, text="", kind="skills", text_lang=language(request), top=10)


@router.post("/taxonomy/link")
async def link_text(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    text: Annotated[str, Form()] = "",
    kind: Annotated[str, Form(max_length=20)] = "skills",
    lang: Annotated[str, Form(max_length=10)] = "",
    top: Annotated[int, Form(ge=TOP_RANGE[0], le=TOP_RANGE[1])] = 10,
) -> Response:
    authorize(principal, Action.READ, Resource.TAXONOMY)
    if kind not in KINDS:
        raise InputError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if lang and lang not in LANGUAGES:
        raise InputError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")
    # The first use loads the embedding model and builds the indexes: seconds, off the loop.
    return await run_in_threadpool(_linked_page, request, careshift, text, kind, lang, top)


def _linked_page(
    request: Request, careshift: CareshiftDep, text: str, kind: str, lang: str, top: int
) -> Response:
    text_lang = lang or language(request)
    results: list[LinkResult]
    if kind == "skills":
        texts = [text] if text.strip() else []
        # The service refuses more than MAX_BATCH_BYTES with an InputError (a 422 page).
        results = link_skills(careshift, texts, text_lang, top) if texts else []
        max_chars = MAX_DOCUMENT_CHARS
    else:
        texts = [line.strip() for line in text.splitlines() if line.strip()]
        if len(texts) > MAX_TITLES:
            raise InputError(
                f"{len(texts):,} job titles; the limit is {MAX_TITLES:,} at a time (split the list)"
            )
        results = link_occupations(careshift, texts, text_lang, top) if texts else []
        max_chars = MAX_TITLE_CHARS
    shown = [
        _shown(careshift, result, original, max_chars, language(request))
        for result, original in zip(results, texts, strict=True)
    ]
    return _render(
        request, careshift, text=text, kind=kind, text_lang=text_lang, top=top, results=shown
    )


def _render(
    request: Request,
    careshift: CareshiftDep,
    *,
    text: str,
    kind: str,
    text_lang: str,
    top: int,
    results: list[ShownText] | None = None,
) -> Response:
    return render(
        request,
        "taxonomy_link.html",
        text=text,
        kind=kind,
        text_lang=text_lang,
        top=top,
        results=results,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        text_languages={code: LANGUAGE_NAMES[code] for code in LANGUAGES},
        top_range=TOP_RANGE,
        max_chars=MAX_BATCH_BYTES,
        credit=concepts.attribution(careshift),
    )


def _shown(
    careshift: CareshiftDep, result: LinkResult, original: str, max_chars: int, reader_lang: str
) -> ShownText:
    """One text's concepts, labelled in the reader's language (which may differ from the
    text's), with excerpts of the text marking the spans that support each."""
    known = snapshot(careshift).concepts
    shown = []
    for linked in result.results:
        concept = known.get(linked.uri)
        label, label_lang = concept.label(reader_lang) if concept else (linked.label, "en")
        shown.append(
            ShownConcept(
                uri=linked.uri,
                label=label,
                label_lang=label_lang,
                kind=linked.kind,
                score=linked.score,
                excerpts=excerpts(result.text, linked.spans),
            )
        )
    cut = len(result.text) < len(original)
    return ShownText(
        text=result.text,
        concepts=tuple(shown),
        cut_to=max_chars if cut else None,
        notes=tuple(w for w in result.warnings if not (cut and "truncated" in w)),
    )


def excerpts(
    text: str,
    spans: tuple[tuple[int, int], ...],
    context: int = _CONTEXT_CHARS,
    limit: int = _EXCERPTS_PER_CONCEPT,
) -> tuple[Excerpt, ...]:
    """Short pieces of ``text`` around ``spans`` ([start, end) offsets), the spans marked.

    Overlapping spans are merged, spans whose context overlaps share one excerpt, and an
    excerpt that does not reach an end of the text is cut at a space and shows an ellipsis.
    The pieces are plain text: the template escapes them and adds the ``<mark>``.
    """
    size = len(text)
    marks: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(size, e)) for s, e in spans):
        if start >= end:
            continue
        if marks and start <= marks[-1][1]:
            marks[-1] = (marks[-1][0], max(marks[-1][1], end))
        else:
            marks.append((start, end))
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    for start, end in marks:
        low, high = _widened(text, start, end, context)
        if windows and low <= windows[-1][1]:
            first, last, inside = windows[-1]
            windows[-1] = (first, max(last, high), [*inside, (start, end)])
        else:
            windows.append((low, high, [(start, end)]))
    out = []
    for low, high, inside in windows[:limit]:
        pieces: list[tuple[str, bool]] = [("\u2026", False)] if low > 0 else []
        position = low
        for start, end in inside:
            if start > position:
                pieces.append((text[position:start], False))
            pieces.append((text[start:end], True))
            position = end
        if high > position:
            pieces.append((text[position:high], False))
        if high < size:
            pieces.append(("\u2026", False))
        out.append(tuple(pieces))
    return tuple(out)


def _widened(text: str, start: int, end: int, context: int) -> tuple[int, int]:
    """``[start, end)`` with up to ``context`` characters either side, cut at whole words."""
    low, high = max(0, start - context), min(len(text), end + context)
    if low > 0:
        space = _SPACE.search(text, low, start)
        low = space.end() if space else start
    if high < len(text):
        spaces = [m.start() for m in _SPACE.finditer(text, end, high)]
        high = spaces[-1] if spaces else end
    return low, high
