"""Learning pages: the academy's catalogue, and a worker's optimal learning plan."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.worker import labeller, own_worker
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.services import learning
from careshift.services.access import Action, Resource, authorize

router = APIRouter()
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


@router.get("/me/learning")
def my_learning(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    lang = language(request)
    worker_id = own_worker(principal)
    found = learning.plan_for_worker(careshift, principal, worker_id)
    return render(
        request,
        "worker_learning.html",
        plan=found.plan,
        target_uri=found.target_uri,
        completed=learning.completed_courses(careshift, worker_id),
        label=labeller(careshift, lang),
        modality_labels=MODALITY_LABELS,
    )
