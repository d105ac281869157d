"""Optimal learning plans: the cheapest set and order of courses that closes a skill gap.

The plan is a 0-1 program solved exactly by HiGHS (``mip_rel_gap = 0``)::

    minimise    sum_c w_c x_c                       (hours, cost or a weighted mix)
    subject to  sum_{c teaches s to >= L} x_c >= 1  for every target (s, L) above the current level
                x_c <= x_d                          course c requires course d
                x_c <= sum_{d teaches s to >= l} x_d  course c requires skill s at level l

A skill prerequisite (s, l) is met by the *first* course in the plan that brings s to l, and
that course cannot itself require s at l or above; only such *first teachers* are offered as
providers, which keeps the model exact and removes the commonest cycles ("advanced A counts as
the basics for advanced B and B for A").

Only courses that can matter are modelled: those closing a target and, transitively, those
meeting a prerequisite of one of them, restricted to courses a learner can actually reach from
their current levels.

The support rows alone accept a set that supports itself in a cycle (A needs a skill B teaches
and B one that A teaches), which no order can take. Such sets are cut off lazily: when the
solution cannot be ordered, each smallest stuck cycle ``S`` gets the row "if all of S is taken,
the first of S to be taken has its blocking prerequisite met from outside S"
(``sum_S x_c - sum_S sum_{d outside S meets p(c)} x_d <= |S| - 1``), valid for every orderable
plan, and the model is solved again. Two-course cycles, the common case, are cut up front.
Catalogues rarely have longer ones, so this is usually one solve, and the answer stays exact.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np

from careshift.domain.learning import (
    Catalogue,
    Course,
    LearningPlan,
    PlanObjective,
    PlanStatus,
    PlanStep,
    Prerequisite,
    SkillLevel,
)
from careshift.engine.learning_graph import (
    can_take,
    first_teachers,
    gaps,
    order_courses,
    reachable_courses,
    relevant_courses,
    strongly_connected,
    take,
)

__all__ = ["hours_to_reach", "optimal_plan"]

_banner_silenced = False


def _new_highs() -> highspy.Highs:
    """A silent solver. HiGHS prints a banner on stdout at its first construction in a process,
    which would corrupt ``--json`` output, so that one construction writes to /dev/null."""
    global _banner_silenced
    if _banner_silenced:
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            solver = highspy.Highs()  # type: ignore[no-untyped-call]
            ctypes.CDLL(None).fflush(None)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _banner_silenced = True
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", 1e-9)
    solver.setOptionValue("threads", 1)
    return solver


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
class _Model:
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


def optimal_plan(
    catalogue: Catalogue,
    targets: Iterable[SkillLevel],
    current: Mapping[str, int] | None = None,
    *,
    completed: Iterable[str] = (),
    objective: PlanObjective | None = None,
    time_limit: float = 10.0,
) -> LearningPlan:
    """The cheapest prerequisite-respecting plan reaching every reachable target.

    ``current`` maps skill URI to the learner's level; ``completed`` names courses already done
    (they meet course prerequisites and are not offered again). Targets no course can close are
    reported in ``LearningPlan.unreachable`` and the plan covers the rest.
    """
    started = time.perf_counter()
    levels = dict(current or {})
    done = frozenset(completed)
    weigh = objective or PlanObjective()
    open_targets = gaps(targets, levels)
    if not open_targets:
        return LearningPlan((), PlanStatus.NOTHING_TO_LEARN, 0.0, 0.0)
    candidates = relevant_courses(catalogue, open_targets, levels, done)
    reachable = reachable_courses(catalogue, levels, done, among=candidates)
    closable = [t for t in open_targets if any(c.code in reachable for c in _closers(catalogue, t))]
    unreachable = tuple(t for t in open_targets if t not in closable)
    if not closable:
        return LearningPlan((), PlanStatus.NOTHING_TO_LEARN, 0.0, 0.0, unreachable)
    courses = relevant_courses(catalogue, closable, levels, done, reachable)
    model = _build(catalogue, courses, closable, levels, done, weigh)
    chosen, status, value, bound = _solve(model, time_limit, catalogue, levels, done)
    ordered = order_courses(chosen, levels, done)
    steps = tuple(
        PlanStep(c, tuple(t for t in closable if c.level_brought(t.uri) >= t.level))
        for c in ordered
    )
    elapsed = (time.perf_counter() - started) * 1000
    return LearningPlan(steps, status, value, bound, unreachable, elapsed)


def hours_to_reach(
    catalogue: Catalogue, skill_uri: str, level: int, current_level: int = 0
) -> float | None:
    """Fewest training hours (prerequisites included) to bring ``skill_uri`` to ``level``.

    ``0.0`` when the learner is already there, ``None`` when no course chain reaches it. Used by
    the pathway engine as the effort of closing one skill gap.
    """
    current = {skill_uri: current_level} if current_level else {}
    plan = optimal_plan(catalogue, [SkillLevel(skill_uri, level)], current)
    return None if plan.unreachable else plan.hours


def _closers(catalogue: Catalogue, target: SkillLevel) -> tuple[Course, ...]:
    return catalogue.teaching(target.uri, target.level)


def _build(
    catalogue: Catalogue,
    courses: list[Course],
    targets: list[SkillLevel],
    levels: Mapping[str, int],
    done: frozenset[str],
    weigh: PlanObjective,
) -> _Model:
    model = _Model(courses, {c.code: i for i, c in enumerate(courses)})
    for course in courses:
        model.new_column(weigh.of(course), 1.0, True)
    for target in targets:
        closers = [
            model.column[c.code] for c in _closers(catalogue, target) if c.code in model.column
        ]
        model.rows.add(1.0, highspy.kHighsInf, ((j, 1.0) for j in closers))
    unmet = {
        model.column[c.code]: _unmet(catalogue, c, model.column, levels, done) for c in courses
    }
    for c, needs in unmet.items():
        for alternatives in needs:
            model.rows.add(-highspy.kHighsInf, 0.0, [(c, 1.0), *((d, -1.0) for d in alternatives)])
    _two_cycle_cuts(model, unmet)
    return model


def _two_cycle_cuts(model: _Model, unmet: Mapping[int, list[list[int]]]) -> None:
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


def _cycle_cuts(
    model: _Model,
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


def _solve(
    model: _Model,
    time_limit: float,
    catalogue: Catalogue,
    levels: Mapping[str, int],
    done: frozenset[str],
) -> tuple[list[Course], PlanStatus, float, float]:
    solver = _new_highs()
    solver.setOptionValue("time_limit", float(time_limit))
    solver.passModel(_lp(model))
    deadline = time.perf_counter() + time_limit
    while True:
        solver.run()
        status = solver.getModelStatus()
        info = solver.getInfo()
        if status == highspy.HighsModelStatus.kOptimal:
            plan_status = PlanStatus.OPTIMAL
        elif info.primal_solution_status == 2:  # kSolutionStatusFeasible: stopped by the clock
            plan_status = PlanStatus.FEASIBLE
        else:
            raise RuntimeError(f"HiGHS found no plan: {solver.modelStatusToString(status)}")
        values = solver.getSolution().col_value
        chosen = [course for i, course in enumerate(model.courses) if values[i] > 0.5]
        cuts = _cycle_cuts(model, chosen, catalogue, levels, done)
        if not cuts:
            break
        if time.perf_counter() > deadline:
            raise RuntimeError("no orderable plan found before the time limit")
        for row in cuts:
            columns = np.array([j for j, _ in row], dtype=np.int32)
            coefficients = np.array([v for _, v in row], dtype=np.float64)
            solver.addRow(
                -highspy.kHighsInf,
                float(sum(1 for _, v in row if v > 0) - 1),
                len(row),
                columns,
                coefficients,
            )
    value = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if plan_status is PlanStatus.FEASIBLE else value
    return chosen, plan_status, value, bound


def _lp(model: _Model) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    n = len(model.cost)
    lp.num_col_ = n
    lp.num_row_ = len(model.rows.lower)
    lp.col_cost_ = np.array(model.cost, dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.array(model.upper, dtype=np.float64)
    lp.row_lower_ = np.array(model.rows.lower, dtype=np.float64)
    lp.row_upper_ = np.array(model.rows.upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(model.rows.starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(model.rows.index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(model.rows.value, dtype=np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp
