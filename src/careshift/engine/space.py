"""The taxonomy as sparse matrices: roles x skills, skills x related skills, skills x groups.

:func:`build_space` turns a :class:`TaxonomySnapshot` into an :class:`OccupationSpace`, the
input of every similarity and pathway computation. Rows are ESCO occupations and local roles
(sorted by URI, so the result does not depend on snapshot order); columns are skills. A local
skill linked ``exact`` to an ESCO skill shares that skill's column; a ``broad`` link makes the
two *related* (soft match). Shapes: ``essential``/``optional`` (n_roles, n_skills) float32 with
the required level (1-6, or :data:`DEFAULT_REQUIRED_LEVEL`) as value; ``related`` (n_skills,
n_skills) 0/1 symmetric without diagonal; ``groups`` (n_skills, n_groups) 0/1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import scipy.sparse as sp

from careshift.domain.pathways import DEFAULT_REQUIRED_LEVEL
from careshift.domain.taxonomy import Concept, ConceptKind, TaxonomySnapshot

__all__ = ["SIBLING_GROUP_MAX", "OccupationSpace", "build_space", "isco_skill_level"]

#: Skills sharing a direct parent count as related only if the parent has at most this many
#: children: siblings in a small group ("perform venepuncture", "take blood samples") are
#: near-substitutes; siblings in a group of hundreds are not.
SIBLING_GROUP_MAX = 30

Csr: TypeAlias = sp.csr_matrix


def isco_skill_level(isco_code: str) -> int:
    """ILO's ISCO-08 skill level (1-4) of a unit group code; 0 when unknown.

    Major groups 2 → 4, 3 → 3, 4-8 → 2, 9 → 1; managers (1) are 4 except 14 (hospitality,
    retail) at 3; armed forces 01 → 4, 02 → 2, 03 → 1 (ISCO-08 Part I, table 1).
    """
    if not isco_code or not isco_code[0].isdigit():
        return 0
    major = isco_code[0]
    if major == "1":
        return 3 if isco_code.startswith("14") else 4
    if major == "0":
        return {"01": 4, "02": 2, "03": 1}.get(isco_code[:2], 2)
    return {"2": 4, "3": 3, "9": 1}.get(major, 2)


@dataclass(frozen=True)
class OccupationSpace:
    uris: tuple[str, ...]
    labels: tuple[str, ...]
    #: True for local-framework roles
    is_local: np.ndarray
    #: True for an ESCO occupation a local role stands for (``exact`` link): as a destination
    #: it would repeat that role, so only the local role (with levels and pay) is offered
    shadowed: np.ndarray
    #: ISCO-08 unit group (4 digits) or "" per row
    isco: tuple[str, ...]
    skill_uris: tuple[str, ...]
    skill_labels: tuple[str, ...]
    skill_types: tuple[str, ...]
    skill_tags: tuple[frozenset[str], ...]
    essential: Csr
    optional: Csr
    related: Csr
    groups: Csr
    #: column of every skill URI, local skills linked ``exact`` map to their ESCO column
    skill_index: dict[str, int]
    index: dict[str, int]

    @property
    def n_roles(self) -> int:
        return len(self.uris)

    @property
    def skill_level(self) -> np.ndarray:
        return np.array([isco_skill_level(code) for code in self.isco], dtype=np.int8)

    def held(self) -> Csr:
        """0/1 (n_roles, n_skills): every skill a role lists, essential or optional."""
        union = (self.essential + self.optional).tocsr()
        union.data[:] = 1.0
        return union

    def profile_vector(self, skills: Iterable[str]) -> Csr:
        """0/1 (1, n_skills) for a set of skill URIs; URIs outside the taxonomy are ignored."""
        cols = sorted({self.skill_index[u] for u in skills if u in self.skill_index})
        data = np.ones(len(cols), dtype=np.float32)
        return sp.csr_matrix((data, ([0] * len(cols), cols)), shape=(1, len(self.skill_uris)))


def _exact_aliases(snapshot: TaxonomySnapshot) -> dict[str, str]:
    return {
        local: target
        for local, target, match in snapshot.links
        if match == "exact" and snapshot.concepts.get(target) is not None
    }


def _role_isco(snapshot: TaxonomySnapshot, uri: str) -> str:
    concept = snapshot.concepts[uri]
    if concept.isco_code:
        return concept.isco_code[:4]
    for local, target, _match in snapshot.links:
        linked = snapshot.concepts.get(target) if local == uri else None
        if linked is not None and linked.isco_code:
            return linked.isco_code[:4]
    return ""


def _skill_columns(snapshot: TaxonomySnapshot) -> tuple[list[str], dict[str, int]]:
    aliases = _exact_aliases(snapshot)
    own = sorted(c.uri for c in snapshot.of_kind(ConceptKind.SKILL) if c.uri not in aliases)
    index = {uri: i for i, uri in enumerate(own)}
    for local, target in aliases.items():
        if target in index:
            index[local] = index[target]
    return own, index


def _role_matrices(
    snapshot: TaxonomySnapshot, row_of: dict[str, int], col_of: dict[str, int], n: int, m: int
) -> tuple[Csr, Csr]:
    cells: dict[str, dict[tuple[int, int], float]] = {"essential": {}, "optional": {}}
    for rel in snapshot.occupation_skills:
        row, col = row_of.get(rel.occupation_uri), col_of.get(rel.skill_uri)
        if row is None or col is None or rel.relation not in cells:
            continue
        level = float(rel.level or DEFAULT_REQUIRED_LEVEL[rel.relation])
        key = (row, col)
        # A skill listed twice (local skill and its ESCO twin) keeps the higher level.
        cells[rel.relation][key] = max(level, cells[rel.relation].get(key, 0.0))
    for key in cells["essential"]:  # essential wins over optional for the same skill
        cells["optional"].pop(key, None)
    out = []
    for relation in ("essential", "optional"):
        items = cells[relation]
        rows = np.fromiter((k[0] for k in items), dtype=np.int64, count=len(items))
        cols = np.fromiter((k[1] for k in items), dtype=np.int64, count=len(items))
        data = np.fromiter(items.values(), dtype=np.float32, count=len(items))
        out.append(sp.csr_matrix((data, (rows, cols)), shape=(n, m)))
    return out[0], out[1]


def _binary(pairs: set[tuple[int, int]], shape: tuple[int, int]) -> Csr:
    rows = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
    return sp.csr_matrix((np.ones(len(pairs), dtype=np.float32), (rows, cols)), shape=shape)


def _related(snapshot: TaxonomySnapshot, col_of: dict[str, int], m: int) -> Csr:
    """Skills related by the hierarchy (parent/child, small-group siblings) or by ESCO relations."""
    pairs: set[tuple[int, int]] = set()
    children: dict[str, set[int]] = defaultdict(set)
    for narrower, broader in snapshot.broader:
        col = col_of.get(narrower)
        if col is None:
            continue
        children[broader].add(col)
        parent_col = col_of.get(broader)
        if parent_col is not None:
            pairs.update({(col, parent_col), (parent_col, col)})
    for members in children.values():
        if 1 < len(members) <= SIBLING_GROUP_MAX:
            pairs.update((a, b) for a in members for b in members)
    for source, target, _relation in snapshot.skill_skills:
        a, b = col_of.get(source), col_of.get(target)
        if a is not None and b is not None:
            pairs.update({(a, b), (b, a)})
    for local, target, match in snapshot.links:
        a, b = col_of.get(local), col_of.get(target)
        if match != "exact" and a is not None and b is not None:
            pairs.update({(a, b), (b, a)})
    related = _binary({p for p in pairs if p[0] != p[1]}, (m, m))
    return related


def _groups(snapshot: TaxonomySnapshot, col_of: dict[str, int], m: int) -> Csr:
    """Every skill-group ancestor of every skill (transitively, through broader skills too)."""
    parents: dict[str, list[str]] = defaultdict(list)
    for narrower, broader in snapshot.broader:
        parents[narrower].append(broader)
    for local, target, match in snapshot.links:
        if match != "exact":
            parents[local].append(target)
    group_uris = sorted(c.uri for c in snapshot.of_kind(ConceptKind.SKILL_GROUP))
    group_col = {uri: i for i, uri in enumerate(group_uris)}
    memo: dict[str, frozenset[int]] = {}

    def ancestors(uri: str, depth: int = 0) -> frozenset[int]:
        if uri in memo or depth > 20:  # depth guard: a cyclic broader chain must not hang
            return memo.get(uri, frozenset())
        found: set[int] = set()
        for parent in parents.get(uri, ()):
            if parent in group_col:
                found.add(group_col[parent])
            found |= ancestors(parent, depth + 1)
        memo[uri] = frozenset(found)
        return memo[uri]

    pairs = {(col, g) for uri, col in col_of.items() for g in ancestors(uri)}
    return _binary(pairs, (m, max(len(group_uris), 1)))


def _shadowed(snapshot: TaxonomySnapshot, rows: list[Concept]) -> np.ndarray:
    roles = {c.uri for c in rows if c.kind == ConceptKind.ROLE}
    twins = {
        target for local, target, match in snapshot.links if match == "exact" and local in roles
    }
    return np.array([c.kind != ConceptKind.ROLE and c.uri in twins for c in rows], dtype=bool)


def build_space(snapshot: TaxonomySnapshot) -> OccupationSpace:
    """Index the snapshot's occupations and local roles against its skills."""
    role_concepts = sorted(
        snapshot.of_kind(ConceptKind.OCCUPATION, ConceptKind.ROLE), key=lambda c: c.uri
    )
    row_of = {c.uri: i for i, c in enumerate(role_concepts)}
    skill_uris, col_of = _skill_columns(snapshot)
    n, m = len(role_concepts), len(skill_uris)
    essential, optional = _role_matrices(snapshot, row_of, col_of, n, m)
    skills = [snapshot.concepts[u] for u in skill_uris]
    return OccupationSpace(
        uris=tuple(c.uri for c in role_concepts),
        labels=tuple(c.label()[0] for c in role_concepts),
        is_local=np.array([c.kind == ConceptKind.ROLE for c in role_concepts], dtype=bool),
        shadowed=_shadowed(snapshot, role_concepts),
        isco=tuple(_role_isco(snapshot, c.uri) for c in role_concepts),
        skill_uris=tuple(skill_uris),
        skill_labels=tuple(s.label()[0] for s in skills),
        skill_types=tuple(s.skill_type or "" for s in skills),
        skill_tags=tuple(s.tags for s in skills),
        essential=essential,
        optional=optional,
        related=_related(snapshot, col_of, m),
        groups=_groups(snapshot, col_of, m),
        skill_index=col_of,
        index=row_of,
    )
