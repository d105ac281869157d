"""A greedy learning plan: the baseline the exact solver is measured against.

Repeatedly take the cheapest *chain* (a course plus the cheapest courses that unlock it,
costed by a shortest-path style fixpoint) per target it closes, until every target is met or
none can be. It is what a careful person with a spreadsheet would do: good, rarely optimal.
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
from careshift.engine.learning_graph import gaps, order_courses, relevant_courses, take

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
    among = relevant_courses(catalogue, open_targets, levels, taken)
    cost, via = _unlock_costs(among, catalogue, levels, taken, weigh)
    best: list[Course] | None = None
    best_ratio = float("inf")
    for target in open_targets:
        for course in catalogue.teaching(target.uri, target.level):
            if cost.get(course.code, float("inf")) == float("inf"):
                continue
            chain = _chain(course.code, via, catalogue)
            reached = dict(levels)
            try:
                order_courses(chain, levels, taken)
            except ValueError:
                continue
            for link in chain:
                take(link, reached)
            closed = sum(1 for t in open_targets if reached.get(t.uri, 0) >= t.level)
            ratio = sum(weigh.of(c) for c in chain) / closed
            if ratio < best_ratio:
                best, best_ratio = chain, ratio
    return best


def _unlock_costs(
    among: list[Course],
    catalogue: Catalogue,
    levels: dict[str, int],
    taken: set[str],
    weigh: PlanObjective,
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Estimated cost of taking each course with the cheapest provider of each prerequisite
    (Bellman-Ford style fixpoint; shared providers are counted twice, as a person would)."""
    cost = {c.code: float("inf") for c in among}
    via: dict[str, list[str]] = {}
    changed = True
    while changed:
        changed = False
        for course in among:
            total, providers = weigh.of(course), []
            for prerequisite in course.prerequisites:
                if prerequisite.course is not None:
                    options = [] if prerequisite.course in taken else [prerequisite.course]
                elif prerequisite.skill is not None and (
                    levels.get(prerequisite.skill.uri, 0) < prerequisite.skill.level
                ):
                    skill = prerequisite.skill
                    options = [c.code for c in catalogue.teaching(skill.uri, skill.level)]
                else:
                    continue
                best = min(
                    (o for o in options if o != course.code),
                    key=lambda o: cost.get(o, float("inf")),
                    default=None,
                )
                total += float("inf") if best is None else cost.get(best, float("inf"))
                providers.extend([] if best is None else [best])
            if total < cost[course.code] - 1e-9:
                cost[course.code], via[course.code] = total, providers
                changed = True
    return cost, via


def _chain(code: str, via: dict[str, list[str]], catalogue: Catalogue) -> list[Course]:
    """``code`` after the providers it was costed with, each once, prerequisites first."""
    ordered: list[Course] = []
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = [(code, False)]
    while stack:
        current, expanded = stack.pop()
        if expanded:
            ordered.append(catalogue.courses[current])
            continue
        if current in seen:
            continue
        seen.add(current)
        stack.append((current, True))
        stack.extend((p, False) for p in via.get(current, ()) if p not in seen)
    return ordered
