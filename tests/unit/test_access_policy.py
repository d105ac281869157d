"""The authorisation policy: who may do what, as rules and as a matrix over roles and tenancy."""

from __future__ import annotations

import pytest

from careshift.domain.access import SYSTEM, Principal, Role
from careshift.errors import PermissionDenied
from careshift.services.access import (
    ANONYMOUS,
    RULES,
    Action,
    AuthenticationRequired,
    Resource,
    allowed,
    authorize,
    visible_institutions,
)

OWN, OTHER = 1, 2


def member(role: Role, *, worker_id: int | None = None) -> Principal:
    return Principal(
        actor=f"user:{role.value}",
        roles=frozenset({role}),
        institutions=frozenset({OWN}),
        worker_id=worker_id,
    )


def test_a_worker_sees_their_own_profile_but_not_a_colleagues() -> None:
    worker = member(Role.WORKER, worker_id=7)
    assert allowed(worker, "read", "person", institution_id=OWN, worker_id=7)
    assert not allowed(worker, "read", "person", institution_id=OWN, worker_id=8)


def test_union_and_analysts_never_see_a_persons_profile_or_answers() -> None:
    for role in (Role.UNION, Role.ANALYST):
        principal = member(role)
        for resource in (Resource.PERSON, Resource.ANSWERS):
            assert not allowed(principal, Action.READ, resource, institution_id=OWN, worker_id=9)
        assert allowed(principal, Action.READ, Resource.AGGREGATE, institution_id=OWN)


def test_hr_sees_personal_data_only_in_its_own_institutions() -> None:
    hr = member(Role.HR)
    assert allowed(hr, "read", "person", institution_id=OWN, worker_id=3)
    assert not allowed(hr, "read", "person", institution_id=OTHER, worker_id=3)


def test_nobody_but_the_worker_reads_individual_answers() -> None:
    for role in Role:
        assert not allowed(member(role), "read", "answers", institution_id=OWN, worker_id=5)
    assert allowed(member(Role.WORKER, worker_id=5), "read", "answers", worker_id=5)


def test_only_administrators_read_the_audit_log_and_manage_accounts() -> None:
    for role in Role:
        expected = role is Role.ADMIN
        assert allowed(member(role), "read", "audit") is expected
        assert allowed(member(role), "write", "account", institution_id=OWN) is expected


def test_anonymous_callers_get_401_on_private_data_and_may_read_the_taxonomy() -> None:
    authorize(ANONYMOUS, "read", "taxonomy")
    with pytest.raises(AuthenticationRequired) as caught:
        authorize(ANONYMOUS, "read", "person", worker_id=1)
    assert caught.value.status == 401


def test_a_signed_in_caller_without_the_role_gets_403_naming_the_institution() -> None:
    with pytest.raises(PermissionDenied, match="institution 2") as caught:
        authorize(member(Role.HR), "read", "person", institution_id=OTHER, worker_id=1)
    assert caught.value.status == 403


def test_a_pair_without_a_rule_is_denied_even_to_administrators() -> None:
    admin = Principal("user:a", frozenset(Role), institutions=None)
    assert (Resource.ANSWERS, Action.EXPORT) not in RULES
    assert not allowed(admin, "export", "answers", worker_id=1)


def test_the_command_line_operator_may_do_everything() -> None:
    for resource, action in RULES:
        assert allowed(SYSTEM, action, resource, institution_id=OTHER, worker_id=1)


def test_listings_are_narrowed_to_the_institutions_in_scope() -> None:
    assert visible_institutions(member(Role.HR), "read", "person") == frozenset({OWN})
    assert visible_institutions(member(Role.UNION), "read", "person") == frozenset()
    assert visible_institutions(member(Role.WORKER), "read", "catalogue") is None
    assert visible_institutions(ANONYMOUS, "read", "aggregate") == frozenset()
    assert visible_institutions(SYSTEM, "read", "person") is None


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("key", sorted(RULES, key=str))
def test_every_rule_denies_other_institutions_to_scoped_roles(
    role: Role, key: tuple[Resource, Action]
) -> None:
    resource, action = key
    rule = RULES[key]
    principal = member(role)
    own = allowed(principal, action, resource, institution_id=OWN, worker_id=99)
    other = allowed(principal, action, resource, institution_id=OTHER, worker_id=99)
    assert own == (rule.public or rule.signed_in or role in rule.roles)
    if rule.scoped and not (rule.public or rule.signed_in):
        assert other is False
    else:
        assert other == own


def test_docs_access_md_is_the_policy_table() -> None:
    from pathlib import Path

    from careshift.services.access import policy_table

    docs = Path(__file__).resolve().parents[2] / "docs" / "access.md"
    assert docs.read_text().endswith(policy_table()), "regenerate the table in docs/access.md"
