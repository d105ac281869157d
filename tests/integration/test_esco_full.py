"""The acceptance numbers on the full official ESCO v1.1.1 download (../shared/esco).

Importing it takes a while, so each backend imports once per module and every test reads that
store; the one test that tries to write (``--strict``) must leave it unchanged anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from careshift import Careshift, bootstrap, load_settings
from careshift.errors import ImportFailed
from careshift.services.taxonomy_import import ImportSummary, import_esco
from careshift.services.taxonomy_stats import taxonomy_stats
from tests.conftest import shared_path

pytestmark = [pytest.mark.integration, pytest.mark.esco]

RELATIONS_ZIP = "ESCO dataset - v1.1.1 - classification -  - csv.zip"
CLASSIFICATION_ZIP = "ESCO dataset - v1.1.1 - classification - en - csv.zip"


def _download() -> list[Path]:
    release = shared_path("esco", "v1.1.1")
    translations = shared_path("esco", "translations")
    return [
        release / CLASSIFICATION_ZIP,
        release / RELATIONS_ZIP,
        *sorted(translations.glob("*.csv")),
    ]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Careshift, ImportSummary]]:
    paths = _download()
    folder = tmp_path_factory.mktemp(f"esco-{request.param}")
    if request.param == "sqlite":
        url, drop = f"sqlite:///{folder / 'careshift.db'}", None
    else:
        server_url: str = request.getfixturevalue("postgres_server")
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('CREATE DATABASE "esco_full"'))
        url, drop = server_url.rsplit("/", 1)[0] + "/esco_full", admin
    careshift = bootstrap(load_settings(database_url=url, data_dir=folder / "var"))
    try:
        yield careshift, import_esco(careshift, paths)
    finally:
        careshift.close()
        if drop is not None:
            with drop.connect() as connection:
                connection.execute(text('DROP DATABASE IF EXISTS "esco_full" WITH (FORCE)'))
            drop.dispose()


def test_full_download_gives_the_acceptance_counts(
    imported: tuple[Careshift, ImportSummary],
) -> None:
    careshift, _ = imported

    stats = taxonomy_stats(careshift)

    assert stats["esco_version"] == "v1.1.1"
    assert (stats["occupations"], stats["skills"]) == (3007, 13896)
    assert stats["occupation_skill_relations"] == 123_855 - 67
    assert stats["isco_groups"] == 619
    assert stats["labels"]["en"] == {"occupations": 3007, "skills": 13896}
    assert stats["labels"]["sv"]["occupations"] >= 3000
    assert stats["labels"]["sv"]["skills"] >= 13000
    assert stats["labels"]["nb"]["occupations"] >= 2900


def test_the_67_dangling_relation_rows_are_reported_from_line_84425(
    imported: tuple[Careshift, ImportSummary],
) -> None:
    _, summary = imported

    report = next(r for r in summary.dangling if r.file.endswith("occupationSkillRelations.csv"))

    assert report.count == 67
    assert report.first_lines[0] == 84425
    skill_pillar = [
        r for r in summary.dangling if r.file.endswith("broaderRelationsSkillPillar.csv")
    ]
    assert skill_pillar
    assert skill_pillar[0].count > 0
    assert any("5 rows with an empty skillType" in note for note in summary.notes)


def test_strict_on_the_official_relations_fails_naming_line_84425_and_changes_nothing(
    imported: tuple[Careshift, ImportSummary],
) -> None:
    careshift, _ = imported
    before = taxonomy_stats(careshift)
    release = shared_path("esco", "v1.1.1")

    with pytest.raises(ImportFailed) as refused:
        import_esco(careshift, [release / RELATIONS_ZIP], strict=True)

    assert "occupationSkillRelations.csv:84425" in str(refused.value)
    assert taxonomy_stats(careshift) == before


def test_importing_the_full_download_again_changes_nothing(
    imported: tuple[Careshift, ImportSummary],
) -> None:
    careshift, _ = imported

    again = import_esco(careshift, _download())

    assert not again.changed
    assert again.counts["occupation_skill"] == 123_788
