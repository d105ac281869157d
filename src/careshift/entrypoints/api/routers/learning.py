"""Learning over REST: catalogue, optimal plans, enrolment and completion, cohort planning and
credentials. Every route passes the caller to the service, which authorises and audits."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from careshift.domain.learning import Course, SkillLevel
from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.errors import NotFound
from careshift.services import (
    cohorts,
    credentials,
    learning,
    learning_outcomes,
    learning_progress,
)
from careshift.services.access import Action, Resource, authorize

router = APIRouter(tags=["learning"])

Level = Annotated[int, Field(ge=1, le=6)]
Objective = Literal["hours", "cost", "mix"]


class SkillTarget(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skill_uri: str = Field(min_length=3, max_length=300)
    level: Level


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    targets: list[SkillTarget] = Field(min_length=1, max_length=200)
    current: list[SkillTarget] = Field(default_factory=list, max_length=500)
    completed: list[str] = Field(default_factory=list, max_length=500)
    objective: Objective = "hours"


class EnrolmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    worker_id: int
    course: str = Field(min_length=1, max_length=40)
    session: str | None = Field(default=None, max_length=60)


class CredentialToken(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=200_000)


def _course(course: Course, lang: str) -> dict[str, Any]:
    return {
        "code": course.code,
        "title": course.title(lang),
        "titles": dict(course.titles),
        "provider": course.provider,
        "hours": course.hours,
        "cost": course.cost,
        "currency": course.currency,
        "modality": course.modality.value,
        "language": course.language,
        "seats_per_session": course.seats_per_session,
        "skills": [{"skill_uri": b.uri, "level": b.level} for b in course.brings],
        "prerequisites": [
            {"course": p.course} if p.course else {"skill_uri": p.skill.uri, "level": p.skill.level}  # type: ignore[union-attr]
            for p in course.prerequisites
        ],
        "modules": [{"title": m.title, "hours": m.hours} for m in course.modules],
    }


@router.get("/courses", summary="The course catalogue, optionally only courses teaching a skill")
def list_courses(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    skill: str | None = None,
    lang: Literal["en", "nb", "sv"] = "en",
) -> list[dict[str, Any]]:
    authorize(principal, Action.READ, Resource.CATALOGUE)
    current = learning.catalogue(careshift)
    courses = current.teaching(skill) if skill else tuple(current.courses.values())
    return [_course(c, lang) for c in courses]


@router.get("/courses/{code}", summary="One course with its sessions")
def get_course(
    code: str,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    lang: Literal["en", "nb", "sv"] = "en",
) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.CATALOGUE)
    course = learning.catalogue(careshift).courses.get(code)
    if course is None:
        raise NotFound(f"no course with code {code!r}")
    runs = learning.sessions(careshift, [code])
    return {
        **_course(course, lang),
        "sessions": [
            {"code": s.code, "starts_at": s.starts_at, "ends_at": s.ends_at, "seats": s.seats}
            for s in runs
        ],
    }


@router.post("/learning/plan", summary="Optimal learning plan for target skill levels (HiGHS)")
def plan(body: PlanRequest, careshift: CareshiftDep, principal: PrincipalDep) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.CATALOGUE)
    found = learning.plan_for_targets(
        careshift,
        [SkillLevel(t.skill_uri, t.level) for t in body.targets],
        {t.skill_uri: t.level for t in body.current},
        completed=body.completed,
        objective=body.objective,
    )
    return learning.plan_to_dict(found)


@router.get("/workers/{worker_id}/learning-plan", summary="Optimal plan closing a worker's gap")
def worker_plan(
    worker_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    target: str | None = Query(None, description="Target role URI (default: current role)"),
    objective: Objective = "hours",
    lang: Literal["en", "nb", "sv"] = "en",
) -> dict[str, Any]:
    result = learning.plan_for_worker(careshift, principal, worker_id, target, objective)
    return {
        "worker_id": worker_id,
        "target_uri": result.target_uri,
        **learning.plan_to_dict(result.plan, lang),
    }


@router.get("/learning/hours", summary="Training hours to bring a skill to a level")
def hours(
    careshift: CareshiftDep,
    principal: PrincipalDep,
    skill: str,
    level: Annotated[int, Query(ge=1, le=6)],
    current: Annotated[int, Query(ge=0, le=6)] = 0,
) -> dict[str, Any]:
    authorize(principal, Action.READ, Resource.CATALOGUE)
    return {
        "skill_uri": skill,
        "level": level,
        "hours": learning.hours_to_reach(careshift, skill, level, current),
    }


@router.post("/enrolments", status_code=201, summary="Enrol a worker in a course")
def enrol(
    body: EnrolmentCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> dict[str, int]:
    enrolment_id = learning_progress.enrol(
        careshift, principal, body.worker_id, body.course, body.session
    )
    return {"id": enrolment_id}


@router.post(
    "/enrolments/{enrolment_id}/complete",
    summary="Record completion; the worker's profile gains the course's levels",
)
def complete(enrolment_id: int, careshift: CareshiftDep, principal: PrincipalDep) -> dict[str, Any]:
    levels = learning_progress.complete(careshift, principal, enrolment_id)
    return {"id": enrolment_id, "evidence": levels}


@router.post(
    "/enrolments/{enrolment_id}/credential",
    status_code=201,
    summary="Issue an Open Badges 3.0 credential (JWT-VC) for a completed enrolment",
)
def issue(enrolment_id: int, careshift: CareshiftDep, principal: PrincipalDep) -> dict[str, Any]:
    issued = credentials.issue_for_enrolment(careshift, principal, enrolment_id)
    return {"id": issued.uid, "token": issued.token, "credential": issued.credential}


@router.post("/credentials/verify", summary="Verify signature, issuer, expiry and revocation")
def verify(body: CredentialToken, careshift: CareshiftDep) -> dict[str, Any]:
    report = credentials.verify(careshift, body.token)
    return {"valid": report.valid, "checks": report.checks, "problems": report.problems}


@router.post("/programmes/{code}/plan", summary="Plan or re-plan a programme's cohorts (CP-SAT)")
def plan_cohorts(
    code: str,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    time_limit: Annotated[float, Query(gt=0, le=60)] = 8.0,
) -> dict[str, Any]:
    return cohorts.plan_programme(careshift, principal, code, time_limit)


@router.get("/programmes/{code}/outcomes", summary="Per-batch outcomes, small cells suppressed")
def programme_outcomes(
    code: str, careshift: CareshiftDep, principal: PrincipalDep
) -> dict[str, Any]:
    return learning_outcomes.programme_outcomes(careshift, principal, code)


@router.get(
    "/institutions/{institution_id}/trained-share",
    summary="Share of a role trained in at least one course teaching a tagged skill",
)
def trained_share(
    institution_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    role: str,
    tag: str = "value_added_service",
) -> dict[str, Any]:
    return learning_outcomes.trained_share(careshift, principal, institution_id, role, tag)
