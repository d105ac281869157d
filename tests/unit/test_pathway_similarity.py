"""Invariants of the four-evidence similarity on small random taxonomies."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.engine.similarity import (
    EVIDENCE_KINDS,
    all_pairs,
    coverage,
    from_profile,
    soft_presence,
)
from careshift.engine.space import build_space
from tests.unit.pathways_builders import make_snapshot, skill

ISCO = st.sampled_from(["4226", "4227", "3252", "3256", "5321", "2221"])
SKILLS = st.lists(st.integers(0, 11), min_size=1, max_size=6, unique=True)
ROLE = st.tuples(ISCO, SKILLS, st.lists(st.integers(0, 11), max_size=4, unique=True))
ROLES = st.dictionaries(st.sampled_from([f"o:{k}" for k in range(8)]), ROLE, min_size=2, max_size=8)


@settings(max_examples=40, deadline=None)
@given(ROLES)
def test_every_kind_of_evidence_stays_between_zero_and_one(roles):
    sim = all_pairs(build_space(make_snapshot(roles)))
    for kind in (*EVIDENCE_KINDS, "combined"):
        values = getattr(sim, kind)
        assert np.isfinite(values).all()
        assert values.min() >= 0.0 and values.max() <= 1.0 + 1e-6


@settings(max_examples=40, deadline=None)
@given(ROLES)
def test_a_role_is_its_own_best_fit(roles):
    sim = all_pairs(build_space(make_snapshot(roles)))
    diagonal = np.diag(sim.combined)
    assert np.allclose(diagonal, 1.0, atol=1e-5)
    assert (sim.combined <= diagonal[:, np.newaxis] + 1e-6).all()


@settings(max_examples=40, deadline=None)
@given(ROLES, st.integers(0, 11))
def test_adding_a_skill_to_the_origin_never_lowers_coverage(roles, extra):
    space = build_space(make_snapshot(roles))
    held = space.held()
    richer = held.tolil()
    richer[0, space.skill_index[skill(extra)]] = 1.0
    before = coverage(soft_presence(held, space.related), space.essential)
    after = coverage(soft_presence(richer.tocsr(), space.related), space.essential)
    assert (np.nan_to_num(after[0]) >= np.nan_to_num(before[0]) - 1e-6).all()


@settings(max_examples=30, deadline=None)
@given(ROLES)
def test_an_origin_holding_all_of_a_destinations_skills_covers_it_fully(roles):
    space = build_space(make_snapshot(roles))
    sim = from_profile(space, space.profile_vector(space.skill_uris))
    assert np.allclose(sim.essential, 1.0) and np.allclose(sim.optional, 1.0)


@settings(max_examples=30, deadline=None)
@given(ROLES, st.randoms(use_true_random=False))
def test_similarity_does_not_depend_on_the_order_of_occupations(roles, rnd):
    order = list(roles)
    shuffled = order[:]
    rnd.shuffle(shuffled)
    first = all_pairs(build_space(make_snapshot(roles, order=order)))
    second = all_pairs(build_space(make_snapshot(roles, order=shuffled)))
    assert np.allclose(first.combined, second.combined)


def test_a_related_skill_counts_half_toward_coverage():
    roles = {"o:a": ("4226", [0], []), "o:b": ("4226", [1], [])}
    space = build_space(make_snapshot(roles))
    sim = all_pairs(space)
    a, b = space.index["o:a"], space.index["o:b"]
    assert sim.essential[a, b] == 0.5
    assert sim.essential[b, a] == 0.5


def test_coverage_is_asymmetric():
    roles = {"o:small": ("4226", [2], []), "o:big": ("4226", [2, 3, 4, 5], [])}
    space = build_space(make_snapshot(roles))
    sim = all_pairs(space)
    small, big = space.index["o:small"], space.index["o:big"]
    assert sim.essential[big, small] == 1.0
    assert sim.essential[small, big] < 0.5
