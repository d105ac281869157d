"""Chart specifications (Vega-Lite v5, data inline) for the pages' charts; same data as the tables.

Every chart goes through the same services as its page, so the same authorisation, audit and
small-cell suppression apply: a chart never shows what its table would not.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from careshift.adapters.files.spreadsheet_cells import inert_row
from careshift.entrypoints.api import vegalite
from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.entrypoints.web import i18n
from careshift.entrypoints.web.pages.worker import labeller
from careshift.services import engagement_results, gaps, learning_outcomes
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
    200: {"content": {"application/json": {"example": _EXAMPLE}, "text/csv": {}}}
}
Format = Annotated[
    Literal["vega-lite", "csv"],
    Query(description="vega-lite: the chart with its data; csv: the same rows as a table"),
]


def _answer(spec: dict[str, Any], fmt: str, name: str) -> Any:
    """The chart, or its rows as CSV (the export behind every dashboard table)."""
    if fmt == "vega-lite":
        return spec
    rows: list[dict[str, Any]] = spec["data"]["values"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows([inert_row(row) for row in rows])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get(
    "/pathways/{worker_id}",
    summary="A worker's pathway options: fit against safety",
    responses=_RESPONSES,
)
def pathways_chart(
    careshift: CareshiftDep, principal: PrincipalDep, worker_id: IdPath, lang: Lang = "en"
) -> dict[str, Any]:
    options = pathways_for_worker(careshift, principal, worker_id).report.options
    # Named as in the page's table: concepts and modules in ``lang`` where they have a name.
    label = labeller(careshift, lang, {o.uri: o.labels for o in options if o.labels})
    rows = [{"option": label(o.uri, o.label)[0], "fit": round(o.fit, 3)} for o in options]
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
    careshift: CareshiftDep,
    principal: PrincipalDep,
    lang: Lang = "en",
    format: Format = "vega-lite",
) -> Any:
    authorize(principal, Action.READ, Resource.ROLE_IMPACT)
    scores, index = exposure_scores(careshift), role_index(careshift)
    rows = [
        {"role": index.label(uri, lang), "exposure": round(scores[uri].score, 3)}
        for uri in framework_roles(careshift)
        if uri in scores
    ]
    with i18n.using(lang):
        spec = vegalite.bar(
            i18n.gettext("Exposure to automation"),
            rows,
            "role",
            "exposure",
            i18n.gettext("Exposure"),
        )
    return _answer(spec, format, "exposure")


@router.get(
    "/gaps-by-competence",
    summary="People with a gap per required skill of a role in an institution (suppressed)",
    responses=_RESPONSES,
)
def gaps_by_competence_chart(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: IdQuery,
    role_uri: Annotated[str, Query(max_length=300)],
    lang: Lang = "en",
    format: Format = "vega-lite",
) -> Any:
    report = gaps.group_gap(
        careshift, principal, institution_id, role_uri=role_uri, by="none", lang=lang
    )
    rows = [{"skill": s["label"], "with_gap": s["with_gap"]} for s in report.skills]
    with i18n.using(lang):
        spec = vegalite.bar(
            i18n.gettext("Gaps by competence"), rows, "skill", "with_gap", i18n.gettext("People")
        )
    return _answer(spec, format, "gaps-by-competence")


@router.get(
    "/trained-by-year",
    summary="People of a role trained in at least one value-added service, by year (suppressed)",
    responses=_RESPONSES,
)
def trained_by_year_chart(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    institution_id: IdQuery,
    role_uri: Annotated[str, Query(max_length=300)],
    lang: Lang = "en",
    format: Format = "vega-lite",
) -> Any:
    outcome = learning_outcomes.trained_share(careshift, principal, institution_id, role_uri)
    rows = [{"year": str(y["year"]), "trained": y["trained"]} for y in outcome["trained_by_year"]]
    with i18n.using(lang):
        spec = vegalite.bar(
            i18n.gettext("Trained in a value-added service, by year"),
            rows,
            "year",
            "trained",
            i18n.gettext("People"),
            sort=None,
        )
    return _answer(spec, format, "trained-by-year")
