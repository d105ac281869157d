"""Role impact register: timeline of FTE at risk from the starter framework, local overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.entrypoints.api.app import create_app
from careshift.errors import InputError, NotFound, PermissionDenied
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import load_framework
from careshift.services.impact_register import add_override, impact_register
from careshift.services.workers import import_workers
from tests.support.workforce import make_hospital, make_staff, write_hr_csv

PSA = "patient_service_associate"


@pytest.fixture
def hospital(careshift: Careshift, tmp_path: Path) -> int:
    load_framework(careshift, STARTER_FRAMEWORK)
    place = make_hospital(careshift, "A").id
    staff = (
        make_staff(10, role=PSA)
        + make_staff(2, role="medical_records_officer", start=50)
        + make_staff(6, role="healthcare_assistant", start=80)
    )
    import_workers(careshift, write_hr_csv(tmp_path / "hr.csv", staff), place)
    return place


def psa_of(report: dict) -> dict:  # type: ignore[type-arg]
    return next(r for r in report["roles"] if r["role_uri"].endswith(f"/role/{PSA}"))


def test_fte_at_risk_grows_as_the_framework_removes_tasks(
    careshift: Careshift, hospital: int
) -> None:
    psa = psa_of(impact_register(careshift, SYSTEM, hospital, 2025, 2028))
    risk = {t["year"]: t["at_risk_fte"] for t in psa["timeline"]}
    # paper forms (10%) go in 2026; counter registration (30%) and payments (20%) in 2027
    assert risk == {2025: 0.0, 2026: 1.0, 2027: 6.0, 2028: 6.0}
    assert psa["headcount"] == 10


def test_a_local_override_moves_a_task_later_and_the_newest_wins(
    careshift: Careshift, hospital: int
) -> None:
    for year in (2030, 2029):
        add_override(careshift, SYSTEM, hospital, PSA, "counter_registration", change="removed",
                     share=0.3, year=year, reason="kiosks tendered for 2029")  # fmt: skip
    psa = psa_of(impact_register(careshift, SYSTEM, hospital, 2027, 2029))
    risk = {t["year"]: t["at_risk_fte"] for t in psa["timeline"]}
    assert risk == {2027: 3.0, 2028: 3.0, 2029: 6.0}
    assert psa["overridden"] == ["counter_registration"]


def test_the_records_officers_headcount_of_two_is_suppressed_with_a_complement(
    careshift: Careshift, hospital: int
) -> None:
    report = impact_register(careshift, SYSTEM, hospital)
    officers = next(r for r in report["roles"] if r["role_uri"].endswith("records_officer"))
    assert officers["headcount"] is None
    assert all(t["at_risk_fte"] is None for t in officers["timeline"])
    assistants = next(r for r in report["roles"] if r["role_uri"].endswith("healthcare_assistant"))
    assert assistants["headcount"] is None  # else 18 - 10 - 6 would give the officers away


def test_overrides_are_validated_and_need_write_access(careshift: Careshift, hospital: int) -> None:
    with pytest.raises(NotFound):
        add_override(careshift, SYSTEM, hospital, "porter", "x", change="removed", share=0.1,
                     reason="r")  # fmt: skip
    with pytest.raises(InputError, match="share"):
        add_override(careshift, SYSTEM, hospital, PSA, "x", change="removed", share=1.5,
                     reason="r")  # fmt: skip
    union = Principal("rep", frozenset({Role.UNION}), frozenset({hospital}))
    with pytest.raises(PermissionDenied):
        add_override(careshift, union, hospital, PSA, "x", change="removed", share=0.1,
                     reason="r")  # fmt: skip


def test_rest_reads_the_register_and_records_an_override(
    careshift: Careshift, hospital: int
) -> None:
    from careshift.services.accounts import create_user, grant
    from careshift.services.tokens import create_token

    user = create_user(careshift, "hr@a.test", "HR")
    grant(careshift, user, Role.HR, hospital, by=SYSTEM)
    token = create_token(careshift, user, "t", ["read", "write"], by=SYSTEM)
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(careshift), raise_server_exceptions=False) as client:
        saved = client.post(
            f"/api/v1/planning/impact/{hospital}/overrides", headers=headers,
            json={"role": PSA, "task_id": "payment_collection", "change": "changed",
                  "share": 0.2, "year": 2028, "reason": "cash desk kept"},
        )  # fmt: skip
        assert saved.status_code == 201, saved.text
        read = client.get(f"/api/v1/planning/impact/{hospital}?first_year=2027&last_year=2027",
                          headers=headers)  # fmt: skip
        assert read.status_code == 200
        assert psa_of(read.json())["timeline"][0]["at_risk_fte"] == 4.0
