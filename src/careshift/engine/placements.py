"""Practice-placement matching: student-proposing deferred acceptance with capacities.

Each programme requires placements of given *types* (hospital ward, GP office, lab ...) in given
*periods*. A placement site offers one type, some places per period, and supervisors per period;
a supervisor takes at most ``students_per_supervisor`` students, so the site's capacity in a
period is ``min(places, supervisors x students_per_supervisor)``. Capacities are per site per
period and a site has one type, so the requirements ``(period, type)`` are independent
hospitals/residents instances, each solved by student-proposing deferred acceptance (Gale and
Shapley 1962; Roth 1984): the result is stable and the best stable result for every student.

Incomplete lists: a student may list only some sites; a site may rank only some students.
Ties, broken by one documented seeded rule so results are reproducible and do not depend on
the order of the input:

* every student draws a lottery number ``blake2b(f"{seed}:{student id}")``;
* a site ranks students by its own ranking groups (best first; unlisted students after all
  listed ones), then by year of study descending (students further along must graduate
  first), then by lottery number (single tie-breaking: one lottery for all sites);
* sites that a student puts in one preference group are ordered by
  ``blake2b(f"{seed}:{student id}:{site id}")``.

Every student left without a placement gets a reason (:class:`UnmatchedReason`).
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Assignment",
    "PlacementResult",
    "PlacementSite",
    "Programme",
    "Requirement",
    "ShortageRow",
    "SiteRanking",
    "Student",
    "Unmatched",
    "UnmatchedReason",
    "lottery",
    "match_placements",
]


@dataclass(frozen=True)
class Requirement:
    placement_type: str
    period: str


@dataclass(frozen=True)
class Programme:
    id: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Student:
    id: str
    programme: str
    year: int
    #: groups of site ids, best first; the sites within one group are tied
    preferences: tuple[tuple[str, ...], ...]
    unavailable_periods: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlacementSite:
    id: str
    placement_type: str
    #: period -> places offered
    places: Mapping[str, int]
    #: period -> supervisors; a period not listed has no supervisor limit
    supervisors: Mapping[str, int] = field(default_factory=dict)
    students_per_supervisor: int = 1
    #: groups of student ids, best first; students not listed come after, tied
    ranking: tuple[tuple[str, ...], ...] = ()

    def capacity(self, period: str) -> int:
        places = self.places.get(period, 0)
        if period in self.supervisors:
            return min(places, self.supervisors[period] * self.students_per_supervisor)
        return places


class UnmatchedReason(StrEnum):
    #: the student cannot be placed in the period the programme requires
    UNAVAILABLE = "unavailable_in_period"
    #: no site of the required type offers a supervised place in the period
    NO_PLACES_OFFERED = "no_places_offered"
    #: places exist, but none at a site the student listed
    NO_ACCEPTABLE_SITE = "no_acceptable_site"
    #: every listed site is full with students it ranks higher
    ALL_PREFERRED_FULL = "all_preferred_full"


@dataclass(frozen=True)
class Assignment:
    student: str
    period: str
    placement_type: str
    site: str
    #: 1-based position of the site on the student's tie-broken list for this requirement
    choice: int


@dataclass(frozen=True)
class Unmatched:
    student: str
    period: str
    placement_type: str
    reason: UnmatchedReason
    #: the acceptable sites the student applied to, in order
    tried: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShortageRow:
    period: str
    placement_type: str
    #: students whose programme requires this placement
    needed: int
    #: places offered, before supervisor limits
    places: int
    #: places that can be supervised: what can actually be offered
    offered: int
    matched: int

    @property
    def shortage(self) -> int:
        return max(0, self.needed - self.offered)


@dataclass(frozen=True)
class PlacementResult:
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    shortage: tuple[ShortageRow, ...]
    seed: int
    #: (period, type) -> student id -> tie-broken acceptable site list (for checks and reports)
    lists: Mapping[Requirement, Mapping[str, tuple[str, ...]]]


def lottery(seed: int, *parts: str) -> int:
    """The seeded tie-break number of a student (or of a student's site)."""
    key = ":".join((str(seed), *parts)).encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


def match_placements(
    students: Sequence[Student],
    sites: Sequence[PlacementSite],
    programmes: Sequence[Programme],
    seed: int = 0,
) -> PlacementResult:
    """Match every student to one site per programme requirement; explain who is left out."""
    by_programme = {programme.id: programme for programme in programmes}
    unknown = sorted({s.programme for s in students} - set(by_programme))
    if unknown:
        raise ValueError(f"students name unknown programmes: {', '.join(unknown)}")
    needing: dict[Requirement, list[Student]] = defaultdict(list)
    for student in students:
        for requirement in by_programme[student.programme].requirements:
            needing[requirement].append(student)
    ranking = SiteRanking(students, sites, seed)
    assignments: list[Assignment] = []
    unmatched: list[Unmatched] = []
    shortage: list[ShortageRow] = []
    lists: dict[Requirement, Mapping[str, tuple[str, ...]]] = {}
    for requirement in sorted(needing, key=lambda r: (r.period, r.placement_type)):
        offering = [s for s in sites if s.placement_type == requirement.placement_type]
        capacity = {s.id: s.capacity(requirement.period) for s in offering}
        group = needing[requirement]
        acceptable = {
            s.id: _acceptable(s, capacity, seed)
            for s in group
            if requirement.period not in s.unavailable_periods
        }
        lists[requirement] = acceptable
        held = _defer(acceptable, capacity, ranking)
        placed = {student: site for site, holders in held.items() for student in holders}
        for student in group:
            if student.id in placed:
                site = placed[student.id]
                choice = acceptable[student.id].index(site) + 1
                assignments.append(
                    Assignment(
                        student.id, requirement.period, requirement.placement_type, site, choice
                    )
                )
            else:
                unmatched.append(_explain(student, requirement, acceptable, capacity))
        shortage.append(
            ShortageRow(
                period=requirement.period,
                placement_type=requirement.placement_type,
                needed=len(group),
                places=sum(s.places.get(requirement.period, 0) for s in offering),
                offered=sum(capacity.values()),
                matched=len(placed),
            )
        )
    return PlacementResult(tuple(assignments), tuple(unmatched), tuple(shortage), seed, lists)


def _acceptable(student: Student, capacity: Mapping[str, int], seed: int) -> tuple[str, ...]:
    """The student's sites for this requirement, ties broken, without sites that cannot help."""
    ordered: list[str] = []
    seen: set[str] = set()
    for group in student.preferences:
        # capacity only holds sites of the requirement's type, so this also checks the type
        tied = [site for site in dict.fromkeys(group) if site not in seen and capacity.get(site)]
        if len(tied) > 1:  # the lottery is only drawn for real ties (most groups have one site)
            tied.sort(key=lambda site: (lottery(seed, student.id, site), site))
        seen.update(tied)
        ordered.extend(tied)
    return tuple(ordered)


class SiteRanking:
    """How each site ranks students (lower is better), with the module's tie-break rule."""

    def __init__(self, students: Sequence[Student], sites: Sequence[PlacementSite], seed: int):
        ranked = sorted(students, key=lambda s: (-s.year, lottery(seed, s.id), s.id))
        self._order = {student.id: position for position, student in enumerate(ranked)}
        self._groups = {
            site.id: {sid: g for g, group in enumerate(site.ranking) for sid in group}
            for site in sites
            if site.ranking
        }
        self._big = len(self._order) + 1

    def rank(self, site_id: str, student_id: str) -> int:
        groups = self._groups.get(site_id)
        if groups is None:
            return self._order[student_id]
        return groups.get(student_id, len(groups) + 1) * self._big + self._order[student_id]

    def position(self, student_id: str) -> int:
        """The student's place in the global order (year, then lottery)."""
        return self._order[student_id]


def _defer(
    lists: Mapping[str, tuple[str, ...]], capacity: Mapping[str, int], ranking: SiteRanking
) -> dict[str, list[str]]:
    """Student-proposing deferred acceptance; returns site -> students held."""
    rank = ranking.rank
    # Max-heap by rank (worst held on top) of (-rank, student) per site.
    held: dict[str, list[tuple[int, str]]] = defaultdict(list)
    next_choice = dict.fromkeys(lists, 0)
    free = deque(sorted(lists, key=ranking.position))
    while free:
        student = free.popleft()
        choices = lists[student]
        while next_choice[student] < len(choices):
            site = choices[next_choice[student]]
            next_choice[student] += 1
            heap, mine = held[site], rank(site, student)
            if len(heap) < capacity[site]:
                heapq.heappush(heap, (-mine, student))
                break
            if -heap[0][0] > mine:
                _, rejected = heapq.heapreplace(heap, (-mine, student))
                free.append(rejected)
                break
    return {site: [student for _, student in heap] for site, heap in held.items()}


def _explain(
    student: Student,
    requirement: Requirement,
    lists: Mapping[str, tuple[str, ...]],
    capacity: Mapping[str, int],
) -> Unmatched:
    def unmatched(reason: UnmatchedReason, tried: tuple[str, ...] = ()) -> Unmatched:
        return Unmatched(student.id, requirement.period, requirement.placement_type, reason, tried)

    if requirement.period in student.unavailable_periods:
        return unmatched(UnmatchedReason.UNAVAILABLE)
    if not any(capacity.values()):
        return unmatched(UnmatchedReason.NO_PLACES_OFFERED)
    if not lists[student.id]:
        return unmatched(UnmatchedReason.NO_ACCEPTABLE_SITE)
    # Deferred acceptance only leaves a student out after every listed site rejected them.
    return unmatched(UnmatchedReason.ALL_PREFERRED_FULL, lists[student.id])
