"""Who am I: the signed-in account (session cookie or access token) and its roles."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from careshift.entrypoints.api.deps import CareshiftDep, SignedInPrincipalDep
from careshift.errors import NotFound
from careshift.services import accounts

router = APIRouter(prefix="/me", tags=["accounts"])


class MembershipPublic(BaseModel):
    role: str
    institution_id: int | None
    institution_name: str | None


class MePublic(BaseModel):
    id: int
    email: str
    display_name: str
    language: str | None
    worker_id: int | None
    memberships: list[MembershipPublic]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 3,
                    "email": "worker@demo",
                    "display_name": "Wenche Worker",
                    "language": "nb",
                    "worker_id": 12,
                    "memberships": [
                        {"role": "worker", "institution_id": 1, "institution_name": "Demo Hospital"}
                    ],
                }
            ]
        }
    }


def _user_id(actor: str) -> int:
    if not actor.startswith("user:"):
        raise NotFound("the caller is not a user account")
    return int(actor.removeprefix("user:"))


@router.get("", summary="The calling account, its language and roles")
def me(careshift: CareshiftDep, principal: SignedInPrincipalDep) -> MePublic:
    account = accounts.get_account(careshift, _user_id(principal.actor))
    return MePublic(
        id=account.id,
        email=account.email,
        display_name=account.display_name,
        language=account.language,
        worker_id=account.worker_id,
        memberships=[
            MembershipPublic(
                role=m.role.value,
                institution_id=m.institution_id,
                institution_name=m.institution_name,
            )
            for m in account.memberships
        ],
    )


class LanguageUpdate(BaseModel):
    language: Literal["en", "nb", "sv"] | None = Field(
        description="Language of pages and labels; null follows the browser.", examples=["nb"]
    )


@router.put("/language", summary="Set the calling account's preferred language")
def set_language(
    careshift: CareshiftDep, principal: SignedInPrincipalDep, body: LanguageUpdate
) -> MePublic:
    accounts.set_language(careshift, _user_id(principal.actor), body.language)
    return me(careshift, principal)
