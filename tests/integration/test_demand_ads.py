"""Competence demand from a folder of job ads in Norwegian, Swedish and English.

The taxonomy is ``tests/data/esco_mini``; the ads are linked by the real linking service (the
default embedding model, offline). Nobody works at the institution yet, so every competence the
ads ask for is short, and the one all three ads ask for comes first.
"""

from __future__ import annotations

from pathlib import Path

from careshift import Careshift
from careshift.domain.access import SYSTEM
from careshift.services.competence_demand import demand_report, read_ads
from tests.support.workforce import make_hospital

SKILL = "http://data.europa.eu/esco/skill/5b6c7d8e-000{0}-4b00-9000-00000000000{0}"
BLOOD, EHR = SKILL.format(1), SKILL.format(5)
ADS = {
    "helsesekretaer.nb.txt": "Vi søker helsesekretær som kan ta blodprøver og føre elektronisk "
    "pasientjournal på legekontoret.",
    "biomedicinsk-analytiker.sv.txt": "Vi söker dig som tar blodprover och använder "
    "elektroniska patientjournaler i det dagliga arbetet.",
    "phlebotomist.txt": "We are hiring a phlebotomist to take blood samples from patients.",
}


def write_ads(folder: Path) -> Path:
    folder.mkdir()
    for name, text in ADS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_ads_take_their_language_from_the_file_name(tmp_path: Path) -> None:
    ads = read_ads(write_ads(tmp_path / "ads"), default_lang="en")
    assert [(name, lang) for name, lang, _ in ads] == [
        ("biomedicinsk-analytiker.sv.txt", "sv"),
        ("helsesekretaer.nb.txt", "nb"),
        ("phlebotomist.txt", "en"),
    ]


def test_job_ads_in_three_languages_list_the_top_short_competences(
    linked: Careshift, tmp_path: Path
) -> None:
    place = make_hospital(linked, "H").id
    report = demand_report(linked, SYSTEM, place, ads=write_ads(tmp_path / "ads"))
    top = report["competences"][0]
    assert top["skill_uri"] == BLOOD
    assert top["demand"] == 3 and top["shortage"] == 3
    assert top["sources"] == ["ads:en", "ads:nb", "ads:sv"]
    digital = demand_report(linked, SYSTEM, place, ads=tmp_path / "ads", collection="digital")
    assert digital["competences"] and all(
        "digital" in row["tags"] for row in digital["competences"]
    )
    assert EHR in {row["skill_uri"] for row in digital["competences"]}
