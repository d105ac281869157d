"""Worker and group gaps through the services, with tenancy and suppression."""

from __future__ import annotations

from pathlib import Path

import pytest

from careshift import Careshift
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.domain.workforce import EvidenceSource
from careshift.errors import PermissionDenied
from careshift.services.cv_suggestions import accept_suggestions, suggest_skills
from careshift.services.gaps import group_gap, worker_gap
from careshift.services.workers import (
    assess_self,
    get_worker,
    import_workers,
    list_workers,
    profile,
    rate,
)
from tests.support.workforce import (
    PAYMENT,
    PSA,
    RECORDS,
    RECORDS_SKILL,
    REGISTRATION,
    TRIAGE,
    load_small_framework,
    make_hospital,
    make_staff,
    write_hr_csv,
)


def hr_of(institution_id: int) -> Principal:
    return Principal("hr-user", frozenset({Role.HR}), frozenset({institution_id}))


def union_of(institution_id: int) -> Principal:
    return Principal("union-rep", frozenset({Role.UNION}), frozenset({institution_id}))


@pytest.fixture
def two_hospitals(careshift: Careshift, tmp_path: Path) -> tuple[int, int]:
    load_small_framework(careshift)
    first, second = make_hospital(careshift, "A").id, make_hospital(careshift, "B").id
    staff = make_staff(12, unit="ED") + make_staff(3, unit="LAB", start=100)
    import_workers(careshift, write_hr_csv(tmp_path / "a.csv", staff), first)
    import_workers(careshift, write_hr_csv(tmp_path / "b.csv", make_staff(6, "MRO")), second)
    return first, second


def ids_by_number(careshift: Careshift, institution_id: int) -> dict[str, int]:
    return {w.employee_number: w.id for w in list_workers(careshift, SYSTEM, institution_id)}


def test_a_principal_of_one_institution_cannot_see_the_workers_of_another(
    careshift: Careshift, two_hospitals: tuple[int, int]
) -> None:
    first, second = two_hospitals
    someone_in_b = next(iter(ids_by_number(careshift, second).values()))
    with pytest.raises(PermissionDenied):
        list_workers(careshift, hr_of(first), second)
    with pytest.raises(PermissionDenied):
        get_worker(careshift, hr_of(first), someone_in_b)
    with pytest.raises(PermissionDenied):
        group_gap(careshift, union_of(first), second, target_uri=RECORDS)
    assert len(list_workers(careshift, hr_of(first), first)) == 15


def test_a_union_representative_never_reads_an_individual_profile(
    careshift: Careshift, two_hospitals: tuple[int, int]
) -> None:
    first, _ = two_hospitals
    worker_id = ids_by_number(careshift, first)["E00001"]
    with pytest.raises(PermissionDenied):
        profile(careshift, union_of(first), worker_id)


def test_a_worker_sees_their_own_gap_against_a_target_role_after_rating(
    careshift: Careshift, two_hospitals: tuple[int, int]
) -> None:
    first, _ = two_hospitals
    worker_id = ids_by_number(careshift, first)["E00001"]
    me = Principal("user:1", frozenset({Role.WORKER}), frozenset({first}), worker_id=worker_id)
    assess_self(careshift, me, worker_id, {RECORDS_SKILL: 2})
    with pytest.raises(PermissionDenied):
        rate(careshift, me, worker_id, {RECORDS_SKILL: 6})  # no self-promotion
    rate(careshift, hr_of(first), worker_id, {REGISTRATION: 1}, EvidenceSource.SUPERVISOR)
    gap = worker_gap(careshift, me, worker_id, RECORDS)
    by_skill = {s.skill_uri: s for s in gap.skills}
    assert (by_skill[RECORDS_SKILL].current, by_skill[RECORDS_SKILL].gap) == (2, 2)
    assert (by_skill[REGISTRATION].required, by_skill[REGISTRATION].gap) == (2, 1)
    current = worker_gap(careshift, me, worker_id)
    assert current.target_uri == PSA
    assert {s.skill_uri: s.gap for s in current.skills} == {REGISTRATION: 2, PAYMENT: 0, TRIAGE: 0}


def test_a_group_of_three_never_appears_in_a_group_gap_report(
    careshift: Careshift, two_hospitals: tuple[int, int]
) -> None:
    first, _ = two_hospitals
    numbers = ids_by_number(careshift, first)
    for number, worker_id in numbers.items():
        level = 1 if number in ("E00001", "E00002", "E00100") else 4
        rate(careshift, SYSTEM, worker_id, {REGISTRATION: level, PAYMENT: 3})
    report = group_gap(careshift, union_of(first), first, target_uri=PSA)
    assert [g["key"] for g in report.groups] == ["ED"]
    assert report.groups_left_out == 1
    published = [report.headcount, *(s["with_gap"] for s in report.skills)]
    for group in report.groups:
        published += [group["size"], *(c["with_gap"] for c in group["cells"])]
    assert all(v is None or v == 0 or v >= 5 for v in published)
    registration = next(s for s in report.skills if s["skill_uri"] == REGISTRATION)
    assert registration["with_gap"] is None  # three people: hidden, with a complement
    assert report.headcount is None  # 15 published beside ED's 12 would reveal LAB's 3


def test_a_group_gap_report_counts_people_below_the_target_level(
    careshift: Careshift, two_hospitals: tuple[int, int]
) -> None:
    first, _ = two_hospitals
    numbers = sorted(ids_by_number(careshift, first).items())
    for i, (_, worker_id) in enumerate(numbers):
        rate(careshift, SYSTEM, worker_id, {REGISTRATION: 1 if i < 7 else 5})
    report = group_gap(careshift, SYSTEM, first, target_uri=PSA, unit_code="ED", by="none")
    (emergency,) = report.groups
    assert (emergency["key"], emergency["size"], report.headcount) == ("ED", 12, 12)
    cells = dict(zip((s["skill_uri"] for s in report.skills), emergency["cells"], strict=True))
    assert cells[REGISTRATION] == {"with_gap": 7, "share": round(7 / 12, 3)}
    assert report.most_common[0]["skill_uri"] == REGISTRATION
    assert report.trainings[0]["gaps_closed"] == 7
    # the whole hospital includes LAB's three people: its headcount would reveal them
    everyone = group_gap(careshift, SYSTEM, first, target_uri=PSA, by="none")
    assert everyone.headcount is None and everyone.groups == []


def test_cv_suggestions_become_text_evidence_only_when_accepted(
    careshift: Careshift, two_hospitals: tuple[int, int]
) -> None:
    first, _ = two_hospitals
    worker_id = ids_by_number(careshift, first)["E00001"]
    me = Principal("user:1", frozenset({Role.WORKER}), frozenset({first}), worker_id=worker_id)
    cv = "Front desk: patient registration, and basic triage of walk-in patients."
    suggested = suggest_skills(careshift, me, worker_id, cv)
    assert {s["skill_uri"] for s in suggested} >= {TRIAGE, REGISTRATION}
    assert profile(careshift, me, worker_id).skills[TRIAGE].basis.value == "role"
    accept_suggestions(careshift, me, worker_id, [TRIAGE])
    triage = profile(careshift, me, worker_id).skills[TRIAGE]
    assert (triage.level, triage.basis.value) == (2, "text")
