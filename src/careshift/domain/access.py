"""Who is asking: roles, principals and institution scopes (the policy lives in services.access).

Every request, CLI call or job acts as a :class:`Principal`. Tenancy is by institution: a
principal sees personal data only in the institutions it is scoped to, and only as its roles
allow. ``SYSTEM`` is the operator at the command line (full access, still audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["SYSTEM", "Principal", "Role"]


class Role(StrEnum):
    WORKER = "worker"
    ACADEMY = "academy"
    UNION = "union"
    HR = "hr"
    ANALYST = "analyst"
    ADMIN = "admin"
    EDUCATION = "education"


@dataclass(frozen=True)
class Principal:
    #: account id, or a stable name such as "system" for the CLI operator
    actor: str
    roles: frozenset[Role]
    #: institution ids this principal is scoped to; None means every institution
    institutions: frozenset[int] | None = frozenset()
    #: the worker record this account belongs to, if it is a worker's own account
    worker_id: int | None = None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def in_scope(self, institution_id: int) -> bool:
        return self.institutions is None or institution_id in self.institutions


SYSTEM = Principal(actor="system", roles=frozenset({Role.ADMIN}), institutions=None)
