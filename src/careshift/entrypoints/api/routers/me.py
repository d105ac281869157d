"""Who am I: the signed-in account (session cookie or access token) and its roles."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from careshift.entrypoints.api.deps import CareshiftDep, SignedInPrincipalDep
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


@router.get("", summary="The calling account, its language and roles")
def me(careshift: CareshiftDep, principal: SignedInPrincipalDep) -> MePublic:
    user_id = int(principal.actor.removeprefix("user:"))
    account = accounts.get_account(careshift, user_id)
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
