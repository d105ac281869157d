"""Engagement-session results: no suppressed answer count can be recovered from the rest."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.engine.suppression import suppress
from careshift.services.engagement_results import survey_table
from tests.support.disclosure import integer_attack, publish, subtraction_attack

answers = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(1, 6)), st.one_of(st.none(), st.integers(1, 6))),
    min_size=0,
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(answers, st.integers(1, 6), st.integers(3, 6))
def test_no_suppressed_count_of_a_survey_is_recoverable_in_whole_people(
    people: list[tuple[int | None, int | None]], required: int, k: int
) -> None:
    counts: dict[tuple[str, int], int] = {}
    for person in people:
        for skill, level in zip(("a", "b"), person, strict=True):
            if level is not None:  # None: the person skipped this skill
                counts[(skill, level)] = counts.get((skill, level), 0) + 1
    table = survey_table(len(people), ["a", "b"], counts, {"a": required})
    published = publish(np.array(table.values), suppress(table.values, table.relations, k))
    assert all(v is None or v == 0 or v >= k for v in published)
    assert subtraction_attack(published, table.relations) == {}
    for low, high in integer_attack(published, table.relations).values():
        assert high - low >= 1
