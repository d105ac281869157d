"""Attacks on published tables: what a reader can recover from what is shown."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from careshift.engine.suppression import Relation


def subtraction_attack(published: list[int | None], relations: list[Relation]) -> dict[int, int]:
    """Solve any relation with exactly one unknown, repeatedly: a reader with a calculator."""
    known = {i: v for i, v in enumerate(published) if v is not None}
    recovered: dict[int, int] = {}
    progress = True
    while progress:
        progress = False
        for total, components in relations:
            unknown = [c for c in (total, *components) if c not in known]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            parts = sum(known[c] for c in components if c in known)
            known[cell] = parts if cell == total else known[total] - parts
            recovered[cell] = known[cell]
            progress = True
    return recovered


def linear_programming_attack(
    published: list[int | None], relations: list[Relation]
) -> dict[int, tuple[float, float]]:
    """The tightest bounds on each hidden cell given every relation and non-negativity."""
    unknowns = [i for i, v in enumerate(published) if v is None]
    column = {cell: j for j, cell in enumerate(unknowns)}
    rows, rhs = [], []
    for total, components in relations:
        row = np.zeros(len(unknowns))
        constant = 0.0
        for cell, sign in [(total, 1.0)] + [(c, -1.0) for c in components]:
            if cell in column:
                row[column[cell]] += sign
            else:
                constant -= sign * (published[cell] or 0)
        if row.any():
            rows.append(row)
            rhs.append(constant)
    bounds = {}
    for cell, j in column.items():
        objective = np.zeros(len(unknowns))
        objective[j] = 1.0
        low = linprog(objective, A_eq=rows or None, b_eq=rhs or None, bounds=(0, None))
        high = linprog(-objective, A_eq=rows or None, b_eq=rhs or None, bounds=(0, None))
        assert low.status == 0 and high.status in (0, 3)  # 3: unbounded above
        bounds[cell] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return bounds


def publish(values: np.ndarray, hidden: np.ndarray) -> list[int | None]:
    return [None if h else int(v) for v, h in zip(values, hidden, strict=True)]


def integer_attack(
    published: list[int | None], relations: list[Relation]
) -> dict[int, tuple[float, float]]:
    """Like :func:`linear_programming_attack`, but counts are whole people (a MILP)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    unknowns = [i for i, v in enumerate(published) if v is None]
    column = {cell: j for j, cell in enumerate(unknowns)}
    rows, rhs = [], []
    for total, components in relations:
        row = np.zeros(len(unknowns))
        constant = 0.0
        for cell, sign in [(total, 1.0)] + [(c, -1.0) for c in components]:
            if cell in column:
                row[column[cell]] += sign
            else:
                constant -= sign * (published[cell] or 0)
        if row.any():
            rows.append(row)
            rhs.append(constant)
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    ceiling = float(sum(v or 0 for v in published) + 1)  # no count exceeds everything shown
    bounds = {}
    for cell, j in column.items():
        objective = np.zeros(len(unknowns))
        objective[j] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            found = milp(
                sign * objective,
                constraints=constraints,
                integrality=np.ones(len(unknowns)),
                bounds=Bounds(0, ceiling * 10),
            )
            assert found.status == 0, found.message
            ends.append(sign * found.fun)
        bounds[cell] = (ends[0], ends[1])
    return bounds
