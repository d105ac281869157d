"""Search skills, occupations and local roles in the reader's language; one concept's page."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.rendering import PageUser, language, render
from careshift.services import concepts
from careshift.services.access import Action, Resource, authorize
from careshift.services.search import KINDS, SearchHit, search
from careshift.services.taxonomy import snapshot

router = APIRouter()
register_page("/taxonomy")

KIND_LABELS = {
    "occupation": N_("Occupation"),
    "skill": N_("Skill"),
    "role": N_("Local role"),
    "isco_group": N_("ISCO group"),
    "skill_group": N_("Skill group"),
    "task": N_("Task"),
}


@router.get("/taxonomy")
def taxonomy_search(
    request: Request,
    careshift: CareshiftDep,
    principal: PageUser,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    authorize(principal, Action.READ, Resource.TAXONOMY)
    lang = language(request)
    chosen = kind if kind in KINDS else None
    hits = _search_in(careshift, q, chosen, lang) if q.strip() else []
    return render(
        request,
        "taxonomy.html",
        q=q,
        kind=chosen or "",
        kinds=[(k, KIND_LABELS.get(k, k)) for k in KINDS],
        kind_labels=KIND_LABELS,
        hits=hits,
        credit=concepts.attribution(careshift),
    )


def _search_in(careshift: CareshiftDep, q: str, kind: str | None, lang: str) -> list[SearchHit]:
    """Hits in the reader's language, then English hits (readers often know the English term),
    each shown with its label in the reader's language where one exists."""
    hits = search(careshift, q, kind=kind, lang=lang, top=25)
    if lang == "en":
        return hits
    seen = {hit.uri for hit in hits}
    concepts_now = snapshot(careshift).concepts
    for hit in search(careshift, q, kind=kind, lang="en", top=25):
        if hit.uri not in seen and hit.uri in concepts_now:
            label, label_lang = concepts_now[hit.uri].label(lang)
            hits.append(replace(hit, label=label, label_lang=label_lang))
    return hits[:25]


@router.get("/taxonomy/concept")
def concept_page(
    request: Request,
    careshift: CareshiftDep,
    principal: PageUser,
    uri: Annotated[str, Query(max_length=300)],
) -> Response:
    authorize(principal, Action.READ, Resource.TAXONOMY)
    lang = language(request)
    current = snapshot(careshift).concepts.get(uri)
    is_skill = current is not None and current.kind.value in ("skill", "skill_group")
    detail = (concepts.skill if is_skill else concepts.occupation)(careshift, uri, lang)
    label, label_lang = detail.concept.label(lang)
    # careshift's own wording (data/labels; ESCO has no Norwegian skill labels) says so
    careshift_name = label_lang == lang and label in detail.added_labels.get(lang, ())

    def lang_of(related_uri: str) -> str:
        other = snapshot(careshift).concepts.get(related_uri)
        return other.label(lang)[1] if other else "en"

    return render(
        request,
        "concept.html",
        detail=detail,
        label=label,
        label_lang=label_lang,
        careshift_name=careshift_name,
        lang_of=lang_of,
        kind_labels=KIND_LABELS,
        credit=concepts.attribution(careshift),
    )
