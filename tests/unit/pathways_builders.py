"""Builders for tiny taxonomies used by the pathway engine tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from careshift.domain.taxonomy import (
    Concept,
    ConceptKind,
    LabelType,
    OccupationSkill,
    TaxonomySnapshot,
)
from careshift.engine.pathways import PathwayIndex, RoleAttributes
from careshift.engine.space import build_space

GROUPS = ("g:admin", "g:clinical", "g:digital")


def skill(n: int) -> str:
    return f"s:{n:02d}"


def concept(uri: str, kind: ConceptKind, **extra: object) -> Concept:
    return Concept(uri, kind, {"en": {LabelType.PREFERRED: (uri,)}}, **extra)  # type: ignore[arg-type]


def make_snapshot(
    roles: Mapping[str, tuple[str, Sequence[int], Sequence[int]]],
    n_skills: int = 12,
    order: Sequence[str] | None = None,
) -> TaxonomySnapshot:
    """``roles[uri] = (isco, essential skill numbers, optional skill numbers)``.

    Skill ``n`` sits in group ``GROUPS[n % 3]``; skills 0 and 1 are ESCO-related.
    """
    concepts: dict[str, Concept] = {}
    for uri in order or list(roles):
        concepts[uri] = concept(uri, ConceptKind.OCCUPATION, isco_code=roles[uri][0])
    for n in range(n_skills):
        concepts[skill(n)] = concept(skill(n), ConceptKind.SKILL, skill_type="skill/competence")
    for group in GROUPS:
        concepts[group] = concept(group, ConceptKind.SKILL_GROUP)
    relations = tuple(
        OccupationSkill(uri, skill(n), relation)
        for uri in (order or list(roles))
        for relation, numbers in (("essential", roles[uri][1]), ("optional", roles[uri][2]))
        for n in numbers
    )
    broader = tuple((skill(n), GROUPS[n % 3]) for n in range(n_skills))
    return TaxonomySnapshot(concepts, relations, broader, ((skill(0), skill(1), "optional"),))


def make_index(snapshot: TaxonomySnapshot, exposure: Mapping[str, float]) -> PathwayIndex:
    space = build_space(snapshot)
    values = np.array([exposure.get(u, 0.5) for u in space.uris], dtype=np.float32)
    categories = tuple("high" if v >= 0.7 else "low" if v < 0.4 else "medium" for v in values)
    attributes = RoleAttributes(
        values, categories, np.full(space.n_roles, np.nan, dtype=np.float32), ("",) * space.n_roles
    )
    return PathwayIndex(space, attributes)
