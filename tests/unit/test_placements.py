"""Placement matching: stability, student-optimality (against the `matching` package), limits,
ties and the reason given to every unmatched student."""

from __future__ import annotations

import random
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.engine.placement_checks import blocking_pairs, over_capacity
from careshift.engine.placements import (
    PlacementSite,
    Programme,
    Requirement,
    SiteRanking,
    Student,
    UnmatchedReason,
    match_placements,
)

LAB_AUTUMN = Requirement("lab", "2027-autumn")
SECRETARIES = Programme("helsesekretaer", (LAB_AUTUMN,))


def make_student(id: str, *preferences: str, year: int = 2, **overrides: object) -> Student:
    values: dict[str, object] = {
        "id": id,
        "programme": "helsesekretaer",
        "year": year,
        "preferences": tuple((site,) for site in preferences),
    }
    values.update(overrides)
    return Student(**values)  # type: ignore[arg-type]


def make_site(id: str, places: int = 1, **overrides: object) -> PlacementSite:
    values: dict[str, object] = {
        "id": id,
        "placement_type": "lab",
        "places": {"2027-autumn": places},
    }
    values.update(overrides)
    return PlacementSite(**values)  # type: ignore[arg-type]


def test_students_further_along_win_a_contested_place() -> None:
    students = [make_student("ola", "lab-a", year=1), make_student("kari", "lab-a", year=3)]
    result = match_placements(students, [make_site("lab-a")], [SECRETARIES])
    assert [(a.student, a.site, a.choice) for a in result.assignments] == [("kari", "lab-a", 1)]
    (left,) = result.unmatched
    assert (left.student, left.reason, left.tried) == (
        "ola",
        UnmatchedReason.ALL_PREFERRED_FULL,
        ("lab-a",),
    )


def test_a_site_takes_no_more_students_than_its_supervisors_can_supervise() -> None:
    site = make_site("lab-a", places=5, supervisors={"2027-autumn": 1}, students_per_supervisor=2)
    students = [make_student(f"s{i}", "lab-a") for i in range(4)]
    result = match_placements(students, [site], [SECRETARIES])
    assert len(result.assignments) == 2
    (row,) = result.shortage
    assert (row.needed, row.places, row.offered, row.matched, row.shortage) == (4, 5, 2, 2, 2)


def test_every_unmatched_student_gets_the_reason_that_applies() -> None:
    students = [
        make_student("away", "lab-a", unavailable_periods=frozenset({"2027-autumn"})),
        make_student("picky", "gp-office"),
        make_student("late", "lab-a", year=1),
        make_student("first", "lab-a", year=3),
    ]
    sites = [make_site("lab-a"), make_site("gp-office", placement_type="gp")]
    result = match_placements(students, sites, [SECRETARIES])
    reasons = {u.student: u.reason for u in result.unmatched}
    assert reasons == {
        "away": UnmatchedReason.UNAVAILABLE,
        "picky": UnmatchedReason.NO_ACCEPTABLE_SITE,
        "late": UnmatchedReason.ALL_PREFERRED_FULL,
    }
    no_places = match_placements(students[:1] + students[1:2], sites[1:], [SECRETARIES])
    assert {u.reason for u in no_places.unmatched} >= {UnmatchedReason.NO_PLACES_OFFERED}


def test_a_site_ranking_overrides_year_of_study() -> None:
    site = make_site("lab-a", ranking=(("ola",),))
    students = [make_student("ola", "lab-a", year=1), make_student("kari", "lab-a", year=3)]
    result = match_placements(students, [site], [SECRETARIES])
    assert [a.student for a in result.assignments] == ["ola"]


def test_ties_are_broken_by_the_seed_and_not_by_input_order() -> None:
    students = [make_student(f"s{i}", "lab-a") for i in range(30)]
    sites = [make_site("lab-a", places=10)]
    forward = match_placements(students, sites, [SECRETARIES], seed=7)
    backward = match_placements(students[::-1], sites, [SECRETARIES], seed=7)
    other_seed = match_placements(students, sites, [SECRETARIES], seed=8)
    chosen = {a.student for a in forward.assignments}
    assert chosen == {a.student for a in backward.assignments}
    assert chosen != {a.student for a in other_seed.assignments}


def test_a_programme_with_two_requirements_places_the_student_twice() -> None:
    programme = Programme("helsesekretaer", (LAB_AUTUMN, Requirement("gp", "2028-spring")))
    sites = [make_site("lab-a"), PlacementSite("gp-1", "gp", {"2028-spring": 1})]
    result = match_placements([make_student("kari", "gp-1", "lab-a")], sites, [programme])
    assert sorted((a.period, a.site) for a in result.assignments) == [
        ("2027-autumn", "lab-a"),
        ("2028-spring", "gp-1"),
    ]


def random_instance(seed: int) -> tuple[list[Student], list[PlacementSite], list[Programme]]:
    """Up to 25 students, 8 sites, two types and two periods; ties, short lists, rankings."""
    rng = random.Random(seed)
    periods, kinds = ["p1", "p2"], ["lab", "ward"]
    programmes = [
        Programme("a", (Requirement("lab", "p1"),)),
        Programme("b", (Requirement("ward", "p1"), Requirement("lab", "p2"))),
    ]
    ids = [f"s{i}" for i in range(rng.randint(1, 25))]
    sites = []
    for j in range(rng.randint(1, 8)):
        ranked = rng.sample(ids, rng.randint(0, len(ids)))
        sites.append(
            PlacementSite(
                id=f"h{j}",
                placement_type=rng.choice(kinds),
                places={p: rng.randint(0, 4) for p in periods},
                supervisors={p: rng.randint(0, 3) for p in periods if rng.random() < 0.5},
                students_per_supervisor=rng.randint(1, 2),
                ranking=tuple(tuple(ranked[k : k + 2]) for k in range(0, len(ranked), 2)),
            )
        )
    students = []
    for sid in ids:
        listed = rng.sample([s.id for s in sites], rng.randint(0, len(sites)))
        groups = [tuple(listed[k : k + rng.randint(1, 2)]) for k in range(0, len(listed), 2)]
        students.append(Student(sid, rng.choice("ab"), rng.randint(1, 3), tuple(groups)))
    return students, sites, programmes


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_no_blocking_pair_and_no_site_over_capacity_on_random_instances(seed: int) -> None:
    students, sites, programmes = random_instance(seed)
    result = match_placements(students, sites, programmes, seed=seed)
    assert blocking_pairs(result, students, sites) == []
    assert over_capacity(result, sites) == []
    needed = sum(row.needed for row in result.shortage)
    assert len(result.assignments) + len(result.unmatched) == needed


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_the_result_is_the_student_optimal_stable_matching_of_the_matching_package(
    seed: int,
) -> None:
    from matching.games import HospitalResident

    students, sites, programmes = random_instance(seed)
    result = match_placements(students, sites, programmes, seed=seed)
    ranking = SiteRanking(students, sites, seed)
    by_id = {site.id: site for site in sites}
    for requirement, lists in result.lists.items():
        residents = {s: list(sites_) for s, sites_ in lists.items() if sites_}
        if not residents:
            continue
        applicants: dict[str, list[str]] = {}
        for student, choices in residents.items():
            for site in choices:
                applicants.setdefault(site, []).append(student)
        hospital_prefs = {
            h: sorted(applied, key=lambda s, h=h: ranking.rank(h, s))
            for h, applied in applicants.items()
        }
        capacities = {h: by_id[h].capacity(requirement.period) for h in hospital_prefs}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(residents, hospital_prefs, capacities)
            peer = game.solve(optimal="resident")
        theirs = {(r.name, h.name) for h, held in peer.items() for r in held}
        ours = {
            (a.student, a.site)
            for a in result.assignments
            if (a.period, a.placement_type) == (requirement.period, requirement.placement_type)
        }
        assert ours == theirs
