"""`careshift institutions|workers|gaps|sessions`: a hospital from HR file to survey results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.synthetic_workforce import hr_rows, write_csv

PSA = "https://careshift.eu/framework/careshift-healthcare/role/patient_service_associate"


def careshift_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARESHIFT_")}
    env["CARESHIFT_DATA_DIR"] = str(tmp_path / "var")
    command = [str(Path(sys.executable).with_name("careshift")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)


def test_a_hospital_goes_from_hr_file_to_gap_report_and_survey_results(tmp_path: Path) -> None:
    assert careshift_cli(tmp_path, "frameworks", "load", str(STARTER_FRAMEWORK)).returncode == 0
    added = careshift_cli(tmp_path, "institutions", "add", "rgh", "Riverside General")
    assert added.returncode == 0, added.stderr
    rows = hr_rows(30, 0, seed=3)
    bad = [dict(r) for r in rows]
    bad[4]["employed_from"] = "31.12.2020"
    write_csv(tmp_path / "bad.csv", bad)
    refused = careshift_cli(tmp_path, "workers", "import", str(tmp_path / "bad.csv"),
                            "--institution", "rgh")  # fmt: skip
    assert refused.returncode == 2
    assert "bad.csv:6 field 'employed_from': bad date '31.12.2020'" in refused.stderr
    listed = careshift_cli(tmp_path, "workers", "list", "--institution", "rgh", "--json")
    assert json.loads(listed.stdout) == []

    write_csv(tmp_path / "staff.csv", rows)
    imported = careshift_cli(tmp_path, "workers", "import", str(tmp_path / "staff.csv"),
                             "--institution", "rgh")  # fmt: skip
    assert "30 created, 0 updated, 0 unchanged" in imported.stdout
    report = careshift_cli(tmp_path, "gaps", "group", "--institution", "rgh", "--role", PSA,
                           "--by", "none", "--json")  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["headcount"] == 30

    created = careshift_cli(tmp_path, "sessions", "create", "--institution", "rgh",
                            "--title", "PSA skills", "--role", PSA)  # fmt: skip
    assert created.stdout.startswith("session 1:")
    links = json.loads(careshift_cli(tmp_path, "sessions", "invite", "1", "--json").stdout)
    assert len(links) == 30
    skill = "https://careshift.eu/framework/careshift-healthcare/skill/patient_registration"
    for link in links[:6]:
        answered = careshift_cli(tmp_path, "sessions", "answer", link["token"], f"{skill}=2")
        assert answered.returncode == 0, answered.stderr
    results = json.loads(careshift_cli(tmp_path, "sessions", "results", "1", "--json").stdout)
    registration = next(s for s in results["skills"] if s["skill_uri"] == skill)
    assert (results["answered"], registration["levels"]["2"]) == (6, 6)
