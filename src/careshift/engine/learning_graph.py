"""Prerequisite graph walks shared by the plan solver, its greedy baseline and the tests.

A learner's *state* is a map skill URI -> level plus the set of courses taken. A course can be
taken when each of its prerequisites holds in the state; taking it raises every skill it
brings to (at least) the level it brings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from careshift.domain.learning import Catalogue, Course, SkillLevel

__all__ = [
    "can_take",
    "first_teachers",
    "gaps",
    "order_courses",
    "reachable_courses",
    "relevant_courses",
    "strongly_connected",
    "take",
]


def gaps(targets: Iterable[SkillLevel], levels: Mapping[str, int]) -> list[SkillLevel]:
    """Targets above the learner's level, one per skill (the highest asked for)."""
    highest: dict[str, int] = {}
    for target in targets:
        highest[target.uri] = max(highest.get(target.uri, 0), target.level)
    return [SkillLevel(uri, lv) for uri, lv in sorted(highest.items()) if levels.get(uri, 0) < lv]


def can_take(course: Course, levels: Mapping[str, int], taken: Collection[str]) -> bool:
    for prerequisite in course.prerequisites:
        if prerequisite.course is not None and prerequisite.course not in taken:
            return False
        skill = prerequisite.skill
        if skill is not None and levels.get(skill.uri, 0) < skill.level:
            return False
    return True


def take(course: Course, levels: dict[str, int]) -> None:
    for brought in course.brings:
        if levels.get(brought.uri, 0) < brought.level:
            levels[brought.uri] = brought.level


def first_teachers(catalogue: Catalogue, skill: SkillLevel) -> tuple[Course, ...]:
    """Courses that can be the first to bring ``skill.uri`` to ``skill.level``: they teach it
    that far and do not themselves require it at that level or above."""
    return tuple(
        course
        for course in catalogue.teaching(skill.uri, skill.level)
        if not any(
            p.skill is not None and p.skill.uri == skill.uri and p.skill.level >= skill.level
            for p in course.prerequisites
        )
    )


def reachable_courses(
    catalogue: Catalogue,
    levels: Mapping[str, int],
    done: Collection[str],
    among: Iterable[Course] | None = None,
) -> set[str]:
    """Codes of the courses some ordering of courses ``among`` (default all) lets a learner take."""
    state = dict(levels)
    taken = set(done)
    pending = [
        c for c in (catalogue.courses.values() if among is None else among) if c.code not in taken
    ]
    reached: set[str] = set()
    progress = True
    while progress:
        progress = False
        waiting = []
        for course in pending:
            if can_take(course, state, taken):
                reached.add(course.code)
                taken.add(course.code)
                take(course, state)
                progress = True
            else:
                waiting.append(course)
        pending = waiting
    return reached


def relevant_courses(
    catalogue: Catalogue,
    targets: Iterable[SkillLevel],
    levels: Mapping[str, int],
    done: Collection[str],
    allowed: Collection[str] | None = None,
) -> list[Course]:
    """Courses that close a target or (transitively) meet a prerequisite of one that does.

    Other courses can only add cost, so leaving them out keeps the model small and exact.
    """

    def ok(course: Course) -> bool:
        return course.code not in done and (allowed is None or course.code in allowed)

    found: dict[str, Course] = {}
    stack = [c for t in targets for c in catalogue.teaching(t.uri, t.level) if ok(c)]
    while stack:
        course = stack.pop()
        if course.code in found:
            continue
        found[course.code] = course
        for prerequisite in course.prerequisites:
            if prerequisite.course is not None and prerequisite.course not in done:
                needed = catalogue.courses.get(prerequisite.course)
                if needed is not None and ok(needed):
                    stack.append(needed)
            skill = prerequisite.skill
            if skill is not None and levels.get(skill.uri, 0) < skill.level:
                stack.extend(c for c in first_teachers(catalogue, skill) if ok(c))
    return sorted(found.values(), key=lambda c: c.code)


def order_courses(
    chosen: Iterable[Course], levels: Mapping[str, int], done: Collection[str]
) -> list[Course]:
    """The chosen courses in an order where each one's prerequisites are met before it.

    Raises ValueError when no such order exists (a set supporting itself in a cycle).
    """
    state = dict(levels)
    taken = set(done)
    pending = sorted(chosen, key=lambda c: c.code)
    ordered: list[Course] = []
    while pending:
        ready = next((c for c in pending if can_take(c, state, taken)), None)
        if ready is None:
            codes = ", ".join(c.code for c in pending)
            raise ValueError(f"no order of these courses meets their prerequisites: {codes}")
        pending.remove(ready)
        ordered.append(ready)
        taken.add(ready.code)
        take(ready, state)
    return ordered


def strongly_connected(graph: Mapping[int, Collection[int]]) -> dict[int, tuple[int, int]]:
    """Tarjan's algorithm (iterative): node -> (component id, component size)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    result: dict[int, tuple[int, int]] = {}
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[int, list[int]]] = [(root, list(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            if successors:
                nxt = successors.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, list(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                for member in members:
                    result[member] = (node, len(members))
    return result
