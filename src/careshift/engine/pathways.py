"""Rank pathways for one origin (a role or a worker's own skills) against every role at once.

:class:`PathwayIndex` holds what is computed once per taxonomy version (the all-pairs
:class:`~careshift.engine.similarity.Similarity`, calibrated thresholds, exposure and level
arrays, the fit-gain matrix); :meth:`PathwayIndex.rank` then scores all destinations with
vectorised numpy, explains only the best candidates, and adds enhancement options. Rules:

* **viable**: combined fit >= the calibrated threshold and ISCO skill levels at most 1 apart
  (Nesta's "job zone within 1"); **highly viable** from the second threshold.
* **safe**: destination not in the high category and its exposure at least :data:`SAFE_MARGIN`
  below the origin's (or, from a little-exposed origin, itself low and not higher).
* **desirable**: skill level (and local pay grade, when both are known) not lower.
* **progression**: desirable, higher level or pay, and same family (local family, or same ISCO
  minor group, or highly viable); every other viable move is a **switch**.
* ranking: safe options first (an unsafe option never outranks a safe one), then
  :class:`~careshift.domain.pathways.RankingWeights`; ties by URI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from careshift.domain.pathways import RankingWeights, default_hours
from careshift.engine.calibration import Thresholds, calibrate
from careshift.engine.similarity import (
    HIERARCHY_LEVELS,
    EvidenceWeights,
    Similarity,
    activity_profiles,
    all_pairs,
    from_profile,
    group_weights,
    soft_presence,
)
from careshift.engine.space import OccupationSpace

__all__ = [
    "SAFE_MARGIN",
    "Origin",
    "PathwayIndex",
    "RoleAttributes",
    "score_components",
]

#: How much lower (on the 0-1 exposure scale) a destination must be to count as safe.
SAFE_MARGIN = 0.05


@dataclass(frozen=True)
class RoleAttributes:
    """Per-role facts the ranking needs besides skills, aligned with the space's rows."""

    exposure: np.ndarray
    exposure_category: tuple[str, ...]
    #: local pay grade, NaN when unknown
    pay_grade: np.ndarray
    #: local framework family, "" when unknown
    family: tuple[str, ...]


@dataclass(frozen=True)
class Origin:
    uri: str
    label: str
    #: (n_skills,) 1 held, 0.5 only a related skill held, 0 not held
    presence: np.ndarray
    #: column -> proficiency held
    levels: Mapping[int, int]
    #: (n_skills,) the same as an array (0 = not held)
    level_array: np.ndarray
    similarity: Similarity
    exposure: float
    exposure_category: str
    skill_level: int
    pay_grade: float
    family: str
    isco: str
    #: its own row when the origin is a role (or the worker's current role)
    row: int | None


class PathwayIndex:
    """Everything precomputed for fast ranking; built once per taxonomy version."""

    def __init__(
        self,
        space: OccupationSpace,
        attributes: RoleAttributes,
        weights: EvidenceWeights | None = None,
        similarity: Similarity | None = None,
    ) -> None:
        self.space = space
        self.attributes = attributes
        self.weights = weights or EvidenceWeights()
        self.similarity = similarity if similarity is not None else all_pairs(space, self.weights)
        self.thresholds: Thresholds = calibrate(self.similarity.combined, space.isco)
        self.skill_level = space.skill_level.astype(np.int16)
        self.held = space.held()
        self.category = np.array(attributes.exposure_category)
        self.family = np.array(attributes.family)
        #: ISCO-08 code prefixes by number of digits, for one-origin hierarchy proximity
        self.isco_prefix = {
            d: np.array([c[:d] if len(c) >= d else "" for c in space.isco]) for d in (1, 2, 3, 4)
        }
        self.idf = group_weights(space)
        self.profiles = sp.csr_matrix(
            activity_profiles(space, space.essential, space.optional, self.idf)
        )
        self.gain = self._fit_gain()
        self.base_hours = _base_hours(space)
        self.effort_matrix = self._default_effort_matrix()
        self.skill_exposure = self._skill_exposure()

    def _skill_exposure(self) -> np.ndarray:
        """(n_skills,) mean exposure of the ESCO occupations needing each skill; NaN if none.

        Used to estimate how an enhancement shifts a role's exposure: work built on skills
        that mostly little-exposed occupations need is itself little exposed.
        """
        mask = self.space.essential.copy().astype(np.float32)
        mask.data[:] = 1.0
        mask = sp.diags((~self.space.is_local).astype(np.float32)) @ mask
        count = np.asarray(mask.sum(axis=0)).ravel()
        total = mask.T @ self.attributes.exposure.astype(np.float32)
        exposure: np.ndarray = np.divide(
            total, count, out=np.full_like(total, np.nan), where=count > 0
        )
        return exposure

    def _fit_gain(self) -> sp.csr_matrix:
        """(n, n_skills): fit gained toward each role by fully acquiring each skill."""
        w = self.weights.as_array()
        ess, opt = _row_normalised(self.space.essential), _row_normalised(self.space.optional)
        no_opt = np.asarray(self.space.optional.getnnz(axis=1) == 0)
        no_ess = np.asarray(self.space.essential.getnnz(axis=1) == 0)
        # Mirror the similarity fallbacks: a role without one kind is judged on the other.
        opt_eff = opt + sp.diags(no_opt.astype(np.float32)) @ ess
        ess_eff = ess + sp.diags(no_ess.astype(np.float32)) @ opt
        gain: sp.csr_matrix = (w[0] * ess_eff + w[1] * opt_eff).tocsr().astype(np.float32)
        return gain

    def _default_effort_matrix(self) -> sp.csr_matrix:
        """(n, n_skills): default hours to reach each essential skill's level from nothing."""
        matrix = self.space.essential.copy().astype(np.float32)
        levels = matrix.data
        matrix.data = self.base_hours[matrix.indices] * levels * (levels + 1) / 6.0
        return matrix.tocsr()

    # -- origins -------------------------------------------------------------------------------
    def origin_for_role(self, row: int) -> Origin:
        space = self.space
        presence = _presence_row(self.held[row], space.related)
        levels = _levels_of(space, row)
        sim = Similarity(
            *(getattr(self.similarity, k)[row : row + 1] for k in Similarity.__dataclass_fields__)
        )
        return Origin(
            space.uris[row],
            space.labels[row],
            presence,
            levels,
            _level_array(levels, len(space.skill_uris)),
            sim,
            float(self.attributes.exposure[row]),
            self.attributes.exposure_category[row],
            int(self.skill_level[row]),
            float(self.attributes.pay_grade[row]),
            self.attributes.family[row],
            space.isco[row],
            row,
        )

    def origin_for_worker(
        self,
        uri: str,
        label: str,
        proficiency: Mapping[str, int],
        role_row: int | None,
        exposure: float,
        exposure_category: str,
    ) -> Origin:
        """A worker: their own skills and levels; ISCO, family and pay from their current role."""
        space = self.space
        levels: dict[int, int] = {}
        for skill, level in proficiency.items():
            col = space.skill_index.get(skill)
            if col is not None and level > 0:
                levels[col] = max(level, levels.get(col, 0))
        held = space.profile_vector(space.skill_uris[c] for c in levels)
        isco = space.isco[role_row] if role_row is not None else ""
        presence = soft_presence(held, space.related)
        sim = from_profile(
            space,
            held,
            isco,
            self.weights,
            self.profiles,
            self.idf,
            self.hierarchy_row(isco),
            presence,
        )
        return Origin(
            uri,
            label,
            presence.toarray().ravel().astype(np.float32),
            levels,
            _level_array(levels, len(space.skill_uris)),
            sim,
            exposure,
            exposure_category,
            int(self.skill_level[role_row]) if role_row is not None else 0,
            float(self.attributes.pay_grade[role_row]) if role_row is not None else float("nan"),
            self.attributes.family[role_row] if role_row is not None else "",
            isco,
            role_row,
        )

    # -- scoring -------------------------------------------------------------------------------
    def hierarchy_row(self, isco: str) -> np.ndarray:
        """(1, n_roles) ISCO proximity of one code to every role (see similarity module)."""
        row = np.zeros((1, self.space.n_roles), dtype=np.float32)
        for digits, weight in reversed(HIERARCHY_LEVELS):  # finer levels overwrite coarser
            if len(isco) >= digits:
                row[0, self.isco_prefix[digits] == isco[:digits]] = weight
        return row

    def level_ok(self, origin: Origin) -> np.ndarray:
        """ISCO skill levels at most one apart (or unknown)."""
        known = (self.skill_level > 0) & (origin.skill_level > 0)
        return np.asarray(~known | (np.abs(self.skill_level - origin.skill_level) <= 1))

    def viable_mask(self, origin: Origin) -> np.ndarray:
        fit = origin.similarity.combined[0]
        viable = (fit >= self.thresholds.viable) & self.level_ok(origin)
        if origin.row is not None:
            viable[origin.row] = False
        return np.asarray(viable)

    def safety(self, origin: Origin) -> tuple[np.ndarray, np.ndarray]:
        exposure = self.attributes.exposure
        safety = np.clip(0.5 + (origin.exposure - exposure), 0.0, 1.0)
        category = self.category
        lower = exposure <= origin.exposure - SAFE_MARGIN
        # Between two little-exposed roles neither is a risk: "low" counts as safe if not higher.
        both_low = (category == "low") & (exposure <= origin.exposure + SAFE_MARGIN)
        safe = (lower | both_low) & (category != "high")
        return safety, safe

    def desirability(self, origin: Origin) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(desirability 0-1, desirable, higher level or pay) for every destination."""
        diff = (self.skill_level - origin.skill_level).astype(np.float32)
        diff[(self.skill_level == 0) | (origin.skill_level == 0)] = 0.0
        pay = self.attributes.pay_grade
        pay_known = ~np.isnan(pay) & (not np.isnan(origin.pay_grade))
        pay_diff = np.where(pay_known, pay - np.nan_to_num(origin.pay_grade), 0.0)
        desirability = np.clip(0.5 + 0.25 * diff + 0.15 * pay_diff, 0.0, 1.0)
        desirable = (diff >= 0) & (pay_diff >= 0)
        higher = (diff > 0) | (pay_diff > 0)
        return desirability, desirable, higher

    def default_effort(self, origin: Origin) -> np.ndarray:
        """Approximate hours to every destination (exact gaps are computed for the best few)."""
        missing = (1.0 - origin.presence).astype(np.float32)
        effort: np.ndarray = self.effort_matrix @ missing
        return effort

    def same_family(self, origin: Origin) -> np.ndarray:
        family, minor = self.family, self.isco_prefix[3]
        same_local = (family == origin.family) & (family != "") & (origin.family != "")
        same_minor = (minor == origin.isco[:3]) & (len(origin.isco) >= 3)
        return np.asarray(same_local | same_minor)


def score_components(
    weights: RankingWeights,
    fit: np.ndarray,
    safety: np.ndarray,
    desirability: np.ndarray,
    effort: np.ndarray,
    demand: np.ndarray | None,
) -> np.ndarray:
    effort_component = np.exp(-effort / weights.effort_scale_hours)
    total = weights.fit * fit + weights.safety * safety + weights.desirability * desirability
    total = total + weights.effort * effort_component
    norm = weights.fit + weights.safety + weights.desirability + weights.effort
    if demand is not None:
        total, norm = total + weights.demand * demand, norm + weights.demand
    scored: np.ndarray = np.round(total / norm, 6)
    return scored


def _base_hours(space: OccupationSpace) -> np.ndarray:
    return np.array(
        [
            default_hours(kind, 0, 1, tags=tags) * 3.0  # the per-level base rate
            for kind, tags in zip(space.skill_types, space.skill_tags, strict=True)
        ],
        dtype=np.float32,
    )


def _row_normalised(matrix: sp.csr_matrix) -> sp.csr_matrix:
    mask = matrix.copy().astype(np.float32)
    mask.data[:] = 1.0
    sizes = np.asarray(mask.sum(axis=1)).ravel()
    inverse = np.divide(1.0, sizes, out=np.zeros_like(sizes), where=sizes > 0)
    normalised: sp.csr_matrix = (sp.diags(inverse.astype(np.float32)) @ mask).tocsr()
    return normalised


def _presence_row(held: sp.csr_matrix, related: sp.csr_matrix) -> np.ndarray:
    row: np.ndarray = soft_presence(held, related).toarray().ravel().astype(np.float32)
    return row


def _level_array(levels: Mapping[int, int], n_skills: int) -> np.ndarray:
    array = np.zeros(n_skills, dtype=np.int16)
    if levels:
        array[np.fromiter(levels, dtype=np.int64)] = np.fromiter(levels.values(), dtype=np.int16)
    return array


def _levels_of(space: OccupationSpace, row: int) -> dict[int, int]:
    levels: dict[int, int] = {}
    for matrix in (space.essential, space.optional):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        for col, level in zip(matrix.indices[start:end], matrix.data[start:end], strict=True):
            levels[int(col)] = max(int(level), levels.get(int(col), 0))
    return levels
