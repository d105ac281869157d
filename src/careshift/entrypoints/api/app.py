"""The FastAPI application: REST under /api/v1, web pages at /, OpenAPI at /api/openapi.json."""

from __future__ import annotations

import importlib

from fastapi import FastAPI

from careshift import __version__
from careshift.bootstrap import Careshift, bootstrap
from careshift.entrypoints.api.problems import install_problem_handlers

# Modules under careshift.entrypoints.api.routers exposing `router`, mounted at /api/v1.
_ROUTERS = [
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
    install_problem_handlers(app)
    for name in _ROUTERS:
        module = importlib.import_module(f"careshift.entrypoints.api.routers.{name}")
        app.include_router(module.router, prefix=getattr(module, "PREFIX", "/api/v1"))
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    try:
        web = importlib.import_module("careshift.entrypoints.web.app")
    except ModuleNotFoundError:
        return
    web.mount(app)


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (used by ``careshift serve``)."""
    return create_app(bootstrap())
