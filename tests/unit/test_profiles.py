"""The documented profile reconciliation rule."""

from __future__ import annotations

from datetime import date

import pytest

from careshift.domain.workforce import (
    Evidence,
    EvidenceSource,
    reconcile,
    required_level,
)

SKILL = "urn:skill:triage"


def make_evidence(**overrides: object) -> Evidence:
    values: dict[str, object] = {
        "skill_uri": SKILL,
        "level": 3,
        "source": EvidenceSource.SELF,
        "observed_on": date(2025, 1, 1),
        "author": "w1",
    }
    values.update(overrides)
    return Evidence(**values)  # type: ignore[arg-type]


def test_a_profile_starts_from_the_role_defaults() -> None:
    profile = reconcile([], {SKILL: 3})
    assert profile[SKILL].level == 3
    assert profile[SKILL].basis is EvidenceSource.ROLE


def test_latest_supervisor_rating_beats_a_later_self_rating_and_both_stay_visible() -> None:
    supervisor = make_evidence(level=2, source=EvidenceSource.SUPERVISOR)
    own = make_evidence(level=5, observed_on=date(2025, 6, 1))
    skill = reconcile([own, supervisor], {})[SKILL]
    assert (skill.level, skill.basis) == (2, EvidenceSource.SUPERVISOR)
    assert set(skill.evidence) == {own, supervisor}


def test_the_latest_of_several_self_ratings_counts() -> None:
    older = make_evidence(level=1, observed_on=date(2024, 1, 1))
    newer = make_evidence(level=4, observed_on=date(2025, 1, 1))
    assert reconcile([newer, older], {})[SKILL].level == 4


def test_a_course_completion_sets_a_floor_under_a_lower_rating() -> None:
    rating = make_evidence(level=2, source=EvidenceSource.SUPERVISOR, observed_on=date(2026, 1, 1))
    course = make_evidence(level=4, source=EvidenceSource.COURSE)
    skill = reconcile([rating, course], {SKILL: 3})[SKILL]
    assert (skill.level, skill.basis) == (4, EvidenceSource.COURSE)


def test_a_rating_above_the_credential_floor_wins() -> None:
    credential = make_evidence(level=2, source=EvidenceSource.CREDENTIAL)
    rating = make_evidence(level=5, source=EvidenceSource.SUPERVISOR)
    assert reconcile([credential, rating], {})[SKILL].level == 5


def test_self_rating_beats_a_text_suggestion_and_the_role_default() -> None:
    text = make_evidence(level=5, source=EvidenceSource.TEXT, observed_on=date(2026, 1, 1))
    own = make_evidence(level=2)
    assert reconcile([text, own], {SKILL: 4})[SKILL].level == 2


def test_evidence_outside_the_range_one_to_six_is_refused() -> None:
    with pytest.raises(ValueError, match="1-6"):
        make_evidence(level=7)


def test_esco_relations_default_to_three_for_essential_and_two_for_optional() -> None:
    assert required_level("essential", None) == 3
    assert required_level("optional", None) == 2
    assert required_level("optional", 5) == 5
