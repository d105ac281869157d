"""Browser-facing protections: security headers, cookies that fit the transport, CSRF tokens.

CSRF: a signed-in session has its own synchronizer token (stored with the session); before
signing in, a random double-submit cookie guards the sign-in and language forms. Every POST
page route depends on :func:`verify_csrf`; the API demands the session's token in an
``X-CSRF-Token`` header when a cookie (not a bearer token) authenticates a write.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careshift.entrypoints.api.auth import current_session
from careshift.errors import PermissionDenied

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "SecurityHeaders",
    "csrf_token",
    "is_https",
    "set_cookie",
    "verify_csrf",
]

CSRF_COOKIE = "careshift_csrf"
CSRF_FIELD = "csrf_token"

# Scripts and styles only from our own origin (vega is vendored; its expressions run through
# vega-interpreter, so no eval), no framing, forms post only to us.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Swagger UI (/api/docs) loads its own scripts from a CDN; it gets no CSP of ours.
_NO_CSP_PATHS = ("/api/docs", "/api/docs/oauth2-redirect")


def is_https(scope_or_request: Scope | Request) -> bool:
    """True when the client reached us over TLS, directly or through a proxy that says so."""
    scope = scope_or_request.scope if isinstance(scope_or_request, Request) else scope_or_request
    if scope.get("scheme") == "https":
        return True
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-proto":
            proto: str = value.decode("latin-1")
            return proto.split(",")[0].strip().lower() == "https"
    return False


class SecurityHeaders:
    """Pure ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = is_https(scope)
        with_csp = scope.get("path") not in _NO_CSP_PATHS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [h for h in _HEADERS if h[0] not in present]
                if with_csp and b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", _CSP.encode()))
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def set_cookie(
    response: Response, request: Request, name: str, value: str, *, max_age: int | None = None
) -> None:
    """HttpOnly, SameSite=Lax, and Secure whenever the client came over TLS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def csrf_token(request: Request) -> str:
    """The token forms on this page must carry (creating the anonymous cookie value if needed)."""
    signed_in = current_session(request)
    if signed_in is not None:
        return signed_in.csrf_token
    existing = getattr(request.state, "new_csrf_cookie", None) or request.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    token = secrets.token_urlsafe(32)
    # Set on the response by render(); remembered so several forms on one page agree.
    request.state.new_csrf_cookie = token
    return token


def _expected(request: Request) -> str | None:
    signed_in = current_session(request)
    if signed_in is not None:
        return signed_in.csrf_token
    return request.cookies.get(CSRF_COOKIE)


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


async def verify_csrf(request: Request) -> None:
    """Dependency for every page route that changes something. Raises 403 on a mismatch."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form: Any = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get("x-csrf-token") or ""
    expected = _expected(request)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise PermissionDenied("the form has expired or did not come from this site; reload it")
    if not _same_origin(request):
        raise PermissionDenied("cross-site form submission refused")
