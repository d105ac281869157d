"""HR's approvals: enrolment requests of the institution's workers, approved or declined here
(services.enrolment_requests; the same data as ``/api/v1/institutions/{id}/enrolment-requests``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.scope import pick_institution
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.entrypoints.web.security import verify_csrf
from careshift.services import enrolment_requests

router = APIRouter(prefix="/hr", dependencies=[Depends(verify_csrf)])
register_page("/hr/approvals")

REQUEST_LABELS = {
    "pending": N_("waiting for a decision"),
    "approved": N_("approved"),
    "declined": N_("declined"),
}


@router.get("/approvals")
def approvals_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    institution_id: int | None = None,
    done: Literal["approved", "declined"] | None = None,
) -> Response:
    chosen, choices = pick_institution(careshift, principal, institution_id)
    found = enrolment_requests.institution_requests(careshift, principal, chosen, language(request))
    return render(
        request,
        "hr_approvals.html",
        pending=[r for r in found if r["status"] == "pending"],
        decided=[r for r in found if r["status"] != "pending"],
        done=done,
        institution_id=chosen,
        institutions=choices,
        request_labels=REQUEST_LABELS,
    )


@router.post("/approvals/{request_id}")
def decide(
    careshift: CareshiftDep,
    principal: SignedInUser,
    request_id: int,
    decision: Annotated[Literal["approve", "decline"], Form()],
    institution_id: Annotated[int | None, Form()] = None,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    result = enrolment_requests.decide(
        careshift, principal, request_id, decision == "approve", note or None
    )
    where = f"institution_id={institution_id}&" if institution_id is not None else ""
    return RedirectResponse(f"/hr/approvals?{where}done={result['status']}", status_code=303)
