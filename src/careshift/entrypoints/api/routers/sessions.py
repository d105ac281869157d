"""Engagement sessions over REST; answering needs only the personal link's token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.services import engagement
from careshift.services.engagement_results import results

router = APIRouter(tags=["engagement sessions"])

Level = Annotated[int, Field(ge=1, le=6)]
Lang = Annotated[str, Query(pattern="^(en|nb|sv)$")]


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    role: str | None = Field(default=None, description="Ask about this role's skills.")
    skills: list[str] = Field(default_factory=list, description="Or these skill URIs.")


class SessionPublic(BaseModel):
    id: int
    institution_id: int
    title: str
    role_uri: str | None
    status: str
    skills: list[str]


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str | None = None
    role: str | None = None


class InvitationPublic(BaseModel):
    employee_number: str
    token: str
    link: str


class AnswerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    levels: dict[str, Level] = Field(min_length=1)
    consent: bool = Field(default=False, description="Also add my answers to my profile.")


@router.post("/institutions/{institution_id}/sessions", status_code=201)
def post_session(
    institution_id: int, body: SessionCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> SessionPublic:
    info = engagement.create_session(
        careshift, principal, institution_id, body.title, role_uri=body.role,
        skill_uris=body.skills,
    )  # fmt: skip
    return SessionPublic.model_validate(info, from_attributes=True)


@router.get("/institutions/{institution_id}/sessions")
def get_sessions(
    institution_id: int, careshift: CareshiftDep, principal: PrincipalDep
) -> list[SessionPublic]:
    found = engagement.list_sessions(careshift, principal, institution_id)
    return [SessionPublic.model_validate(i, from_attributes=True) for i in found]


@router.post(
    "/sessions/{session_id}/invitations",
    status_code=201,
    summary="Invite a group; each new link is shown once",
)
def post_invitations(
    session_id: int, body: InvitationCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> list[InvitationPublic]:
    made = engagement.invite(
        careshift, principal, session_id, unit_code=body.unit, role_uri=body.role
    )
    return [InvitationPublic(employee_number=i.employee_number, token=i.token, link=i.link)
            for i in made]  # fmt: skip


@router.get("/sessions/{session_id}/results", summary="Aggregate results, small cells hidden")
def get_results(
    session_id: int, careshift: CareshiftDep, principal: PrincipalDep, lang: Lang = "en"
) -> dict[str, Any]:
    return results(careshift, principal, session_id, lang)


@router.post("/sessions/{session_id}/close", status_code=204)
def post_close(session_id: int, careshift: CareshiftDep, principal: PrincipalDep) -> None:
    engagement.close_session(careshift, principal, session_id)


@router.get("/survey/{token}", summary="The questions behind a personal link")
def get_survey(token: str, careshift: CareshiftDep, lang: Lang = "en") -> dict[str, Any]:
    return engagement.questions(careshift, token, lang)


@router.post("/survey/{token}", status_code=204, summary="Answer once, anonymously")
def post_survey(token: str, body: AnswerCreate, careshift: CareshiftDep) -> None:
    engagement.answer(careshift, token, body.levels, consent=body.consent)
