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
from collections.abc import Iterable, Mapping

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
)
from careshift.engine.learning_model import Model, build, closers, cycle_cuts

__all__ = ["hours_to_reach", "new_highs", "optimal_plan"]

_banner_silenced = False


def new_highs() -> highspy.Highs:
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
    closable = [t for t in open_targets if any(c.code in reachable for c in closers(catalogue, t))]
    unreachable = tuple(t for t in open_targets if t not in closable)
    if not closable:
        return LearningPlan((), PlanStatus.NOTHING_TO_LEARN, 0.0, 0.0, unreachable)
    courses = relevant_courses(catalogue, closable, levels, done, reachable)
    model = build(catalogue, courses, closable, levels, done, weigh)
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


def _solve(
    model: Model,
    time_limit: float,
    catalogue: Catalogue,
    levels: Mapping[str, int],
    done: frozenset[str],
) -> tuple[list[Course], PlanStatus, float, float]:
    solver = new_highs()
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
        cuts = cycle_cuts(model, chosen, catalogue, levels, done)
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


def _lp(model: Model) -> highspy.HighsLp:
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
