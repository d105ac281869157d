"""Pathways and exposure over REST: ranked options for a role or a worker's own skills, overrides.

Role pathways and exposure are public knowledge (taxonomy + cited sources); pathways from posted
skills store nothing; a stored worker's pathways follow the personal-data policy (audited).
Overrides need HR (role impact write). Exposure responses carry the credits the licences ask for.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.services.exposure import add_override, exposure_of
from careshift.services.pathway_report import report_json
from careshift.services.pathways import (
    constraints_for,
    pathways_for_worker,
    role_pathways,
    worker_pathways,
)

router = APIRouter(tags=["pathways"])

#: Credits shown with exposure figures (ILO asks adaptations to carry this notice).
EXPOSURE_CREDITS = [
    "Gmyrek et al. (2025), Generative AI and Jobs: A Refined Global Index of Occupational "
    "Exposure, ILO Working Paper 140, © ILO, CC BY 4.0. This is an adaptation of a copyrighted "
    "work of the International Labour Organization (ILO). This adaptation has not been prepared, "
    "reviewed or endorsed by the ILO and should not be considered an official ILO adaptation. "
    "The ILO disclaims all responsibility for its content and accuracy. Responsibility rests "
    "solely with the author(s) of the adaptation.",
    "Kanders K., Djumalieva J., Sleeman C., Orlik J. (2020) Mapping Career Causeways: Supporting "
    "workers at risk. London: Nesta (MIT licence).",
    "ESCO v1.1.1, © European Union, https://esco.ec.europa.eu",
]

Top = Annotated[int, Query(ge=1, le=200)]
Kind = Annotated[str, Query(pattern="^(any|progression|switch|enhancement)$")]


@router.get("/pathways/roles/{role_id:path}", summary="Ranked pathways for a role")
def pathways_for_role(
    role_id: str,
    careshift: CareshiftDep,
    top: Top = 10,
    kind: Kind = "any",
    max_hours: Annotated[float | None, Query(ge=0)] = None,
    only_safe: bool = False,
) -> dict[str, Any]:
    constraints = constraints_for(top, kind, max_hours, only_safe=only_safe)
    return report_json(role_pathways(careshift, role_id, constraints))


class WorkerPathwaysCreate(BaseModel):
    skills: dict[str, Annotated[int, Field(ge=0, le=6)]]
    role: str | None = None
    top: Annotated[int, Field(ge=1, le=200)] = 10
    kind: Annotated[str, Field(pattern="^(any|progression|switch|enhancement)$")] = "any"
    max_hours: Annotated[float | None, Field(ge=0)] = None
    only_safe: bool = False
    #: local open positions by role URI; when given, demand counts in the ranking
    openings: dict[str, Annotated[int, Field(ge=0)]] | None = None


@router.post("/pathways", summary="Ranked pathways from a worker's own skills (nothing stored)")
def pathways_for_skills(body: WorkerPathwaysCreate, careshift: CareshiftDep) -> dict[str, Any]:
    constraints = constraints_for(body.top, body.kind, body.max_hours, only_safe=body.only_safe)
    report = worker_pathways(careshift, body.skills, body.role, constraints, openings=body.openings)
    return report_json(report)


@router.get("/pathways/workers/{worker_id}", summary="Ranked pathways for a stored worker")
def pathways_for_stored_worker(
    worker_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    top: Top = 10,
    kind: Kind = "any",
    max_hours: Annotated[float | None, Query(ge=0)] = None,
    only_safe: bool = False,
) -> dict[str, Any]:
    """The worker themselves, or HR/academy staff of their institution (audited)."""
    constraints = constraints_for(top, kind, max_hours, only_safe=only_safe)
    return report_json(pathways_for_worker(careshift, principal, worker_id, constraints))


def _exposure_public(score: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(score)
    data["category"] = score.category.value
    if score.override is not None:
        data["override"]["category"] = score.override.category.value
    data["credits"] = EXPOSURE_CREDITS
    return data


@router.get("/exposure/{role_id:path}", summary="A role's exposure with every source")
def exposure(role_id: str, careshift: CareshiftDep) -> dict[str, Any]:
    return _exposure_public(exposure_of(careshift, role_id))


class ExposureOverrideCreate(BaseModel):
    role: str
    category: Annotated[str, Field(pattern="^(high|medium|low)$")]
    reason: Annotated[str, Field(min_length=3, max_length=2000)]
    on: date | None = None
    score: Annotated[float | None, Field(ge=0, le=1)] = None


@router.post("/exposure/overrides", status_code=201, summary="Override a role's exposure")
def create_override(
    body: ExposureOverrideCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> dict[str, Any]:
    """A role's exposure is one value every institution's pathways read, so only an HR planner
    of every institution may override it (403 otherwise); the override is audited."""
    saved = add_override(
        careshift,
        principal,
        body.role,
        body.category,
        body.reason,
        principal.actor,
        body.on,
        body.score,
    )
    return {
        "uri": saved.uri,
        "category": saved.category.value,
        "author": saved.author,
        "on": saved.on.isoformat(),
        "reason": saved.reason,
    }
