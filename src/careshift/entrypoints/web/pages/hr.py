"""Employer pages: role impact (tasks, exposure, headcount at risk, timeline) and staff gaps."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from careshift.domain.access import Principal
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.scope import local_roles, pick_institution
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.services import gaps
from careshift.services.role_impact import role_impacts

router = APIRouter(prefix="/hr")
register_page("/hr/impact")
register_page("/hr/gaps")

CHANGE_LABELS = {
    "removed": N_("removed"),
    "changed": N_("changed"),
    "unchanged": N_("unchanged"),
    "new": N_("new"),
}
CATEGORY_LABELS = {
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "unknown": N_("unknown"),
}


@router.get("/impact")
def impact_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
) -> Response:
    lang = language(request)
    chosen, choices = pick_institution(careshift, principal, institution_id)
    return render(
        request,
        "hr_impact.html",
        impacts=role_impacts(careshift, principal, chosen, lang),
        institution_id=chosen,
        institutions=choices,
        change_labels=CHANGE_LABELS,
        category_labels=CATEGORY_LABELS,
        chart_url=f"/api/v1/charts/exposure?lang={lang}",
    )


@router.get("/gaps")
def gaps_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
    role_uri: Annotated[str, Query(max_length=300)] = "",
    by: Annotated[str, Query(pattern="^(unit|role|none)$")] = "unit",
) -> Response:
    lang = language(request)
    chosen, choices = pick_institution(careshift, principal, institution_id)
    roles = local_roles(careshift, lang)
    role = (
        role_uri
        or _most_common_role(careshift, principal, chosen, lang)
        or (roles[0][0] if roles else "")
    )
    report = (
        gaps.group_gap(careshift, principal, chosen, role_uri=role, by=by, lang=lang)
        if role
        else None
    )
    query = urlencode({"institution_id": chosen, "role_uri": role, "by": by, "lang": lang})
    return render(
        request,
        "hr_gaps.html",
        report=report,
        institution_id=chosen,
        institutions=choices,
        roles=roles,
        role_uri=role,
        by=by,
        chart_url=f"/api/v1/charts/group-gaps?{query}",
    )


def _most_common_role(
    careshift: CareshiftDep, principal: Principal, institution_id: int, lang: str
) -> str | None:
    """The role most staff hold, when the reader may count them (a sensible first view)."""
    counted = [i for i in role_impacts(careshift, principal, institution_id, lang) if i.headcount]
    return max(counted, key=lambda i: i.headcount or 0).uri if counted else None
