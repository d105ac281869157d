"""The acceptance numbers on the full official ESCO v1.1.1 download (../shared/esco).

Importing it takes a while, so there is one test per backend that imports once and then checks
everything on that store (a module-scoped fixture would be built again on every xdist worker).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from careshift import Careshift, bootstrap, load_settings
from careshift.errors import ImportFailed
from careshift.services.taxonomy_import import import_esco
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


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Careshift]:
    if request.param == "sqlite":
        url, admin = f"sqlite:///{tmp_path / 'careshift.db'}", None
    else:
        server_url: str = request.getfixturevalue("postgres_server")
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('CREATE DATABASE "esco_full"'))
        url = server_url.rsplit("/", 1)[0] + "/esco_full"
    careshift = bootstrap(load_settings(database_url=url, data_dir=tmp_path / "var"))
    try:
        yield careshift
    finally:
        careshift.close()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text('DROP DATABASE IF EXISTS "esco_full" WITH (FORCE)'))
            admin.dispose()


def test_official_download_gives_the_acceptance_numbers_and_reports_its_gaps(
    fresh_store: Careshift,
) -> None:
    careshift, download = fresh_store, _download()

    summary = import_esco(careshift, download)

    stats = taxonomy_stats(careshift)
    assert stats["esco_version"] == "v1.1.1"
    assert (stats["occupations"], stats["skills"]) == (3007, 13896)
    assert stats["occupation_skill_relations"] == 123_855 - 67
    assert stats["isco_groups"] == 619
    assert stats["labels"]["en"] == {"occupations": 3007, "skills": 13896}
    assert stats["labels"]["sv"]["occupations"] >= 3000
    assert stats["labels"]["sv"]["skills"] >= 13000
    assert stats["labels"]["nb"]["occupations"] >= 2900

    dangling = {Path(report.file).name: report for report in summary.dangling}
    relations = dangling["occupationSkillRelations.csv"]
    assert (relations.count, relations.first_lines[0]) == (67, 84425)
    assert dangling["broaderRelationsSkillPillar.csv"].count > 0
    assert any("5 row(s) with an empty skillType" in note for note in summary.notes)

    # --strict on the official relations refuses, naming the first dangling line ...
    with pytest.raises(ImportFailed) as refused:
        import_esco(careshift, [download[1]], strict=True)
    assert "occupationSkillRelations.csv:84425" in str(refused.value)
    assert taxonomy_stats(careshift) == stats

    # ... and importing the whole download again writes nothing.
    again = import_esco(careshift, download)
    assert not again.changed
    assert taxonomy_stats(careshift) == stats
