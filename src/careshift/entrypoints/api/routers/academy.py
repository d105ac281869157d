"""The academy and its learners over REST: programmes, the cohort calendar, attendance sheets,
per-course outcomes, a worker's learning record and credentials, and enrolment requests with
HR's decisions. The same services feed the pages, so page and API agree; each service
authorises the caller and audits personal data."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.services import (
    cohort_calendar,
    course_outcomes,
    enrolment_requests,
    learning_progress,
    learning_records,
)

router = APIRouter(tags=["academy"])

Lang = Literal["en", "nb", "sv"]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]


class AttendanceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: date
    hours: float = Field(gt=0, le=24)


class EnrolmentRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    session: str = Field(min_length=1, max_length=60)
    reason: str | None = Field(default=None, max_length=500)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "decline"]
    note: str | None = Field(default=None, max_length=500)


@router.get("/programmes", summary="Programmes: their courses in order and their waves")
def programmes(
    careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> list[dict[str, Any]]:
    return cohort_calendar.programmes(careshift, principal, lang)


@router.get(
    "/institutions/{institution_id}/cohort-calendar",
    summary="Course sessions of a month with seats and the institution's workers in each",
)
def cohort_calendar_month(
    institution_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    month: Month = None,
    lang: Lang = "en",
) -> dict[str, Any]:
    first, last = cohort_calendar.month_span(month)
    return cohort_calendar.calendar(careshift, principal, institution_id, first, last, lang)


@router.get("/course-sessions/open", summary="Sessions not yet started with seats left")
def open_sessions(
    careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> list[dict[str, Any]]:
    return enrolment_requests.open_sessions(careshift, principal, lang)


@router.get(
    "/course-sessions/{code}/attendance",
    summary="A session's enrolments you may see, with attendance and assessment",
)
def attendance_sheet(
    code: str, careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> dict[str, Any]:
    return cohort_calendar.session_sheet(careshift, principal, code, lang)


@router.post("/enrolments/{enrolment_id}/attendance", status_code=201, summary="Record attendance")
def record_attendance(
    enrolment_id: int, body: AttendanceCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> dict[str, Any]:
    learning_progress.attend(careshift, principal, enrolment_id, body.on, body.hours)
    return {"enrolment_id": enrolment_id, "on": body.on, "hours": body.hours}


@router.get(
    "/institutions/{institution_id}/course-outcomes",
    summary="Completions, assessment results and credentials per course, small cells suppressed",
)
def outcomes(
    institution_id: int, careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> dict[str, Any]:
    return course_outcomes.course_outcomes(careshift, principal, institution_id, lang)


@router.get(
    "/workers/{worker_id}/learning-record",
    summary="A worker's enrolments and progress, completed courses, credentials and requests",
)
def learning_record(
    worker_id: int, careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> dict[str, Any]:
    return learning_records.learning_record(careshift, principal, worker_id, lang)


@router.get(
    "/workers/{worker_id}/credentials/{uid}",
    summary="One of a worker's credentials: the signed JWT-VC, or its JSON with format=json",
    response_model=None,
)
def credential(
    worker_id: int,
    uid: str,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    format: Literal["json", "jwt"] = "json",
) -> dict[str, Any] | Response:
    found = learning_records.credential_download(careshift, principal, worker_id, uid)
    if format == "jwt":
        return Response(found["token"], media_type="application/vc+jwt")
    return found


@router.post(
    "/workers/{worker_id}/enrolment-requests",
    status_code=201,
    summary="Ask for a place in a course session (HR of the worker's institution decides)",
)
def request_enrolment(
    worker_id: int, body: EnrolmentRequestCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> dict[str, int]:
    request_id = enrolment_requests.request_enrolment(
        careshift, principal, worker_id, body.session, body.reason
    )
    return {"id": request_id}


@router.get(
    "/institutions/{institution_id}/enrolment-requests",
    summary="Enrolment requests of the institution's workers, pending first",
)
def institution_requests(
    institution_id: int, careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> list[dict[str, Any]]:
    return enrolment_requests.institution_requests(careshift, principal, institution_id, lang)


@router.post(
    "/enrolment-requests/{request_id}/decision",
    summary="Approve (enrols the worker) or decline an enrolment request",
)
def decide(
    request_id: int, body: Decision, careshift: CareshiftDep, principal: PrincipalDep
) -> dict[str, Any]:
    return enrolment_requests.decide(
        careshift, principal, request_id, body.decision == "approve", body.note
    )
