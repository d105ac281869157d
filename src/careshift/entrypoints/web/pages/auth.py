"""Signing in and out, password reset with a one-time token, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from careshift.entrypoints.api.auth import SESSION_COOKIE, current_session
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.web import i18n
from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.rendering import render
from careshift.entrypoints.web.security import set_cookie, verify_csrf
from careshift.errors import InputError, NotFound, PermissionDenied
from careshift.services import accounts, oidc, signin

router = APIRouter(dependencies=[Depends(verify_csrf)])

_YEAR = 365 * 24 * 3600


def safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would let a phishing link borrow our sign-in page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if current_session(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next), oidc=_oidc_enabled(request))


@router.post("/login")
def login(
    request: Request,
    careshift: CareshiftDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        signed_in = signin.sign_in(careshift, email, password, _client(request))
    except signin.LoginThrottled:
        message, status = N_("Too many failed attempts. Wait 15 minutes and try again."), 429
    except PermissionDenied:
        message, status = N_("Wrong e-mail address or password."), 401
    else:
        response = RedirectResponse(safe_next(next), status_code=303)
        max_age = int(signin.SESSION_LIFETIME.total_seconds())
        set_cookie(response, request, SESSION_COOKIE, signed_in.session_id, max_age=max_age)
        if signed_in.account.language:
            set_cookie(
                response, request, i18n.LANGUAGE_COOKIE, signed_in.account.language, max_age=_YEAR
            )
        return response
    return render(
        request,
        "login.html",
        status,
        next=safe_next(next),
        email=email,
        error=message,
        oidc=_oidc_enabled(request),
    )


@router.post("/logout")
def logout(request: Request, careshift: CareshiftDep) -> Response:
    signed_in = current_session(request)
    if signed_in is not None:
        signin.sign_out(careshift, signed_in.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/reset-password")
def reset_form(request: Request, token: str = "") -> Response:
    return render(request, "reset_password.html", token=token)


@router.post("/reset-password")
def reset(
    request: Request,
    careshift: CareshiftDep,
    token: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    confirm: Annotated[str, Form(max_length=1000)],
) -> Response:
    error = None
    if password != confirm:
        error = N_("The two passwords differ.")
    elif len(password) < accounts.MIN_PASSWORD_LENGTH:
        error = N_("A password needs at least 10 characters.")
    else:
        try:
            signin.reset_password(careshift, token, password)
        except PermissionDenied:
            error = N_("This reset link is unknown, used or expired.")
        except InputError:
            error = N_("A password needs at least 10 characters.")
    if error:
        return render(request, "reset_password.html", 400, token=token, error=error)
    return render(request, "login.html", next="/", notice=N_("Password changed. Sign in."))


@router.post("/language")
def switch_language(
    request: Request,
    careshift: CareshiftDep,
    lang: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    chosen = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    signed_in = current_session(request)
    if signed_in is not None:
        accounts.set_language(careshift, signed_in.account.id, chosen)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, request, i18n.LANGUAGE_COOKIE, chosen, max_age=_YEAR)
    return response


def _oidc_enabled(request: Request) -> bool:
    return oidc.enabled(request.app.state.careshift)


def _require_oidc(careshift: CareshiftDep) -> None:
    if not oidc.enabled(careshift):
        raise NotFound("single sign-on is not configured here")


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


@router.get("/login/oidc")
def oidc_start(request: Request, careshift: CareshiftDep, next: str = "/") -> Response:
    _require_oidc(careshift)
    url, state = oidc.authorization_request(careshift, _callback_url(request), safe_next(next))
    response = RedirectResponse(url, status_code=303)
    set_cookie(response, request, oidc.STATE_COOKIE, state, max_age=600)
    return response


@router.get("/login/oidc/callback", name="oidc_callback")
def oidc_callback(
    request: Request, careshift: CareshiftDep, code: str = "", state: str = ""
) -> Response:
    _require_oidc(careshift)
    user_id, next_path = oidc.complete(
        careshift,
        code=code,
        state=state,
        cookie=request.cookies.get(oidc.STATE_COOKIE, ""),
        redirect_uri=_callback_url(request),
    )
    signed_in = signin.create_session(careshift, user_id)
    response = RedirectResponse(safe_next(next_path), status_code=303)
    max_age = int(signin.SESSION_LIFETIME.total_seconds())
    set_cookie(response, request, SESSION_COOKIE, signed_in.session_id, max_age=max_age)
    response.delete_cookie(oidc.STATE_COOKIE, path="/")
    return response
