"""`careshift frameworks validate|load`: JSON output, and exit code 2 naming file:line field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from careshift.services.demo import STARTER_FRAMEWORK


def careshift_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARESHIFT_")}
    env["CARESHIFT_DATA_DIR"] = str(tmp_path / "var")
    command = [str(Path(sys.executable).with_name("careshift")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_load_prints_a_json_summary_and_is_unchanged_the_second_time(tmp_path: Path) -> None:
    first = careshift_cli(tmp_path, "frameworks", "load", str(STARTER_FRAMEWORK), "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["status"] == "loaded"
    second = careshift_cli(tmp_path, "frameworks", "load", str(STARTER_FRAMEWORK), "--json")
    assert json.loads(second.stdout)["status"] == "unchanged"


def test_validate_refuses_a_bad_file_with_exit_code_2_and_file_line_field(tmp_path: Path) -> None:
    text = STARTER_FRAMEWORK.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace("{skill: phlebotomy, level: 3}", "{skill: phlebotomy, level: 9}", 1)
    )
    line = next(i for i, t in enumerate(bad.read_text().splitlines(), 1) if "level: 9" in t)
    result = careshift_cli(tmp_path, "frameworks", "validate", str(bad))
    assert result.returncode == 2
    assert f"{bad}:{line} field 'enhancement_modules[0].skills[0].level'" in result.stderr
    assert "level 9 is outside 1-6" in result.stderr
