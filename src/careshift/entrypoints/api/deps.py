"""FastAPI dependencies as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from careshift.bootstrap import Careshift


def get_careshift(request: Request) -> Careshift:
    careshift: Careshift = request.app.state.careshift
    return careshift


CareshiftDep = Annotated[Careshift, Depends(get_careshift)]


# Who is calling (session cookie or bearer token); defined with the rest of authentication.
from careshift.entrypoints.api.auth import (  # noqa: E402
    PrincipalDep,
    SignedInPrincipalDep,
    get_principal,
)

__all__ = ["CareshiftDep", "PrincipalDep", "SignedInPrincipalDep", "get_careshift", "get_principal"]
