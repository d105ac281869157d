"""Workforce projections from a scenario file: several named scenarios side by side.

The file (``docs/planning.md``; example ``data/examples/projection-synthetic-hospital.yaml``)
gives the stock per role and region, its age mix, attrition per age band, intake and demand,
and the scenarios. Automation-driven demand change comes from the local framework's role tasks
(``automation_from: starter`` or a framework file): the share of a role's work in tasks removed
by each year (``Role.share_changed_by``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from careshift.adapters.files.framework_yaml import read_framework
from careshift.adapters.files.planning_yaml import FieldPath, PlanningFile
from careshift.domain.frameworks import Role, TaskChange
from careshift.engine.projections import (
    AgeBand,
    Projection,
    Scenario,
    Transition,
    WorkforceModel,
    project,
)
from careshift.services.planning_charts import projection_chart

__all__ = ["EXAMPLES", "framework_automation", "project_file", "read_scenarios"]

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
STARTER = Path(__file__).resolve().parents[1] / "data" / "starter" / "healthcare.yaml"


def framework_automation(path: Path, roles: list[str], years: range) -> dict[str, list[Any]]:
    """role id -> [(year, net share of work removed by then)] from a framework's role tasks.

    Net: the share in removed tasks minus the share of new tasks the technology brings (a
    kiosk removes counter registration but adds helping patients use it)."""
    data = read_framework(path).data
    found = {}
    for raw in data.get("roles", []):
        if raw["id"] not in roles:
            continue
        tasks = [
            {**task, "labels": task.get("label", {"en": task["id"]})}
            for task in raw.get("tasks", [])
        ]
        role = Role.from_extra(raw["id"], {"framework": "", "id": raw["id"], "tasks": tasks})
        found[raw["id"]] = [
            (
                y,
                role.share_changed_by(y, TaskChange.REMOVED)
                - role.share_changed_by(y, TaskChange.NEW),
            )
            for y in years
        ]
    return found


def read_scenarios(
    path: Path | str, text: str | None = None
) -> tuple[WorkforceModel, list[Scenario], int]:
    doc = PlanningFile(path, "projection", text)
    data = doc.data
    start = doc.integer(data, (), "start_year", minimum=1900, maximum=2200)
    years = doc.integer(data, (), "years", default=10, minimum=1, maximum=15)
    regions = doc.texts(data, (), "regions") or ["all"]
    bands = tuple(
        # 1/width of a band ages out each year: a band narrower than a year would lose more
        # people than it holds
        AgeBand(
            doc.text(b, ("age_bands", i), "label"),
            doc.number(b, ("age_bands", i), "width", minimum=1),
        )
        for i, b in enumerate(doc.items(data, (), "age_bands"))
    ) or (AgeBand("all ages", 40.0),)
    raw_roles = doc.items(data, (), "roles")
    roles = [doc.text(r, ("roles", i), "id") for i, r in enumerate(raw_roles)]
    shape = (len(roles), len(regions), len(bands))
    stock, attrition = np.zeros(shape), np.zeros((len(roles), len(bands)))
    intake, demand = np.zeros(shape[:2]), np.zeros(shape[:2])
    growth, automation = np.zeros(len(roles)), {}
    for i, raw in enumerate(raw_roles):
        at: FieldPath = ("roles", i)
        mix = _vector(doc, raw, at, "age_mix", len(bands), default=1.0 / len(bands))
        attrition[i] = _vector(doc, raw, at, "attrition", len(bands), default=0.0)
        for r, region in enumerate(regions):
            stock[i, r] = _by_region(doc, raw, at, "headcount", region) * mix
            intake[i, r] = _by_region(doc, raw, at, "intake", region)
            demand[i, r] = _by_region(doc, raw, at, "demand", region)
        growth[i] = doc.number(raw, at, "demand_growth", default=0.0, minimum=-0.5, maximum=0.5)
        if "automation" in raw:
            automation[roles[i]] = _steps(doc, raw["automation"], (*at, "automation"))
    source = data.get("automation_from")
    if source:
        framework = STARTER if source == "starter" else Path(path).parent / str(source)
        if text is not None and source != "starter":
            # A request body may not make the server read its files.
            doc.problem(("automation_from",), "only 'starter' is allowed here")
            framework = STARTER
        span = range(start, start + years + 1)
        automation = {**framework_automation(framework, roles, span), **automation}
    raw_scenarios = doc.items(data, (), "scenarios")
    scenarios = [_scenario(doc, s, ("scenarios", i)) for i, s in enumerate(raw_scenarios)]
    if not scenarios:
        doc.problem(("scenarios",), "name at least one scenario")
    doc.finish()
    try:
        model = WorkforceModel(
            tuple(roles), tuple(regions), bands, stock, attrition, intake, demand, start,
            demand_growth=growth, automation=automation,
        )  # fmt: skip
    except ValueError as exc:
        doc.problem((), str(exc))
        doc.finish()
        raise
    return model, scenarios, years


def _vector(
    doc: PlanningFile, raw: dict[str, Any], at: FieldPath, key: str, size: int, default: float
) -> np.ndarray:
    values = raw.get(key)
    if values is None:
        return np.full(size, default)
    if not isinstance(values, list) or len(values) != size:
        doc.problem((*at, key), f"expected {size} numbers, one per age band")
        return np.full(size, default)
    return np.array([doc.number(values, (*at, key), i, maximum=1.0) for i in range(size)])


def _steps(doc: PlanningFile, steps: Any, at: FieldPath) -> list[tuple[int, float]]:
    """``[[year, net share of work removed by then], ...]``."""
    if not isinstance(steps, list):
        doc.problem(at, "expected a list of [year, share]")
        return []
    found = []
    for i, step in enumerate(steps):
        if not isinstance(step, list) or len(step) != 2:
            doc.problem((*at, i), "expected [year, share]")
            continue
        where = (*at, i)
        found.append(
            (doc.integer(step, where, 0, minimum=None), doc.number(step, where, 1, minimum=None))
        )
    return found


def _by_region(
    doc: PlanningFile, raw: dict[str, Any], at: FieldPath, key: str, region: str
) -> float:
    value = raw.get(key, 0)
    if isinstance(value, dict):
        return doc.number(value, (*at, key), region, default=0)
    return doc.number(raw, at, key, default=0)


def _scenario(doc: PlanningFile, raw: dict[str, Any], at: FieldPath) -> Scenario:
    transitions = tuple(
        Transition(
            source=doc.text(t, (*at, "transitions", i), "from"),
            target=doc.text(t, (*at, "transitions", i), "to"),
            per_year=doc.number(t, (*at, "transitions", i), "per_year", default=0.0),
            share=doc.number(t, (*at, "transitions", i), "share", default=0.0, maximum=1.0),
            first_year=doc.integer(t, (*at, "transitions", i), "first_year", default=0),
            last_year=doc.integer(t, (*at, "transitions", i), "last_year", default=9999),
            region=t.get("region"),
        )
        for i, t in enumerate(doc.items(raw, at, "transitions"))
    )
    factors = {
        key: {role: doc.number(table, (*at, key), role) for role in table}
        for key in ("intake_factor", "attrition_factor")
        for table in [doc.mapping(raw.get(key, {}), (*at, key))]
    }
    return Scenario(doc.text(raw, at, "name"), transitions, **factors)


def _rows(run: Projection) -> list[dict[str, Any]]:
    model, rows = run.model, []
    for t, year in enumerate(run.years):
        for i, role in enumerate(model.roles):
            for r, region in enumerate(model.regions):
                rows.append({
                    "scenario": run.scenario, "year": year, "role": role, "region": region,
                    "headcount": round(float(run.headcount[t, i, r]), 1),
                    "demand": round(float(run.demand[t, i, r]), 1),
                    "gap": round(float(run.gap[t, i, r]), 1),
                    "intake": round(float(run.intake[t, i, r]), 1),
                    "leavers": round(float(run.leavers[t, i, r]), 1),
                    "retirements": round(float(run.retirements[t, i, r]), 1),
                    "moved_in": round(float(run.moved_in[t, i, r]), 1),
                    "moved_out": round(float(run.moved_out[t, i, r]), 1),
                })  # fmt: skip
    return rows


def project_file(
    path: Path | str, only: str | None = None, text: str | None = None
) -> dict[str, Any]:
    """Every scenario of the file (or only the one named), as a table and a Vega-Lite chart."""
    model, scenarios, years = read_scenarios(path, text)
    if only is not None:
        scenarios = [s for s in scenarios if s.name == only]
        if not scenarios:
            from careshift.errors import NotFound

            raise NotFound(f"no scenario named {only!r} in {path}")
    try:
        runs = [project(model, scenario, years) for scenario in scenarios]
    except ValueError as exc:
        from careshift.errors import InputError

        raise InputError(f"{path}: {exc}") from None
    rows = [row for run in runs for row in _rows(run)]
    final = [row for row in rows if row["year"] == model.start_year + years]
    return {
        "start_year": model.start_year,
        "years": years,
        "scenarios": [s.name for s in scenarios],
        "rows": rows,
        "final_year": final,
        "chart": projection_chart(rows),
    }
