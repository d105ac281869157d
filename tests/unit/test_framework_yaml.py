"""The framework YAML reader refuses bad files naming file, line and field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from careshift.adapters.files.framework_yaml import read_framework
from careshift.errors import ImportFailed, RowProblem

PHLEBOTOMIST = "http://data.europa.eu/esco/occupation/5ee264b2-9bc5-40f6-9db3-c87143af6b2d"
VENEPUNCTURE = "http://data.europa.eu/esco/skill/0646be77-a425-40da-8577-f77d1198c67f"

_BASE: dict[str, Any] = {
    "framework": {
        "id": "test-fw",
        "name": {"en": "Test framework"},
        "version": "1.0",
        "owner": "tests",
        "licence": "Apache-2.0",
    },
    "skills": [
        {
            "id": "phlebotomy",
            "type": "skill",
            "label": {"en": "phlebotomy", "nb": "blodprøvetaking", "sv": "blodprovstagning"},
            "esco": [{"uri": VENEPUNCTURE, "match": "exact"}],
            "tags": ["value_added_service"],
        },
        {"id": "ecg", "type": "skill", "label": {"en": "ECG recording"}},
    ],
    "enhancement_modules": [
        {"id": "vas", "label": {"en": "VAS"}, "skills": [{"skill": "phlebotomy", "level": 3}]}
    ],
    "roles": [
        {
            "id": "psa",
            "label": {"en": "patient service associate"},
            "esco": [{"uri": PHLEBOTOMIST, "match": "broad"}],
            "skills": [{"skill": "phlebotomy", "level": 3, "relation": "essential"}],
            "tasks": [
                {
                    "id": "registration",
                    "label": {"en": "register patients"},
                    "change": "removed",
                    "technology": "kiosks",
                    "year": 2027,
                    "share": 0.4,
                }
            ],
            "enhancements": ["vas"],
        }
    ],
}


def make_framework(**sections: Any) -> dict[str, Any]:
    data = copy.deepcopy(_BASE)
    data.update(sections)
    return data


def write(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "framework.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 0) -> int:
    lines = [i for i, text in enumerate(path.read_text().splitlines(), 1) if needle in text]
    return lines[nth]


def refusal(path: Path) -> list[RowProblem]:
    with pytest.raises(ImportFailed) as info:
        read_framework(path)
    assert str(path) in str(info.value)
    return info.value.problems


def only_problem(path: Path) -> RowProblem:
    problems = refusal(path)
    assert len(problems) == 1, problems
    assert problems[0].file == str(path)
    return problems[0]


def test_a_valid_framework_is_read_with_its_id_and_version(tmp_path: Path) -> None:
    framework = read_framework(write(tmp_path, make_framework()))
    assert (framework.id, framework.version) == ("test-fw", "1.0")
    assert framework.data["skills"][0]["label"]["nb"] == "blodprøvetaking"


def test_fingerprint_ignores_layout_and_comments_but_not_content(tmp_path: Path) -> None:
    data = make_framework()
    first = read_framework(write(tmp_path, data)).fingerprint
    reformatted = "# a comment\n" + yaml.safe_dump(data, sort_keys=True, default_flow_style=True)
    assert read_framework(write(tmp_path, reformatted)).fingerprint == first
    data["skills"][1]["label"]["en"] = "ECG"
    assert read_framework(write(tmp_path, data)).fingerprint != first


def test_level_outside_one_to_six_names_line_and_field(tmp_path: Path) -> None:
    data = make_framework()
    data["roles"][0]["skills"][0]["level"] = 7
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "roles[0].skills[0].level"
    assert problem.line == line_of(path, "level: 7")
    assert "outside 1-6" in problem.message


def test_malformed_esco_uri_names_line_and_field(tmp_path: Path) -> None:
    data = make_framework()
    data["skills"][0]["esco"][0]["uri"] = "http://data.europa.eu/esco/skil/0646be77"
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "skills[0].esco[0].uri"
    assert problem.line == line_of(path, "esco/skil/")
    assert "malformed ESCO URI" in problem.message


def test_skill_linked_to_an_esco_occupation_is_refused(tmp_path: Path) -> None:
    data = make_framework()
    data["skills"][0]["esco"][0]["uri"] = PHLEBOTOMIST
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "skills[0].esco[0].uri"
    assert problem.line == line_of(path, PHLEBOTOMIST)
    assert "expected an ESCO skill" in problem.message


def test_unknown_skill_referenced_by_a_role_names_line_and_field(tmp_path: Path) -> None:
    data = make_framework()
    data["roles"][0]["skills"].append({"skill": "cardiology", "level": 2})
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "roles[0].skills[1].skill"
    assert problem.line == line_of(path, "skill: cardiology")
    assert "unknown skill 'cardiology'" in problem.message


def test_unknown_skill_in_a_module_and_unknown_module_are_both_reported(tmp_path: Path) -> None:
    data = make_framework()
    data["enhancement_modules"][0]["skills"][0]["skill"] = "triage"
    data["roles"][0]["enhancements"] = ["vas", "coding"]
    path = write(tmp_path, data)
    problems = {p.field: p for p in refusal(path)}
    assert problems["enhancement_modules[0].skills[0].skill"].line == line_of(path, "triage")
    assert problems["roles[0].enhancements[1]"].line == line_of(path, "- coding")


def test_duplicate_skill_id_names_the_second_occurrence(tmp_path: Path) -> None:
    data = make_framework()
    data["skills"][1]["id"] = "phlebotomy"
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "skills[1].id"
    assert problem.line == line_of(path, "id: phlebotomy", nth=1)
    assert "duplicate id" in problem.message


def test_key_given_twice_in_one_mapping_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, make_framework())
    text = path.read_text().replace("  owner: tests\n", "  owner: tests\n  owner: others\n")
    path.write_text(text)
    problem = only_problem(path)
    assert (problem.field, problem.line) == ("framework.owner", line_of(path, "owner: others"))


def test_missing_required_field_names_the_field(tmp_path: Path) -> None:
    data = make_framework()
    del data["framework"]["licence"]
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "framework.licence"
    assert problem.line == line_of(path, "framework:")
    assert problem.message == "is required"


def test_unknown_task_change_lists_the_allowed_values(tmp_path: Path) -> None:
    data = make_framework()
    data["roles"][0]["tasks"][0]["change"] = "gone"
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "roles[0].tasks[0].change"
    assert problem.line == line_of(path, "change: gone")
    assert "removed, changed, unchanged, new" in problem.message


def test_task_shares_above_one_are_refused(tmp_path: Path) -> None:
    data = make_framework()
    task = data["roles"][0]["tasks"][0]
    data["roles"][0]["tasks"].append({**copy.deepcopy(task), "id": "payment", "share": 0.7})
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "roles[0].tasks"
    assert "1.10" in problem.message


def test_unquoted_number_where_text_is_expected_asks_for_quotes(tmp_path: Path) -> None:
    data = make_framework()
    data["framework"]["version"] = 1.0
    path = write(tmp_path, data)
    problem = only_problem(path)
    assert problem.field == "framework.version"
    assert "quote it" in problem.message


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "framework:\n  id: x\n  name: [unclosed\nskills: []\n")
    problem = only_problem(path)
    assert problem.line is not None and problem.line >= 3
    assert "not valid YAML" in problem.message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("framework: {id: x, since: 2026-02-30}\n", "day is out of range"),
        ("framework: \x00\n", "U+0000"),
    ],
)
def test_an_impossible_date_or_forbidden_character_is_refused(
    tmp_path: Path, text: str, says: str
) -> None:
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert "not valid YAML" in problem.message and says in problem.message


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("framework: {id: blodprøve}\n".encode("latin-1"))
    assert "not UTF-8" in only_problem(path).message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = make_framework()
    data["roles"][0]["skills"][0]["level"] = 0
    data["skills"][0]["esco"][0]["match"] = "close"
    data["framework"]["surprise"] = True
    problems = refusal(write(tmp_path, data))
    assert {p.field for p in problems} == {
        "roles[0].skills[0].level",
        "skills[0].esco[0].match",
        "framework",
    }
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


def test_anchors_and_aliases_are_refused_with_their_line(tmp_path: Path) -> None:
    # a few hundred bytes of nested aliases stand for billions of nodes (the planning files'
    # guard, untrusted_yaml, reads frameworks too)
    path = write(tmp_path, make_framework())
    text = path.read_text().replace("  owner: tests\n", "  owner: &who tests\n  notes: *who\n")
    path.write_text(text)
    problem = only_problem(path)
    assert problem.line == line_of(path, "owner: &who")
    assert "anchors and aliases" in problem.message
