"""Asymmetric role-to-role similarity from four kinds of evidence, all pairs at once.

``S[i, j]`` says how much of destination ``j`` origin ``i`` already covers. Each kind of
evidence is a dense (n_origins, n_destinations) float32 matrix in [0, 1]:

* **essential** - share of ``j``'s essential skills ``i`` holds, with *soft matching*: a skill
  ``i`` lacks but for which ``i`` holds a related skill (parent/child, sibling in a small group,
  ESCO skill-skill relation; see :mod:`careshift.engine.space`) counts :data:`SOFT_CREDIT`.
* **optional** - the same over ``j``'s optional skills (``j`` without optional skills: equal
  to the essential coverage, so the weight is neither a gift nor a penalty).
* **activities** - cosine of the two roles' profiles over the skill hierarchy groups (what kind
  of work they do), essential skills weighted 1 and optional :data:`OPTIONAL_PROFILE_WEIGHT`.
* **hierarchy** - ISCO-08 proximity: same unit group 1, minor 0.75, sub-major 0.5, major 0.25.

The combined score is the weighted mean with :class:`EvidenceWeights`. Everything is sparse
products and dense element-wise operations; no Python loop runs over role pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from careshift.engine.space import OccupationSpace

__all__ = [
    "EVIDENCE_KINDS",
    "HIERARCHY_LEVELS",
    "OPTIONAL_PROFILE_WEIGHT",
    "SOFT_CREDIT",
    "EvidenceWeights",
    "Similarity",
    "activity_profiles",
    "all_pairs",
    "coverage",
    "from_profile",
    "group_weights",
    "hierarchy_proximity",
    "soft_presence",
]

#: Credit for a destination skill the origin lacks but holds a related skill of: related skills
#: share much of their know-how (a sibling in a small ESCO group), not all of it.
SOFT_CREDIT = 0.5
#: Weight of optional skills in the work-activity profile (essential skills weigh 1).
OPTIONAL_PROFILE_WEIGHT = 0.5
EVIDENCE_KINDS = ("essential", "optional", "activities", "hierarchy")
#: Weight of each ISCO level of agreement: 4 digits, 3, 2, 1.
HIERARCHY_LEVELS = ((4, 1.0), (3, 0.75), (2, 0.5), (1, 0.25))


@dataclass(frozen=True)
class EvidenceWeights:
    """Weights of the combined score (they are normalised to sum to 1).

    Skills carry half of the weight, as in Nesta's Career Causeways (essential and optional
    skills 0.25 each there); essential skills weigh more here because a missing essential skill
    blocks a move while a missing optional one does not. Work activities take Nesta's work
    activity share plus part of its work-context share, which ESCO lacks; ISCO proximity stands
    in for the rest of the work context (same unit group, similar setting and conditions).
    """

    essential: float = 0.35
    optional: float = 0.15
    activities: float = 0.30
    hierarchy: float = 0.20

    def as_array(self) -> np.ndarray:
        weights = np.array(
            [self.essential, self.optional, self.activities, self.hierarchy], dtype=np.float64
        )
        if (weights < 0).any() or weights.sum() <= 0:
            raise ValueError("evidence weights must be non-negative and not all zero")
        normalised: np.ndarray = weights / weights.sum()
        return normalised


@dataclass(frozen=True)
class Similarity:
    """All four kinds of evidence and their combination, shape (n_origins, n_destinations)."""

    essential: np.ndarray
    optional: np.ndarray
    activities: np.ndarray
    hierarchy: np.ndarray
    combined: np.ndarray

    def evidence(self, i: int, j: int) -> dict[str, float]:
        return {kind: round(float(getattr(self, kind)[i, j]), 4) for kind in EVIDENCE_KINDS}


def soft_presence(held: sp.csr_matrix, related: sp.csr_matrix) -> sp.csr_matrix:
    """(n, n_skills): 1 where held, :data:`SOFT_CREDIT` where only a related skill is held."""
    binary = held.copy()
    binary.data[:] = 1.0
    reach = (binary @ related).tocsr()
    reach.data[:] = SOFT_CREDIT
    return binary.maximum(reach).tocsr()


def coverage(presence: sp.csr_matrix, required: sp.csr_matrix) -> np.ndarray:
    """(n_origins, n_destinations): mean presence over each destination's required skills.

    Destinations without any required skill get NaN (the caller decides the fallback).
    """
    ones = np.ones(required.nnz, dtype=np.float32)
    mask = sp.csr_matrix((ones, required.indices, required.indptr), shape=required.shape)
    sizes = np.diff(required.indptr)
    if presence.shape[0] == 1:  # one origin: a matrix-vector product, no transposition
        covered = np.asarray(mask @ presence.toarray().ravel(), dtype=np.float32)[np.newaxis, :]
    else:
        covered = (presence @ mask.T).toarray().astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        result: np.ndarray = covered / sizes[np.newaxis, :].astype(np.float32)
    np.minimum(result, 1.0, where=~np.isnan(result), out=result)
    return result


def group_weights(space: OccupationSpace) -> np.ndarray:
    """(n_groups,) inverse document frequency of each skill group over the roles' profiles.

    Without it every profile shares the top groups ("skills", "knowledge") and any two roles
    look alike; with it a group counts by how specific it is (log((1+n)/(1+df)) + 1).
    """
    held = space.held()
    reach = (held @ space.groups).tocsc()
    reach.data[:] = 1.0
    df = np.asarray(reach.sum(axis=0)).ravel()
    idf: np.ndarray = (np.log((1.0 + space.n_roles) / (1.0 + df)) + 1.0).astype(np.float32)
    return idf


def activity_profiles(
    space: OccupationSpace,
    essential: sp.csr_matrix,
    optional: sp.csr_matrix,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """(n, n_groups) L2-normalised, IDF-weighted profiles over skill hierarchy groups."""
    ess, opt = essential.copy(), optional.copy()
    ess.data[:] = 1.0
    opt.data[:] = OPTIONAL_PROFILE_WEIGHT
    profile = ((ess + opt) @ space.groups).toarray().astype(np.float32)
    profile *= group_weights(space) if weights is None else weights
    norms = np.linalg.norm(profile, axis=1, keepdims=True)
    normalised: np.ndarray = np.divide(profile, norms, out=np.zeros_like(profile), where=norms > 0)
    return normalised


def hierarchy_proximity(origins: tuple[str, ...], destinations: tuple[str, ...]) -> np.ndarray:
    """(n_origins, n_destinations) ISCO-08 proximity; unknown codes are 0 except to themselves."""
    result = np.zeros((len(origins), len(destinations)), dtype=np.float32)
    for digits, weight in reversed(HIERARCHY_LEVELS):  # finer levels overwrite coarser ones
        keys_o = [c[:digits] if len(c) >= digits else None for c in origins]
        keys_d = [c[:digits] if len(c) >= digits else None for c in destinations]
        vocabulary = {k: i for i, k in enumerate(sorted({k for k in keys_o + keys_d if k}))}
        if not vocabulary:
            continue
        one_o = _one_hot(keys_o, vocabulary)
        one_d = _one_hot(keys_d, vocabulary)
        same = (one_o @ one_d.T).toarray() > 0
        result[same] = weight
    return result


def _one_hot(keys: list[str | None], vocabulary: dict[str, int]) -> sp.csr_matrix:
    rows = [i for i, k in enumerate(keys) if k]
    cols = [vocabulary[k] for k in keys if k]
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(keys), len(vocabulary)))


def _combine(
    essential: np.ndarray,
    optional: np.ndarray,
    activities: np.ndarray,
    hierarchy: np.ndarray,
    weights: EvidenceWeights,
) -> Similarity:
    # A destination listing only one kind of skill is judged on that kind alone.
    essential = np.where(np.isnan(essential), optional, essential)
    optional = np.where(np.isnan(optional), essential, optional)
    essential, optional = np.nan_to_num(essential, nan=0.0), np.nan_to_num(optional, nan=0.0)
    w = weights.as_array().astype(np.float32)
    combined = w[0] * essential + w[1] * optional + w[2] * activities + w[3] * hierarchy
    np.clip(combined, 0.0, 1.0, out=combined)
    return Similarity(essential, optional, activities, hierarchy, combined)


def all_pairs(space: OccupationSpace, weights: EvidenceWeights | None = None) -> Similarity:
    """Every role to every role: each kind of evidence and the combined score."""
    presence = soft_presence(space.held(), space.related)
    profiles = activity_profiles(space, space.essential, space.optional)
    activities = np.clip(profiles @ profiles.T, 0.0, 1.0)
    hierarchy = hierarchy_proximity(space.isco, space.isco)
    np.fill_diagonal(hierarchy, 1.0)  # a role is in its own place, ISCO code or not
    return _combine(
        coverage(presence, space.essential),
        coverage(presence, space.optional),
        activities,
        hierarchy,
        weights or EvidenceWeights(),
    )


def from_profile(
    space: OccupationSpace,
    held: sp.csr_matrix,
    isco: str = "",
    weights: EvidenceWeights | None = None,
    profiles: np.ndarray | sp.csr_matrix | None = None,
    idf: np.ndarray | None = None,
    hierarchy: np.ndarray | None = None,
    presence: sp.csr_matrix | None = None,
) -> Similarity:
    """One origin given by its own skills (a worker), shape (1, n_roles).

    ``held`` is (1, n_skills) 0/1 (see :meth:`OccupationSpace.profile_vector`); ``isco`` the
    worker's current ISCO unit group, if known; ``profiles`` and ``idf`` the destinations'
    activity profiles and the group weights when already computed (they are per taxonomy);
    ``hierarchy`` the origin's (1, n_roles) ISCO proximity and ``presence`` its soft presence
    (:func:`soft_presence`) when already computed.
    """
    presence = soft_presence(held, space.related) if presence is None else presence
    idf = group_weights(space) if idf is None else idf
    destination_profiles = (
        profiles
        if profiles is not None
        else activity_profiles(space, space.essential, space.optional, idf)
    )
    own = activity_profiles(space, held, sp.csr_matrix(held.shape, dtype=np.float32), idf)
    # A sparse matrix-vector product: a multithreaded BLAS call this small is slower than the
    # work itself on a busy machine (sparse profiles are passed by the pathway index).
    products = destination_profiles @ own[0]
    activities = np.clip(np.asarray(products, dtype=np.float32).reshape(1, -1), 0.0, 1.0)
    return _combine(
        coverage(presence, space.essential),
        coverage(presence, space.optional),
        activities,
        hierarchy if hierarchy is not None else hierarchy_proximity((isco,), space.isco),
        weights or EvidenceWeights(),
    )
