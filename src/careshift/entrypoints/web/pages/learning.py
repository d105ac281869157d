"""Learning pages: the academy's catalogue, and a worker's courses, credentials, requests for a
place in a session and optimal learning plan."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.worker import labeller, own_worker
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.entrypoints.web.security import verify_csrf
from careshift.services import enrolment_requests, learning, learning_records
from careshift.services.access import Action, Resource, authorize

router = APIRouter(dependencies=[Depends(verify_csrf)])
register_page("/academy/catalogue")
register_page("/me/learning")

MODALITY_LABELS = {
    "classroom": N_("classroom"),
    "e-learning": N_("e-learning"),
    "on-the-job": N_("on the job"),
    "mentoring": N_("mentoring"),
}


@router.get("/academy/catalogue")
def catalogue_page(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    authorize(principal, Action.READ, Resource.CATALOGUE)
    lang = language(request)
    courses = sorted(learning.catalogue(careshift).courses.values(), key=lambda c: c.title(lang))
    return render(
        request,
        "academy_catalogue.html",
        courses=courses,
        label=labeller(careshift, lang),
        modality_labels=MODALITY_LABELS,
    )


STATUS_LABELS = {
    "planned": N_("planned"),
    "enrolled": N_("enrolled"),
    "failed": N_("not passed"),
    "withdrawn": N_("withdrawn"),
    "pending": N_("waiting for a decision"),
    "approved": N_("approved"),
    "declined": N_("declined"),
}


@router.get("/me/learning")
def my_learning(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    requested: bool = False,
) -> Response:
    lang = language(request)
    worker_id = own_worker(principal)
    found = learning.plan_for_worker(careshift, principal, worker_id)
    record = learning_records.learning_record(careshift, principal, worker_id, lang)
    asked = {r["session"] for r in record["requests"] if r["status"] != "declined"}
    asked |= {e["session"] for e in record["enrolments"] + record["completed"]}
    return render(
        request,
        "worker_learning.html",
        record=record,
        open_sessions=[
            s
            for s in enrolment_requests.open_sessions(careshift, principal, lang)
            if s["session"] not in asked
        ],
        requested=requested,
        plan=found.plan,
        target_uri=found.target_uri,
        label=labeller(careshift, lang),
        modality_labels=MODALITY_LABELS,
        status_labels=STATUS_LABELS,
    )


@router.post("/me/learning/requests")
def request_place(
    careshift: CareshiftDep,
    principal: SignedInUser,
    session: Annotated[str, Form(min_length=1, max_length=60)],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    worker_id = own_worker(principal)
    enrolment_requests.request_enrolment(careshift, principal, worker_id, session, reason or None)
    return RedirectResponse("/me/learning?requested=1#requests", status_code=303)


@router.get("/me/credentials/{uid}")
def download_credential(
    careshift: CareshiftDep,
    principal: SignedInUser,
    uid: str,
    format: Literal["json", "jwt"] = "json",
) -> Response:
    """The credential as a file: the signed JWT-VC, or its Open Badges JSON."""
    found = learning_records.credential_download(careshift, principal, own_worker(principal), uid)
    name = "credential-" + uid.rsplit(":", 1)[-1]
    if format == "jwt":
        body, media = found["token"], "application/vc+jwt"
    else:
        body, media = json.dumps(found["credential"], indent=2), "application/json"
    disposition = f'attachment; filename="{name}.{format}"'
    return Response(body, media_type=media, headers={"content-disposition": disposition})
