"""Checks of a placement result: blocking pairs (instability) and capacity use.

A *blocking pair* is a student and a site on the student's list that the student prefers to
their placement (or the student has none) and that has a free place or holds a student it ranks
lower. A stable result has none; deferred acceptance guarantees that, and this check lets tests
and users verify it on any result.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from careshift.engine.placements import (
    PlacementResult,
    PlacementSite,
    Requirement,
    SiteRanking,
    Student,
)

__all__ = ["BlockingPair", "blocking_pairs", "over_capacity"]


@dataclass(frozen=True)
class BlockingPair:
    student: str
    site: str
    period: str
    placement_type: str


def blocking_pairs(
    result: PlacementResult, students: Sequence[Student], sites: Sequence[PlacementSite]
) -> list[BlockingPair]:
    """Every (student, site) pair that would rather be matched to each other."""
    ranking = SiteRanking(students, sites, result.seed)
    capacity = {site.id: site for site in sites}
    found: list[BlockingPair] = []
    for requirement, lists in result.lists.items():
        placed = {
            a.student: a.site
            for a in result.assignments
            if (a.period, a.placement_type) == (requirement.period, requirement.placement_type)
        }
        holders: dict[str, list[str]] = defaultdict(list)
        for student, site in placed.items():
            holders[site].append(student)
        for student, choices in lists.items():
            current = placed.get(student)
            better = choices if current is None else choices[: choices.index(current)]
            for site in better:
                free = capacity[site].capacity(requirement.period) > len(holders[site])
                mine = ranking.rank(site, student)
                if free or any(ranking.rank(site, other) > mine for other in holders[site]):
                    found.append(_pair(student, site, requirement))
    return found


def over_capacity(result: PlacementResult, sites: Sequence[PlacementSite]) -> list[str]:
    """Sites holding more students in a period than they can supervise (should be none)."""
    used = Counter((a.site, a.period) for a in result.assignments)
    by_id = {site.id: site for site in sites}
    return [f"{s}@{p}" for (s, p), n in used.items() if n > by_id[s].capacity(p)]


def _pair(student: str, site: str, requirement: Requirement) -> BlockingPair:
    return BlockingPair(student, site, requirement.period, requirement.placement_type)
