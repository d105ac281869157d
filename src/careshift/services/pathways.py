"""Pathway use cases: ranked options for a role or a worker, the all-pairs matrix artefact.

The :class:`~careshift.engine.pathways.PathwayIndex` (all-pairs similarity, thresholds,
exposure arrays) is built once per taxonomy and cached under ``pathways:``; the similarity
matrix itself under ``pathways:matrix`` so an exposure override does not recompute it.
Local roles' family, pay grade and enhancement modules come from the framework service.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from careshift.adapters.db.tables.taxonomy import release
from careshift.adapters.db.taxonomy_reader import current_release_ids
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.pathways import (
    CatalogueEffort,
    EffortEstimator,
    EnhancementModule,
    LocalRoleFacts,
    PathwayConstraints,
    PathwayKind,
    PathwayReport,
    RankingWeights,
)
from careshift.engine.pathways import PathwayIndex, RoleAttributes
from careshift.engine.ranking import rank
from careshift.engine.similarity import Similarity, all_pairs
from careshift.engine.space import OccupationSpace, build_space
from careshift.errors import InputError
from careshift.services.exposure import exposure_scores, resolve_role_uri
from careshift.services.taxonomy import snapshot

__all__ = [
    "catalogue_estimator",
    "constraints_for",
    "local_role_facts",
    "pathway_index",
    "pathways_for_worker",
    "role_pathways",
    "taxonomy_version",
    "worker_pathways",
    "write_matrix",
]


#: Bumped whenever the similarity method changes, so stored matrices are rebuilt.
METHOD_VERSION = "1"


def taxonomy_version(careshift: Careshift) -> str:
    """Fingerprint of the current releases (name, version, content fingerprint, import time)
    and of the method: the key of the cached and stored matrices."""

    def build() -> str:
        with careshift.store.engine.connect() as connection:
            ids = current_release_ids(connection)
            rows = connection.execute(
                select(
                    release.c.kind,
                    release.c.name,
                    release.c.version,
                    release.c.fingerprint,
                    release.c.imported_at,
                )
                .where(release.c.id.in_(ids))
                .order_by(release.c.kind, release.c.name)
            ).all()
        text = METHOD_VERSION + "|" + "|".join(":".join(map(str, row)) for row in rows)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    version: str = careshift.cached("taxonomy:pathways-version", build)
    return version


def _pay_number(pay_grade: str | None, level: int | None) -> float | None:
    """The comparable part of a local pay grade ("PS-2" -> 2), else the family career level."""
    if pay_grade:
        digits = re.findall(r"\d+(?:\.\d+)?", pay_grade)
        if digits:
            return float(digits[-1])
    return float(level) if level is not None else None


def local_role_facts(careshift: Careshift) -> dict[str, LocalRoleFacts]:
    """Family, pay grade and enhancement modules of every local role, by URI."""
    try:
        from careshift.services.frameworks import framework_roles
    except ImportError:  # frameworks area not installed: ESCO only
        return {}

    def build() -> dict[str, LocalRoleFacts]:
        return {uri: _facts(role) for uri, role in framework_roles(careshift).items()}

    facts: dict[str, LocalRoleFacts] = careshift.cached("pathways:roles", build)
    return facts


def _facts(role: Any) -> LocalRoleFacts:
    modules = tuple(
        EnhancementModule(
            key=module.id,
            label=module.label(),
            skills=tuple((s.skill_uri, s.level) for s in module.skills),
            tasks=(module.description["en"],) if module.description.get("en") else (),
            labels=dict(module.labels),
            descriptions=dict(module.description),
        )
        for module in role.enhancements
    )
    return LocalRoleFacts(
        role.family or "",
        _pay_number(role.pay_grade, role.level),
        modules,
        float(role.share_changed_by(9999)),
    )


def _similarity(careshift: Careshift, space: OccupationSpace) -> Similarity:
    key = f"pathways:matrix:{taxonomy_version(careshift)}"
    result: Similarity = careshift.cached(key, lambda: all_pairs(space))
    return result


def pathway_index(careshift: Careshift) -> PathwayIndex:
    """The ranking index for the current taxonomy, exposure and overrides (cached)."""

    def build() -> PathwayIndex:
        space: OccupationSpace = careshift.cached(
            f"pathways:space:{taxonomy_version(careshift)}",
            lambda: build_space(snapshot(careshift)),
        )
        scores = exposure_scores(careshift)
        facts = local_role_facts(careshift)
        empty = LocalRoleFacts()
        attributes = RoleAttributes(
            exposure=np.array([scores[u].score for u in space.uris], dtype=np.float32),
            exposure_category=tuple(scores[u].category.value for u in space.uris),
            pay_grade=np.array(
                [np.nan if (p := facts.get(u, empty).pay_grade) is None else p for u in space.uris],
                dtype=np.float32,
            ),
            family=tuple(facts.get(u, empty).family for u in space.uris),
        )
        return PathwayIndex(space, attributes, similarity=_similarity(careshift, space))

    index: PathwayIndex = careshift.cached("pathways:index", build)
    return index


def constraints_for(
    top: int = 10,
    kind: str = "any",
    max_hours: float | None = None,
    min_safety: float | None = None,
    only_safe: bool = False,
) -> PathwayConstraints:
    """Constraints from user-facing options; ``kind`` is any|progression|switch|enhancement."""
    if top < 1 or top > 200:
        raise InputError(f"top must be between 1 and 200, got {top}")
    kinds = {k.value for k in PathwayKind}
    if kind != "any" and kind not in kinds:
        raise InputError(f"kind must be any, {', '.join(sorted(kinds))}; got {kind!r}")
    exclude = frozenset() if kind == "any" else frozenset(PathwayKind(k) for k in kinds - {kind})
    return PathwayConstraints(
        max_hours=max_hours,
        exclude_kinds=exclude,
        min_safety=min_safety,
        only_safe=only_safe,
        top=top,
    )


def catalogue_estimator(careshift: Careshift) -> EffortEstimator | None:
    """Effort from the academy's course catalogue when one is loaded (else the defaults)."""
    try:
        from careshift.services.learning import catalogue
    except ImportError:  # learning area not installed
        return None
    courses = catalogue(careshift)
    return CatalogueEffort(courses) if len(courses) else None


def role_pathways(
    careshift: Careshift,
    uri_or_label: str,
    constraints: PathwayConstraints | None = None,
    *,
    weights: RankingWeights | None = None,
    estimator: EffortEstimator | None = None,
    openings: Mapping[str, int] | None = None,
) -> PathwayReport:
    """Ranked options for everyone in a role (the role's own skills as the starting point)."""
    index = pathway_index(careshift)
    uri = resolve_role_uri(careshift, uri_or_label)
    origin = index.origin_for_role(index.space.index[uri])
    estimator = estimator or catalogue_estimator(careshift)
    facts = local_role_facts(careshift).get(uri, LocalRoleFacts())
    return rank(
        index,
        origin,
        constraints,
        weights,
        estimator,
        openings,
        facts.enhancements,
        facts.enhancement_share(),
    )


def worker_pathways(
    careshift: Careshift,
    proficiency: Mapping[str, int],
    role: str | None = None,
    constraints: PathwayConstraints | None = None,
    *,
    label: str = "worker",
    weights: RankingWeights | None = None,
    estimator: EffortEstimator | None = None,
    openings: Mapping[str, int] | None = None,
) -> PathwayReport:
    """Ranked options from a worker's own skills (skill URI -> level 1-6) and current role."""
    bad = {uri: level for uri, level in proficiency.items() if not 0 <= int(level) <= 6}
    if bad:
        raise InputError(f"proficiency levels must be 0-6: {bad}")
    index = pathway_index(careshift)
    role_uri = resolve_role_uri(careshift, role) if role else None
    row = index.space.index[role_uri] if role_uri else None
    scores = exposure_scores(careshift)
    exposure = scores[role_uri] if role_uri else None
    origin = index.origin_for_worker(
        f"worker:{label}",
        label,
        proficiency,
        row,
        exposure.score if exposure else 0.5,
        exposure.category.value if exposure else "medium",
    )
    estimator = estimator or catalogue_estimator(careshift)
    facts = local_role_facts(careshift).get(role_uri or "", LocalRoleFacts())
    return rank(
        index,
        origin,
        constraints,
        weights,
        estimator,
        openings,
        facts.enhancements,
        facts.enhancement_share(),
    )


def write_matrix(careshift: Careshift, out_dir: Path) -> dict[str, Any]:
    """Store all pairs for the current taxonomy version in ``out_dir`` (skip when unchanged)."""
    started = time.perf_counter()
    version = taxonomy_version(careshift)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"pathways-{version}.npz"
    if target.exists():
        return {"status": "unchanged", "file": str(target), "version": version}
    index = pathway_index(careshift)
    built = time.perf_counter() - started
    sim = index.similarity
    np.savez_compressed(
        target,
        uris=np.array(index.space.uris),
        **{k: getattr(sim, k).astype(np.float16) for k in Similarity.__dataclass_fields__},
    )
    meta = {
        "version": version,
        "releases": list(snapshot(careshift).releases),
        "roles": index.space.n_roles,
        "thresholds": vars(index.thresholds),
        "viable_pairs": int((sim.combined >= index.thresholds.viable).sum() - index.space.n_roles),
    }
    (out_dir / f"pathways-{version}.json").write_text(json.dumps(meta, indent=2))
    return {
        "status": "built",
        "file": str(target),
        **meta,
        "seconds": {"build": round(built, 2), "total": round(time.perf_counter() - started, 2)},
    }


def pathways_for_worker(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    constraints: PathwayConstraints | None = None,
    *,
    estimator: EffortEstimator | None = None,
    openings: Mapping[str, int] | None = None,
) -> PathwayReport:
    """A stored worker's pathways from their reconciled profile (access checked and audited by
    the workforce service)."""
    from careshift.services.workers import profile

    found = profile(careshift, principal, worker_id)
    levels = {uri: skill.level for uri, skill in found.skills.items()}
    label = found.worker.name or f"worker {worker_id}"
    return worker_pathways(
        careshift,
        levels,
        found.worker.role_uri,
        constraints,
        label=label,
        estimator=estimator,
        openings=openings,
    )
