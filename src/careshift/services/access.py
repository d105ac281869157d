"""The one authorisation policy: who may do what to which kind of data, used by API, pages and CLI.

Every route and service asks :func:`authorize` (or :func:`allowed` to decide what to show)
before it touches data. The policy is a table, :data:`RULES`, so it can be read, documented and
tested as a matrix; a (resource, action) pair without a rule is denied, never allowed by accident.

The principles:

* a worker sees and changes only their own data (``worker_id`` equals their own);
* union representatives and analysts see aggregates only (suppressed small cells), never a
  person's answers or profile;
* HR and academy staff see personal data only in the institutions they are scoped to;
* administrators manage accounts and institutions and read the audit log; they are not, by
  role alone, readers of personal data (the CLI operator, :data:`SYSTEM`, is: it is audited);
* anonymous visitors may only read the public taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from careshift.domain.access import SYSTEM, Principal, Role
from careshift.errors import PermissionDenied

__all__ = [
    "ANONYMOUS",
    "RULES",
    "Action",
    "AuthenticationRequired",
    "Resource",
    "Rule",
    "allowed",
    "authorize",
    "authorize_everywhere",
    "policy_table",
    "visible_institutions",
]


class AuthenticationRequired(PermissionDenied):
    """Nobody is signed in and the resource is not public (HTTP 401)."""

    status = 401
    title = "Unauthorized"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    EXPORT = "export"
    ERASE = "erase"


class Resource(StrEnum):
    #: ESCO and local frameworks: public knowledge.
    TAXONOMY = "taxonomy"
    #: One worker's personal data: profile, evidence, gaps, pathways, plans, credentials.
    PERSON = "person"
    #: One worker's individual answers to an engagement session.
    ANSWERS = "answers"
    #: Group figures after small-cell suppression: group gaps, session results, at-risk counts.
    AGGREGATE = "aggregate"
    #: Engagement sessions (the survey, its invitations and status), not the answers.
    ENGAGEMENT = "engagement_session"
    #: Course catalogue and programmes.
    CATALOGUE = "catalogue"
    #: Cohorts, attendance, completions and credentials issued by an academy.
    COHORT = "cohort"
    #: Which tasks technology changes in a role, when, and how many people it affects.
    ROLE_IMPACT = "role_impact"
    #: Training approvals by the employer.
    APPROVAL = "approval"
    #: Workforce planning: demand vs supply, staffing need, projections.
    PLANNING = "planning"
    #: Students and their practice placements: intake and completion per programme, placement
    #: sites with supervised capacity, matching and shortages (education coordinators).
    PLACEMENT = "placement"
    #: Institutions (the tenancy units).
    INSTITUTION = "institution"
    #: User accounts, memberships and their tokens.
    ACCOUNT = "account"
    #: The audit log.
    AUDIT = "audit"


@dataclass(frozen=True)
class Rule:
    #: roles allowed, within their institution scope when ``scoped``
    roles: frozenset[Role] = frozenset()
    #: the worker the data belongs to is allowed, whatever the roles
    owner: bool = False
    #: False: the roles act across institutions (the data is not institution-bound)
    scoped: bool = True
    #: anyone, even anonymous
    public: bool = False
    #: any signed-in principal
    signed_in: bool = False


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


_R, _W, _X, _E = Action.READ, Action.WRITE, Action.EXPORT, Action.ERASE
_STAFF = _roles(Role.HR, Role.ACADEMY)
_GROUP_READERS = _roles(Role.UNION, Role.HR, Role.ACADEMY, Role.ANALYST, Role.ADMIN)

RULES: dict[tuple[Resource, Action], Rule] = {
    (Resource.TAXONOMY, _R): Rule(public=True),
    (Resource.TAXONOMY, _W): Rule(roles=_roles(Role.ADMIN), scoped=False),
    (Resource.PERSON, _R): Rule(roles=_STAFF, owner=True),
    (Resource.PERSON, _W): Rule(roles=_STAFF, owner=True),
    (Resource.PERSON, _X): Rule(roles=_roles(Role.HR), owner=True),
    (Resource.PERSON, _E): Rule(roles=_roles(Role.ADMIN), owner=True),
    (Resource.ANSWERS, _R): Rule(owner=True),
    (Resource.ANSWERS, _W): Rule(owner=True),
    (Resource.AGGREGATE, _R): Rule(roles=_GROUP_READERS),
    (Resource.AGGREGATE, _X): Rule(roles=_GROUP_READERS),
    (Resource.ENGAGEMENT, _R): Rule(roles=_roles(Role.UNION, Role.HR)),
    (Resource.ENGAGEMENT, _W): Rule(roles=_roles(Role.UNION, Role.HR)),
    (Resource.CATALOGUE, _R): Rule(signed_in=True),
    (Resource.CATALOGUE, _W): Rule(roles=_roles(Role.ACADEMY, Role.ADMIN)),
    (Resource.COHORT, _R): Rule(roles=_STAFF),
    (Resource.COHORT, _W): Rule(roles=_roles(Role.ACADEMY)),
    (Resource.COHORT, _X): Rule(roles=_STAFF),
    (Resource.ROLE_IMPACT, _R): Rule(roles=_GROUP_READERS),
    (Resource.ROLE_IMPACT, _W): Rule(roles=_roles(Role.HR)),
    (Resource.APPROVAL, _R): Rule(roles=_roles(Role.HR)),
    (Resource.APPROVAL, _W): Rule(roles=_roles(Role.HR)),
    (Resource.PLANNING, _R): Rule(roles=_roles(Role.ANALYST, Role.HR, Role.UNION, Role.ACADEMY)),
    (Resource.PLANNING, _W): Rule(roles=_roles(Role.ANALYST, Role.HR)),
    (Resource.PLANNING, _X): Rule(roles=_roles(Role.ANALYST, Role.HR)),
    (Resource.PLACEMENT, _R): Rule(roles=_roles(Role.EDUCATION, Role.ACADEMY, Role.ANALYST)),
    (Resource.PLACEMENT, _W): Rule(roles=_roles(Role.EDUCATION, Role.ACADEMY)),
    (Resource.INSTITUTION, _R): Rule(signed_in=True),
    (Resource.INSTITUTION, _W): Rule(roles=_roles(Role.ADMIN), scoped=False),
    (Resource.ACCOUNT, _R): Rule(roles=_roles(Role.ADMIN)),
    (Resource.ACCOUNT, _W): Rule(roles=_roles(Role.ADMIN)),
    (Resource.AUDIT, _R): Rule(roles=_roles(Role.ADMIN)),
    (Resource.AUDIT, _X): Rule(roles=_roles(Role.ADMIN)),
}

#: Nobody signed in.
ANONYMOUS = Principal(actor="anonymous", roles=frozenset(), institutions=frozenset())


def _is_signed_in(principal: Principal) -> bool:
    return principal.actor != ANONYMOUS.actor


def allowed(
    principal: Principal,
    action: Action | str,
    resource: Resource | str,
    *,
    institution_id: int | None = None,
    worker_id: int | None = None,
) -> bool:
    """Whether ``principal`` may do ``action`` on ``resource``.

    ``institution_id`` is the institution the data belongs to; leave it None for a listing the
    caller then narrows with :func:`visible_institutions`. ``worker_id`` names the worker whose
    personal data it is, so the worker themselves can be recognised.
    """
    rule = RULES.get((Resource(resource), Action(action)))
    if rule is None:
        return False
    if principal == SYSTEM or rule.public:
        return True
    if not _is_signed_in(principal):
        return False
    if rule.signed_in:
        return True
    if rule.owner and worker_id is not None and worker_id == principal.worker_id:
        return True
    if not principal.has(*rule.roles):
        return False
    if not rule.scoped or institution_id is None:
        return True
    return principal.in_scope(institution_id)


def authorize(
    principal: Principal,
    action: Action | str,
    resource: Resource | str,
    *,
    institution_id: int | None = None,
    worker_id: int | None = None,
) -> None:
    """Raise :class:`PermissionDenied` (401 when nobody is signed in) unless :func:`allowed`."""
    if allowed(principal, action, resource, institution_id=institution_id, worker_id=worker_id):
        return
    if not _is_signed_in(principal):
        raise AuthenticationRequired("sign in to see this")
    where = f" in institution {institution_id}" if institution_id is not None else ""
    raise PermissionDenied(f"your role may not {action} {resource}{where}")


def authorize_everywhere(
    principal: Principal, action: Action | str, resource: Resource | str
) -> None:
    """Raise unless ``principal`` may ``action`` on ``resource`` in every institution at once.

    :func:`authorize` without an institution only asks whether the role holds somewhere (right
    for a listing narrowed afterwards); acting on all institutions together, such as granting a
    role everywhere, needs a principal scoped to every institution.
    """
    authorize(principal, action, resource)
    if visible_institutions(principal, action, resource) is not None:
        raise PermissionDenied(f"only a principal of every institution may {action} {resource} "
                               "in all of them")  # fmt: skip


def visible_institutions(
    principal: Principal, action: Action | str, resource: Resource | str
) -> frozenset[int] | None:
    """Institutions whose ``resource`` the principal may ``action`` in a listing.

    None means every institution; an empty set means none (a worker lists only their own data,
    which the caller selects by ``principal.worker_id``).
    """
    rule = RULES.get((Resource(resource), Action(action)))
    if rule is None:
        return frozenset()
    if principal == SYSTEM or rule.public:
        return None
    if not _is_signed_in(principal):
        return frozenset()
    if rule.signed_in:
        return None
    if not principal.has(*rule.roles):
        return frozenset()
    return None if not rule.scoped else principal.institutions


def policy_table() -> str:
    """The policy as a Markdown table (docs/access.md is this text; a test keeps them equal)."""
    lines = [
        "| data | action | who |",
        "|---|---|---|",
    ]
    for (resource, action), rule in RULES.items():
        who: list[str] = []
        if rule.public:
            who.append("anyone, signed in or not")
        elif rule.signed_in:
            who.append("anyone signed in")
        if rule.owner:
            who.append("the worker it belongs to")
        if rule.roles:
            roles = ", ".join(sorted(role.value for role in rule.roles))
            where = "in their institutions" if rule.scoped else "in every institution"
            who.append(f"{roles} ({where})")
        lines.append(f"| {resource.value} | {action.value} | {'; '.join(who) or 'nobody'} |")
    return "\n".join(lines) + "\n"
