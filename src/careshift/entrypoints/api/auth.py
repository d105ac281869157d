"""Who is calling: a Principal from the session cookie or an ``Authorization: Bearer`` token.

Routes take ``principal: PrincipalDep`` and pass it to ``services.access.authorize`` (directly or
through the service they call). Anonymous callers get :data:`services.access.ANONYMOUS`, so a
public route works without signing in and a private one answers 401.

Token scopes narrow what a token may do by HTTP method: ``read`` for GET/HEAD/OPTIONS and
``write`` for the rest; a session cookie carries all the account's rights.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import PermissionDenied
from careshift.services.access import ANONYMOUS, AuthenticationRequired
from careshift.services.signin import SignedIn, resolve_session
from careshift.services.tokens import resolve_token

__all__ = [
    "SESSION_COOKIE",
    "PrincipalDep",
    "SignedInPrincipalDep",
    "current_session",
    "get_principal",
]

SESSION_COOKIE = "careshift_session"
_UNRESOLVED = object()
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False, description="A personal access token (cs_...).")


def current_session(request: Request) -> SignedIn | None:
    """The web session behind the request's cookie, resolved once per request."""
    cached: object = getattr(request.state, "signed_in", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        return cached if isinstance(cached, SignedIn) else None
    careshift: Careshift = request.app.state.careshift
    cookie = request.cookies.get(SESSION_COOKIE, "")
    request.state.signed_in = resolve_session(careshift, cookie) if cookie else None
    return request.state.signed_in  # type: ignore[no-any-return]


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller: bearer token first (machine clients), then the session cookie."""
    if credentials is not None:
        careshift: Careshift = request.app.state.careshift
        principal, scopes = resolve_token(careshift, credentials.credentials)
        needed = "read" if request.method in _SAFE_METHODS else "write"
        if needed not in scopes:
            raise PermissionDenied(f"this access token lacks the {needed!r} scope")
        return principal
    signed_in = current_session(request)
    if signed_in is None:
        return ANONYMOUS
    if request.method not in _SAFE_METHODS and request.url.path.startswith("/api/"):
        # A cookie rides along on cross-site requests; a header a foreign page cannot set
        # proves the write comes from our own pages.
        sent = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(sent, signed_in.csrf_token):
            raise PermissionDenied("send the session's X-CSRF-Token header (or use a token)")
    return signed_in.principal


def require_signed_in(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if principal == ANONYMOUS:
        raise AuthenticationRequired("sign in or send an access token")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
SignedInPrincipalDep = Annotated[Principal, Depends(require_signed_in)]
