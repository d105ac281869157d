"""Hostile planning documents are refused quickly with file:line, never crash or exhaust memory.

A request body is untrusted text: a few hundred bytes of YAML aliases can stand for billions of
nodes, and a few kilobytes of brackets can nest deeper than Python's recursion limit.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from careshift.errors import CareshiftError, ImportFailed, RowProblem
from careshift.services.placement_matching import match_file
from careshift.services.planning_wisn import wisn_report
from careshift.services.projection_scenarios import EXAMPLES, project_file
from tests.support.hostile_yaml import DEEP, billion_laughs

RUNS: list[Callable[..., dict[str, Any]]] = [wisn_report, match_file, project_file]


def refusal(run: Callable[..., dict[str, Any]], text: str) -> RowProblem:
    with pytest.raises(ImportFailed) as refused:
        run("pasted", text=text)
    [problem] = refused.value.problems
    assert problem.file == "pasted"
    return problem


@pytest.mark.parametrize("run", RUNS)
def test_a_billion_laughs_document_is_refused_at_its_first_anchor_in_well_under_a_second(
    run: Callable[..., dict[str, Any]],
) -> None:
    text = billion_laughs(9)
    assert len(text) < 400
    started = time.perf_counter()
    problem = refusal(run, text)
    assert time.perf_counter() - started < 1.0
    assert problem.line == 1
    assert "anchors and aliases" in problem.message


def test_an_alias_without_a_nearby_anchor_is_refused_on_its_own_line() -> None:
    text = "facilities: []\nnote: &n hello\nagain: *n\n"
    problem = refusal(wisn_report, text)
    assert problem.line == 2


def test_a_billion_laughs_file_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "wisn.yaml"
    path.write_text(billion_laughs(9), encoding="utf-8")
    with pytest.raises(ImportFailed) as refused:
        wisn_report(path)
    [problem] = refused.value.problems
    assert (problem.file, problem.line) == (str(path), 1)


@pytest.mark.parametrize("text", list(DEEP.values()), ids=list(DEEP))
@pytest.mark.parametrize("run", RUNS)
def test_a_document_nested_too_deeply_is_refused_not_a_recursion_error(
    run: Callable[..., dict[str, Any]], text: str
) -> None:
    problem = refusal(run, text)
    assert problem.line == 1
    assert "nested too deeply" in problem.message


def test_deep_nesting_is_reported_on_the_line_where_it_goes_too_deep() -> None:
    text = "".join(f"{'  ' * depth}k:\n" for depth in range(60)) + "  " * 60 + "x\n"
    problem = refusal(wisn_report, text)
    assert problem.line is not None and 20 < problem.line < 60
    assert "nested too deeply" in problem.message


def test_the_shipped_examples_are_within_the_limits() -> None:
    assert wisn_report(EXAMPLES / "wisn.yaml")["results"]
    assert match_file(EXAMPLES / "placements.yaml")["assignments"]
    assert project_file(EXAMPLES / "projection-synthetic-hospital.yaml")["rows"]


KINDS = {
    "wisn": (wisn_report, "wisn.yaml"),
    "placements": (match_file, "placements.yaml"),
    "projection": (project_file, "projection-synthetic-hospital.yaml"),
}
PSA = "facilities[0].roles[0]"
HEADCOUNT = "    headcount: 4000\n"


@pytest.mark.parametrize(
    ("kind", "old", "new", "field", "says"),
    [
        ("wisn", "unit_minutes: 5,", "unit_minutes: .inf,", f"{PSA}.activities[0].unit_minutes",
         "finite"),
        ("wisn", "unit_minutes: 5,", "unit_minutes: 1.0e+400,",
         f"{PSA}.activities[0].unit_minutes", "finite"),
        ("wisn", "unit_minutes: 5,", "unit_minutes: .nan,", f"{PSA}.activities[0].unit_minutes",
         "finite"),
        ("wisn", "unit_minutes: 5,", "unit_minutes: abc,", f"{PSA}.activities[0].unit_minutes",
         "expected a number"),
        ("wisn", "current_staff: 72", "current_staff: .nan", f"{PSA}.current_staff", "finite"),
        ("wisn", "working_days: 260", "working_days: .inf",
         "facilities[0].working_time.working_days", "finite"),
        ("wisn", "hours: 0.25", "hours: -.inf", f"{PSA}.category_allowances[0].hours", "finite"),
        ("wisn", "staff: 8}", "staff: .nan}", f"{PSA}.individual_allowances[0].staff", "finite"),
        ("wisn", "year: 2027}", "year: .nan}", f"{PSA}.automation[0].year", "finite"),
        ("wisn", "year: 2027}", "year: 2027.5}", f"{PSA}.automation[0].year", "whole number"),
        ("wisn", "technology: self-registration kiosks", "technology: .nan",
         f"{PSA}.automation[0].technology", "expected text"),
        ("placements", "seed: 2027", "seed: .nan", "seed", "finite"),
        ("placements", "seed: 2027", "seed: .inf", "seed", "finite"),
        ("placements", "seed: 2027", "seed: 2027.5", "seed", "whole number"),
        ("placements", "year: 2, preferences: [sentrum", "year: .nan, preferences: [sentrum",
         "students[0].year", "finite"),
        ("placements", "year: 2, preferences: [sentrum", "year: 1.5, preferences: [sentrum",
         "students[0].year", "whole number"),
        ("placements", "places: {2027-autumn: 2}", "places: {2027-autumn: .nan}",
         "sites[0].places.2027-autumn", "finite"),
        ("placements", "students_per_supervisor: 2", "students_per_supervisor: .inf",
         "sites[0].students_per_supervisor", "finite"),
        ("projection", "start_year: 2026", "start_year: .nan", "start_year", "finite"),
        ("projection", "years: 10", "years: .nan", "years", "finite"),
        ("projection", HEADCOUNT, "    headcount: .nan\n", "roles[0].headcount", "finite"),
        ("projection", HEADCOUNT, "    headcount: {hospital: .nan}\n",
         "roles[0].headcount.hospital", "finite"),
        ("projection", '{label: "18-29", width: 12}', '{label: "18-29", width: .nan}',
         "age_bands[0].width", "finite"),
        ("projection", "{patient_service_associate: 0.7,", "{patient_service_associate: .nan,",
         "scenarios[1].intake_factor.patient_service_associate", "finite"),
        ("projection", "{patient_service_associate: 0.7,", "{patient_service_associate: abc,",
         "scenarios[1].intake_factor.patient_service_associate", "expected a number"),
        ("projection", "per_year: 350,", "per_year: .nan,", "scenarios[1].transitions[0].per_year",
         "finite"),
        ("projection", "first_year: 2027, last_year: 2029}", "first_year: .inf, last_year: 2029}",
         "scenarios[1].transitions[0].first_year", "finite"),
        ("projection", "first_year: 2027, last_year: 2029}", "first_year: 2027.5, last_year: 2029}",
         "scenarios[1].transitions[0].first_year", "whole number"),
        ("projection", HEADCOUNT, HEADCOUNT + "    automation: [[2027, .nan]]\n",
         "roles[0].automation[0][1]", "finite"),
        ("projection", HEADCOUNT, HEADCOUNT + "    automation: [[2027.5, 0.2]]\n",
         "roles[0].automation[0][0]", "whole number"),
        ("projection", HEADCOUNT, HEADCOUNT + "    automation: [5]\n",
         "roles[0].automation[0]", "[year, share]"),
    ],
)  # fmt: skip
def test_a_number_that_is_not_finite_or_not_whole_is_refused_with_its_line_and_field(
    kind: str, old: str, new: str, field: str, says: str
) -> None:
    run, example = KINDS[kind]
    original = (EXAMPLES / example).read_text(encoding="utf-8")
    assert old in original
    text = original.replace(old, new, 1)
    line = text[: text.index(new) + len(new.rstrip())].count("\n") + 1  # new's last line
    with pytest.raises(ImportFailed) as refused:
        run("pasted", text=text)
    found = {(p.line, p.field): p.message for p in refused.value.problems}
    assert (line, field) in found, refused.value.problems
    assert says in found[(line, field)]


@pytest.mark.parametrize(
    ("kind", "old", "new", "field"),
    [
        ("wisn", "unit_minutes: 5,", "unit_minutes: 1.0e+308,",
         f"{PSA}.activities[0].unit_minutes"),
        ("wisn", "annual_workload: 520000", "annual_workload: 1" + "0" * 400,
         f"{PSA}.activities[0].annual_workload"),
        ("wisn", "staff: 8}", "staff: 1.0e+300}", f"{PSA}.individual_allowances[0].staff"),
        ("placements", "seed: 2027", "seed: 1" + "0" * 400, "seed"),
        ("placements", "places: {2027-autumn: 2}", "places: {2027-autumn: 1" + "0" * 30 + "}",
         "sites[0].places.2027-autumn"),
        ("projection", HEADCOUNT, "    headcount: 1.0e+300\n", "roles[0].headcount"),
        ("projection", "{patient_service_associate: 0.7,", "{patient_service_associate: 1.0e+200,",
         "scenarios[1].intake_factor.patient_service_associate"),
    ],
)  # fmt: skip
def test_a_number_beyond_any_planning_figure_is_refused_before_it_overflows(
    kind: str, old: str, new: str, field: str
) -> None:
    run, example = KINDS[kind]
    text = (EXAMPLES / example).read_text(encoding="utf-8").replace(old, new, 1)
    with pytest.raises(ImportFailed) as refused:
        run("pasted", text=text)
    found = {p.field: p.message for p in refused.value.problems}
    assert "larger than" in found[field], refused.value.problems


def test_category_allowances_that_fill_the_working_day_are_refused_with_their_line() -> None:
    text = (EXAMPLES / "wisn.yaml").read_text(encoding="utf-8")
    text = text.replace("hours: 0.25, per: day", "hours: 20, per: day", 1)
    with pytest.raises(ImportFailed) as refused:
        wisn_report("pasted", text=text)
    [problem] = refused.value.problems
    assert (problem.line, problem.field) == (20, f"{PSA}.category_allowances")
    assert "of working time (must be < 100%)" in problem.message


def test_days_off_that_leave_less_than_an_hour_of_work_a_year_are_refused() -> None:
    text = (EXAMPLES / "wisn.yaml").read_text(encoding="utf-8")
    text = text.replace("working_days: 260", "working_days: 45.00000001", 1)  # 45 days off
    with pytest.raises(ImportFailed) as refused:
        wisn_report("pasted", text=text)
    problems = {(p.line, p.field, p.message) for p in refused.value.problems}
    assert problems == {(5, "facilities[0].working_time", "less than an hour of working time")}


def test_an_age_band_narrower_than_a_year_is_refused() -> None:
    text = (EXAMPLES / "projection-synthetic-hospital.yaml").read_text(encoding="utf-8")
    text = text.replace('{label: "18-29", width: 12}', '{label: "18-29", width: 0}', 1)
    with pytest.raises(ImportFailed) as refused:
        project_file("pasted", text=text)
    [problem] = refused.value.problems
    assert (problem.line, problem.field) == (9, "age_bands[0].width")
    assert "below the minimum 1" in problem.message


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_figure_at_an_extreme_gives_a_refusal_or_an_answer_json_can_carry(kind: str) -> None:
    run, example = KINDS[kind]
    # the starter framework's automation is read in 0.3 s a run, and is no figure of the file
    text = (EXAMPLES / example).read_text(encoding="utf-8").replace("automation_from: starter", "")
    figures = list(re.finditer(r"(?<=[:\[,] )-?\d+(\.\d+)?(?=[,}\]\s])", text))
    assert len(figures) > 10
    for figure in figures:
        for extreme in ("1.0e+15", "1.0e-300", "0", "-1"):
            changed = text[: figure.start()] + extreme + text[figure.end() :]
            with contextlib.suppress(CareshiftError):  # a refusal; anything else fails
                json.dumps(run("pasted", text=changed), allow_nan=False)
