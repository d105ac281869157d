"""My account: language preference and personal access tokens for machine clients."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from careshift.entrypoints.api.auth import current_session
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web import i18n
from careshift.entrypoints.web.pages.home import ROLE_LABELS
from careshift.entrypoints.web.rendering import SignedInUser, render
from careshift.entrypoints.web.security import set_cookie, verify_csrf
from careshift.services import accounts, tokens

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _page(request: Request, careshift: CareshiftDep, **extra: Any) -> Response:
    signed_in = current_session(request)
    assert signed_in is not None
    account = accounts.get_account(careshift, signed_in.account.id)
    return render(
        request,
        "account.html",
        me=account,
        role_labels=ROLE_LABELS,
        tokens=tokens.list_tokens(careshift, account.id),
        scopes=tokens.SCOPES,
        **extra,
    )


@router.get("/account")
def account_page(request: Request, careshift: CareshiftDep, _: SignedInUser) -> Response:
    return _page(request, careshift)


@router.post("/account/language")
def save_language(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    lang: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    signed_in = current_session(request)
    assert signed_in is not None
    chosen = lang if lang in i18n.LANGUAGES else None
    accounts.set_language(careshift, signed_in.account.id, chosen)
    response = RedirectResponse("/account", status_code=303)
    if chosen:
        set_cookie(response, request, i18n.LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600)
    else:
        response.delete_cookie(i18n.LANGUAGE_COOKIE, path="/")
    return response


@router.post("/account/tokens")
def create_token(
    request: Request,
    careshift: CareshiftDep,
    principal: SignedInUser,
    name: Annotated[str, Form(max_length=100)],
    scopes: Annotated[list[str], Form()],
    days: Annotated[int, Form(ge=1, le=3650)] = 90,
) -> Response:
    signed_in = current_session(request)
    assert signed_in is not None
    token = tokens.create_token(
        careshift, signed_in.account.id, name, scopes, days=days, by=principal
    )
    return _page(request, careshift, new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, careshift: CareshiftDep, principal: SignedInUser, token_id: int
) -> Response:
    signed_in = current_session(request)
    assert signed_in is not None
    tokens.revoke_token(careshift, signed_in.account.id, token_id, by=principal)
    return RedirectResponse("/account", status_code=303)
