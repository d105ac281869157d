"""Administration: accounts, roles per institution, reset codes, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from careshift.domain.access import Role
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.nav import register_page
from careshift.entrypoints.web.pages.home import ROLE_LABELS
from careshift.entrypoints.web.rendering import SignedInUser, render
from careshift.entrypoints.web.security import verify_csrf
from careshift.errors import InputError
from careshift.services import accounts, audit_log, signin
from careshift.services.access import (
    Action,
    Resource,
    authorize,
    authorize_everywhere,
    visible_institutions,
)

router = APIRouter(prefix="/admin", dependencies=[Depends(verify_csrf)])
register_page("/admin/accounts")
register_page("/admin/audit")

#: The scope choice meaning every institution (an empty value means nothing was chosen).
EVERYWHERE = "all"
_MISSING = {
    "user_id": N_("Choose the person to give the role to."),
    "role": N_("Choose the role to give."),
    "institution_id": N_("Choose the institution where the role applies, or all institutions."),
}


def _accounts_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    status: int = 200,
    **extra: Any,
) -> Response:
    # Choices of where a role applies: only those this administrator may grant or revoke in.
    scope = visible_institutions(principal, Action.WRITE, Resource.ACCOUNT)
    every = accounts.institutions(careshift)
    places = [(i, name) for i, name in every if scope is None or i in scope]
    return render(
        request,
        "admin_accounts.html",
        status,
        people=accounts.list_accounts(careshift, principal),
        institutions=places,
        scope_ids={i for i, _ in places},
        everywhere=scope is None,
        roles=[(role.value, ROLE_LABELS[role]) for role in Role],
        role_labels=ROLE_LABELS,
        **extra,
    )


@router.get("/accounts")
def accounts_page(request: Request, careshift: CareshiftDep, principal: SignedInUser) -> Response:
    return _accounts_page(request, careshift, principal)


@router.post("/accounts")
def create_account(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    email: Annotated[str, Form(max_length=254)],
    display_name: Annotated[str, Form(max_length=200)],
) -> Response:
    accounts.create_user(careshift, email, display_name, by=principal)
    # No password yet: the new user sets one with a reset code, which only they then know.
    code = signin.start_password_reset(careshift, email, by=principal)
    return _accounts_page(request, careshift, principal, reset_for=email, reset_code=code)


def _scope(value: str) -> int | None:
    """The institution a role form names: its id, or None for every institution."""
    return None if value == EVERYWHERE else int(value)


def _unchosen(chosen: dict[str, str]) -> list[str]:
    """What the role form left unchosen (or filled with something its lists do not offer)."""
    where = chosen["institution_id"]
    offered = {
        "user_id": chosen["user_id"].isdigit(),
        "role": bool(chosen["role"]),  # an unknown role is refused by the service
        "institution_id": where == EVERYWHERE or where.isdigit(),
    }
    return [message for field, message in _MISSING.items() if not offered[field]]


@router.post("/accounts/grant")
def grant_role(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    user_id: Annotated[str, Form(max_length=20)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    institution_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    # Nothing is pre-selected on the form: a missing choice is a mistake, never a default.
    authorize(principal, Action.WRITE, Resource.ACCOUNT)
    chosen = {"user_id": user_id, "role": role, "institution_id": institution_id}
    chosen = {field: value.strip() for field, value in chosen.items()}
    problems = _unchosen(chosen)
    if problems:
        return _accounts_page(
            request, careshift, principal, 422, grant_problems=problems, chosen=chosen
        )
    where = _scope(chosen["institution_id"])
    accounts.grant(careshift, int(chosen["user_id"]), chosen["role"], where, by=principal)
    return RedirectResponse("/admin/accounts", status_code=303)


@router.post("/accounts/{user_id}/revoke")
def revoke_role(
    careshift: CareshiftDep,
    principal: SignedInUser,
    user_id: int,
    role: Annotated[str, Form(max_length=20)] = "",
    institution_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    # The service `careshift users revoke` uses: a role everywhere only by an administrator of
    # every institution, otherwise within the administrator's institutions; audited.
    authorize(principal, Action.WRITE, Resource.ACCOUNT)
    if institution_id != EVERYWHERE and not institution_id.isdigit():
        raise InputError("name the institution of the role to take away, or 'all'")
    accounts.revoke(careshift, user_id, role, _scope(institution_id), by=principal)
    return RedirectResponse("/admin/accounts", status_code=303)


@router.post("/accounts/{user_id}/reset")
def reset_code(
    request: Request, careshift: CareshiftDep, principal: SignedInUser, user_id: int
) -> Response:
    authorize(principal, Action.WRITE, Resource.ACCOUNT)
    account = accounts.get_account(careshift, user_id)
    # A reset code takes the account over: only for accounts whose every role is in our scope.
    for held in account.memberships:
        if held.institution_id is None:
            authorize_everywhere(principal, Action.WRITE, Resource.ACCOUNT)
        else:
            authorize(principal, Action.WRITE, Resource.ACCOUNT, institution_id=held.institution_id)
    code = signin.start_password_reset(careshift, account.email, by=principal)
    return _accounts_page(request, careshift, principal, reset_for=account.email, reset_code=code)


@router.get("/audit")
def audit_page(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    actor: Annotated[str, Query(max_length=100)] = "",
    action: Annotated[str, Query(max_length=20)] = "",
    subject_type: Annotated[str, Query(max_length=40)] = "",
    since: datetime | None = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    where = audit_log.AuditFilter(
        actor=actor or None, action=action or None, subject_type=subject_type or None, since=since
    )
    limit = 50
    result = audit_log.entries(careshift, principal, where, offset=(page - 1) * limit, limit=limit)
    filters = {"actor": actor, "action": action, "subject_type": subject_type}
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "admin_audit.html",
        result=result,
        page=page,
        pages=max(1, -(-result.total // limit)),
        filters=filters,
        query=query,
    )
