"""The groups of an institution's gap reports: units, roles, unit-role cells, everyone.

Whatever a report shows (units, roles, one unit's roles, one role's units, the institution), its
counts are cells of one protected table per institution and target role: every worker counts in
one unit-role cell, each unit and each role is the sum of its cells, and the institution the
sum of its units and of its roles. Suppression runs over that whole table, so no two reports
(say "ED" and "ED's patient service associates") can be subtracted to reveal a small group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from careshift.engine.gaps import GroupTable, group_table

__all__ = [
    "MAX_SMALL_COUNTS_WITH_CELLS",
    "NO_UNIT",
    "SMALL_ROLES",
    "SMALL_UNITS",
    "Node",
    "ProtectedGroups",
    "protect_groups",
]

NO_UNIT = "(no unit)"
#: Units (roles) smaller than min_cell_size, pooled into one group.
SMALL_UNITS = "(smaller units together)"
SMALL_ROLES = "(smaller roles together)"
# Cost of hiding a node's (with-gap, without-gap, size) cells: cells of the finest groups go
# first, a whole group's size last; the overall headcount costs less than a group's size.
_CELL_COSTS = (2.0, 1.5, 8.0)
_MARGIN_COSTS = (3.0, 1.2, 10.0)
_TOTAL_COSTS = (4.0, 1.0, 5.0)
#: Above this many small counts, unit-role cells are left out of the protected table.
MAX_SMALL_COUNTS_WITH_CELLS = 150


@dataclass(frozen=True)
class Node:
    #: "cell" (one unit and one role), "unit", "role" or "all"
    kind: str
    unit: str | None
    role: str | None


@dataclass(frozen=True)
class ProtectedGroups:
    #: every group a report can show, with the index of its row in ``table`` (a unit with one
    #: role is the same group as that unit-role cell, so both share one row)
    entries: list[tuple[Node, int]]
    table: GroupTable
    #: published value of every cell of ``table`` (None where suppressed)
    shown: list[int | None]
    #: False when unit-role cells were left out of the table (too many small counts), so no
    #: report may split a unit by role or a role by unit; True for an institution without
    #: staff too, which has no cells only because it has nobody to count
    with_cells: bool

    def find(self, kind: str, unit: str | None = None, role: str | None = None) -> int | None:
        for node, row in self.entries:
            if node == Node(kind, unit, role):
                return row
        return None

    def size(self, row: int) -> int | None:
        return self.shown[int(self.table.size_at[row])]

    def with_gap(self, row: int) -> list[int | None]:
        return [self.shown[int(c)] for c in self.table.gap_at[row]]


def protect_groups(
    units: list[str],
    roles: list[str],
    gaps: np.ndarray[Any, np.dtype[np.int64]],
    min_cell_size: int,
    *,
    with_cells: bool | None = None,
) -> ProtectedGroups:
    """``units``/``roles``: each worker's unit code and role; ``gaps`` (n_workers, n_skills).

    ``with_cells`` False leaves unit-role cells out, so only units, roles and everyone can be
    reported. None (the default) decides from the data: cells are kept unless they would put
    more than :data:`MAX_SMALL_COUNTS_WITH_CELLS` counts under ``min_cell_size``; beyond that
    the cells would mostly be hidden anyway, and protecting them costs minutes. The decision
    depends on the data alone, so every report of the same data reads the same table.
    """
    from careshift.engine.suppression import suppress

    units = _pool_small(units, min_cell_size, SMALL_UNITS)
    roles = _pool_small(roles, min_cell_size, SMALL_ROLES)
    cells = with_cells is not False
    entries, table = _layout(units, roles, gaps, cells)
    if with_cells is None:
        small = int(((table.values > 0) & (table.values < min_cell_size)).sum())
        if small > MAX_SMALL_COUNTS_WITH_CELLS:
            cells = False
            entries, table = _layout(units, roles, gaps, cells)
    hidden = suppress(table.values, table.relations, min_cell_size, table.costs)
    shown = [None if h else int(v) for v, h in zip(table.values, hidden, strict=True)]
    return ProtectedGroups(entries, table, shown, cells)


def _pool_small(keys: list[str], min_cell_size: int, pooled: str) -> list[str]:
    """Groups smaller than ``min_cell_size`` count together as one: they are never shown on
    their own, and hundreds of them would make the protected table needlessly large."""
    sizes: dict[str, int] = {}
    for key in keys:
        sizes[key] = sizes.get(key, 0) + 1
    return [pooled if sizes[key] < min_cell_size else key for key in keys]


def _layout(
    units: list[str],
    roles: list[str],
    gaps: np.ndarray[Any, np.dtype[np.int64]],
    with_cells: bool,
) -> tuple[list[tuple[Node, int]], GroupTable]:
    cells = sorted(set(zip(units, roles, strict=True)))
    unit_keys, role_keys = sorted(set(units)), sorted(set(roles))
    covers: dict[Node, frozenset[int]] = {}
    if with_cells:
        for i, (u, r) in enumerate(cells):
            covers[Node("cell", u, r)] = frozenset({i})
    for u in unit_keys:
        covers[Node("unit", u, None)] = frozenset(i for i, c in enumerate(cells) if c[0] == u)
    for r in role_keys:
        covers[Node("role", None, r)] = frozenset(i for i, c in enumerate(cells) if c[1] == r)
    covers[Node("all", None, None)] = frozenset(range(len(cells)))
    # Groups covering the same people are one row: publishing them apart would add nothing.
    rows: dict[frozenset[int], int] = {}
    for cover in covers.values():
        rows.setdefault(cover, len(rows))
    entries = [(node, rows[cover]) for node, cover in covers.items()]
    cell_of = {c: i for i, c in enumerate(cells)}
    member = np.array([cell_of[c] for c in zip(units, roles, strict=True)], dtype=np.int64)
    per_cell_gap = np.zeros((len(cells), gaps.shape[1]), dtype=np.int64)
    per_cell_size = np.zeros(len(cells), dtype=np.int64)
    np.add.at(per_cell_gap, member, (gaps > 0).astype(np.int64))
    np.add.at(per_cell_size, member, 1)
    with_gap = np.zeros((len(rows), gaps.shape[1]), dtype=np.int64)
    sizes = np.zeros(len(rows), dtype=np.int64)
    for cover, row in rows.items():
        with_gap[row] = per_cell_gap[sorted(cover)].sum(axis=0)
        sizes[row] = per_cell_size[sorted(cover)].sum()
    sums = _sums(covers, rows, unit_keys, role_keys)
    return entries, group_table(with_gap, sizes, sums, _costs(entries, len(rows)))


def _sums(
    covers: dict[Node, frozenset[int]],
    rows: dict[frozenset[int], int],
    unit_keys: list[str],
    role_keys: list[str],
) -> list[tuple[int, list[int]]]:
    """Every (parent row, child rows) sum a reader knows, without the trivial ones."""
    row = {node: rows[cover] for node, cover in covers.items()}
    cells = [n for n in covers if n.kind == "cell"]
    sums = [(row[Node("unit", u, None)], [row[c] for c in cells if c.unit == u]) for u in unit_keys]
    sums += [
        (row[Node("role", None, r)], [row[c] for c in cells if c.role == r]) for r in role_keys
    ]
    everyone = row[Node("all", None, None)]
    sums.append((everyone, [row[Node("unit", u, None)] for u in unit_keys]))
    sums.append((everyone, [row[Node("role", None, r)] for r in role_keys]))
    unique = {(parent, tuple(kids)) for parent, kids in sums if kids and kids != [parent]}
    return [(parent, list(kids)) for parent, kids in sorted(unique)]


def _costs(entries: list[tuple[Node, int]], n_rows: int) -> list[tuple[float, float, float]]:
    kinds: list[set[str]] = [set() for _ in range(n_rows)]
    for node, row in entries:
        kinds[row].add(node.kind)
    return [
        _TOTAL_COSTS if "all" in k else _CELL_COSTS if "cell" in k else _MARGIN_COSTS for k in kinds
    ]
