"""WISN staffing need from a planning file: per facility and role, with automation effects.

The file format is in ``docs/planning.md`` (example: ``data/examples/wisn.yaml``). Nothing is
stored: WISN is a calculation over the planner's own activity data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careshift.adapters.files.planning_yaml import FieldPath, PlanningFile
from careshift.engine.wisn import (
    ActivityChange,
    AllowancePeriod,
    CategoryAllowance,
    IndividualAllowance,
    ServiceActivity,
    StaffingNeed,
    WisnInput,
    WorkingTime,
    automation_effect,
    category_allowance_factor,
    staffing_need,
)

__all__ = ["read_wisn", "wisn_report"]

_DAYS = ("working_days", "public_holidays", "annual_leave", "sick_leave", "other_leave")
#: stands in for a refused working time, so reading goes on to the other fields
_A_YEAR = WorkingTime(260, 0, 0, 0, 0, 8)


def read_wisn(
    path: Path | str, text: str | None = None
) -> list[tuple[WisnInput, list[ActivityChange], dict[str, Any]]]:
    """Every (facility, role) in the file with its automation changes; refuses a bad file."""
    doc = PlanningFile(path, "WISN", text)
    result = []
    for f, facility in enumerate(doc.items(doc.data, (), "facilities")):
        where: FieldPath = ("facilities", f)
        name = doc.text(facility, where, "name")
        default_time = facility.get("working_time")
        for r, role in enumerate(doc.items(facility, where, "roles")):
            at: FieldPath = (*where, "roles", r)
            raw_time = role.get("working_time", default_time)
            time_path = (*(at if "working_time" in role else where), "working_time")
            time = _working_time(doc, doc.mapping(raw_time, time_path), (*time_path,))
            activities = tuple(
                ServiceActivity(
                    doc.text(a, (*at, "activities", i), "name"),
                    doc.number(a, (*at, "activities", i), "unit_minutes", minimum=0.001),
                    doc.number(a, (*at, "activities", i), "annual_workload"),
                )
                for i, a in enumerate(doc.items(role, at, "activities"))
            )
            wisn = WisnInput(
                role=doc.text(role, at, "role"),
                facility=name,
                working_time=time,
                activities=activities,
                category_allowances=tuple(
                    _category(doc, c, (*at, "category_allowances", i))
                    for i, c in enumerate(doc.items(role, at, "category_allowances"))
                ),
                individual_allowances=tuple(
                    IndividualAllowance(
                        doc.text(x, (*at, "individual_allowances", i), "name"),
                        doc.number(x, (*at, "individual_allowances", i), "hours_per_year"),
                        doc.number(x, (*at, "individual_allowances", i), "staff"),
                    )
                    for i, x in enumerate(doc.items(role, at, "individual_allowances"))
                ),
                current_staff=doc.number(role, at, "current_staff"),
            )
            _check_allowances(doc, wisn, (*at, "category_allowances"))
            changes, notes = _automation(doc, role, at, {a.name for a in activities})
            result.append((wisn, changes, notes))
    if not result:
        doc.problem(("facilities",), "no facility with a role to calculate")
    doc.finish()
    return result


def _working_time(doc: PlanningFile, raw: dict[str, Any], at: FieldPath) -> WorkingTime:
    known = len(doc.problems)
    days = [doc.number(raw, at, key) for key in _DAYS]
    hours = doc.number(raw, at, "hours_per_day", minimum=0.1, maximum=24)
    week = doc.number(raw, at, "days_per_week", default=5, minimum=1, maximum=7)
    try:
        a, b, c, d, e = days
        time = WorkingTime(a, b, c, d, e, hours_per_day=hours, days_per_week=week)
    except ValueError as exc:
        if len(doc.problems) == known:  # not just the echo of a field already reported
            doc.problem(at, str(exc))
        return _A_YEAR
    if time.available_hours < 1:  # a sliver of time would make every standard workload inf
        doc.problem(at, "less than an hour of working time")
        return _A_YEAR
    return time


def _check_allowances(doc: PlanningFile, wisn: WisnInput, at: FieldPath) -> None:
    """Allowances taking all of the working time leave none for the work (the CAF divides by
    what is left): the engine raises, the file says where."""
    try:
        category_allowance_factor(wisn.category_allowances, wisn.working_time)
    except ValueError as exc:
        doc.problem(at, str(exc))


def _category(doc: PlanningFile, raw: dict[str, Any], at: FieldPath) -> CategoryAllowance:
    name = doc.text(raw, at, "name")
    if "percent" in raw:
        return CategoryAllowance(name, doc.number(raw, at, "percent", maximum=99.9))
    period = doc.text(raw, at, "per", default="day")
    if period not in ("day", "week", "month", "year"):
        doc.problem((*at, "per"), f"{period!r} is not one of: day, week, month, year")
        period = "day"
    return CategoryAllowance(name, doc.number(raw, at, "hours"), AllowancePeriod(period))


def _automation(
    doc: PlanningFile, role: dict[str, Any], at: FieldPath, names: set[str]
) -> tuple[list[ActivityChange], dict[str, Any]]:
    changes, notes = [], []
    for i, raw in enumerate(doc.items(role, at, "automation")):
        where = (*at, "automation", i)
        activity = doc.text(raw, where, "activity")
        if activity and activity not in names:
            doc.problem((*where, "activity"), f"no activity named {activity!r} in this role")
        factor = doc.number(raw, where, "unit_factor", default=1.0, minimum=0.001)
        removed = doc.number(raw, where, "workload_removed", default=0.0, maximum=1.0)
        changes.append(ActivityChange(activity, unit_factor=factor, workload_removed=removed))
        technology = doc.text(raw, where, "technology", default="") or None
        year = None if raw.get("year") is None else doc.integer(raw, where, "year", minimum=None)
        notes.append({"activity": activity, "technology": technology, "year": year})
    return changes, {"changes": notes}


def _need_json(need: StaffingNeed) -> dict[str, Any]:
    return {
        "available_working_time_hours": round(need.available_hours, 2),
        "standard_workloads": {k: round(v, 2) for k, v in need.standard_workloads.items()},
        "activity_staff": {k: round(v, 3) for k, v in need.activity_staff.items()},
        "service_staff": round(need.service_staff, 3),
        "category_allowance_percent": round(need.category_allowance_percent, 3),
        "category_allowance_factor": round(need.caf, 4),
        "individual_allowance_factor": round(need.iaf, 4),
        "required_staff": round(need.required, 2),
        "current_staff": need.current,
        "wisn_difference": round(need.difference, 2),
        "wisn_ratio": None if need.required == 0 else round(need.ratio, 2),
        "pressure": _pressure(need),
    }


def _pressure(need: StaffingNeed) -> str:
    if need.required == 0:
        return "no workload"
    if need.ratio < 0.8:
        return "high"
    return "balanced" if need.ratio <= 1.2 else "low"


def wisn_report(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """Required staff, WISN difference and ratio per facility and role; automation effects."""
    rows = []
    for wisn, changes, notes in read_wisn(path, text):
        row: dict[str, Any] = {"facility": wisn.facility, "role": wisn.role}
        row.update(_need_json(staffing_need(wisn)))
        if changes:
            effect = automation_effect(wisn, changes)
            row["automation"] = {
                **notes,
                "required_staff_after": round(effect.after.required, 2),
                "wisn_ratio_after": None
                if effect.after.required == 0
                else round(effect.after.ratio, 2),
                "freed_capacity_fte": round(effect.freed_fte, 2),
                "reskilling_demand_fte": round(effect.reskilling_fte, 2),
            }
        rows.append(row)
    return {"method": "WHO WISN (2010 user's manual, 2023 update)", "results": rows}
