"""Turning a template and data into a page in the reader's language, with nav for their roles."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from careshift.domain.access import Principal
from careshift.entrypoints.api.auth import current_session
from careshift.entrypoints.web import i18n
from careshift.entrypoints.web.nav import menu
from careshift.entrypoints.web.security import CSRF_COOKIE, CSRF_FIELD, csrf_token, set_cookie
from careshift.services.access import ANONYMOUS, AuthenticationRequired

__all__ = ["PageUser", "SignedInUser", "language", "page_principal", "render"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
ESCO_ATTRIBUTION = "ESCO v1.1.1, © European Union, https://esco.ec.europa.eu"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.globals.update(
        esco_attribution=ESCO_ATTRIBUTION,
        languages=i18n.LANGUAGE_NAMES,
        csrf_field=CSRF_FIELD,
    )
    env.filters.update(i18n.FILTERS)
    return env


def language(request: Request) -> str:
    """The language this request is served in (account, cookie, Accept-Language, English)."""
    cached: str | None = getattr(request.state, "lang", None)
    if cached:
        return cached
    signed_in = current_session(request)
    preference = signed_in.account.language if signed_in else None
    lang = i18n.negotiate(
        preference,
        request.cookies.get(i18n.LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
    )
    request.state.lang = lang
    return lang


def page_principal(request: Request) -> Principal:
    """Who is looking at a page (pages authenticate by the session cookie only)."""
    signed_in = current_session(request)
    return signed_in.principal if signed_in else ANONYMOUS


def signed_in_principal(request: Request) -> Principal:
    principal = page_principal(request)
    if principal == ANONYMOUS:
        raise AuthenticationRequired("sign in to see this page")
    return principal


PageUser = Annotated[Principal, Depends(page_principal)]
SignedInUser = Annotated[Principal, Depends(signed_in_principal)]


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` for this request's reader and language."""
    lang = language(request)
    signed_in = current_session(request)
    principal = signed_in.principal if signed_in else ANONYMOUS
    values = {
        "request": request,
        "lang": lang,
        "account": signed_in.account if signed_in else None,
        "principal": principal,
        "nav": menu(principal),
        "path": request.url.path,
        "csrf": csrf_token(request),
        **context,
    }
    env = environment()
    with i18n.using(lang):
        body = env.get_template(template).render(values)
    response = HTMLResponse(body, status_code=status)
    response.headers["cache-control"] = "no-store"
    new_cookie = getattr(request.state, "new_csrf_cookie", None)
    if new_cookie:
        set_cookie(response, request, CSRF_COOKIE, new_cookie)
    return response
