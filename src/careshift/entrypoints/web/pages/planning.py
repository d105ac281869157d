"""Planner pages: WISN staffing need, projections, placements, competence demand, recruitment.

Each page calls the same service as the CLI and REST API. WISN and placements start from the
shipped example document; a planner pastes their own (YAML or JSON) to recalculate. Problems in
a pasted document are listed on the page with their line and field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from careshift.domain.access import Principal
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.scope import pick_institution
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.errors import ImportFailed, InputError
from careshift.services.access import Action, Resource, allowed, authorize
from careshift.services.competence_demand import demand_report
from careshift.services.impact_register import add_override, impact_register
from careshift.services.placement_matching import match_file
from careshift.services.planning_documents import list_documents, run_document
from careshift.services.planning_wisn import wisn_report
from careshift.services.projection_scenarios import EXAMPLES, project_file
from careshift.services.recruitment_metrics import education_metrics, workforce_metrics

router = APIRouter(prefix="/planning")
for _path in ("impact", "wisn", "projections", "placements", "demand", "recruitment", "education"):
    register_page(f"/planning/{_path}")

Document = Annotated[str, Form(max_length=2_000_000)]

_CHART = "/api/v1/planning/charts/projections/synthetic-hospital"
REASONS = {
    "unavailable_in_period": N_("not available in the period"),
    "no_places_offered": N_("no supervised places of this type in the period"),
    "no_acceptable_site": N_("none of the sites listed offers this placement"),
    "all_preferred_full": N_("every site listed is full with students it ranks higher"),
}


def _calculate(
    request: Request,
    principal: Principal,
    template: str,
    name: str,
    text: str | None,
    run: Any,
    resource: Resource = Resource.PLANNING,
) -> Response:
    authorize(principal, Action.READ, resource)
    source = text if text is not None else (EXAMPLES / name).read_text(encoding="utf-8")
    try:
        result, problems = run("document", source), []
    except ImportFailed as exc:
        result, problems = None, [str(p) for p in exc.problems] or [str(exc)]
    except InputError as exc:
        result, problems = None, [str(exc)]
    return render(
        request, template, result=result, problems=problems, document=source, reasons=REASONS
    )


@router.get("/wisn")
def wisn_page(request: Request, principal: SignedInUser) -> Response:
    return _calculate(request, principal, "planning_wisn.html", "wisn.yaml", None, wisn_report)


@router.post("/wisn")
def wisn_recalculate(request: Request, principal: SignedInUser, document: Document) -> Response:
    return _calculate(request, principal, "planning_wisn.html", "wisn.yaml", document, wisn_report)


@router.get("/placements")
def placements_page(request: Request, principal: SignedInUser) -> Response:
    return _calculate(
        request, principal, "planning_placements.html", "placements.yaml", None, match_file,
        Resource.PLACEMENT,
    )  # fmt: skip


@router.post("/placements")
def placements_match(request: Request, principal: SignedInUser, document: Document) -> Response:
    return _calculate(
        request, principal, "planning_placements.html", "placements.yaml", document, match_file,
        Resource.PLACEMENT,
    )  # fmt: skip


@router.get("/projections")
def projections_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
    name: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The shipped synthetic hospital, or a projection the institution saved (by name)."""
    authorize(principal, Action.READ, Resource.PLANNING)
    chosen, choices = pick_institution(careshift, principal, institution_id)
    lang = language(request)
    saved = [d["name"] for d in list_documents(careshift, principal, chosen)
             if d["kind"] == "projection"]  # fmt: skip
    if name:
        report = run_document(careshift, principal, chosen, "projection", name)
        chart_url = (
            f"/api/v1/planning/documents/{chosen}/projection/{quote(name)}/chart?lang={lang}"
        )
    else:
        report = project_file(EXAMPLES / "projection-synthetic-hospital.yaml")
        chart_url = f"{_CHART}?lang={lang}"
    return render(
        request,
        "planning_projections.html",
        report=report,
        years=sorted({row["year"] for row in report["rows"]}),
        roles=list(dict.fromkeys(row["role"] for row in report["rows"])),
        cells={(r["scenario"], r["role"], r["year"]): r for r in report["rows"]},
        chart_url=chart_url,
        institution_id=chosen,
        institutions=choices,
        saved=saved,
        name=name,
    )


@router.get("/demand")
def demand_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    return render(
        request, "planning_demand.html", institution_id=chosen, institutions=choices,
        report=None, problems=[], posts="", ads="", ad_lang="en",
    )  # fmt: skip


@router.post("/demand")
def demand_calculate(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: Annotated[int, Form()],
    posts: Annotated[str, Form(max_length=200_000)] = "",
    ads: Annotated[str, Form(max_length=500_000)] = "",
    ad_lang: Annotated[str, Form(pattern="^(en|nb|sv)$")] = "en",
    collection: Annotated[str, Form(pattern="^(|digital|green|transversal)$")] = "",
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    planned = []
    for line, text in enumerate(posts.splitlines(), start=1):
        role, _, count = text.rpartition(",")
        if text.strip() and role.strip() and count.strip().isdigit():
            planned.append((role.strip(), int(count), line))
    texts = [(f"ad {i + 1}", ad_lang, t.strip()) for i, t in enumerate(ads.split("\n\n"))]
    texts = [ad for ad in texts if ad[2]]
    report, problems = None, []
    try:
        report = demand_report(
            careshift, principal, chosen, posts=planned, ads=texts,
            collection=collection or None, lang=language(request), default_lang=ad_lang,
        )  # fmt: skip
    except InputError as exc:
        problems = [str(p) for p in exc.problems] or [str(exc)]
    return render(
        request, "planning_demand.html", institution_id=chosen, institutions=choices,
        report=report, problems=problems, posts=posts, ads=ads, ad_lang=ad_lang,
    )  # fmt: skip


@router.get("/recruitment")
def recruitment_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    shown = year or date.today().year
    report = workforce_metrics(careshift, principal, chosen, shown, language(request))
    return render(
        request, "planning_recruitment.html", institution_id=chosen, institutions=choices,
        year=shown, report=report,
    )  # fmt: skip


@router.get("/impact")
def impact_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    return _impact(request, careshift, principal, chosen, choices, [])


def _impact(
    request: Request,
    careshift: CareshiftDep,
    principal: Principal,
    chosen: int,
    choices: list[tuple[int, str]],
    problems: list[str],
) -> Response:
    year = date.today().year
    report = impact_register(careshift, principal, chosen, year, year + 6, language(request))
    may_correct = allowed(principal, Action.WRITE, Resource.ROLE_IMPACT, institution_id=chosen)
    return render(
        request, "planning_impact.html", institution_id=chosen, institutions=choices,
        report=report, years=list(range(year, year + 7)), problems=problems,
        changes=("removed", "changed", "unchanged", "new"), may_correct=may_correct,
    )  # fmt: skip


@router.post("/impact")
def impact_override(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: Annotated[int, Form()],
    role_uri: Annotated[str, Form(max_length=300)],
    task_id: Annotated[str, Form(max_length=100)],
    change: Annotated[str, Form(pattern="^(removed|changed|unchanged|new)$")],
    share: Annotated[float, Form(ge=0, le=1)],
    reason: Annotated[str, Form(max_length=2000)],
    year: Annotated[int | None, Form(ge=2000, le=2100)] = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    problems = []
    try:
        add_override(
            careshift, principal, chosen, role_uri, task_id, change=change, share=share,
            reason=reason, year=year,
        )  # fmt: skip
    except InputError as exc:
        problems = [str(exc)]
    return _impact(request, careshift, principal, chosen, choices, problems)


_STUDENTS_HEADER = "programme,intake_year,gender,birth_year,status\n"


@router.get("/education")
def education_page(request: Request, principal: SignedInUser) -> Response:
    authorize(principal, Action.READ, Resource.PLACEMENT)
    return render(request, "planning_education.html", report=None, problems=[],
                  students=_STUDENTS_HEADER)  # fmt: skip


@router.post("/education")
def education_calculate(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    students: Annotated[str, Form(max_length=5_000_000)],
) -> Response:
    authorize(principal, Action.READ, Resource.PLACEMENT)
    report, problems = None, []
    try:
        report = education_metrics("students", careshift.settings.min_cell_size, students)
    except ImportFailed as exc:
        problems = [str(p) for p in exc.problems]
    return render(request, "planning_education.html", report=report, problems=problems,
                  students=students)  # fmt: skip
