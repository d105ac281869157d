"""Importing ESCO into a real store (SQLite and PostgreSQL) with the hand-written mini download."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from careshift import Careshift
from careshift.adapters.db.tables import taxonomy as t
from careshift.errors import ImportFailed
from careshift.services.taxonomy import snapshot
from careshift.services.taxonomy_import import import_esco
from careshift.services.taxonomy_stats import taxonomy_stats
from tests.support.esco_files import (
    CLASSIFICATION,
    MINI,
    RELATIONS,
    TRANSLATIONS,
    classification,
    drop_row,
    mini_copy,
    relations,
    replace_once,
)
from tests.unit.test_esco_reader import MALFORMED, Breakage

NURSE = "http://data.europa.eu/esco/occupation/0a1b2c3d-0001-4a00-8000-000000000001"
RECORDS_CLERK = "http://data.europa.eu/esco/occupation/0a1b2c3d-0003-4a00-8000-000000000003"
TAKE_BLOOD = "http://data.europa.eu/esco/skill/5b6c7d8e-0001-4b00-9000-000000000001"


def _table_sizes(careshift: Careshift) -> dict[str, int]:
    tables = (t.release, t.concept, t.label, t.occupation_skill, t.skill_skill, t.broader, t.tag)
    with careshift.store.engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in tables
        }


def test_import_stores_concepts_relations_labels_and_tags(careshift: Careshift) -> None:
    summary = import_esco(careshift, [MINI])

    assert summary.changed
    assert taxonomy_stats(careshift) == {
        "esco_version": "v1.1.0",
        "occupations": 5,
        "skills": 9,
        "occupation_skill_relations": 18,
        "isco_groups": 19,
        "labels": {
            "en": {"occupations": 5, "skills": 9},
            "nb": {"occupations": 4, "skills": 0},
            "sv": {"occupations": 5, "skills": 6},
        },
    }
    nurse = snapshot(careshift).concepts[NURSE]
    assert nurse.label("sv") == ("sjuksköterska med ansvar för allmän hälso- och sjukvård", "sv")
    assert nurse.isco_code == "2221"
    skills = snapshot(careshift).concepts
    assert (
        "digital"
        in skills["http://data.europa.eu/esco/skill/5b6c7d8e-0005-4b00-9000-000000000005"].tags
    )
    assert summary.counts["broader"] == 29  # 20 + 10 rows, one names an undescribed group


def test_dangling_rows_are_skipped_and_reported_with_file_and_lines(careshift: Careshift) -> None:
    summary = import_esco(careshift, [MINI])

    reports = {Path(r.file).name: r for r in summary.dangling}
    relations_report = reports["occupationSkillRelations.csv"]
    assert (relations_report.count, relations_report.first_lines) == (2, [17, 18])
    assert relations_report.example.field == "occupationUri"
    assert reports["broaderRelationsSkillPillar.csv"].first_lines == [3]
    assert reports["esco_skills_sv_preflabels.csv"].first_lines == [8]
    assert "skipped 2 occupation-skill relations" in str(relations_report)


def test_strict_refuses_dangling_rows_naming_the_first_line_and_writes_nothing(
    careshift: Careshift,
) -> None:
    before = _table_sizes(careshift)

    with pytest.raises(ImportFailed) as refused:
        import_esco(careshift, [CLASSIFICATION, RELATIONS], strict=True)

    assert "occupationSkillRelations.csv:17 field 'occupationUri'" in str(refused.value)
    assert _table_sizes(careshift) == before


def test_importing_the_same_files_again_changes_nothing(careshift: Careshift) -> None:
    import_esco(careshift, [MINI])
    before = _table_sizes(careshift)
    snapshot(careshift)

    again = import_esco(careshift, [MINI])

    assert not again.changed
    assert again.written == []
    assert _table_sizes(careshift) == before
    assert "taxonomy:snapshot" in careshift._cache  # nothing changed, nothing invalidated


def test_a_second_version_lives_beside_the_first(careshift: Careshift, tmp_path: Path) -> None:
    import_esco(careshift, [MINI])
    newer = mini_copy(tmp_path, "v1.2.0")
    replace_once(
        classification(newer) / "occupations_en.csv",
        "medical records clerk,",
        "health records officer,",
    )

    summary = import_esco(careshift, [newer])

    assert summary.version == "v1.2.0"
    assert taxonomy_stats(careshift, "1.1.0")["occupations"] == 5
    assert taxonomy_stats(careshift)["esco_version"] == "v1.2.0"
    labels = {c.label()[0] for c in snapshot(careshift).concepts.values()}
    assert "health records officer" in labels
    assert "medical records clerk" not in labels


def test_changed_content_of_a_stored_version_updates_it_in_place(
    careshift: Careshift, tmp_path: Path
) -> None:
    import_esco(careshift, [MINI])
    edited = mini_copy(tmp_path)
    occupations = classification(edited) / "occupations_en.csv"
    replace_once(occupations, "phlebotomist,", "phlebotomy nurse,")
    drop_row(occupations, RECORDS_CLERK)

    summary = import_esco(careshift, [classification(edited)])

    # the collections sit in the classification folder, so their tags are rewritten too
    assert set(summary.written) == {"concepts", "tag:digital", "tag:green", "tag:transversal"}
    stats = taxonomy_stats(careshift)
    # the clerk's 3 relations went with it; the other occupations keep theirs
    assert (stats["occupations"], stats["occupation_skill_relations"]) == (4, 15)
    assert stats["labels"]["sv"]["occupations"] == 4  # other languages survive
    concepts = snapshot(careshift).concepts
    assert RECORDS_CLERK not in concepts
    assert "phlebotomy nurse" in {c.label()[0] for c in concepts.values()}


def test_translation_only_import_adds_that_language_to_the_existing_release(
    careshift: Careshift,
) -> None:
    import_esco(careshift, [CLASSIFICATION, RELATIONS])
    assert taxonomy_stats(careshift)["labels"]["sv"] == {"occupations": 0, "skills": 0}
    assert snapshot(careshift).concepts[TAKE_BLOOD].label("sv") == ("take blood samples", "en")

    summary = import_esco(careshift, [TRANSLATIONS / "esco_skills_sv_preflabels.csv"])

    assert summary.written == ["labels:sv:skill"]
    labels = taxonomy_stats(careshift)["labels"]
    assert labels["sv"] == {"occupations": 0, "skills": 6}
    # the import dropped the cached snapshot, so the new labels show at once
    assert snapshot(careshift).concepts[TAKE_BLOOD].label("sv") == ("ta blodprover", "sv")
    assert labels["en"] == {"occupations": 5, "skills": 9}


def test_translation_before_any_classification_is_refused(careshift: Careshift) -> None:
    with pytest.raises(ImportFailed, match="no ESCO release is imported yet"):
        import_esco(careshift, [TRANSLATIONS])

    assert _table_sizes(careshift)["taxonomy_release"] == 0


def test_classification_without_a_version_in_its_name_needs_one_given(
    careshift: Careshift, tmp_path: Path
) -> None:
    unnamed = tmp_path / "download"
    unnamed.mkdir()
    for path in CLASSIFICATION.iterdir():
        (unnamed / path.name).write_bytes(path.read_bytes())

    with pytest.raises(ImportFailed, match="--esco-version"):
        import_esco(careshift, [unnamed])
    summary = import_esco(careshift, [unnamed], version="1.1.0")

    assert summary.version == "v1.1.0"


@pytest.mark.parametrize("break_files", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_leaves_the_store_exactly_as_it_was(
    careshift: Careshift, tmp_path: Path, break_files: Breakage
) -> None:
    import_esco(careshift, [CLASSIFICATION])
    before = _table_sizes(careshift)
    root = mini_copy(tmp_path, "v1.1.0")
    name, line, field = break_files(root)

    with pytest.raises(ImportFailed, match=f"{name}:{line} field '{field}'"):
        import_esco(careshift, [root])

    assert _table_sizes(careshift) == before
    assert relations(root).exists()


def test_a_classification_file_in_another_language_adds_labels_in_that_language(
    careshift: Careshift, tmp_path: Path
) -> None:
    import_esco(careshift, [CLASSIFICATION, RELATIONS])
    swedish = tmp_path / "ESCO dataset - v1.1.0 - classification - sv - csv"
    swedish.mkdir()
    text = (CLASSIFICATION / "occupations_en.csv").read_text(encoding="utf-8")
    (swedish / "occupations_sv.csv").write_text(
        text.replace("healthcare assistant,", "undersköterska,"), encoding="utf-8"
    )

    summary = import_esco(careshift, [swedish])

    assert summary.written == ["labels:sv:occupation"]
    assert taxonomy_stats(careshift)["labels"]["sv"] == {"occupations": 5, "skills": 0}
    labels = {c.label("sv")[0] for c in snapshot(careshift).concepts.values()}
    assert "undersköterska" in labels


def test_a_lone_skills_file_updates_skills_and_leaves_occupations_alone(
    careshift: Careshift, tmp_path: Path
) -> None:
    import_esco(careshift, [MINI])
    edited = mini_copy(tmp_path)
    skills = classification(edited) / "skills_en.csv"
    replace_once(skills, ",take blood samples,", ",perform venepuncture,")

    import_esco(careshift, [skills])

    stats = taxonomy_stats(careshift)
    assert (stats["occupations"], stats["skills"]) == (5, 9)
    assert stats["occupation_skill_relations"] == 18
    assert stats["labels"]["en"] == {"occupations": 5, "skills": 9}
    assert snapshot(careshift).concepts[TAKE_BLOOD].label() == ("perform venepuncture", "en")
