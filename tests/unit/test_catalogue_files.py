"""Catalogue CSV and YAML readers cite file, line and field for every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from careshift.adapters.files.catalogue import CSV_COLUMNS, read_catalogue
from careshift.errors import ImportFailed

HEADER = ",".join(CSV_COLUMNS)


def test_csv_problems_name_the_row_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "courses.csv"
    path.write_text(
        f"{HEADER}\n"
        "A-1,Good,,,acad,8,100,EUR,classroom,en,12,https://x.example/s/a=2,,,\n"
        "B-1,Bad,,,acad,eight,100,EUR,classroom,en,,https://x.example/s/b=2,C-9,,\n"
    )
    with pytest.raises(ImportFailed) as refused:
        read_catalogue(path)
    found = {(p.line, p.field) for p in refused.value.problems}
    assert found == {(3, "hours"), (3, "prerequisites.0.course")}
    assert all(p.file == str(path) for p in refused.value.problems)


def test_yaml_course_requiring_itself_through_another_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    course = (
        "  - code: {code}\n    title: {{en: {code}}}\n    hours: 4\n    modality: e-learning\n"
        "    skills: [{{skill: 'https://x.example/s/a', level: 1}}]\n"
        "    prerequisites: [{{course: {other}}}]\n"
    )
    path.write_text(
        "courses:\n" + course.format(code="A", other="B") + course.format(code="B", other="A")
    )
    with pytest.raises(ImportFailed) as refused:
        read_catalogue(path)
    assert {(p.line, p.field) for p in refused.value.problems} == {
        (2, "prerequisites"),
        (8, "prerequisites"),
    }


def test_unknown_skills_are_refused_when_the_taxonomy_is_known(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "skill_base: https://x.example/s/\ncourses:\n  - code: A\n    title: {en: A}\n"
        "    hours: 4\n    modality: mentoring\n"
        "    skills: [{skill: a, level: 1}, {skill: zz, level: 2}]\n"
    )
    with pytest.raises(ImportFailed) as refused:
        read_catalogue(path, known_skills={"https://x.example/s/a"})
    assert [(p.line, p.field) for p in refused.value.problems] == [(7, "skills.1.skill")]
    assert len(read_catalogue(path).courses) == 1


def test_a_yaml_catalogue_with_an_impossible_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "courses.yaml"
    path.write_text("courses:\n  - {code: A-1, starts: 2026-02-30}\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as refused:
        read_catalogue(path)
    [problem] = refused.value.problems
    assert "not valid YAML: day is out of range for month" in problem.message


def test_a_yaml_catalogue_with_aliases_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "courses.yaml"
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))
    path.write_text("l0: &l0 [x]\n" + bomb + "courses: []\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as refused:
        read_catalogue(path)
    [problem] = refused.value.problems
    assert problem.line == 1 and "anchors and aliases" in problem.message
