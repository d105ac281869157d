"""Practice-placement matching at national scale: 10,000 students x 2,000 sites.

One requirement (a ward placement in one period), so the whole instance is one
hospitals/residents game. Students list 10 sites each, mostly near home (20 regions) with a
few popular sites everyone wants; 15% of sites rank some students themselves; ties come from
sites without rankings (year of study, then the seeded lottery). Capacity 1-8 places, limited by
1-4 supervisors. Target: < 5 s. The `matching` package solves the same instance (the same
tie-broken lists) for comparison, and both results are compared pair by pair.
"""

from __future__ import annotations

import random
import sys
import threading
import time
import warnings

from careshift.engine.placement_checks import blocking_pairs
from careshift.engine.placements import (
    PlacementResult,
    PlacementSite,
    Programme,
    Requirement,
    SiteRanking,
    Student,
    match_placements,
)

STUDENTS = 10_000
SITES = 2_000
LIST_LENGTH = 10
REGIONS = 20
PERIOD = "2027-autumn"


def synthetic_instance(
    seed: int = 11,
) -> tuple[list[Student], list[PlacementSite], list[Programme]]:
    rng = random.Random(seed)
    site_ids = [f"site-{j}" for j in range(SITES)]
    by_region = [site_ids[r::REGIONS] for r in range(REGIONS)]
    popular = rng.sample(site_ids, 50)
    student_ids = [f"student-{i}" for i in range(STUDENTS)]
    sites = []
    for site_id in site_ids:
        ranked = rng.sample(student_ids, 40) if rng.random() < 0.15 else []
        sites.append(
            PlacementSite(
                id=site_id,
                placement_type="ward",
                places={PERIOD: rng.randint(1, 8)},
                supervisors={PERIOD: rng.randint(1, 4)},
                students_per_supervisor=2,
                ranking=tuple(tuple(ranked[k : k + 4]) for k in range(0, len(ranked), 4)),
            )
        )
    students = []
    for student_id in student_ids:
        near = rng.sample(by_region[rng.randrange(REGIONS)], LIST_LENGTH - 2)
        listed = list(dict.fromkeys(rng.sample(popular, 2) + near))[:LIST_LENGTH]
        rng.shuffle(listed)
        students.append(
            Student(student_id, "ward-programme", rng.randint(1, 3), tuple((s,) for s in listed))
        )
    return students, sites, [Programme("ward-programme", (Requirement("ward", PERIOD),))]


def _peer(
    result: PlacementResult, students: list[Student], sites: list[PlacementSite]
) -> tuple[float, set[tuple[str, str]]]:
    from matching.games import HospitalResident

    ranking = SiteRanking(students, sites, result.seed)
    (lists,) = result.lists.values()
    residents = {s: list(c) for s, c in lists.items() if c}
    applicants: dict[str, list[str]] = {}
    for student, choices in residents.items():
        for site in choices:
            applicants.setdefault(site, []).append(student)
    prefs = {h: sorted(a, key=lambda s, h=h: ranking.rank(h, s)) for h, a in applicants.items()}
    capacity = {site.id: site.capacity(PERIOD) for site in sites if site.id in prefs}
    out: dict[str, object] = {}

    def solve() -> None:
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(residents, prefs, capacity)
            out["matching"] = game.solve(optimal="resident")
        out["seconds"] = time.perf_counter() - started

    # The package deep-copies its linked player objects recursively: it needs a deep stack.
    limit, stack = sys.getrecursionlimit(), threading.stack_size(1 << 30)
    sys.setrecursionlimit(1_000_000)
    try:
        worker = threading.Thread(target=solve)
        worker.start()
        worker.join()
    finally:
        sys.setrecursionlimit(limit)
        threading.stack_size(stack)
    matched = out["matching"]
    assert isinstance(matched, dict)
    pairs = {(r.name, h.name) for h, held in matched.items() for r in held}
    return float(out["seconds"]), pairs  # type: ignore[arg-type]


def run() -> dict[str, object]:
    students, sites, programmes = synthetic_instance()
    started = time.perf_counter()
    result = match_placements(students, sites, programmes, seed=3)
    ours = time.perf_counter() - started
    peer_seconds, peer_pairs = _peer(result, students, sites)
    our_pairs = {(a.student, a.site) for a in result.assignments}
    (row,) = result.shortage
    reasons: dict[str, int] = {}
    for unmatched in result.unmatched:
        reasons[unmatched.reason] = reasons.get(unmatched.reason, 0) + 1
    return {
        "students": STUDENTS,
        "sites": SITES,
        "careshift_seconds": round(ours, 3),
        "target_seconds": 5.0,
        "matching_package_seconds": round(peer_seconds, 3),
        "same_matching_as_peer": our_pairs == peer_pairs,
        "blocking_pairs": len(blocking_pairs(result, students, sites)),
        "matched": len(result.assignments),
        "offered": row.offered,
        "unmatched_by_reason": reasons,
    }
