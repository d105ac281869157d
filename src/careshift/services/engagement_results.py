"""An engagement session's results, only in aggregate and always suppressed.

Every published count of one session is a cell of one linear system, so a reader cannot
subtract their way to a hidden one:

* per skill, ``answered = rated + skipped`` and ``rated = sum of the six level counts``;
* for a role's session, also ``rated = below required + at or above required`` and each of
  those is the sum of its level counts.

A mean level is shown only when none of that skill's level counts is hidden: a mean is a
weighted sum, and next to hidden counts it can pin them down (``5a + 6b = 11`` has one
solution in whole people even though it has many in real numbers).

The invited headcount is shown as is: whoever invited knows it already, and whether someone
answered says nothing about their skills. The answered headcount is a protected cell like the
rest (below ``min_cell_size`` respondents, nothing is shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from careshift.adapters.db.tables import workforce as t
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.engine.suppression import Relation, suppress
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.engagement import load_session, response_counts
from careshift.services.requirements import role_index

__all__ = ["SurveyTable", "results", "survey_table"]

LEVELS = range(1, 7)


def results(
    careshift: Careshift, principal: Principal, session_id: int, lang: str = "en"
) -> dict[str, Any]:
    with careshift.store.transaction() as session:
        info = load_session(session, session_id)
        authorize(principal, Action.READ, Resource.AGGREGATE, institution_id=info.institution_id)
        invited, answered = response_counts(session, session_id)
        rows = session.execute(
            select(t.engagement_answer.c.skill_uri, t.engagement_answer.c.level, func.count())
            .join(t.engagement_response)
            .where(t.engagement_response.c.session_id == session_id)
            .group_by(t.engagement_answer.c.skill_uri, t.engagement_answer.c.level)
        ).all()
        record(session, principal, "read", "aggregate", session_id,
               institution_id=info.institution_id, of="engagement_session")  # fmt: skip
    index = role_index(careshift)
    required = {r.skill_uri: r.level for r in index.requirements.get(info.role_uri or "", ())}
    counts = {(uri, level): int(n) for uri, level, n in rows}
    table = survey_table(answered, info.skills, counts, required)
    hidden = suppress(table.values, table.relations, careshift.settings.min_cell_size, table.costs)
    shown = [None if h else v for v, h in zip(table.values, hidden, strict=True)]
    layout = table.entries
    return {
        "session_id": info.id,
        "title": info.title,
        "status": info.status,
        "role_uri": info.role_uri,
        "min_cell_size": careshift.settings.min_cell_size,
        "invited": invited,
        "answered": shown[0],
        "skills": [_skill(entry, shown, index.label(entry["uri"], lang)) for entry in layout],
    }


@dataclass(frozen=True)
class SurveyTable:
    """A session's counts as cells (cell 0: people who answered) and their relations."""

    values: list[int]
    relations: list[Relation]
    costs: list[float]
    #: per skill: uri, cell indexes of its six level counts, "rated" and maybe "below"
    entries: list[dict[str, Any]]


def survey_table(
    answered: int,
    skills: list[str],
    counts: dict[tuple[str, int], int],
    required: dict[str, int],
) -> SurveyTable:
    """Lay out answers: ``counts[(skill, level)]`` people, ``required`` level per skill."""
    values: list[int] = [answered]
    relations: list[Relation] = []
    # What hiding costs the reader: the headcount most, a skipped count least.
    costs: list[float] = [10.0]
    entries: list[dict[str, Any]] = []
    for uri in skills:
        cells = [counts.get((uri, level), 0) for level in LEVELS]
        rated = sum(cells)
        start = len(values)
        values += [*cells, rated, answered - rated]
        costs += [2.0] * 6 + [3.0, 1.0]
        rated_at, skipped_at = start + 6, start + 7
        level_at = tuple(range(start, start + 6))
        relations += [(rated_at, level_at), (0, (rated_at, skipped_at))]
        entry: dict[str, Any] = {"uri": uri, "levels": level_at, "rated": rated_at}
        if uri in required:
            below = tuple(start + i for i, level in enumerate(LEVELS) if level < required[uri])
            meets = tuple(start + i for i, level in enumerate(LEVELS) if level >= required[uri])
            values += [sum(values[c] for c in below), sum(values[c] for c in meets)]
            costs += [2.5, 1.5]
            below_at, meets_at = len(values) - 2, len(values) - 1
            relations += [(below_at, below), (meets_at, meets), (rated_at, (below_at, meets_at))]
            entry.update(below=below_at, required=required[uri])
        entries.append(entry)
    return SurveyTable(values, relations, costs, entries)


def _skill(entry: dict[str, Any], shown: list[int | None], label: str) -> dict[str, Any]:
    levels = [shown[c] for c in entry["levels"]]
    rated = shown[entry["rated"]]
    mean = None
    if rated and all(n is not None for n in levels):
        mean = round(sum(lv * (n or 0) for lv, n in zip(LEVELS, levels, strict=True)) / rated, 2)
    result: dict[str, Any] = {
        "skill_uri": entry["uri"],
        "label": label,
        "rated": rated,
        "levels": {str(level): n for level, n in zip(LEVELS, levels, strict=True)},
        "mean_level": mean,
    }
    if "below" in entry:
        result["required"] = entry["required"]
        result["below_required"] = shown[entry["below"]]
    return result
