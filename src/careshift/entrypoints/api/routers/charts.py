"""Chart specifications (Vega-Lite v5, data inline) for the pages' charts; same data as the tables.

Every chart goes through the same services as its page, so the same authorisation, audit and
small-cell suppression apply: a chart never shows what its table would not.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from careshift.entrypoints.api import vegalite
from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.entrypoints.web import i18n
from careshift.services import engagement_results, gaps
from careshift.services.access import Action, Resource, authorize
from careshift.services.exposure import exposure_scores
from careshift.services.frameworks import framework_roles
from careshift.services.requirements import role_index
from careshift.services.worker_pathways import pathways_for_worker

router = APIRouter(prefix="/charts", tags=["charts"])

#: Database ids: positive and within a 32-bit integer column (larger ones cannot exist).
IdPath = Annotated[int, Path(ge=1, le=2_147_483_647)]
IdQuery = Annotated[int, Query(ge=1, le=2_147_483_647)]
Lang = Annotated[str, Query(pattern="^(en|nb|sv)$", description="Language of titles and labels")]
_EXAMPLE = {"$schema": vegalite.SCHEMA, "title": "...", "data": {"values": []}, "mark": "bar"}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"example": _EXAMPLE}}}
}


@router.get(
    "/pathways/{worker_id}",
    summary="A worker's pathway options: fit against safety",
    responses=_RESPONSES,
)
def pathways_chart(
    careshift: CareshiftDep, principal: PrincipalDep, worker_id: IdPath, lang: Lang = "en"
) -> dict[str, Any]:
    found = pathways_for_worker(careshift, principal, worker_id)
    rows = [{"option": o.label, "fit": round(o.fit, 3)} for o in found.report.options]
    with i18n.using(lang):
        return vegalite.bar(
            i18n.gettext("How much of each option you already cover"),
            rows,
            "option",
            "fit",
            i18n.gettext("Fit"),
        )


@router.get(
    "/group-gaps",
    summary="People with a gap per group and skill (suppressed cells are empty)",
    responses=_RESPONSES,
)
def group_gaps_chart(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: IdQuery,
    role_uri: Annotated[str, Query(max_length=300)],
    by: Annotated[str, Query(pattern="^(unit|role|none)$")] = "unit",
    lang: Lang = "en",
) -> dict[str, Any]:
    report = gaps.group_gap(
        careshift, principal, institution_id, role_uri=role_uri, by=by, lang=lang
    )
    rows = [
        {"group": group["label"], "skill": skill["label"], "with_gap": cell["with_gap"]}
        for group in report.groups
        for skill, cell in zip(report.skills, group["cells"], strict=True)
    ]
    with i18n.using(lang):
        return vegalite.heatmap(
            i18n.gettext("People with a gap"),
            rows,
            "skill",
            "group",
            "with_gap",
            i18n.gettext("People"),
        )


@router.get(
    "/session-results/{session_id}",
    summary="Engagement-session answers below the level the role needs, per skill (aggregate)",
    responses=_RESPONSES,
)
def session_results_chart(
    careshift: CareshiftDep, principal: PrincipalDep, session_id: IdPath, lang: Lang = "en"
) -> dict[str, Any]:
    result = engagement_results.results(careshift, principal, session_id, lang=lang)
    rows = [
        {"skill": s["label"], "rated": s["rated"], "below": s.get("below_required")}
        for s in result["skills"]
    ]
    with i18n.using(lang):
        return vegalite.bar(
            i18n.gettext("Members below the level needed"),
            rows,
            "skill",
            "below",
            i18n.gettext("People"),
        )


@router.get("/exposure", summary="Exposure to automation of each local role", responses=_RESPONSES)
def exposure_chart(
    careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.ROLE_IMPACT)
    scores, index = exposure_scores(careshift), role_index(careshift)
    rows = [
        {"role": index.label(uri, lang), "exposure": round(scores[uri].score, 3)}
        for uri in framework_roles(careshift)
        if uri in scores
    ]
    with i18n.using(lang):
        return vegalite.bar(
            i18n.gettext("Exposure to automation"),
            rows,
            "role",
            "exposure",
            i18n.gettext("Exposure"),
        )
