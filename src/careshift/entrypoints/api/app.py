"""The FastAPI application: REST under /api/v1, web pages at /, OpenAPI at /api/openapi.json."""

from __future__ import annotations

import importlib
import logging
import threading

from fastapi import FastAPI

from careshift import __version__
from careshift.bootstrap import Careshift, bootstrap
from careshift.entrypoints.api.limits import RequestSizeLimit
from careshift.entrypoints.api.problems import PROBLEM_RESPONSES, install_problem_handlers

# Modules under careshift.entrypoints.api.routers exposing `router`, mounted at /api/v1.
_ROUTERS = [
    "learning",
    "academy",
    "link",
    "health",
    "audit",
    "me",
    "charts",
    "taxonomy",
    "pathways",
    "workers",
    "sessions",
    "planning",
]

ESCO_CREDIT = "ESCO, © European Union, https://esco.ec.europa.eu (Commission Decision 2011/833/EU)"


def create_app(careshift: Careshift) -> FastAPI:
    app = FastAPI(
        title="careshift API",
        version=__version__,
        description=(
            "Skills, pathways, training and workforce planning for health services. "
            f"Taxonomy content: {ESCO_CREDIT}. Errors are application/problem+json (RFC 9457)."
        ),
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.careshift = careshift
    app.add_middleware(RequestSizeLimit, max_bytes=careshift.settings.max_request_bytes)
    install_problem_handlers(app)
    for name in _ROUTERS:
        module = importlib.import_module(f"careshift.entrypoints.api.routers.{name}")
        app.include_router(
            module.router, prefix=getattr(module, "PREFIX", "/api/v1"), responses=PROBLEM_RESPONSES
        )
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    try:
        web = importlib.import_module("careshift.entrypoints.web.app")
    except ModuleNotFoundError:
        return
    web.mount(app)


def _warm_up(careshift: Careshift) -> None:
    """Build the taxonomy snapshot and search index before the first request needs them.

    On full ESCO this takes several seconds; without it the first search of a fresh server
    would pay for it. Runs in a daemon thread so startup is not delayed.
    """
    from careshift.services.search import search_index

    try:
        search_index(careshift)
    except Exception:  # a broken store is reported by the first request, with a clear error
        logging.getLogger("careshift.api").exception("warm-up failed")


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (used by ``careshift serve``)."""
    careshift = bootstrap()
    threading.Thread(target=_warm_up, args=(careshift,), daemon=True, name="warm-up").start()
    return create_app(careshift)
