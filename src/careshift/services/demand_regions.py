"""Competence demand vs supply across institutions, by institution and by region.

Input: planned posts as CSV ``institution,role,posts`` (institution by code or id) and, if any,
job ads in a folder with one sub-folder per institution code. Each institution's report is
:func:`services.competence_demand.demand_report` (its own suppression). A region's figures are
sums of its institutions' *published* numbers: a region's supply is given only when every
institution's supply of that competence is published, so the sum reveals nothing hidden.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import ImportFailed, NotFound, RowProblem
from careshift.services.competence_demand import demand_report
from careshift.services.institutions import find_institution

__all__ = ["demand_by_region", "read_institution_posts"]


def read_institution_posts(
    careshift: Careshift, path: Path
) -> dict[int, list[tuple[str, int, int]]]:
    """institution id -> (role, posts, line) from an ``institution,role,posts`` CSV."""
    problems: list[RowProblem] = []
    found: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or {"institution", "role", "posts"} - set(reader.fieldnames):
            raise ImportFailed(f"posts file {path} refused", [
                RowProblem(str(path), 1, None, "expected the columns institution,role,posts")
            ])  # fmt: skip
        for line, row in enumerate(reader, start=2):
            posts = (row.get("posts") or "").strip()
            if not posts.isdigit():
                problems.append(RowProblem(str(path), line, "posts", "expected a whole number"))
                continue
            try:
                place = find_institution(careshift, (row.get("institution") or "").strip())
            except NotFound as exc:
                problems.append(RowProblem(str(path), line, "institution", str(exc)))
                continue
            found[place.id].append(((row.get("role") or "").strip(), int(posts), line))
    if problems:
        raise ImportFailed(f"posts file {path} refused ({len(problems)} problems)", problems)
    return dict(found)


def demand_by_region(
    careshift: Careshift,
    principal: Principal,
    posts: Path,
    ads: Path | None = None,
    *,
    collection: str | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Per institution and per region: demand, published supply and shortage by competence."""
    planned = read_institution_posts(careshift, posts)
    institutions = []
    for institution_id, rows in sorted(planned.items()):
        code = find_institution(careshift, str(institution_id)).code
        folder = ads / code if ads is not None and (ads / code).is_dir() else None
        report = demand_report(
            careshift, principal, institution_id, posts=rows, ads=folder,
            collection=collection, lang=lang,
        )  # fmt: skip
        institutions.append({"code": code, **report})
    return {"institutions": institutions, "regions": _regions(institutions)}


def _regions(institutions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in institutions:
        by_region[report["region"] or "(no region)"].append(report)
    result = []
    for region, reports in sorted(by_region.items()):
        skills: dict[str, dict[str, Any]] = {}
        for report in reports:
            for row in report["competences"]:
                entry = skills.setdefault(
                    row["skill_uri"],
                    {"skill_uri": row["skill_uri"], "label": row["label"], "demand": 0.0,
                     "supply": 0, "institutions": 0},
                )  # fmt: skip
                entry["demand"] += row["demand"]
                entry["institutions"] += 1
                entry["supply"] = (
                    None if entry["supply"] is None or row["supply"] is None
                    else entry["supply"] + row["supply"]
                )  # fmt: skip
        # An institution with no demand for a skill still has supply we did not count: the
        # region's supply is only complete when every institution reported the skill.
        rows = []
        for entry in skills.values():
            if entry["institutions"] < len(reports):
                entry["supply"] = None
            shortage = None if entry["supply"] is None else entry["demand"] - entry["supply"]
            rows.append({**entry, "shortage": shortage})
        rows.sort(key=lambda r: (r["shortage"] is None, -(r["shortage"] or 0), r["label"]))
        result.append({"region": region, "institutions": [r["code"] for r in reports],
                       "competences": rows})  # fmt: skip
    return result
