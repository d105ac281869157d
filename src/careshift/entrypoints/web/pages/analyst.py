"""The analyst's dashboards: exposure by role, gaps by competence, outcomes over time, exports.

Each table shows the rows of the chart the API serves (the same function builds both), so the
chart, its table and its CSV export never disagree, and all carry the same suppression.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.api.routers import charts
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.scope import local_roles, pick_institution
from careshift.entrypoints.web.rendering import SignedInUser, language, render

router = APIRouter()
register_page("/analyst/dashboards")


def _rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = spec["data"]["values"]
    return rows


@router.get("/analyst/dashboards")
def dashboards(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
    role_uri: Annotated[str, Query(max_length=300)] = "",
) -> Response:
    lang = language(request)
    chosen, choices = pick_institution(careshift, principal, institution_id)
    roles = local_roles(careshift, lang)
    role = role_uri or next(
        (uri for uri, *_ in roles if uri.endswith("patient_service_associate")), ""
    )
    role = role or (roles[0][0] if roles else "")
    query = urlencode({"institution_id": chosen, "role_uri": role, "lang": lang})
    exposure = charts.exposure_chart(careshift, principal, lang)
    gaps = charts.gaps_by_competence_chart(careshift, principal, chosen, role, lang)
    trained = charts.trained_by_year_chart(careshift, principal, chosen, role, lang)
    return render(
        request,
        "analyst_dashboards.html",
        institution_id=chosen,
        institutions=choices,
        roles=roles,
        role_uri=role,
        by=None,
        exposure=_rows(exposure),
        gaps=_rows(gaps),
        trained=_rows(trained),
        query=query,
    )
