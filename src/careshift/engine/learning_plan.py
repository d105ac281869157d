"""Optimal learning plans: the cheapest set and order of courses that closes a skill gap.

The plan is a 0-1 program solved exactly by HiGHS (``mip_rel_gap = 0``)::

    minimise    sum_c w_c x_c                       (hours, cost or a weighted mix)
    subject to  sum_{c teaches s to >= L} x_c >= 1  for every target (s, L) above the current level
                x_c <= x_d                          course c requires course d
                x_c <= sum_{d teaches s to >= l} x_d  course c requires skill s at level l

Only courses that can matter are modelled: those closing a target and, transitively, those
meeting a prerequisite of one of them, restricted to courses a learner can actually reach from
their current levels. When prerequisites form a cycle (A needs a skill B teaches and B one that A
teaches) the support rows alone would accept {A, B} although neither can go first, so inside each
strongly connected component the model gains order variables ``t_c`` (Miller-Tucker-Zemlin
style) and a binary ``y`` for which provider supports which prerequisite.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections.abc import Iterable, Mapping
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
    SkillLevel,
)
from careshift.engine.learning_graph import (
    gaps,
    order_courses,
    reachable_courses,
    relevant_courses,
    strongly_connected,
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
    chosen, status, value, bound = _solve(model, time_limit)
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
    providers = _providers(catalogue, courses, model.column, levels, done)
    component = strongly_connected(
        {c: set(p for ps in provs for p in ps) for c, provs in providers.items()}
    )
    order_column: dict[int, int] = {}
    for c, provs in providers.items():
        size = component[c][1]
        for alternatives in provs:
            _support_row(model, c, alternatives, component, order_column, size)
    return model


def _providers(
    catalogue: Catalogue,
    courses: list[Course],
    column: Mapping[str, int],
    levels: Mapping[str, int],
    done: frozenset[str],
) -> dict[int, list[list[int]]]:
    """For each modelled course, its unmet prerequisites as lists of columns that meet them."""
    result: dict[int, list[list[int]]] = {}
    for course in courses:
        c = column[course.code]
        needs: list[list[int]] = []
        for prerequisite in course.prerequisites:
            if prerequisite.course is not None:
                if prerequisite.course not in done:
                    needs.append([column[prerequisite.course]])
            elif prerequisite.skill is not None:
                uri, level = prerequisite.skill.uri, prerequisite.skill.level
                if levels.get(uri, 0) < level:
                    teachers = catalogue.teaching(uri, level)
                    needs.append(
                        [
                            column[t.code]
                            for t in teachers
                            if t.code in column and t.code != course.code
                        ]
                    )
        result[c] = needs
    return result


def _support_row(
    model: _Model,
    c: int,
    alternatives: list[int],
    component: Mapping[int, tuple[int, int]],
    order_column: dict[int, int],
    size: int,
) -> None:
    """``x_c <= sum of providers``; providers in c's own cycle must also come earlier."""
    terms: list[tuple[int, float]] = [(c, 1.0)]
    for d in alternatives:
        if component[d][0] != component[c][0]:
            terms.append((d, -1.0))
            continue
        # y = "d supports c": y <= x_d and t_c >= t_d + 1 when y = 1 (big-M = cycle size).
        y = model.new_column(0.0, 1.0, True) if len(alternatives) > 1 else c
        if y != c:
            model.rows.add(-highspy.kHighsInf, 0.0, ((y, 1.0), (d, -1.0)))
            terms.append((y, -1.0))
        else:
            terms.append((d, -1.0))
        tc, td = (_order_column(model, order_column, k, size) for k in (c, d))
        big_m = float(size)
        model.rows.add(1.0 - big_m, highspy.kHighsInf, ((tc, 1.0), (td, -1.0), (y, -big_m)))
    model.rows.add(-highspy.kHighsInf, 0.0, terms)


def _order_column(model: _Model, order_column: dict[int, int], course: int, size: int) -> int:
    if course not in order_column:
        order_column[course] = model.new_column(0.0, float(size), False)
    return order_column[course]


def _solve(model: _Model, time_limit: float) -> tuple[list[Course], PlanStatus, float, float]:
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
    kinds = highspy.HighsVarType
    lp.integrality_ = [kinds.kInteger if i else kinds.kContinuous for i in model.integer]
    solver = _new_highs()
    solver.setOptionValue("time_limit", float(time_limit))
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    info = solver.getInfo()
    values = list(solver.getSolution().col_value)
    if status == highspy.HighsModelStatus.kOptimal:
        plan_status = PlanStatus.OPTIMAL
    elif info.primal_solution_status == 2:  # kSolutionStatusFeasible
        plan_status = PlanStatus.FEASIBLE
    else:
        raise RuntimeError(f"HiGHS found no plan: {solver.modelStatusToString(status)}")
    chosen = [course for i, course in enumerate(model.courses) if values[i] > 0.5]
    value = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if plan_status is PlanStatus.FEASIBLE else value
    return chosen, plan_status, value, bound
