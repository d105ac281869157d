"""The ESCO reader: recognises files by content, keeps physical lines, refuses bad input."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from careshift.adapters.files.esco import FileKind, read_esco
from careshift.errors import ImportFailed
from tests.support.esco_files import (
    CLASSIFICATION,
    MINI,
    RELATIONS,
    TRANSLATIONS,
    classification,
    drop_column,
    line_of,
    mini_copy,
    relations,
    replace_on_line,
    replace_once,
    zip_folder,
)

NURSE = "http://data.europa.eu/esco/occupation/0a1b2c3d-0001-4a00-8000-000000000001"
PHLEBOTOMIST = "http://data.europa.eu/esco/occupation/0a1b2c3d-0002-4a00-8000-000000000002"


def test_reader_reads_every_part_of_the_mini_download() -> None:
    bundle = read_esco([MINI])

    concepts = bundle.concept_sets["en"].concepts
    kinds = [concept.kind for concept in concepts.values()]
    assert (kinds.count("occupation"), kinds.count("skill")) == (5, 9)
    assert (kinds.count("isco_group"), kinds.count("skill_group")) == (19, 4)
    assert len(bundle.links["occupation_skill"]) == 20
    assert len(bundle.links["skill_skill"]) == 2
    assert {row.uri for row in bundle.links["tag:digital"]} == {
        "http://data.europa.eu/esco/skill/5b6c7d8e-0005-4b00-9000-000000000005",
        "http://data.europa.eu/esco/skill/5b6c7d8e-0009-4b00-9000-000000000009",
    }
    assert set(bundle.label_sets) == {
        "sv:isco_group,occupation",
        "sv:skill",
        "nb:isco_group,occupation",
    }
    assert bundle.version == "v1.1.0"


def test_multi_line_label_fields_become_one_label_per_line() -> None:
    bundle = read_esco([CLASSIFICATION])

    labels = [(r.label_type, r.text) for r in bundle.concept_sets["en"].labels if r.uri == NURSE]

    assert labels == [
        ("preferred", "nurse responsible for general care"),
        ("alt", "general nurse"),
        ("alt", "registered nurse"),
        ("alt", "RN"),
    ]


def test_occupation_keeps_isco_code_regulation_note_and_escaped_quotes() -> None:
    phlebotomist = read_esco([CLASSIFICATION]).concept_sets["en"].concepts[PHLEBOTOMIST]

    assert phlebotomist.isco_code == "3212"
    assert phlebotomist.code == "3212.2"
    assert phlebotomist.regulated_note is not None
    assert phlebotomist.regulated_note.endswith("/unregulated")
    assert phlebotomist.description is not None
    assert '"put patients at ease"' in phlebotomist.description


def test_rows_keep_the_physical_line_where_their_record_starts() -> None:
    bundle = read_esco([TRANSLATIONS])
    path = TRANSLATIONS / "esco_occupations_isco_sv.csv"

    lines = {row.uri: row.line for row in bundle.label_sets["sv:isco_group,occupation"].labels}

    # Multi-line records before these push their start lines beyond their record numbers.
    assert lines[PHLEBOTOMIST] == line_of(path, PHLEBOTOMIST) == 6
    assert lines["http://data.europa.eu/esco/occupation/0a1b2c3d-0005-4a00-8000-000000000005"] == 11


def test_files_are_recognised_by_their_content_whatever_their_names(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    sources = {
        "a.csv": CLASSIFICATION / "occupations_en.csv",
        "b.csv": CLASSIFICATION / "skills_en.csv",
        "c.csv": CLASSIFICATION / "ISCOGroups_en.csv",
        "d.csv": RELATIONS / "occupationSkillRelations.csv",
        "e.csv": RELATIONS / "broaderRelationsSkillPillar.csv",
        "f.csv": TRANSLATIONS / "esco_skills_sv_preflabels.csv",
    }
    for name, source in sources.items():
        shutil.copy(source, renamed / name)

    kinds = {Path(display).name: kind for display, kind in read_esco([renamed]).files}

    assert kinds == {
        "a.csv": FileKind.OCCUPATIONS,
        "b.csv": FileKind.SKILLS,
        "c.csv": FileKind.ISCO_GROUPS,
        "d.csv": FileKind.OCCUPATION_SKILL,
        "e.csv": FileKind.BROADER,
        "f.csv": FileKind.TRANSLATED_SKILLS,
    }


def test_zips_folders_and_single_files_mix_in_one_call_in_any_order(tmp_path: Path) -> None:
    archive = zip_folder(CLASSIFICATION, tmp_path / "ESCO dataset - v1.1.0 - en - csv.zip")
    translation = TRANSLATIONS / "esco_occupations_isco_nb.csv"

    bundle = read_esco([translation, RELATIONS, archive])

    assert len(bundle.concept_sets["en"].concepts) == 37
    assert len(bundle.links["occupation_skill"]) == 20
    assert set(bundle.label_sets) == {"nb:isco_group,occupation"}
    assert bundle.version == "v1.1.0"


def test_the_same_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    archive = zip_folder(RELATIONS, tmp_path / "relations.zip")

    bundle = read_esco([RELATIONS, archive])

    assert len(bundle.links["occupation_skill"]) == 20


def test_rows_with_an_empty_skill_type_are_kept_and_noted() -> None:
    bundle = read_esco([RELATIONS])

    assert any(row.line == 12 for row in bundle.links["occupation_skill"])
    assert len(bundle.notes) == 1
    assert "1 row(s) with an empty skillType" in bundle.notes[0]


def test_files_of_two_versions_in_one_call_are_refused(tmp_path: Path) -> None:
    other = mini_copy(tmp_path, "v1.2.0")

    with pytest.raises(
        ImportFailed, match=r"several ESCO versions in one import \(v1.1.0, v1.2.0\)"
    ):
        read_esco([CLASSIFICATION, relations(other)])


# Each malformed case edits a copy and returns (file name, line, field) the error must name.
Breakage = Callable[[Path], tuple[str, int, str]]


def _missing_column(root: Path) -> tuple[str, int, str]:
    drop_column(classification(root) / "occupations_en.csv", "preferredLabel")
    return "occupations_en.csv", 1, "preferredLabel"


def _bad_relation_type(root: Path) -> tuple[str, int, str]:
    path = relations(root) / "occupationSkillRelations.csv"
    line = line_of(path, ",optional,")
    replace_on_line(path, line, ",optional,", ",nice-to-have,")
    return "occupationSkillRelations.csv", line, "relationType"


def _broken_quoting(root: Path) -> tuple[str, int, str]:
    path = classification(root) / "skills_en.csv"
    replace_once(path, '"Record the electrical activity', '"Record the" electrical activity')
    return "skills_en.csv", line_of(path, "5b6c7d8e-0004"), "description"


def _unclosed_quote(root: Path) -> tuple[str, int, str]:
    path = classification(root) / "ISCOGroups_en.csv"
    replace_once(path, 'personal care and assistance."', "personal care and assistance.")
    return "ISCOGroups_en.csv", line_of(path, "isco/C5321,"), "description"


def _malformed_uri(root: Path) -> tuple[str, int, str]:
    path = relations(root) / "occupationSkillRelations.csv"
    line = line_of(path, "5b6c7d8e-0004")
    replace_on_line(path, line, ",http://data.europa.eu/esco/skill/", ",data.europa.eu/esco/skill/")
    return "occupationSkillRelations.csv", line, "skillUri"


def _bad_encoding(root: Path) -> tuple[str, int, str]:
    path = classification(root) / "occupations_en.csv"
    line = line_of(path, "0a1b2c3d-0002")
    replace_once(path, "venipuncture technician", "venipuncture technicián".encode("latin-1"))
    return "occupations_en.csv", line, "altLabels"


def _skill_type_outside_vocabulary(root: Path) -> tuple[str, int, str]:
    path = classification(root) / "skills_en.csv"
    replace_once(
        path, ",knowledge,sector-specific,medical terminology", ",know-how,x,medical terminology"
    )
    return "skills_en.csv", line_of(path, "5b6c7d8e-0002"), "skillType"


def _concept_type_outside_vocabulary(root: Path) -> tuple[str, int, str]:
    path = relations(root) / "broaderRelationsOccPillar.csv"
    line = line_of(path, "Occupation,")
    replace_on_line(path, line, "Occupation,", "Job,")
    return "broaderRelationsOccPillar.csv", line, "conceptType"


MALFORMED: dict[str, Breakage] = {
    "missing column": _missing_column,
    "relation type not essential/optional": _bad_relation_type,
    "text after a closing quote": _broken_quoting,
    "quoted field never closed": _unclosed_quote,
    "malformed URI": _malformed_uri,
    "not UTF-8": _bad_encoding,
    "skillType outside its vocabulary": _skill_type_outside_vocabulary,
    "conceptType outside its vocabulary": _concept_type_outside_vocabulary,
}


@pytest.mark.parametrize("break_files", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_file_is_refused_naming_file_line_and_field(
    tmp_path: Path, break_files: Breakage
) -> None:
    root = mini_copy(tmp_path)
    name, line, field = break_files(root)

    with pytest.raises(ImportFailed) as refused:
        read_esco([root])

    problem = refused.value.problems[0]
    assert (Path(problem.file).name, problem.line, problem.field) == (name, line, field)
    assert f"{name}:{line} field {field!r}" in str(refused.value)
