"""Ranking rules of the pathway engine on tiny taxonomies."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.domain.pathways import EnhancementModule, PathwayConstraints, PathwayKind
from careshift.engine.explain import unlock_counts
from careshift.engine.ranking import rank
from tests.unit.pathways_builders import make_index, make_snapshot, skill

ROLES = {
    "o:clerk": ("4415", [0, 2, 3, 6], [9]),
    "o:coder": ("4416", [0, 2, 3, 5], []),
    "o:assistant": ("4417", [0, 2, 4, 6], [7]),
    "o:aide": ("4418", [0, 2, 7, 8], []),
    "o:porter": ("9629", [10, 11], []),
}
EXPOSURE = {"o:clerk": 0.9, "o:coder": 0.95, "o:assistant": 0.3, "o:aide": 0.2, "o:porter": 0.1}


def _report(order=None, **constraints):
    index = make_index(make_snapshot(ROLES, order=order), EXPOSURE)
    origin = index.origin_for_role(index.space.index["o:clerk"])
    return index, rank(index, origin, PathwayConstraints(**constraints))


def test_no_unsafe_option_is_ranked_above_a_safe_one():
    _, report = _report(only_viable=False)
    flags = [o.safe for o in report.options]
    assert flags == sorted(flags, reverse=True)
    assert flags[0]


def test_safe_options_are_less_exposed_than_the_origin():
    _, report = _report(only_viable=False)
    for option in report.options:
        if option.safe and option.kind != PathwayKind.ENHANCEMENT:
            assert option.exposure < report.origin_exposure


def test_every_move_explains_its_gap_with_levels_and_hours():
    _, report = _report(only_viable=False)
    moves = [o for o in report.options if o.kind != PathwayKind.ENHANCEMENT]
    assert moves
    for option in moves:
        assert option.effort_hours == round(sum(g.hours for g in option.gap), 1)
        assert all(g.need_level > g.have_level for g in option.gap)


def test_a_role_never_appears_as_its_own_destination():
    _, report = _report(only_viable=False)
    assert "o:clerk" not in {o.uri for o in report.options}


def test_options_beyond_the_hour_limit_are_dropped():
    _, report = _report(only_viable=False, max_hours=1.0)
    assert all(o.effort_hours <= 1.0 for o in report.options)


def test_an_excluded_kind_never_appears():
    _, report = _report(only_viable=False, exclude_kinds=frozenset({PathwayKind.SWITCH}))
    assert all(o.kind != PathwayKind.SWITCH for o in report.options)


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(ROLES)))
def test_ranking_is_unchanged_when_occupations_are_permuted(order):
    _, reference = _report(only_viable=False)
    _, permuted = _report(order=order, only_viable=False)
    assert [(o.uri, o.score) for o in reference.options] == [
        (o.uri, o.score) for o in permuted.options
    ]


def test_an_enhancement_module_is_offered_with_its_skills_and_effort():
    index = make_index(make_snapshot(ROLES), EXPOSURE)
    origin = index.origin_for_role(index.space.index["o:clerk"])
    module = EnhancementModule("vas", "value-added service", ((skill(7), 3), (skill(8), 3)))
    report = rank(index, origin, PathwayConstraints(only_viable=False), enhancements=[module])
    [option] = [o for o in report.options if o.kind == PathwayKind.ENHANCEMENT]
    assert {s.uri for s in option.bundle} == {skill(7), skill(8)}
    assert option.effort_hours > 0
    # skills 7 and 8 are needed by the little-exposed aide: the bundle lowers exposure
    assert option.exposure < report.origin_exposure and option.safe


def test_an_enhancement_for_a_worker_names_the_role_they_stay_in_not_the_worker():
    index = make_index(make_snapshot(ROLES), EXPOSURE)
    row = index.space.index["o:clerk"]
    origin = index.origin_for_worker("worker:42", "42", {skill(0): 3}, row, 0.9, "high")
    module = EnhancementModule(
        "vas",
        "value-added service",
        ((skill(7), 3),),
        tasks=("take blood samples",),
        descriptions={"en": "take blood samples", "nb": "ta blodprøver"},
    )
    report = rank(index, origin, PathwayConstraints(only_viable=False), enhancements=[module])
    [option] = [o for o in report.options if o.kind == PathwayKind.ENHANCEMENT]
    assert option.explanation == f"enhancement: stay as o:clerk, add {skill(7)}; take blood samples"
    assert option.explained is not None and option.explained.role is not None
    assert option.explained.role.uri == "o:clerk"
    assert option.explained.descriptions["nb"] == "ta blodprøver"


def test_a_move_keeps_what_its_explanation_names_as_data():
    _, report = _report(only_viable=False)
    for option in (o for o in report.options if o.kind != PathwayKind.ENHANCEMENT):
        assert option.explained is not None
        assert option.explained.keeps == option.transferable[:3]
        assert [s.uri for s in option.explained.needs] == [g.uri for g in option.gap[:3]]
        assert option.explanation == option.explained.english()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.floats(0, 0.3), min_size=6, max_size=6), min_size=1, max_size=6),
    st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=6, max_size=6),
    st.floats(0.2, 0.5),
)
def test_unlock_counts_equal_a_brute_force_recount(gains, presence, threshold):
    gain = sp.csr_matrix(np.array(gains, dtype=np.float32))
    presence_arr = np.array(presence, dtype=np.float32)
    fit = np.full(gain.shape[0], threshold - 0.1, dtype=np.float32)
    near = np.ones(gain.shape[0], dtype=bool)
    cols, counts, _, asked = unlock_counts(gain, presence_arr, fit, near, threshold)
    for col, count in zip(cols, counts, strict=True):
        after = presence_arr.copy()
        after[col] = 1.0
        new_fit = fit + gain @ (after - presence_arr)
        assert count == int((new_fit >= threshold - 1e-6).sum())
    assert all(presence_arr[c] < 1.0 for c in cols)
    assert (asked >= counts).all()


def test_effort_comes_from_the_shortest_course_that_reaches_the_level():
    from careshift.domain.learning import Catalogue, Course, Modality, SkillLevel
    from careshift.domain.pathways import CatalogueEffort

    courses = [
        Course("long", {"en": "long"}, 40.0, 0.0, Modality.CLASSROOM, (SkillLevel(skill(4), 4),)),
        Course("short", {"en": "short"}, 10.0, 0.0, Modality.CLASSROOM, (SkillLevel(skill(4), 2),)),
    ]
    effort = CatalogueEffort(Catalogue.of(courses))
    assert effort(skill(4), 0, 2) == 10.0
    assert effort(skill(4), 0, 3) == 40.0
    assert effort(skill(5), 0, 3) is None  # no course: the documented default applies
    index = make_index(make_snapshot(ROLES), EXPOSURE)
    origin = index.origin_for_role(index.space.index["o:clerk"])
    report = rank(index, origin, PathwayConstraints(only_viable=False), estimator=effort)
    priced = [i for o in report.options for i in o.gap if i.uri == skill(4)]
    assert priced and all(i.hours == 40.0 for i in priced)


@settings(max_examples=30, deadline=None)
@given(
    st.fixed_dictionaries({uri: st.floats(0.0, 1.0) for uri in sorted(ROLES)}),
    st.sampled_from(sorted(ROLES)),
)
def test_every_score_of_every_option_stays_between_zero_and_one(exposure, origin_uri):
    index = make_index(make_snapshot(ROLES), exposure)
    origin = index.origin_for_role(index.space.index[origin_uri])
    report = rank(index, origin, PathwayConstraints(only_viable=False))
    assert report.options
    for option in report.options:
        for value in (option.fit, option.safety, option.desirability, option.score):
            assert 0.0 <= value <= 1.0
        assert 0.0 <= option.exposure <= 1.0 and option.effort_hours >= 0


def test_an_esco_occupation_a_local_role_stands_for_is_offered_once_as_that_role():
    from dataclasses import replace

    from careshift.domain.taxonomy import ConceptKind, OccupationSkill
    from tests.unit.pathways_builders import concept

    base = make_snapshot(ROLES)
    local = concept("l:aide", ConceptKind.ROLE, isco_code="4418")
    relations = tuple(OccupationSkill("l:aide", skill(n), "essential", 3) for n in (0, 2, 7, 8))
    snapshot = replace(
        base,
        concepts={**base.concepts, "l:aide": local},
        occupation_skills=base.occupation_skills + relations,
        links=(("l:aide", "o:aide", "exact"),),
    )
    index = make_index(snapshot, {**EXPOSURE, "l:aide": 0.2})
    origin = index.origin_for_role(index.space.index["o:clerk"])
    uris = [o.uri for o in rank(index, origin, PathwayConstraints(only_viable=False)).options]
    assert "l:aide" in uris and "o:aide" not in uris


def test_local_openings_lift_a_destination_and_are_reported():
    index = make_index(make_snapshot(ROLES), EXPOSURE)
    origin = index.origin_for_role(index.space.index["o:clerk"])
    wide = PathwayConstraints(only_viable=False)
    plain = {o.uri: o.score for o in rank(index, origin, wide).options}
    report = rank(index, origin, wide, openings={"o:aide": 12})
    scored = {o.uri: o for o in report.options}
    assert scored["o:aide"].openings == 12 and scored["o:assistant"].openings == 0
    assert scored["o:aide"].score > plain["o:aide"]
    assert scored["o:assistant"].score < plain["o:assistant"]
