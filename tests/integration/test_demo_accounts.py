"""The demo seeds one account per role, idempotently, all signing in with the printed password."""

from __future__ import annotations

from careshift import Careshift
from careshift.domain.access import SYSTEM, Role
from careshift.services import accounts, signin
from careshift.services.demo import seed_institutions
from careshift.services.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_accounts


def test_every_role_has_a_demo_account_that_signs_in_and_reseeding_changes_nothing(
    careshift: Careshift,
) -> None:
    list(seed_institutions(careshift))
    lines = list(seed_demo_accounts(careshift))
    assert DEMO_PASSWORD in lines[0]
    assert "0 added" in next(iter(seed_demo_accounts(careshift)))
    assert {role for _, _, role, _ in DEMO_ACCOUNTS} == set(Role)
    hr = signin.sign_in(careshift, "hr@demo", DEMO_PASSWORD, "test")
    assert hr.principal.roles == frozenset({Role.HR})
    assert hr.principal.institutions is not None and len(hr.principal.institutions) == 1
    people = accounts.list_accounts(careshift, SYSTEM)
    assert len(people) == len(DEMO_ACCOUNTS)
