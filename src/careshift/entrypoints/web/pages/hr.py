"""Employer pages: role impact (tasks, exposure, headcount at risk, timeline) and staff gaps."""

from __future__ import annotations

from datetime import date
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
from careshift.services.access import Action, Resource, allowed
from careshift.services.exposure import exposure_scores
from careshift.services.impact_register import impact_register

router = APIRouter(prefix="/hr")
register_page("/hr/impact")
register_page("/hr/gaps")

# Task changes as the framework names them; templates translate them with _(change).
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
    this_year = date.today().year
    register = impact_register(careshift, principal, chosen, this_year, this_year + 6, lang)
    scores = exposure_scores(careshift)
    impacts = sorted(
        (
            {**role, "exposure": scores.get(role["role_uri"]), "last": role["timeline"][-1]}
            for role in register["roles"]
        ),
        key=lambda r: -(r["exposure"].score if r["exposure"] else 0),
    )
    return render(
        request,
        "hr_impact.html",
        impacts=impacts,
        horizon=this_year + 6,
        institution_id=chosen,
        institutions=choices,
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
    report, too_fine = None, False
    try:
        if role:
            report = gaps.group_gap(careshift, principal, chosen, role_uri=role, by=by, lang=lang)
    except gaps.TooManySmallGroups:
        # Not the reader's mistake: the page says why and which choice works, form still usable.
        too_fine = True
    query = urlencode({"institution_id": chosen, "role_uri": role, "by": by, "lang": lang})
    return render(
        request,
        "hr_gaps.html",
        report=report,
        too_fine=too_fine,
        nothing_shown=report is not None and _nothing_shown(report),
        institution_id=chosen,
        institutions=choices,
        roles=roles,
        role_uri=role,
        by=by,
        chart_url=f"/api/v1/charts/group-gaps?{query}",
    )


def _nothing_shown(report: gaps.GroupGapReport) -> bool:
    """No group and no total to show (nobody in the role, or too few): a table of stars only."""
    totals = [skill["with_gap"] for skill in report.skills]
    return not report.groups and report.headcount is None and all(t is None for t in totals)


def _most_common_role(
    careshift: CareshiftDep, principal: Principal, institution_id: int, lang: str
) -> str | None:
    """The role most staff hold (published headcounts only): a sensible first view."""
    if not allowed(principal, Action.READ, Resource.ROLE_IMPACT, institution_id=institution_id):
        return None
    roles = impact_register(careshift, principal, institution_id, lang=lang)["roles"]
    counted = [r for r in roles if r["headcount"]]
    return max(counted, key=lambda r: r["headcount"])["role_uri"] if counted else None
