"""Workforce planning over REST: WISN, projections, placement matching, competence demand.

The calculation endpoints take the same documents as the CLI files (``docs/planning.md``) as the
request body, in YAML or JSON (JSON is YAML), and store nothing. Problems in a body are answered
as problem+json 422 naming the line and field, like a file.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.entrypoints.web import i18n
from careshift.errors import InputError, NotFound
from careshift.services.access import Action, Resource, authorize
from careshift.services.competence_demand import demand_report
from careshift.services.impact_register import add_override, impact_register
from careshift.services.placement_matching import match_file
from careshift.services.planning_charts import projection_chart
from careshift.services.planning_documents import list_documents, run_document, save_document
from careshift.services.planning_wisn import wisn_report
from careshift.services.projection_scenarios import EXAMPLES, project_file

router = APIRouter(prefix="/planning", tags=["planning"])

_BODY = Body(
    ...,
    media_type="application/yaml",
    description="The planning document in YAML or JSON (docs/planning.md).",
)
MAX_BODY = 5_000_000


def _text(body: bytes) -> str:
    if len(body) > MAX_BODY:
        raise InputError(f"the document is larger than {MAX_BODY} bytes")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the document is not UTF-8 text") from None


@router.post("/wisn", summary="WISN staffing need per facility and role, with automation")
def wisn(principal: PrincipalDep, body: Annotated[bytes, _BODY]) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.PLANNING)
    return wisn_report("request body", _text(body))


@router.post("/projections", summary="Project the scenarios of a document side by side")
def projections(
    principal: PrincipalDep,
    body: Annotated[bytes, _BODY],
    scenario: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.PLANNING)
    return project_file("request body", scenario, _text(body))


@router.get("/projections/examples/{name}", summary="A shipped projection example")
def projection_example(
    principal: PrincipalDep,
    name: Annotated[str, Path(pattern="^[a-z0-9-]{1,60}$")],
    scenario: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.PLANNING)
    path = EXAMPLES / f"projection-{name}.yaml"
    if not path.is_file():
        raise NotFound(f"no projection example {name!r}")
    return project_file(path, scenario)


@router.get("/charts/projections/{name}", summary="Vega-Lite chart of a shipped projection")
def projection_example_chart(
    principal: PrincipalDep,
    name: Annotated[str, Path(pattern="^[a-z0-9-]{1,60}$")],
    lang: Annotated[str, Query(pattern="^(en|nb|sv)$")] = "en",
) -> dict[str, Any]:
    report = projection_example(principal, name)
    with i18n.using(lang):
        return projection_chart(
            report["rows"],
            i18n.gettext("Headcount (solid) and demand (dashed) per role"),
            i18n.gettext("people"),
        )


@router.post("/placements/match", summary="Stable placement matching, every unmatched explained")
def placements(principal: PrincipalDep, body: Annotated[bytes, _BODY]) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.PLACEMENT)
    return match_file("request body", _text(body))


@router.get("/impact/{institution_id}", summary="Role impact register: FTE at risk per year")
def impact(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: int,
    first_year: Annotated[int, Query(ge=2000, le=2100)] = 2026,
    last_year: Annotated[int, Query(ge=2000, le=2100)] = 2032,
    lang: Annotated[str, Query(pattern="^(en|nb|sv)$")] = "en",
) -> dict[str, Any]:
    return impact_register(careshift, principal, institution_id, first_year, last_year, lang)


class TaskOverrideCreate(BaseModel):
    role: Annotated[str, Field(min_length=1, max_length=300)]
    task_id: Annotated[str, Field(min_length=1, max_length=100)]
    change: Annotated[str, Field(pattern="^(removed|changed|unchanged|new)$")]
    share: Annotated[float, Field(ge=0, le=1)]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    year: Annotated[int | None, Field(ge=2000, le=2100)] = None
    technology: Annotated[str | None, Field(max_length=200)] = None


@router.post(
    "/impact/{institution_id}/overrides", status_code=201, summary="Override a role's task"
)
def impact_override(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: int,
    request: TaskOverrideCreate,
) -> dict[str, Any]:
    return add_override(
        careshift, principal, institution_id, request.role, request.task_id,
        change=request.change, share=request.share, reason=request.reason,
        year=request.year, technology=request.technology,
    )  # fmt: skip


DocumentKind = Annotated[str, Path(pattern="^(wisn|projection|placements)$")]
DocumentName = Annotated[str, Path(min_length=1, max_length=100)]


@router.put(
    "/documents/{institution_id}/{kind}/{name}",
    status_code=201,
    summary="Save a planning document (checked first; a new version when the name exists)",
)
def save(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: int,
    kind: DocumentKind,
    name: DocumentName,
    body: Annotated[bytes, _BODY],
) -> dict[str, Any]:
    return save_document(careshift, principal, institution_id, kind, name, _text(body))


@router.get("/documents/{institution_id}", summary="The institution's saved planning documents")
def documents(
    careshift: CareshiftDep, principal: PrincipalDep, institution_id: int
) -> list[dict[str, Any]]:
    return list_documents(careshift, principal, institution_id)


@router.get(
    "/documents/{institution_id}/{kind}/{name}/result",
    summary="Calculate the current version of a saved document",
)
def run(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: int,
    kind: DocumentKind,
    name: DocumentName,
) -> dict[str, Any]:
    return run_document(careshift, principal, institution_id, kind, name)


@router.get(
    "/documents/{institution_id}/projection/{name}/chart",
    summary="Vega-Lite chart of a saved projection",
)
def saved_projection_chart(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: int,
    name: DocumentName,
    lang: Annotated[str, Query(pattern="^(en|nb|sv)$")] = "en",
) -> dict[str, Any]:
    report = run_document(careshift, principal, institution_id, "projection", name)
    with i18n.using(lang):
        return projection_chart(
            report["rows"],
            i18n.gettext("Headcount (solid) and demand (dashed) per role"),
            i18n.gettext("people"),
        )


class PlannedPosts(BaseModel):
    role: Annotated[str, Field(min_length=1, max_length=500)]
    posts: Annotated[int, Field(ge=0, le=1_000_000)]


class JobAd(BaseModel):
    lang: Annotated[str, Field(pattern="^(en|nb|sv)$")] = "en"
    text: Annotated[str, Field(min_length=1, max_length=20_000)]


class DemandCreate(BaseModel):
    institution_id: int
    posts: Annotated[list[PlannedPosts], Field(max_length=10_000)] = []
    ads: Annotated[list[JobAd], Field(max_length=1_000)] = []
    collection: Annotated[str | None, Field(pattern="^(digital|green|transversal)$")] = None
    lang: Annotated[str, Field(pattern="^(en|nb|sv)$")] = "en"


@router.post("/demand", summary="Competence demand vs supply for an institution (suppressed)")
def demand(
    careshift: CareshiftDep, principal: PrincipalDep, request: DemandCreate
) -> dict[str, Any]:
    if not request.posts and not request.ads:
        raise InputError("give planned posts, job ads or both")
    return demand_report(
        careshift, principal, request.institution_id,
        posts=[(p.role, p.posts, i + 1) for i, p in enumerate(request.posts)],
        ads=[(f"ad {i + 1}", ad.lang, ad.text) for i, ad in enumerate(request.ads)],
        collection=request.collection, lang=request.lang,
    )  # fmt: skip
