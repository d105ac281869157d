"""Mount the server-rendered pages, static assets and browser protections on the API app.

``careshift.entrypoints.api.app.create_app`` calls :func:`mount` when this module exists.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from careshift.entrypoints.web.i18n import N_
from careshift.entrypoints.web.rendering import render
from careshift.entrypoints.web.security import SecurityHeaders
from careshift.errors import CareshiftError, InputError
from careshift.services.access import AuthenticationRequired

__all__ = ["PAGES", "mount"]

STATIC_DIR = Path(__file__).parent / "static"

# Modules under careshift.entrypoints.web.pages exposing `router`.
PAGES = [
    "auth",
    "home",
    "account",
    "admin",
    "taxonomy",
    "linking",
    "worker",
    "hr",
    "union",
    "learning",
    "academy",
    "approvals",
    "analyst",
    "planning",
]

_TITLES = {
    400: N_("Something is wrong with the request"),
    401: N_("Please sign in"),
    403: N_("You do not have access to this page"),
    404: N_("Page not found"),
    405: N_("This action is not possible here"),
    409: N_("This conflicts with what is already stored"),
    422: N_("Some of the information is not valid"),
    429: N_("Too many attempts; wait a few minutes and try again"),
    500: N_("Something went wrong on our side"),
}


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path == "/healthz"


async def _error_page(request: Request, status: int, detail: str) -> Response:
    title = _TITLES.get(status, _TITLES[400])
    return await run_in_threadpool(
        render, request, "error.html", status, title=title, detail=detail
    )


def _install_page_errors(app: FastAPI) -> None:
    """Pages answer errors with an HTML page (or a sign-in redirect); the API keeps problem+json."""
    api_handlers = dict(app.exception_handlers)

    async def careshift_error(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return await api_handlers[CareshiftError](request, exc)  # type: ignore[no-any-return]
        assert isinstance(exc, CareshiftError)
        if isinstance(exc, AuthenticationRequired) and request.method == "GET":
            query = f"?{request.url.query}" if request.url.query else ""
            target = quote(request.url.path + query)
            return RedirectResponse(f"/login?next={target}", status_code=303)
        return await _error_page(request, exc.status, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return await api_handlers[HTTPException](request, exc)  # type: ignore[no-any-return]
        assert isinstance(exc, HTTPException)
        return await _error_page(request, exc.status_code, str(exc.detail))

    async def invalid_request(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return await api_handlers[RequestValidationError](request, exc)  # type: ignore[no-any-return]
        assert isinstance(exc, RequestValidationError)
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) for e in exc.errors())
        return await _error_page(request, 422, fields)

    async def out_of_range(request: Request, exc: Exception) -> Response:
        # An id or number beyond what the database column holds (a fuzzer's 2**64) names
        # nothing that can exist: the caller's mistake, answered 422 and never a 500. Other
        # data errors (a value the column's type refuses) are the caller's mistake too.
        number = isinstance(exc, OverflowError) or "out of range" in str(exc).lower()
        message = (
            "a number in the request is out of range"
            if number
            else "a value in the request does not fit the field it is meant for"
        )
        error = InputError(message)
        return await careshift_error(request, error)

    app.add_exception_handler(CareshiftError, careshift_error)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(DataError, out_of_range)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)


def mount(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for name in PAGES:
        module = importlib.import_module(f"careshift.entrypoints.web.pages.{name}")
        app.include_router(module.router, include_in_schema=False)
    _install_page_errors(app)
