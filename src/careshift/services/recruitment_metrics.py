"""Recruitment and retention: hires, leavers, retention, gender and age balance, suppressed.

Two sources: an institution's workers (by role, from HR data: ``employed_from``/``employed_to``,
``gender``, ``birth_year``) and an education provider's student list (by programme, a CSV:
``programme,intake_year,gender,birth_year,status`` with status enrolled, completed or left).
Every table of counts goes through small-cell suppression with its margins
(``engine.suppression.suppress_2d``); a share is given only when the counts it is computed from
are published, so a share never reveals a hidden count.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from careshift.adapters.db.tables.workforce import worker
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.engine.suppression import suppress_2d
from careshift.errors import ImportFailed, RowProblem
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.requirements import role_index

__all__ = ["AGE_BANDS", "GENDERS", "education_metrics", "workforce_metrics"]

GENDERS = ("female", "male", "other", "unknown")
#: (label, lowest age); a band runs to the next band's lowest age
AGE_BANDS = (("under 30", 0), ("30-44", 30), ("45-54", 45), ("55+", 55))
_STATUSES = ("enrolled", "completed", "left")


def _age_band(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return "unknown"
    age = year - birth_year
    return [label for label, lowest in AGE_BANDS if age >= lowest][-1]


def _table(
    rows: Sequence[str], columns: Sequence[str], pairs: Counter[tuple[str, str]], k: int
) -> list[dict[str, Any]]:
    """Rows x columns counts, suppressed with margins; shares of the row total when published."""
    matrix = [[pairs[(r, c)] for c in columns] for r in rows]
    table = suppress_2d(matrix, k) if rows else None
    result = []
    for i, row in enumerate(rows):
        assert table is not None
        total = table.row_totals[i]
        cells = dict(zip(columns, table.cells[i], strict=True))
        shares = {
            f"share_{c}": None if v is None or not total else round(v / total, 3)
            for c, v in cells.items()
        }
        result.append({"group": row, "total": total, **cells, **shares})
    return result


def workforce_metrics(
    careshift: Careshift, principal: Principal, institution_id: int, year: int, lang: str = "en"
) -> dict[str, Any]:
    """Per role in ``year``: staff at the start, who stayed and left, hires; gender and age."""
    authorize(principal, Action.READ, Resource.AGGREGATE, institution_id=institution_id)
    start, end = date(year, 1, 1), date(year, 12, 31)
    with careshift.store.transaction() as session:
        people = session.execute(
            select(worker.c.role_uri, worker.c.employed_from, worker.c.employed_to,
                   worker.c.gender, worker.c.birth_year)
            .where(worker.c.institution_id == institution_id)
        ).all()  # fmt: skip
        record(session, principal, "read", "aggregate", institution_id=institution_id,
               target="recruitment-metrics", year=year)  # fmt: skip
    flows: Counter[tuple[str, str]] = Counter()
    gender: Counter[tuple[str, str]] = Counter()
    ages: Counter[tuple[str, str]] = Counter()
    for role, joined, left, sex, born in people:
        before = joined is None or joined < start
        gone_in_year = left is not None and start <= left <= end
        if before and (left is None or left >= start):
            flows[(role, "left" if gone_in_year else "stayed")] += 1
        if joined is not None and start <= joined <= end:
            flows[(role, "hired")] += 1
        if (joined is None or joined <= end) and (left is None or left > end):
            gender[(role, sex if sex in GENDERS else "unknown")] += 1
            ages[(role, _age_band(born, year))] += 1
    roles = sorted({role for role, *_ in people})
    k = careshift.settings.min_cell_size
    index = role_index(careshift)
    retention = _table(roles, ("stayed", "left"), flows, k)
    hires = _table(roles, ("hired",), flows, k)
    for row, hired in zip(retention, hires, strict=True):
        row["retention"] = row.pop("share_stayed")
        row.pop("share_left")
        row["hired"] = hired["hired"]
    bands = [label for label, _ in AGE_BANDS] + ["unknown"]
    named = {role: index.label(role, lang) for role in roles}
    return {
        "institution_id": institution_id,
        "year": year,
        "retention": _labelled(retention, named),
        "gender": _labelled(_table(roles, GENDERS, gender, k), named),
        "age": _labelled(_table(roles, bands, ages, k), named),
    }


def _csv_rows(name: str, text: str) -> list[dict[str, str]]:
    """The rows of pasted CSV; a file the csv module refuses (a field over its 128 KiB limit)
    is an input problem, not an internal error. No line: the reader's count depends on whether
    the field ends the text."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as exc:
        problem = RowProblem(name, None, None, f"not valid CSV: {exc}")
        raise ImportFailed(f"students file {name} refused", [problem]) from None


def _labelled(rows: list[dict[str, Any]], named: dict[str, str]) -> list[dict[str, Any]]:
    return [{"role_uri": r["group"], "role": named[r.pop("group")], **r} for r in rows]


def education_metrics(
    path: Path | str, min_cell_size: int, text: str | None = None
) -> dict[str, Any]:
    """Per programme and intake year: intake, completion, drop-out; gender and age balance.

    ``text`` (a pasted CSV) is read instead of the file, and problems cite ``path`` as its name.
    """
    problems: list[RowProblem] = []
    students: list[tuple[str, str, str, str]] = []
    if text is None:
        text = Path(path).read_text(encoding="utf-8-sig")
    for line, row in enumerate(_csv_rows(str(path), text), start=2):
        status = (row.get("status") or "").strip()
        intake = (row.get("intake_year") or "").strip()
        born = (row.get("birth_year") or "").strip()
        if status not in _STATUSES:
            problems.append(RowProblem(str(path), line, "status", f"one of {_STATUSES}"))
        if not intake.isdigit() or (born and not born.isdigit()):
            problems.append(RowProblem(str(path), line, "intake_year", "expected a year"))
            continue
        group = f"{(row.get('programme') or '').strip()} {intake}"
        sex = (row.get("gender") or "").strip()
        students.append((group, status, sex if sex in GENDERS else "unknown",
                         _age_band(int(born) if born else None, int(intake))))  # fmt: skip
    if problems:
        raise ImportFailed(f"students file {path} refused ({len(problems)} problems)", problems)
    groups = sorted({s[0] for s in students})
    bands = [label for label, _ in AGE_BANDS] + ["unknown"]
    k = min_cell_size
    return {
        "outcomes": _table(groups, _STATUSES, Counter((g, s) for g, s, _, _ in students), k),
        "gender": _table(groups, GENDERS, Counter((g, x) for g, _, x, _ in students), k),
        "age": _table(groups, bands, Counter((g, a) for g, _, _, a in students), k),
    }
