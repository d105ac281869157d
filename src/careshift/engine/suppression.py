"""Small-cell suppression for published counts, with complementary (secondary) suppression.

A table of counts is described as a flat vector of cells plus additive *relations*: each
relation says ``cells[total] == sum(cells[components])`` (a row with its margin, a column with
its margin, a group size split into "with gap" and "without gap" ...). Everything a reader can
derive comes from these relations, so protecting against them protects against subtraction.

1. **Primary**: every count with ``0 < count < min_cell_size`` is hidden.
2. **Secondary**: for each relation, a single hidden cell would be recoverable by subtraction,
   so another cell of that relation is hidden too (the smallest positive one, to lose least);
   and when the relation's total is visible the hidden components together must hold at least
   ``min_cell_size`` people, otherwise their sum would itself single out a small group.
3. **Audit**: the hidden cells are the unknowns of a linear system. A hidden cell is exactly
   recoverable iff its unit vector lies in the row space of that system, i.e. it is zero in
   every null-space vector. Such cells get a further complement, and the loop repeats until no
   hidden cell is determined. Zeros are never hidden, so every hidden cell is strictly
   positive and the true table lies inside the non-negative orthant: an undetermined cell then
   has a feasible interval of positive width, even to an attacker using linear programming.

Zero counts are published: "nobody" is not a person to protect, and hiding zeros would not
protect the positive cells around them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MIN_SAFE_CELL_SIZE",
    "Relation",
    "SuppressedTable",
    "determined_cells",
    "layout_2d",
    "suppress",
    "suppress_1d",
    "suppress_2d",
    "suppress_partition",
]

#: Below this a difference of two published counts can single out one person.
MIN_SAFE_CELL_SIZE = 3

#: ``(total index, component indexes)``: ``cells[total] == sum(cells[components])``.
Relation = tuple[int, tuple[int, ...]]


def suppress(
    values: Sequence[int] | NDArray[np.int64],
    relations: Sequence[Relation],
    min_cell_size: int,
    costs: Sequence[float] | NDArray[np.float64] | None = None,
) -> NDArray[np.bool_]:
    """Which cells to hide. ``values``: counts of people, shape (n_cells,). Returns a mask.

    ``costs`` (n_cells,) says how much hiding each cell loses; complements are chosen by lowest
    cost, then smallest count. Default: all equal (the smallest count is hidden).
    """
    if min_cell_size < MIN_SAFE_CELL_SIZE:
        raise ValueError(f"min_cell_size must be at least {MIN_SAFE_CELL_SIZE}")
    counts = np.asarray(values, dtype=np.int64)
    if counts.ndim != 1 or (counts < 0).any():
        raise ValueError("values must be a flat vector of non-negative counts")
    for total, components in relations:
        if counts[total] != counts[list(components)].sum():
            raise ValueError(f"relation at cell {total} does not add up")
    weights = np.zeros(len(counts)) if costs is None else np.asarray(costs, dtype=np.float64)
    if weights.shape != counts.shape:
        raise ValueError("costs must have one entry per cell")
    order = _Order(counts, weights)
    hidden = (counts > 0) & (counts < min_cell_size)
    while True:
        _complete_relations(order, relations, hidden, min_cell_size)
        determined = determined_cells(relations, hidden)
        if not determined.any():
            return hidden
        _complement_determined(np.flatnonzero(determined), order, relations, hidden)


@dataclass(frozen=True)
class _Order:
    """Which visible cell to give up first: cheapest, then smallest count, then lowest index."""

    counts: NDArray[np.int64]
    costs: NDArray[np.float64]

    def pick(self, hidden: NDArray[np.bool_], cells: Sequence[int]) -> int | None:
        candidates = [c for c in cells if not hidden[c] and self.counts[c] > 0]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (float(self.costs[c]), int(self.counts[c]), c))


def _complete_relations(
    order: _Order,
    relations: Sequence[Relation],
    hidden: NDArray[np.bool_],
    min_cell_size: int,
) -> None:
    """Rules of step 2, repeated until no relation needs another complement."""
    changed = True
    while changed:
        changed = False
        for total, components in relations:
            line = (total, *components)
            n_hidden = int(hidden[list(line)].sum())
            if n_hidden == 0:
                continue
            hidden_components = [c for c in components if hidden[c]]
            too_small = (
                not hidden[total]
                and bool(hidden_components)
                and int(order.counts[hidden_components].sum()) < min_cell_size
            )
            if n_hidden == 1 or too_small:
                pick = order.pick(hidden, (*components, total))
                if pick is not None:
                    hidden[pick] = True
                    changed = True


def _complement_determined(
    cells: NDArray[np.int64],
    order: _Order,
    relations: Sequence[Relation],
    hidden: NDArray[np.bool_],
) -> None:
    """One complement per determined cell, but none for a cell sharing a relation with a
    complement already chosen in this round: that complement often frees it too, and hiding
    less keeps more of the table readable. The next round re-checks."""
    touched: set[int] = set()
    for cell in (int(c) for c in cells):
        lines = [(t, *cs) for t, cs in relations if cell in (t, *cs)]
        if any(touched.intersection(line) for line in lines):
            continue
        before = hidden.copy()
        _hide_neighbour(cell, order, relations, hidden)
        for new in np.flatnonzero(hidden & ~before):
            touched.update(c for t, cs in relations if int(new) in (t, *cs) for c in (t, *cs))


def _hide_neighbour(
    cell: int,
    order: _Order,
    relations: Sequence[Relation],
    hidden: NDArray[np.bool_],
) -> None:
    """Hide the cheapest positive cell sharing a relation with ``cell`` (else any cell)."""
    neighbours = {c for total, components in relations if cell in (total, *components)
                  for c in (total, *components)}  # fmt: skip
    pick = order.pick(hidden, sorted(neighbours))
    if pick is None:
        pick = order.pick(hidden, range(len(order.counts)))
    if pick is not None:
        hidden[pick] = True


#: Components with more unknowns than this are audited by sparse least squares, not an SVD.
DENSE_AUDIT_LIMIT = 400


def determined_cells(
    relations: Sequence[Relation],
    hidden: NDArray[np.bool_],
    dense_limit: int = DENSE_AUDIT_LIMIT,
) -> NDArray[np.bool_]:
    """Hidden cells whose value follows exactly from the visible ones through ``relations``.

    The hidden cells are the unknowns of ``A x = b``; cell ``c`` is determined iff ``e_c`` lies
    in the row space of ``A``, i.e. iff it is zero in every null-space vector. Small independent
    blocks get an exact SVD; large ones project random vectors onto the null space with sparse
    least squares (a determined cell is zero in every projection, any other almost surely not).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    unknowns = np.flatnonzero(hidden)
    result = np.zeros(hidden.shape, dtype=np.bool_)
    if unknowns.size == 0:
        return result
    column = np.full(hidden.shape, -1, dtype=np.int64)
    column[unknowns] = np.arange(unknowns.size)
    rows: list[int] = []
    cols: list[int] = []
    signs: list[float] = []
    n_rows = 0
    for total, components in relations:
        line = [(int(column[total]), 1.0)] + [(int(column[c]), -1.0) for c in components]
        kept = [(j, v) for j, v in line if j >= 0]
        if kept:
            rows += [n_rows] * len(kept)
            cols += [j for j, _ in kept]
            signs += [v for _, v in kept]
            n_rows += 1
    system = coo_matrix((signs, (rows, cols)), shape=(n_rows, unknowns.size)).tocsr()
    system.sum_duplicates()
    system.eliminate_zeros()
    pattern = abs(system)
    _, label = connected_components(pattern.T @ pattern, directed=False)
    for group in range(int(label.max()) + 1):
        members = np.flatnonzero(label == group)
        block = system[:, members]
        block = block[np.flatnonzero(abs(block).sum(axis=1))]
        if block.shape[0] == 0:
            continue
        if members.size <= dense_limit:
            pinned = _pinned_dense(block.toarray())
        else:
            pinned = _pinned_sparse(block)
        result[unknowns[members[pinned]]] = True
    return result


def _pinned_dense(block: NDArray[np.float64]) -> NDArray[np.bool_]:
    _, singular, vt = np.linalg.svd(block)
    rank = int((singular > 1e-9 * max(1.0, float(singular[0]))).sum())
    null = vt[rank:]
    if len(null) == 0:
        return np.ones(block.shape[1], dtype=np.bool_)
    pinned: NDArray[np.bool_] = np.abs(null).max(axis=0) < 1e-9
    return pinned


def _pinned_sparse(block: Any) -> NDArray[np.bool_]:
    from scipy.sparse.linalg import lsqr

    n = block.shape[1]
    rng = np.random.default_rng(0)  # fixed: the same table is always audited the same way
    largest = np.zeros(n)
    for _ in range(3):
        probe = rng.standard_normal(n)
        solution = lsqr(block.T, probe, atol=1e-14, btol=1e-14, iter_lim=50 * n)[0]
        largest = np.maximum(largest, np.abs(probe - block.T @ solution))
    pinned: NDArray[np.bool_] = largest < 1e-6
    return pinned


@dataclass(frozen=True)
class SuppressedTable:
    """A 2-D table ready to publish: ``None`` where a count is suppressed."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def suppress_1d(counts: Sequence[int], min_cell_size: int) -> tuple[list[int | None], int | None]:
    """A list of counts and its total, suppressed. Returns (cells, total)."""
    values = [*counts, sum(counts)]
    relation: Relation = (len(counts), tuple(range(len(counts))))
    hidden = suppress(values, [relation], min_cell_size)
    shown = [None if hidden[i] else int(v) for i, v in enumerate(values)]
    return shown[:-1], shown[-1]


def suppress_partition(counts: Mapping[str, int], min_cell_size: int) -> dict[str, int | None]:
    """Counts of the groups that partition a population (staff by role), suppressed as one
    list whose total may be known. Every report showing one of these groups reads it from here,
    so no two reports can be differenced into a hidden group."""
    order = sorted(counts)
    shown, _ = suppress_1d([counts[key] for key in order], min_cell_size)
    return dict(zip(order, shown, strict=True))


def suppress_2d(matrix: Sequence[Sequence[int]], min_cell_size: int) -> SuppressedTable:
    """A rows x columns table with row, column and grand totals, suppressed together."""
    table = np.asarray(matrix, dtype=np.int64).reshape(len(matrix), -1)
    n_rows, n_cols = table.shape
    values, relations = layout_2d(table)
    hidden = suppress(values, relations, min_cell_size)
    shown: list[int | None] = [None if hidden[i] else int(v) for i, v in enumerate(values)]
    cells = [shown[r * n_cols : (r + 1) * n_cols] for r in range(n_rows)]
    row_start = n_rows * n_cols
    col_start = row_start + n_rows
    return SuppressedTable(
        cells=cells,
        row_totals=shown[row_start:col_start],
        column_totals=shown[col_start : col_start + n_cols],
        total=shown[-1],
    )


def layout_2d(table: NDArray[np.int64]) -> tuple[NDArray[np.int64], list[Relation]]:
    """Flatten a table with its margins: cells (row-major), row totals, column totals, total."""
    n_rows, n_cols = table.shape
    row_start = n_rows * n_cols
    col_start = row_start + n_rows
    grand = col_start + n_cols
    values = np.concatenate(
        [table.ravel(), table.sum(axis=1), table.sum(axis=0), [table.sum()]]
    ).astype(np.int64)
    relations: list[Relation] = []
    for r in range(n_rows):
        relations.append((row_start + r, tuple(r * n_cols + c for c in range(n_cols))))
    for c in range(n_cols):
        relations.append((col_start + c, tuple(r * n_cols + c for r in range(n_rows))))
    relations.append((grand, tuple(range(row_start, col_start))))
    relations.append((grand, tuple(range(col_start, grand))))
    return values, relations
