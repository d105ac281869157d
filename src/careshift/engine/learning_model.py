"""The learning-plan 0-1 program: variables, covering and support rows, and cycle cuts.

Built by :mod:`careshift.engine.learning_plan`, which solves it with HiGHS. Row and column
layout: one binary column per modelled course; a covering row per target; a support row per
unmet prerequisite; cycle cuts (see the plan module's docstring).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import highspy

from careshift.domain.learning import (
    Catalogue,
    Course,
    PlanObjective,
    Prerequisite,
    SkillLevel,
)
from careshift.engine.learning_graph import can_take, first_teachers, strongly_connected, take

__all__ = ["Model", "build", "closers", "cycle_cuts"]


@dataclass
class _Rows:
    """Constraint rows in CSR form, built incrementally."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def add(self, lower: float, upper: float, terms: Iterable[tuple[int, float]]) -> None:
        for column, coefficient in terms:
            self.index.append(column)
            self.value.append(coefficient)
        self.lower.append(lower)
        self.upper.append(upper)
        self.starts.append(len(self.index))


@dataclass
class Model:
    courses: list[Course]
    column: dict[str, int]
    cost: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: _Rows = field(default_factory=_Rows)

    def new_column(self, cost: float, upper: float, integer: bool) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1


def closers(catalogue: Catalogue, target: SkillLevel) -> tuple[Course, ...]:
    return catalogue.teaching(target.uri, target.level)


def build(
    catalogue: Catalogue,
    courses: list[Course],
    targets: list[SkillLevel],
    levels: Mapping[str, int],
    done: frozenset[str],
    weigh: PlanObjective,
) -> Model:
    model = Model(courses, {c.code: i for i, c in enumerate(courses)})
    for course in courses:
        model.new_column(weigh.of(course), 1.0, True)
    for target in targets:
        columns = [
            model.column[c.code] for c in closers(catalogue, target) if c.code in model.column
        ]
        model.rows.add(1.0, highspy.kHighsInf, ((j, 1.0) for j in columns))
    unmet = {
        model.column[c.code]: _unmet(catalogue, c, model.column, levels, done) for c in courses
    }
    for c, needs in unmet.items():
        for alternatives in needs:
            model.rows.add(-highspy.kHighsInf, 0.0, [(c, 1.0), *((d, -1.0) for d in alternatives)])
    _two_cycle_cuts(model, unmet)
    return model


def _two_cycle_cuts(model: Model, unmet: Mapping[int, list[list[int]]]) -> None:
    """Cut pairs that would each meet the other's prerequisite up front: they are the common
    cycles, and adding them now saves a solve per pair (longer cycles are cut lazily)."""
    for a, needs in unmet.items():
        for alternatives in needs:
            for b in alternatives:
                if b <= a:
                    continue
                back = next((alt for alt in unmet.get(b, ()) if a in alt), None)
                if back is None:
                    continue
                outside = sorted({d for d in (*alternatives, *back) if d not in (a, b)})
                model.rows.add(
                    -highspy.kHighsInf, 1.0, [(a, 1.0), (b, 1.0), *((d, -1.0) for d in outside)]
                )


def _unmet(
    catalogue: Catalogue,
    course: Course,
    column: Mapping[str, int],
    levels: Mapping[str, int],
    done: frozenset[str],
) -> list[list[int]]:
    """The course's prerequisites the learner does not yet meet, each as the columns meeting it."""
    return [
        _meeting(catalogue, prerequisite, course, column)
        for prerequisite in course.prerequisites
        if not _met(prerequisite, levels, done)
    ]


def _met(prerequisite: Prerequisite, levels: Mapping[str, int], taken: Collection[str]) -> bool:
    if prerequisite.course is not None:
        return prerequisite.course in taken
    skill = prerequisite.skill
    return skill is None or levels.get(skill.uri, 0) >= skill.level


def _meeting(
    catalogue: Catalogue, prerequisite: Prerequisite, course: Course, column: Mapping[str, int]
) -> list[int]:
    """Columns of the modelled courses that meet ``prerequisite`` (never the course itself)."""
    if prerequisite.course is not None:
        return [column[prerequisite.course]] if prerequisite.course in column else []
    skill = prerequisite.skill
    assert skill is not None
    return [
        column[t.code]
        for t in first_teachers(catalogue, skill)
        if t.code in column and t.code != course.code
    ]


def cycle_cuts(
    model: Model,
    chosen: list[Course],
    catalogue: Catalogue,
    levels: Mapping[str, int],
    done: frozenset[str],
) -> list[list[tuple[int, float]]]:
    """Rows cutting off the stuck cycles of ``chosen`` (empty when it can be ordered)."""
    state, taken = dict(levels), set(done)
    stuck = list(chosen)
    progress = True
    while progress:
        progress = False
        for course in list(stuck):
            if can_take(course, state, taken):
                stuck.remove(course)
                taken.add(course.code)
                take(course, state)
                progress = True
    if not stuck:
        return []
    members = {model.column[c.code] for c in stuck}
    blocking: dict[int, list[int]] = {}
    for course in stuck:
        for prerequisite in course.prerequisites:
            if not _met(prerequisite, state, taken):
                blocking[model.column[course.code]] = _meeting(
                    catalogue, prerequisite, course, model.column
                )
                break
    graph = {c: [d for d in ds if d in members] for c, ds in blocking.items()}
    component = strongly_connected(graph)
    sinks: dict[int, list[int]] = {}
    for c, (root, _) in component.items():
        sinks.setdefault(root, []).append(c)
    rows = []
    for group in sinks.values():
        inside = set(group)
        if any(component[d][0] != component[c][0] for c in group for d in graph[c]):
            continue  # not a sink: it is stuck only because it waits on another stuck cycle
        outside = {d for c in group for d in blocking[c] if d not in inside}
        rows.append([*((c, 1.0) for c in sorted(inside)), *((d, -1.0) for d in sorted(outside))])
    return rows
