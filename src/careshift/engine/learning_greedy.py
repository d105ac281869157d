"""A greedy learning plan: the baseline the exact solver is measured against.

Repeatedly take the cheapest *chain* (a course plus the cheapest courses that unlock it,
chosen recursively) per target it closes, until every target is met or none can be. It is what a
careful person with a spreadsheet would do, and is usually good but not optimal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from careshift.domain.learning import (
    Catalogue,
    Course,
    LearningPlan,
    PlanObjective,
    PlanStatus,
    PlanStep,
    SkillLevel,
)
from careshift.engine.learning_graph import gaps, order_courses, take

__all__ = ["greedy_plan"]


def greedy_plan(
    catalogue: Catalogue,
    targets: Iterable[SkillLevel],
    current: Mapping[str, int] | None = None,
    *,
    completed: Iterable[str] = (),
    objective: PlanObjective | None = None,
) -> LearningPlan:
    weigh = objective or PlanObjective()
    levels = dict(current or {})
    taken = set(completed)
    open_targets = gaps(targets, levels)
    chosen: list[Course] = []
    while True:
        open_targets = [t for t in open_targets if levels.get(t.uri, 0) < t.level]
        best = _best_chain(catalogue, open_targets, levels, taken, weigh)
        if best is None:
            break
        for course in best:
            chosen.append(course)
            taken.add(course.code)
            take(course, levels)
    ordered = order_courses(chosen, dict(current or {}), frozenset(completed))
    all_targets = gaps(targets, dict(current or {}))
    steps = tuple(
        PlanStep(c, tuple(t for t in all_targets if c.level_brought(t.uri) >= t.level))
        for c in ordered
    )
    value = sum(weigh.of(c) for c in chosen)
    return LearningPlan(steps, PlanStatus.FEASIBLE, value, 0.0, tuple(open_targets))


def _best_chain(
    catalogue: Catalogue,
    open_targets: list[SkillLevel],
    levels: dict[str, int],
    taken: set[str],
    weigh: PlanObjective,
) -> list[Course] | None:
    best: list[Course] | None = None
    best_ratio = float("inf")
    for target in open_targets:
        for course in catalogue.teaching(target.uri, target.level):
            if course.code in taken:
                continue
            chain = _chain(catalogue, course, levels, taken, weigh, frozenset())
            if chain is None:
                continue
            reached = dict(levels)
            for link in chain:
                take(link, reached)
            closed = sum(1 for t in open_targets if reached.get(t.uri, 0) >= t.level)
            ratio = sum(weigh.of(c) for c in chain) / closed
            if ratio < best_ratio:
                best, best_ratio = chain, ratio
    return best


def _chain(
    catalogue: Catalogue,
    course: Course,
    levels: dict[str, int],
    taken: set[str],
    weigh: PlanObjective,
    visiting: frozenset[str],
) -> list[Course] | None:
    """``course`` preceded by the cheapest courses meeting its prerequisites, or None."""
    if course.code in visiting:
        return None
    visiting = visiting | {course.code}
    chain: list[Course] = []
    state = dict(levels)
    done = set(taken)
    for prerequisite in course.prerequisites:
        options: list[Course] = []
        if prerequisite.course is not None and prerequisite.course not in done:
            needed = catalogue.courses.get(prerequisite.course)
            options = [needed] if needed is not None else []
        elif prerequisite.skill is not None:
            skill = prerequisite.skill
            if state.get(skill.uri, 0) >= skill.level:
                continue
            options = [c for c in catalogue.teaching(skill.uri, skill.level) if c.code not in done]
        else:
            continue
        sub = _cheapest(catalogue, options, state, done, weigh, visiting)
        if sub is None:
            return None
        for link in sub:
            chain.append(link)
            done.add(link.code)
            take(link, state)
    return [*chain, course]


def _cheapest(
    catalogue: Catalogue,
    options: list[Course],
    levels: dict[str, int],
    taken: set[str],
    weigh: PlanObjective,
    visiting: frozenset[str],
) -> list[Course] | None:
    best: list[Course] | None = None
    for option in options:
        chain = _chain(catalogue, option, levels, taken, weigh, visiting)
        if chain is not None and (
            best is None or sum(weigh.of(c) for c in chain) < sum(weigh.of(c) for c in best)
        ):
            best = chain
    return best
