"""The learning-plan solver against brute force and the greedy baseline on random catalogues."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.domain.learning import (
    Catalogue,
    Course,
    Modality,
    PlanObjective,
    PlanStatus,
    Prerequisite,
    SkillLevel,
)
from careshift.engine.learning_graph import gaps, order_courses, reachable_courses
from careshift.engine.learning_greedy import greedy_plan
from careshift.engine.learning_plan import hours_to_reach, optimal_plan

SKILLS = ("phlebotomy", "ecg", "coordination")


def make_course(code: str, hours: float = 10, cost: float = 100, **overrides: object) -> Course:
    fields: dict[str, object] = {
        "code": code,
        "titles": {"en": code},
        "hours": hours,
        "cost": cost,
        "modality": Modality.CLASSROOM,
        "brings": (SkillLevel("phlebotomy", 2),),
    }
    fields.update(overrides)
    return Course(**fields)  # type: ignore[arg-type]


@st.composite
def catalogues(draw: st.DrawFn) -> tuple[Catalogue, list[SkillLevel], dict[str, int], str]:
    size = draw(st.integers(1, 7))
    codes = [f"C{i}" for i in range(size)]
    skill_level = st.builds(SkillLevel, st.sampled_from(SKILLS), st.integers(1, 4))
    courses = []
    for code in codes:
        brings = tuple(draw(st.lists(skill_level, min_size=1, max_size=2)))
        others = [c for c in codes if c != code]
        prerequisites = draw(
            st.lists(
                st.one_of(
                    st.builds(Prerequisite, skill=skill_level),
                    *([st.builds(Prerequisite, course=st.sampled_from(others))] if others else []),
                ),
                max_size=2,
            )
        )
        hours, cost = draw(st.integers(1, 40)), draw(st.integers(0, 500))
        courses.append(
            make_course(code, hours, cost, brings=brings, prerequisites=tuple(prerequisites))
        )
    targets = draw(st.lists(skill_level, min_size=1, max_size=3))
    current = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 3)))
    objective = draw(st.sampled_from(["hours", "cost", "mix"]))
    return Catalogue.of(courses), targets, current, objective


def brute_force(
    catalogue: Catalogue, targets: list[SkillLevel], current: dict[str, int], weigh: PlanObjective
) -> tuple[float, set[SkillLevel]]:
    """Cheapest orderable subset covering every target (highest level per skill) any subset can."""
    everything = [catalogue.courses[c] for c in reachable_courses(catalogue, current, ())]
    reached = _levels_after(everything, current)
    wanted = set(gaps(targets, current))
    closable = {t for t in wanted if reached.get(t.uri, 0) >= t.level}
    best = float("inf")
    courses = list(catalogue.courses.values())
    for size in range(len(courses) + 1):
        for subset in itertools.combinations(courses, size):
            try:
                order_courses(subset, current, ())
            except ValueError:
                continue
            levels = _levels_after(subset, current)
            if all(levels.get(t.uri, 0) >= t.level for t in closable):
                best = min(best, sum(weigh.of(c) for c in subset))
    return best, wanted - closable


def _levels_after(courses: object, current: dict[str, int]) -> dict[str, int]:
    levels = dict(current)
    for course in courses:  # type: ignore[attr-defined]
        for brought in course.brings:
            levels[brought.uri] = max(levels.get(brought.uri, 0), brought.level)
    return levels


@settings(max_examples=300, deadline=None)
@given(catalogues())
def test_plan_equals_brute_force_optimum_on_small_random_catalogues(case: tuple) -> None:
    catalogue, targets, current, objective = case
    weigh = PlanObjective.named(objective)
    plan = optimal_plan(catalogue, targets, current, objective=weigh)
    best, not_closable = brute_force(catalogue, targets, current, weigh)
    assert plan.proven_optimal
    assert set(plan.unreachable) == not_closable
    assert abs(sum(weigh.of(s.course) for s in plan.steps) - best) < 1e-6
    # the steps come in an order that meets every prerequisite, and reach every closable target
    order_courses([s.course for s in plan.steps], current, ())
    levels = _levels_after([s.course for s in plan.steps], current)
    wanted = set(gaps(targets, current)) - not_closable
    assert all(levels.get(t.uri, 0) >= t.level for t in wanted)


@settings(max_examples=200, deadline=None)
@given(catalogues())
def test_plan_is_never_worse_than_greedy(case: tuple) -> None:
    catalogue, targets, current, objective = case
    weigh = PlanObjective.named(objective)
    plan = optimal_plan(catalogue, targets, current, objective=weigh)
    greedy = greedy_plan(catalogue, targets, current, objective=weigh)
    if not greedy.unreachable or set(greedy.unreachable) == set(plan.unreachable):
        assert plan.objective <= greedy.objective + 1e-6


def test_plan_prefers_two_cheap_courses_over_one_dear_one() -> None:
    catalogue = Catalogue.of(
        [
            make_course(
                "ALL", hours=50, brings=(SkillLevel("ecg", 2), SkillLevel("phlebotomy", 2))
            ),
            make_course("ECG", hours=20, brings=(SkillLevel("ecg", 2),)),
            make_course("BLOOD", hours=20, brings=(SkillLevel("phlebotomy", 2),)),
        ]
    )
    plan = optimal_plan(catalogue, [SkillLevel("ecg", 2), SkillLevel("phlebotomy", 2)])
    assert sorted(s.course.code for s in plan.steps) == ["BLOOD", "ECG"]
    assert plan.status is PlanStatus.OPTIMAL and plan.hours == 40


def test_prerequisite_course_comes_first_in_the_plan() -> None:
    catalogue = Catalogue.of(
        [
            make_course(
                "ADV", brings=(SkillLevel("ecg", 4),), prerequisites=(Prerequisite(course="BASIC"),)
            ),
            make_course("BASIC", brings=(SkillLevel("ecg", 2),)),
        ]
    )
    plan = optimal_plan(catalogue, [SkillLevel("ecg", 4)])
    assert [s.course.code for s in plan.steps] == ["BASIC", "ADV"]


def test_a_completed_prerequisite_is_not_taken_again() -> None:
    catalogue = Catalogue.of(
        [
            make_course(
                "ADV", brings=(SkillLevel("ecg", 4),), prerequisites=(Prerequisite(course="BASIC"),)
            ),
            make_course("BASIC", brings=(SkillLevel("ecg", 2),)),
        ]
    )
    plan = optimal_plan(catalogue, [SkillLevel("ecg", 4)], {"ecg": 2}, completed={"BASIC"})
    assert [s.course.code for s in plan.steps] == ["ADV"]


def test_courses_that_need_each_other_are_not_a_plan() -> None:
    catalogue = Catalogue.of(
        [
            make_course(
                "A",
                brings=(SkillLevel("ecg", 2),),
                prerequisites=(Prerequisite(skill=SkillLevel("phlebotomy", 2)),),
            ),
            make_course(
                "B",
                brings=(SkillLevel("phlebotomy", 2),),
                prerequisites=(Prerequisite(skill=SkillLevel("ecg", 2)),),
            ),
            make_course("C", hours=30, brings=(SkillLevel("phlebotomy", 2),)),
        ]
    )
    plan = optimal_plan(catalogue, [SkillLevel("ecg", 2), SkillLevel("phlebotomy", 2)])
    assert [s.course.code for s in plan.steps] == ["C", "A"]


def test_plan_names_the_gap_no_course_closes() -> None:
    catalogue = Catalogue.of([make_course("BLOOD", brings=(SkillLevel("phlebotomy", 2),))])
    plan = optimal_plan(catalogue, [SkillLevel("phlebotomy", 2), SkillLevel("ecg", 3)])
    assert plan.unreachable == (SkillLevel("ecg", 3),)
    assert "ecg to level 3" in plan.message
    assert [s.course.code for s in plan.steps] == ["BLOOD"]


def test_hours_to_reach_counts_prerequisite_hours_and_none_when_unreachable() -> None:
    catalogue = Catalogue.of(
        [
            make_course(
                "ADV",
                hours=30,
                brings=(SkillLevel("ecg", 4),),
                prerequisites=(Prerequisite(course="BASIC"),),
            ),
            make_course("BASIC", hours=12, brings=(SkillLevel("ecg", 2),)),
        ]
    )
    assert hours_to_reach(catalogue, "ecg", 4) == 42
    assert hours_to_reach(catalogue, "ecg", 4, current_level=4) == 0
    assert hours_to_reach(catalogue, "ecg", 5) is None
