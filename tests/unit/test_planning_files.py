"""Planning input files: the shipped examples work; bad files are refused with file:line:field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from careshift.errors import ImportFailed, NotFound
from careshift.services.placement_matching import match_file
from careshift.services.planning_wisn import wisn_report
from careshift.services.projection_scenarios import EXAMPLES, project_file


def test_the_wisn_example_reports_need_and_the_effect_of_kiosks() -> None:
    report = wisn_report(EXAMPLES / "wisn.yaml")
    psa = next(r for r in report["results"] if r["role"] == "patient_service_associate")
    # (260 - (11 + 21 + 8 + 5)) x 8 = 1,720 h; 1,720 h x 60 / 5 min = 20,640 registrations
    assert psa["available_working_time_hours"] == 1720
    assert psa["standard_workloads"]["registration"] == 20640
    assert psa["required_staff"] == pytest.approx(70.35, abs=0.01)
    assert psa["automation"]["freed_capacity_fte"] > 0
    assert psa["automation"]["required_staff_after"] < psa["required_staff"]


def test_a_bad_wisn_file_names_every_problem_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "wisn.yaml"
    bad.write_text(
        "facilities:\n"
        "  - name: Clinic\n"
        "    working_time: {working_days: 260, public_holidays: 10, annual_leave: 20,\n"
        "                   sick_leave: 5, other_leave: 5, hours_per_day: eight}\n"
        "    roles:\n"
        "      - role: nurse\n"
        "        current_staff: 4\n"
        "        activities:\n"
        "          - {name: visit, unit_minutes: -3, annual_workload: 100}\n"
        "        automation:\n"
        "          - {activity: triage, unit_factor: 0.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as refused:
        wisn_report(bad)
    found = {(p.line, p.field) for p in refused.value.problems}
    assert (4, "facilities[0].working_time.hours_per_day") in found
    assert (9, "facilities[0].roles[0].activities[0].unit_minutes") in found
    assert (11, "facilities[0].roles[0].automation[0].activity") in found
    assert all(p.file == str(bad) for p in refused.value.problems)


def test_the_placements_example_is_stable_and_explains_who_is_left_out() -> None:
    result = match_file(EXAMPLES / "placements.yaml")
    assert result["stable"] is True
    reasons = {(u["student"], u["period"]): u["reason"] for u in result["unmatched"]}
    assert reasons[("emil", "2028-spring")] == "unavailable_in_period"
    lab = next(r for r in result["shortage"] if r["type"] == "lab")
    assert (lab["needed"], lab["offered"]) == (4, 2)


def test_a_placements_file_naming_unknown_sites_and_programmes_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "placements.yaml"
    bad.write_text(
        "programmes:\n"
        "  - {id: hs, requirements: [{type: lab, period: p1}]}\n"
        "sites:\n"
        "  - {id: lab-a, type: lab, places: {p1: 1}}\n"
        "students:\n"
        "  - {id: kari, programme: hs, preferences: [lab-b]}\n"
        "  - {id: ola, programme: nursing, preferences: [lab-a]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as refused:
        match_file(bad)
    messages = {(p.line, p.message) for p in refused.value.problems}
    assert messages == {(6, "unknown site 'lab-b'"), (7, "unknown programme 'nursing'")}


def test_the_synthetic_hospital_academy_plan_retrains_into_short_roles() -> None:
    report = project_file(EXAMPLES / "projection-synthetic-hospital.yaml")
    assert report["scenarios"] == ["no retraining", "academy plan"]
    first = {(r["scenario"], r["role"]): r for r in report["rows"] if r["year"] == 2026}
    assert first[("no retraining", "patient_service_associate")]["headcount"] == 4000
    assert first[("no retraining", "medical_records_officer")]["headcount"] == 600
    final = {(r["scenario"], r["role"]): r for r in report["final_year"]}
    for role in ("healthcare_assistant", "care_coordinator", "clinical_coder"):
        assert final[("academy plan", role)]["gap"] > final[("no retraining", role)]["gap"]
    psa_surplus = {s: final[(s, "patient_service_associate")]["gap"] for s in report["scenarios"]}
    assert psa_surplus["academy plan"] < psa_surplus["no retraining"]
    # kiosks and e-payment remove 60% of PSA work by 2027 and add 15% helping at kiosks
    key = ("no retraining", "patient_service_associate", 2027)
    later = next(r for r in report["rows"] if (r["scenario"], r["role"], r["year"]) == key)
    assert later["demand"] == pytest.approx(4000 * (1 - 0.6 + 0.15))
    assert report["chart"]["facet"]["column"]["field"] == "scenario"
    assert len(report["chart"]["data"]["values"]) == len(report["rows"])


def test_asking_for_a_scenario_the_file_does_not_have_is_not_found() -> None:
    with pytest.raises(NotFound, match="no scenario named 'x'"):
        project_file(EXAMPLES / "projection-synthetic-hospital.yaml", only="x")


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("facilities: []\nsince: 2026-02-30\n", None, "day is out of range"),
        ("facilities: []\nsince: 2026-13-01\n", None, "month must be in 1..12"),
        ("facilities: []\nname: a\x00b\n", 2, "U+0000"),
    ],
)
@pytest.mark.parametrize("run", [wisn_report, match_file])
def test_an_impossible_date_or_forbidden_character_is_refused_not_raised(
    run: Any, text: str, line: int | None, says: str
) -> None:
    with pytest.raises(ImportFailed) as refused:
        run("pasted", text)
    [problem] = refused.value.problems
    assert (problem.file, problem.line) == ("pasted", line)
    assert "not valid YAML" in problem.message and says in problem.message
