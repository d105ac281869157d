"""``careshift taxonomy import|stats`` through the real entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from careshift.entrypoints.cli import main
from tests.support.esco_files import CLASSIFICATION, MINI, RELATIONS, mini_copy, relations
from tests.unit.test_esco_reader import _bad_relation_type


class Cli:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.monkeypatch, self.capsys = monkeypatch, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.monkeypatch.setattr(sys, "argv", ["careshift", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def cli(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    monkeypatch.setenv("CARESHIFT_DATABASE_URL", database_url)
    monkeypatch.setenv("CARESHIFT_DATA_DIR", str(tmp_path / "var"))
    return Cli(monkeypatch, capsys)


def test_import_prints_a_summary_and_stats_prints_the_counts_as_json(cli: Cli) -> None:
    code, out, _ = cli("taxonomy", "import", str(MINI))
    assert code == 0
    assert "ESCO v1.1.0 imported: 5 occupations, 9 skills, 18 occupation-skill relations" in out
    assert "occupationSkillRelations.csv: skipped 2 occupation-skill relations" in out

    code, out, _ = cli("taxonomy", "stats", "--json")

    assert code == 0
    stats = json.loads(out)
    assert set(stats) == {
        "esco_version",
        "occupations",
        "skills",
        "occupation_skill_relations",
        "isco_groups",
        "labels",
    }
    assert stats["labels"]["sv"] == {"occupations": 5, "skills": 6}


def test_import_json_reports_what_was_written_and_what_was_skipped(cli: Cli) -> None:
    cli("taxonomy", "import", str(CLASSIFICATION))

    code, out, _ = cli("taxonomy", "import", str(RELATIONS), "--json")

    summary = json.loads(out)
    assert code == 0
    assert summary["written"] == [
        "occupation_skill",
        "skill_skill",
        "broader:occupation",
        "broader:skill",
    ]
    assert summary["dangling"][0]["first_lines"] == [17, 18]


def test_a_malformed_file_exits_2_naming_file_line_and_field(cli: Cli, tmp_path: Path) -> None:
    root = mini_copy(tmp_path)
    name, line, field = _bad_relation_type(root)

    code, _, err = cli("taxonomy", "import", str(root))

    assert code == 2
    assert f"{name}:{line} field '{field}'" in err
    assert json.loads(cli("taxonomy", "stats", "--json")[1])["esco_version"] is None


def test_strict_import_exits_2_naming_the_first_dangling_line(cli: Cli, tmp_path: Path) -> None:
    root = mini_copy(tmp_path)

    code, _, err = cli("taxonomy", "import", "--strict", str(root))

    assert code == 2
    assert "occupationSkillRelations.csv:17" in err
    assert relations(root).exists()
    assert json.loads(cli("taxonomy", "stats", "--json")[1])["occupations"] == 0


def test_stats_of_a_version_never_imported_exits_2(cli: Cli) -> None:
    cli("taxonomy", "import", str(CLASSIFICATION))

    code, _, err = cli("taxonomy", "stats", "--esco-version", "9.9")

    assert code == 2
    assert "ESCO v9.9 is not imported" in err


def test_serve_refuses_a_bad_skill_label_table_before_it_listens(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    table = tmp_path / "labels.csv"
    table.write_text("conceptUri,lang,label\nnot-a-uri,nb,ta blodprøver\n", encoding="utf-8")
    monkeypatch.setenv("CARESHIFT_SKILL_LABELS", str(table))
    served: list[object] = []
    # the server itself is not under test: only that it is never reached
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: served.append(args))

    code, out, err = cli("serve", "--port", "0")

    assert code != 0 and not served
    assert "labels.csv:2 field 'conceptUri': not a concept URI" in err
    assert "Traceback" not in out + err

    table.write_text("conceptUri,lang,label\n", encoding="utf-8")
    code, _, _ = cli("serve", "--port", "0")
    assert code == 0 and len(served) == 1
