"""Academy pages: programmes, the cohort calendar, a session's attendance sheet, and outcomes
per course. Data comes from the same services as ``/api/v1`` (routers/academy.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.learning import MODALITY_LABELS
from careshift.entrypoints.web.pages.scope import pick_institution
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.entrypoints.web.security import verify_csrf
from careshift.services import cohort_calendar, course_outcomes, learning_progress
from careshift.services.access import Action, Resource, allowed

router = APIRouter(prefix="/academy", dependencies=[Depends(verify_csrf)])
register_page("/academy/programmes")
register_page("/academy/cohorts")
register_page("/academy/outcomes")

STATUS_LABELS = {
    "planned": N_("planned"),
    "enrolled": N_("enrolled"),
    "completed": N_("completed"),
    "failed": N_("not passed"),
    "withdrawn": N_("withdrawn"),
}
OUTCOME_LABELS = {
    "credentialed": N_("Completed, credential issued"),
    "completed_only": N_("Completed, no credential yet"),
    "in_progress": N_("In progress"),
    "not_passed": N_("Not passed"),
    "withdrawn": N_("Withdrawn"),
}


@router.get("/programmes")
def programmes_page(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    found = cohort_calendar.programmes(careshift, principal, language(request))
    return render(
        request, "academy_programmes.html", programmes=found, modality_labels=MODALITY_LABELS
    )


@router.get("/cohorts")
def cohorts_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    first, last = cohort_calendar.month_span(month)
    found = cohort_calendar.calendar(careshift, principal, chosen, first, last, language(request))
    return render(
        request,
        "academy_cohorts.html",
        calendar=found,
        weeks=_weeks(first, last, {d["date"]: d["sessions"] for d in found["days"]}),
        month=first,
        previous=f"{(first - timedelta(days=1)):%Y-%m}",
        following=f"{(last + timedelta(days=1)):%Y-%m}",
        institution_id=chosen,
        institutions=choices,
        status_labels=STATUS_LABELS,
    )


def _weeks(first: date, last: date, days: dict[date, Any]) -> list[list[dict[str, Any]]]:
    """Monday-first weeks covering the month; days outside it are padding (``in_month`` False)."""
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    cells = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    rows = [{"date": d, "in_month": first <= d <= last, "sessions": days.get(d, [])} for d in cells]
    return [rows[i : i + 7] for i in range(0, len(rows), 7)]


@router.get("/sessions/{code}")
def session_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    code: str,
    saved: bool = False,
) -> Response:
    sheet = cohort_calendar.session_sheet(careshift, principal, code, language(request))
    # Who may read a cohort need not record in it (HR reads, the academy writes): the form is
    # offered per enrolment, by the policy on the worker's institution.
    recordable = {
        e["enrolment_id"]
        for e in sheet["enrolments"]
        if allowed(principal, Action.WRITE, Resource.COHORT, institution_id=e["institution_id"])
    }
    return render(
        request,
        "academy_session.html",
        sheet=sheet,
        saved=saved,
        status_labels=STATUS_LABELS,
        recordable=recordable,
    )


@router.post("/sessions/{code}/attendance")
def record_attendance(
    careshift: CareshiftDep,
    principal: SignedInUser,
    code: str,
    enrolment_id: Annotated[int, Form()],
    on: Annotated[date, Form()],
    hours: Annotated[float, Form(gt=0, le=24)],
) -> Response:
    learning_progress.attend(careshift, principal, enrolment_id, on, hours)
    return RedirectResponse(f"/academy/sessions/{quote(code, safe='')}?saved=1", status_code=303)


@router.get("/outcomes")
def outcomes_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    found = course_outcomes.course_outcomes(careshift, principal, chosen, language(request))
    return render(
        request,
        "academy_outcomes.html",
        outcomes=found,
        institution_id=chosen,
        institutions=choices,
        outcome_labels=OUTCOME_LABELS,
    )
