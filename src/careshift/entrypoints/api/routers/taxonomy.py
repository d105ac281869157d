"""Taxonomy API: label search, one occupation or skill, the releases in use.

Every response names the ESCO release it shows, as the ESCO licence (Commission Decision
2011/833/EU) asks: in the body (``attribution``) and, problem documents included, in the
``X-Taxonomy-Source`` header (with "(c)" for the copyright sign).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from careshift.domain.taxonomy import LANGUAGES
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.api.problems import PROBLEM_RESPONSE
from careshift.entrypoints.api.schemas_taxonomy import (
    OccupationPublic,
    RelatedPublic,
    SearchPublic,
    SearchResultPublic,
    SkillPublic,
    TaxonomyPublic,
    concept_fields,
)
from careshift.errors import CareshiftError, InputError
from careshift.services import concepts
from careshift.services.search import KINDS, MAX_TOP, search

SOURCE_HEADER = "X-Taxonomy-Source"


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class _CreditedRoute(APIRoute):
    """A route whose every response, problem documents included, carries the ESCO credit."""

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()

        async def credited(request: Request) -> Response:
            try:
                response = await handle(request)
            except (CareshiftError, RequestValidationError) as exc:
                response = await _problem(request, exc)
            response.headers[SOURCE_HEADER] = await run_in_threadpool(_source, request)
            return response

        return credited


async def _problem(request: Request, exc: Exception) -> Response:
    """The application's own problem+json handler for ``exc`` (see api/problems.py)."""
    handlers = request.app.exception_handlers
    handler = next(handlers[k] for k in type(exc).__mro__ if k in handlers)
    response: Response = await handler(request, exc)
    return response


def _source(request: Request) -> str:
    # header values are Latin-1 on the wire and many clients decode them as ASCII/UTF-8
    return concepts.attribution(request.app.state.careshift).replace("©", "(c)")


_PROBLEM = PROBLEM_RESPONSE
router = APIRouter(tags=["taxonomy"], route_class=_CreditedRoute, responses={422: _PROBLEM})

LangQuery = Annotated[
    str, Query(description=f"Label language: {', '.join(LANGUAGES)}", examples=["en"])
]


@router.get("/search", summary="Find occupations, skills and roles by label")
def search_labels(
    careshift: CareshiftDep,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="Words or their start; typos ok")
    ],
    kind: Annotated[str | None, Query(description=f"One of: {', '.join(KINDS)}")] = None,
    lang: LangQuery = "en",
    top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
) -> SearchPublic:
    hits = search(careshift, q, kind=kind, lang=lang, top=top)
    return SearchPublic(
        query=q,
        results=[SearchResultPublic.of(hit) for hit in hits],
        attribution=concepts.attribution(careshift),
    )


@router.get(
    "/occupations/{concept_id:path}",
    summary="One occupation (or local role) with its essential and optional skills",
    responses={404: _PROBLEM},
)
def get_occupation(
    careshift: CareshiftDep, concept_id: str, lang: LangQuery = "en"
) -> OccupationPublic:
    detail = concepts.occupation(careshift, concept_id, _language(lang))
    return OccupationPublic(
        **concept_fields(detail, concepts.attribution(careshift)),  # type: ignore[arg-type]
        isco_code=detail.concept.isco_code,
        essential_skills=[RelatedPublic.of(r) for r in detail.essential],
        optional_skills=[RelatedPublic.of(r) for r in detail.optional],
    )


@router.get(
    "/skills/{concept_id:path}",
    summary="One skill with the occupations that need it",
    responses={404: _PROBLEM},
)
def get_skill(careshift: CareshiftDep, concept_id: str, lang: LangQuery = "en") -> SkillPublic:
    detail = concepts.skill(careshift, concept_id, _language(lang))
    return SkillPublic(
        **concept_fields(detail, concepts.attribution(careshift)),  # type: ignore[arg-type]
        skill_type=detail.concept.skill_type,
        reuse_level=detail.concept.reuse_level,
        essential_for=[RelatedPublic.of(r) for r in detail.essential],
        optional_for=[RelatedPublic.of(r) for r in detail.optional],
    )


@router.get("/taxonomy", summary="The taxonomy releases in use and the ESCO attribution")
def get_taxonomy(careshift: CareshiftDep) -> TaxonomyPublic:
    return TaxonomyPublic.of(concepts.taxonomy_info(careshift))


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return lang
