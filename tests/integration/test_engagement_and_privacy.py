"""Engagement sessions (aggregate only, consent) and a worker's export and erasure."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import String, Text, inspect, select, text

from careshift import Careshift
from careshift.adapters.db.base import metadata
from careshift.adapters.db.tables import workforce as t
from careshift.adapters.db.tables.platform import audit_log
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.errors import Conflict, NotFound, PermissionDenied
from careshift.services.engagement import answer, create_session, invite, questions
from careshift.services.engagement_results import results
from careshift.services.gaps import group_gap
from careshift.services.privacy import erase_worker, export_worker
from careshift.services.workers import import_workers, list_workers, profile, rate
from tests.support.workforce import (
    PAYMENT,
    PSA,
    REGISTRATION,
    TRIAGE,
    load_small_framework,
    make_hospital,
    make_staff,
    write_hr_csv,
)


@pytest.fixture
def hospital_id(careshift: Careshift, tmp_path: Path) -> int:
    load_small_framework(careshift)
    hospital = make_hospital(careshift).id
    import_workers(careshift, write_hr_csv(tmp_path / "s.csv", make_staff(9)), hospital)
    return hospital


def union_of(institution_id: int) -> Principal:
    return Principal("union-rep", frozenset({Role.UNION}), frozenset({institution_id}))


def test_session_results_are_aggregate_only_and_hide_small_counts(
    careshift: Careshift, hospital_id: int, tmp_path: Path
) -> None:
    import_workers(careshift, write_hr_csv(tmp_path / "more.csv", make_staff(13)), hospital_id)
    rep = union_of(hospital_id)
    survey = create_session(careshift, rep, hospital_id, "PSA skills", role_uri=PSA)
    assert survey.skills == [PAYMENT, REGISTRATION, TRIAGE]
    links = invite(careshift, rep, survey.id)
    assert len(links) == 13
    assert invite(careshift, rep, survey.id) == []  # nobody is invited twice
    for i, link in enumerate(links[:12]):
        levels = {REGISTRATION: 1 if i < 7 else 4, PAYMENT: 2 if i < 10 else 3}
        answer(careshift, link.token, levels)
    report = results(careshift, rep, survey.id)
    assert (report["invited"], report["answered"]) == (13, 12)
    registration = next(s for s in report["skills"] if s["skill_uri"] == REGISTRATION)
    assert (registration["levels"]["1"], registration["levels"]["4"]) == (7, 5)
    assert (registration["mean_level"], registration["below_required"]) == (2.25, 7)
    payment = next(s for s in report["skills"] if s["skill_uri"] == PAYMENT)
    assert payment["levels"]["3"] is None  # two people
    assert payment["levels"]["2"] is None  # else 12 - 10 reveals them
    assert payment["mean_level"] is None  # a mean would pin the hidden cells down
    assert (payment["rated"], payment["below_required"]) == (12, 0)
    assert questions(careshift, links[0].token)["answered"] is True


def test_a_link_answers_once_and_only_the_sessions_skills(
    careshift: Careshift, hospital_id: int
) -> None:
    survey = create_session(careshift, SYSTEM, hospital_id, "Two", skill_uris=[REGISTRATION])
    (link, *_) = invite(careshift, SYSTEM, survey.id)
    with pytest.raises(Exception, match="not asked"):
        answer(careshift, link.token, {PAYMENT: 2})
    answer(careshift, link.token, {REGISTRATION: 2})
    with pytest.raises(Conflict):
        answer(careshift, link.token, {REGISTRATION: 3})
    with pytest.raises(NotFound):
        answer(careshift, "not-a-token", {REGISTRATION: 3})


def test_answers_feed_the_profile_only_with_consent(careshift: Careshift, hospital_id: int) -> None:
    survey = create_session(careshift, SYSTEM, hospital_id, "Consent", skill_uris=[TRIAGE])
    first, second, *_ = invite(careshift, SYSTEM, survey.id)
    answer(careshift, first.token, {TRIAGE: 5}, consent=True)
    answer(careshift, second.token, {TRIAGE: 5}, consent=False)
    with_consent = profile(careshift, SYSTEM, first.worker_id).skills[TRIAGE]
    without = profile(careshift, SYSTEM, second.worker_id).skills[TRIAGE]
    assert (with_consent.level, with_consent.basis.value) == (5, "session")
    assert (without.level, without.basis.value) == (2, "role")


def test_a_union_representative_cannot_read_a_profile_through_a_session(
    careshift: Careshift, hospital_id: int
) -> None:
    worker_id = list_workers(careshift, SYSTEM, hospital_id)[0].id
    with pytest.raises(PermissionDenied):
        export_worker(careshift, union_of(hospital_id), worker_id)


def every_string_in_the_store(careshift: Careshift) -> list[str]:
    found = []
    with careshift.store.engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if columns:
                for row in connection.execute(select(*columns)):
                    found += [v for v in row if v]
    return found


def test_export_then_erasure_leaves_no_trace_while_aggregates_still_add_up(
    careshift: Careshift, hospital_id: int
) -> None:
    survey = create_session(careshift, SYSTEM, hospital_id, "Before", skill_uris=[REGISTRATION])
    links = invite(careshift, SYSTEM, survey.id)
    for link in links:
        answer(careshift, link.token, {REGISTRATION: 2}, consent=True)
    leaver = list_workers(careshift, SYSTEM, hospital_id)[0]
    rate(careshift, SYSTEM, leaver.id, {PAYMENT: 1}, note="needs the new till")
    before_gaps = group_gap(careshift, SYSTEM, hospital_id, target_uri=PSA, by="none")
    before_results = results(careshift, SYSTEM, survey.id)

    exported = export_worker(careshift, SYSTEM, leaver.id)
    assert exported["worker"]["employee_number"] == leaver.employee_number
    assert {e["skill_uri"] for e in exported["evidence"]} == {REGISTRATION, PAYMENT}
    assert exported["engagement_sessions"][0]["answered"] is True
    assert exported["access_log"]

    erase_worker(careshift, SYSTEM, leaver.id)

    strings = every_string_in_the_store(careshift)
    for personal in (leaver.employee_number, leaver.name, "needs the new till"):
        assert not any(personal in value for value in strings)
    with careshift.store.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if "worker_id" in table.c:
                hits = connection.execute(
                    select(table.c.worker_id).where(table.c.worker_id == leaver.id)
                ).all()
                assert hits == [], table.name
        assert connection.execute(select(t.worker).where(t.worker.c.id == leaver.id)).all() == []
        subjects = connection.scalars(
            select(audit_log.c.subject_id).where(audit_log.c.subject_type == "worker")
        ).all()
        assert str(leaver.id) not in subjects
        assert inspect(connection).has_table("workforce_worker")
        connection.execute(text("SELECT 1"))
    after_results = results(careshift, SYSTEM, survey.id)
    assert after_results["invited"] == before_results["invited"] == 9
    assert after_results["answered"] == before_results["answered"] == 9
    assert after_results["skills"] == before_results["skills"]
    after_gaps = group_gap(careshift, SYSTEM, hospital_id, target_uri=PSA, by="none")
    assert before_gaps.headcount == 9 and after_gaps.headcount == 8
    for report in (before_gaps, after_gaps):
        (everyone,) = report.groups
        assert [c["with_gap"] for c in everyone["cells"]] == [s["with_gap"] for s in report.skills]


def test_a_session_answered_by_three_people_shows_no_count_of_them(
    careshift: Careshift, hospital_id: int
) -> None:
    survey = create_session(careshift, SYSTEM, hospital_id, "Small", skill_uris=[TRIAGE, PAYMENT])
    for link in invite(careshift, SYSTEM, survey.id)[:3]:
        answer(careshift, link.token, {TRIAGE: 4, PAYMENT: 1})
    report = results(careshift, union_of(hospital_id), survey.id)
    assert report["answered"] is None
    for skill in report["skills"]:
        assert skill["rated"] is None and skill["mean_level"] is None
        assert all(n in (None, 0) for n in skill["levels"].values())


def test_a_union_of_another_institution_cannot_run_or_read_a_session(
    careshift: Careshift, hospital_id: int
) -> None:
    other = make_hospital(careshift, "OTHER").id
    survey = create_session(careshift, SYSTEM, hospital_id, "Ours", skill_uris=[TRIAGE])
    outsider = union_of(other)
    with pytest.raises(PermissionDenied):
        create_session(careshift, outsider, hospital_id, "Theirs", skill_uris=[TRIAGE])
    with pytest.raises(PermissionDenied):
        invite(careshift, outsider, survey.id)
    with pytest.raises(PermissionDenied):
        results(careshift, outsider, survey.id)
