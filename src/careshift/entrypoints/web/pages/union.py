"""Engagement sessions: create a skill-gap survey, invite a group, see results in aggregate;
and the survey page a member opens from their link (the link is the credential)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.scope import local_roles, pick_institution
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.entrypoints.web.security import verify_csrf
from careshift.errors import InputError
from careshift.services import engagement, engagement_results

router = APIRouter(dependencies=[Depends(verify_csrf)])
STATUS_LABELS = {"open": N_("open"), "closed": N_("closed")}
#: Shown when a survey is sent with every skill on "Skip" (the service's "no skill levels given").
NO_ANSWER = N_("Choose a level for at least one skill before sending your answers.")
register_page("/union/sessions")


@router.get("/union/sessions")
def sessions_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    return render(
        request,
        "union_sessions.html",
        sessions=engagement.list_sessions(careshift, principal, chosen),
        institution_id=chosen,
        institutions=choices,
        role_choices=local_roles(careshift, language(request)),
        status_labels=STATUS_LABELS,
    )


@router.post("/union/sessions")
def create_session(
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=200)],
    role_uri: Annotated[str, Form(max_length=300)],
) -> Response:
    created = engagement.create_session(
        careshift, principal, institution_id, title, role_uri=role_uri
    )
    return RedirectResponse(f"/union/sessions/{created.id}", status_code=303)


@router.get("/union/sessions/{session_id}")
def session_page(
    request: Request, careshift: CareshiftDep, principal: SignedInUser, session_id: int
) -> Response:
    lang = language(request)
    result = engagement_results.results(careshift, principal, session_id, lang=lang)
    return render(
        request,
        "union_session.html",
        status_labels=STATUS_LABELS,
        result=result,
        chart_url=f"/api/v1/charts/session-results/{session_id}?lang={lang}",
    )


@router.post("/union/sessions/{session_id}/invite")
def invite(
    request: Request, careshift: CareshiftDep, principal: SignedInUser, session_id: int
) -> Response:
    lang = language(request)
    invitations = engagement.invite(careshift, principal, session_id)
    result = engagement_results.results(careshift, principal, session_id, lang=lang)
    return render(
        request,
        "union_session.html",
        status_labels=STATUS_LABELS,
        result=result,
        invitations=invitations,
        chart_url=f"/api/v1/charts/session-results/{session_id}?lang={lang}",
    )


@router.post("/union/sessions/{session_id}/close")
def close(careshift: CareshiftDep, principal: SignedInUser, session_id: int) -> Response:
    engagement.close_session(careshift, principal, session_id)
    return RedirectResponse(f"/union/sessions/{session_id}", status_code=303)


@router.get("/survey/{token}")
def survey(request: Request, careshift: CareshiftDep, token: str) -> Response:
    return _survey_form(request, careshift, token)


def _survey_form(
    request: Request, careshift: CareshiftDep, token: str, status: int = 200, **extra: Any
) -> Response:
    """The questions of a link (or why there are none: used, or the session is closed)."""
    asked = engagement.questions(careshift, token, lang=language(request))
    return render(request, "survey.html", status, asked=asked, token=token, **extra)


@router.post("/survey/{token}")
async def answer_survey(request: Request, careshift: CareshiftDep, token: str) -> Response:
    form = await request.form()
    levels = {
        key.removeprefix("level:"): int(value)
        for key, value in form.multi_items()
        if key.startswith("level:") and isinstance(value, str) and value.isdigit()
    }
    consent = form.get("consent") == "yes"
    try:
        await run_in_threadpool(engagement.answer, careshift, token, levels, consent=consent)
    except InputError as refused:
        # The person stays on the form with what they chose and reads what to change. A closed
        # session or a used link is a Conflict instead, answered by the error page (409).
        problem = str(refused) if levels else NO_ANSWER
        return await run_in_threadpool(
            _survey_form, request, careshift, token, 422,
            problem=problem, chosen=levels, consent=consent,
        )  # fmt: skip
    return render(request, "survey.html", done=True, asked=None, token=token)
