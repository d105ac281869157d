"""The start page: a dashboard of the pages each of the reader's roles uses."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careshift.domain.access import Role
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import menu, register_page
from careshift.entrypoints.web.rendering import PageUser, render

router = APIRouter()
register_page("/")

ROLE_LABELS = {
    Role.WORKER: N_("Worker"),
    Role.ACADEMY: N_("Academy staff"),
    Role.UNION: N_("Union representative"),
    Role.HR: N_("Employer HR"),
    Role.ANALYST: N_("Analyst"),
    Role.ADMIN: N_("Administrator"),
    Role.EDUCATION: N_("Education coordinator"),
}


@router.get("/")
def home(request: Request, principal: PageUser) -> Response:
    cards = [item for item in menu(principal) if item.path != "/"]
    roles = [ROLE_LABELS[role] for role in Role if role in principal.roles]
    return render(request, "home.html", cards=cards, roles=roles)
