"""Every error leaves the API as ``application/problem+json`` (RFC 9457), never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from careshift.errors import CareshiftError

PROBLEM_JSON = "application/problem+json"
#: the body of every 4xx and 5xx, as the handlers below build it
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "description": "Every problem found: a row problem (file:line field: message) "
            "or, for an invalid request, the field and its message",
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                ]
            },
        },
    },
}
#: documented on every REST operation: 401 unsigned, 403 a role or scope that may not, 404, 409,
#: 422 (FastAPI's own HTTPValidationError would describe a body this API never sends)
PROBLEM_RESPONSE: dict[str, Any] = {
    "description": "A problem (RFC 9457)",
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        **PROBLEM_RESPONSE,
        "description": "A problem (RFC 9457): 401 sign in, 403 your role or token may not, "
        "404 not found, 409 conflict, 422 invalid input",
    }
}
_log = logging.getLogger("careshift.api")


def problem(status: int, title: str, detail: str, request: Request, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["instance"] = str(request.url.path)
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install_problem_handlers(app: FastAPI) -> None:
    _document_problem_schema(app)

    @app.exception_handler(CareshiftError)
    async def _careshift(request: Request, exc: CareshiftError) -> JSONResponse:
        problems = [str(p) for p in getattr(exc, "problems", [])[:50]]
        extra = {"errors": problems} if problems else {}
        return problem(exc.status, exc.title, str(exc), request, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_field_error(e) for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid request", detail, request, errors=errors)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 400 and detail == _UNREADABLE_BODY:
            # Starlette's words for a body that is not UTF-8: say what to send instead
            detail = "The request body could not be read: send JSON encoded as UTF-8."
        title = {
            400: "Bad request",
            404: "Not found",
            405: "Method not allowed",
            401: "Unauthorized",
        }.get(exc.status_code, "Error")
        response = problem(exc.status_code, title, detail, request)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unhandled error on %s", request.url.path)
        return problem(
            500, "Internal error", "An unexpected error occurred; it was logged.", request
        )


_UNREADABLE_BODY = "There was an error parsing the body"


def _field_error(error: Any) -> dict[str, str]:
    """One of FastAPI's validation errors as ``{"field", "message"}``; a body that is not
    JSON says where and why (FastAPI's own message is only "JSON decode error")."""
    location = [str(part) for part in error["loc"]]
    if error.get("type") == "json_invalid" and len(location) == 2:
        reason = str((error.get("ctx") or {}).get("error", "")).strip()
        message = f"not valid JSON at character {location[1]}" + (f": {reason}" if reason else "")
        return {"field": "body", "message": message}
    if error.get("type") == "string_unicode":
        # pydantic's words ("unable to parse raw data as a unicode string") for the lone
        # surrogate JSON's "\ud800" decodes to, in a field with a length limit
        message = "the text is not valid Unicode (a lone surrogate such as \\ud800)"
        return {"field": ".".join(location), "message": message}
    return {"field": ".".join(location), "message": str(error["msg"])}


def _document_problem_schema(app: FastAPI) -> None:
    """Put the Problem schema that :data:`PROBLEM_RESPONSE` refers to in the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()  # cached by FastAPI after the first call; setdefault keeps this cheap
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "Problem", PROBLEM_SCHEMA
        )
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
