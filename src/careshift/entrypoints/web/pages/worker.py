"""A worker's own pages: profile with self-assessment and CV suggestions, pathways with plan.

Staff in the worker's institution open the same pages under ``/workers/{id}``; the services
decide who may (services.access) and record every read in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from careshift.domain.access import Principal
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web import explanations
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.rendering import SignedInUser, language, render
from careshift.entrypoints.web.security import verify_csrf
from careshift.errors import InputError, PermissionDenied
from careshift.services import gaps, workers
from careshift.services.cv_suggestions import accept_suggestions, suggest_skills
from careshift.services.taxonomy import snapshot
from careshift.services.trainings import suggest_trainings
from careshift.services.worker_pathways import pathways_for_worker

router = APIRouter(dependencies=[Depends(verify_csrf)])
register_page("/me/profile")
register_page("/me/pathways")

_LEVELS = range(1, 7)
BASIS_LABELS = {
    "self": N_("self-assessment"),
    "supervisor": N_("supervisor"),
    "course": N_("course"),
    "credential": N_("credential"),
    "text": N_("text suggestion"),
    "session": N_("engagement session"),
    "role": N_("expected in the role"),
}


def own_worker(principal: Principal) -> int:
    if principal.worker_id is None:
        raise PermissionDenied("this account is not linked to a worker record; ask HR")
    return principal.worker_id


def labeller(
    careshift: CareshiftDep, lang: str, names: Mapping[str, Mapping[str, str]] | None = None
) -> Callable[[str, str | None], tuple[str, str]]:
    """uri -> (label in the reader's language or English, the language it is in); ids that
    are not concepts (an enhancement module) take their name in ``lang`` from ``names`` (id ->
    language -> name), else keep the English label the engine gave them."""
    concepts = snapshot(careshift).concepts
    names = names or {}

    def label(uri: str, fallback: str | None = None) -> tuple[str, str]:
        concept = concepts.get(uri)
        if concept:
            return concept.label(lang)
        own = names.get(uri, {}).get(lang)
        return (own, lang) if own else (fallback or uri, "en")

    return label


def _profile_page(
    request: Request, careshift: CareshiftDep, principal: Principal, worker_id: int, **extra: Any
) -> Response:
    lang = language(request)
    mine = workers.profile(careshift, principal, worker_id)
    gap = gaps.worker_gap(careshift, principal, worker_id, lang=lang)
    return render(
        request,
        "worker_profile.html",
        # The page's forms (self-assessment, CV) post to /me and act on the viewer's own
        # record, so only the worker themself gets them; staff read the profile of a named
        # third person.
        own=principal.worker_id == worker_id,
        worker_name=mine.worker.name or mine.worker.employee_number,
        profile=mine,
        gap=gap,
        label=labeller(careshift, lang),
        levels=_LEVELS,
        basis_labels=BASIS_LABELS,
        base=_base(request, worker_id),
        **extra,
    )


def _base(request: Request, worker_id: int) -> str:
    return "/me" if request.url.path.startswith("/me") else f"/workers/{worker_id}"


@router.get("/me/profile")
def my_profile(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    return _profile_page(request, careshift, principal, own_worker(principal))


@router.get("/workers/{worker_id}/profile")
def worker_profile(
    request: Request, careshift: CareshiftDep, principal: SignedInUser, worker_id: int
) -> Response:
    return _profile_page(request, careshift, principal, worker_id)


async def _levels_from_form(request: Request) -> dict[str, int]:
    form = await request.form()
    levels = {}
    for key, value in form.multi_items():
        wanted = key.startswith("level:") and isinstance(value, str) and value.isdigit()
        if wanted and int(str(value)) in _LEVELS:
            levels[key.removeprefix("level:")] = int(str(value))
    return levels


@router.post("/me/profile/assess")
async def assess(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    worker_id = own_worker(principal)
    levels = await _levels_from_form(request)
    if not levels:
        raise InputError("choose at least one level")
    await run_in_threadpool(workers.assess_self, careshift, principal, worker_id, levels)
    return RedirectResponse("/me/profile?saved=1", status_code=303)


@router.post("/me/profile/cv")
def cv_suggestions(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    cv_text: Annotated[str, Form(max_length=20000)],
) -> Response:
    worker_id = own_worker(principal)
    found = suggest_skills(careshift, principal, worker_id, cv_text, language(request))
    suggestions = [s for s in found if not s["in_profile"]]
    return _profile_page(
        request, careshift, principal, worker_id, suggestions=suggestions, cv_text=cv_text
    )


@router.post("/me/profile/cv/accept")
async def accept_cv_suggestions(
    request: Request, careshift: CareshiftDep, principal: SignedInUser
) -> Response:
    worker_id = own_worker(principal)
    levels = await _levels_from_form(request)
    if levels:
        await run_in_threadpool(accept_suggestions, careshift, principal, worker_id, levels)
    return RedirectResponse("/me/profile?saved=1", status_code=303)


@router.get("/me/pathways")
def my_pathways(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    return _pathways_page(request, careshift, principal, own_worker(principal))


@router.get("/workers/{worker_id}/pathways")
def worker_pathways(
    request: Request, careshift: CareshiftDep, principal: SignedInUser, worker_id: int
) -> Response:
    return _pathways_page(request, careshift, principal, worker_id)


def _pathways_page(
    request: Request, careshift: CareshiftDep, principal: Principal, worker_id: int
) -> Response:
    lang = language(request)
    found = pathways_for_worker(careshift, principal, worker_id)
    report = found.report
    plans = {}
    for option in report.options[:8]:
        needed = [g.uri for g in option.gap] or [s.uri for s in option.bundle]
        plans[option.uri] = (
            suggest_trainings(careshift, needed, [1] * len(needed), lang=lang) if needed else []
        )
    label = labeller(careshift, lang, {o.uri: o.labels for o in report.options if o.labels})
    return render(
        request,
        "worker_pathways.html",
        profile=found.profile,
        report=report,
        plans=plans,
        label=label,
        explain=lambda explained: explanations.explain(explained, label, lang),
        kind_labels=explanations.KIND_LABELS,
        chart_url=f"/api/v1/charts/pathways/{worker_id}?lang={lang}",
    )
