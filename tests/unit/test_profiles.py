"""The documented profile reconciliation rule."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.domain.workforce import (
    SOURCE_RANK,
    Evidence,
    EvidenceSource,
    reconcile,
    required_level,
)
from careshift.engine.profiles import reconcile_levels

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


sources = st.sampled_from([s for s in EvidenceSource if s is not EvidenceSource.ROLE])
evidence_lists = st.lists(
    st.tuples(
        st.integers(0, 2),  # worker
        st.integers(0, 2),  # skill
        st.integers(1, 6),
        sources,
        st.dates(date(2024, 1, 1), date(2024, 1, 10)),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(evidence_lists, st.lists(st.integers(0, 6), min_size=9, max_size=9))
def test_the_array_reconciliation_agrees_with_the_documented_rule(
    items: list[tuple[int, int, int, EvidenceSource, date]], defaults_flat: list[int]
) -> None:
    records = [
        (worker, make_evidence(skill_uri=f"s{skill}", level=level, source=source,
                               observed_on=when, id=i + 1))
        for i, (worker, skill, level, source, when) in enumerate(items)
    ]  # fmt: skip
    order = sorted(range(len(records)), key=lambda i: (records[i][1].observed_on, records[i][1].id))
    defaults = np.array(defaults_flat, dtype=np.int64).reshape(3, 3)
    levels = reconcile_levels(
        np.array([records[i][0] for i in order], dtype=np.int64),
        np.array([int(records[i][1].skill_uri[1:]) for i in order], dtype=np.int64),
        np.array([records[i][1].level for i in order], dtype=np.int64),
        np.array([SOURCE_RANK[records[i][1].source] for i in order], dtype=np.int64),
        defaults,
    )
    for worker in range(3):
        mine = [e for w, e in records if w == worker]
        role = {f"s{s}": int(defaults[worker, s]) for s in range(3) if defaults[worker, s]}
        profile = reconcile(mine, role)
        for skill in range(3):
            held = profile.get(f"s{skill}")
            assert levels[worker, skill] == (held.level if held else 0)
