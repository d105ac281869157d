"""Search as a use case over a real store: validation, index freshness, the CLI command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from careshift import Careshift
from careshift.adapters.db.tables import taxonomy as t
from careshift.entrypoints.cli import app as cli
from careshift.errors import InputError
from careshift.services.frameworks import load_framework
from careshift.services.search import search
from tests.support.search_taxonomy import (
    ECG,
    HEALTH_SECRETARY,
    ISCO_3256,
    NURSE,
    PHLEBOTOMIST,
    PHLEBOTOMY,
    insert_small_taxonomy,
)


@pytest.mark.parametrize(
    ("text", "kind", "lang", "top", "message"),
    [
        ("", None, "en", 10, "empty"),
        ("   ", None, "en", 10, "empty"),
        ("-/-", None, "en", 10, "no letters or digits"),
        ("nurse", "doctor", "en", 10, "allowed: occupation, skill, isco_group"),
        ("nurse", None, "de", 10, "allowed: en, nb, sv"),
        ("nurse", None, "en", 0, "between 1 and 100"),
        ("nurse", None, "en", 101, "between 1 and 100"),
        ("n" * 201, None, "en", 10, "limit is 200"),
    ],
)
def test_bad_search_requests_are_refused_with_the_allowed_values(
    careshift: Careshift, text: str, kind: str | None, lang: str, top: int, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        search(careshift, text, kind=kind, lang=lang, top=top)


def test_search_sees_a_taxonomy_imported_after_the_first_query(careshift: Careshift) -> None:
    assert search(careshift, "phlebotomy") == []
    insert_small_taxonomy(careshift)
    hits = search(careshift, "phlebotomy")
    assert hits[0].uri == PHLEBOTOMY
    assert (hits[0].label, hits[0].matched_label, hits[0].match) == (
        "perform phlebotomy",
        "phlebotomy",
        "exact",
    )


def test_search_labels_hits_in_the_asked_language(careshift: Careshift) -> None:
    insert_small_taxonomy(careshift)
    nurse = search(careshift, "SJUKSKOTERSKA", lang="sv")[0]
    assert (nurse.uri, nurse.label, nurse.label_lang, nurse.fallback) == (
        NURSE,
        "sjuksköterska",
        "sv",
        False,
    )
    ecg = search(careshift, "ECG", lang="nb")[0]
    assert (ecg.uri, ecg.label, ecg.label_lang, ecg.fallback) == (
        ECG,
        "record an electrocardiogram",
        "en",
        True,
    )


def test_search_keeps_one_kind_and_the_top_results(careshift: Careshift) -> None:
    insert_small_taxonomy(careshift)
    assert [h.uri for h in search(careshift, "phleb", kind="occupation")] == [PHLEBOTOMIST]
    assert [h.kind for h in search(careshift, "helse", kind="isco_group", lang="nb")] == [
        "isco_group"
    ]
    assert len(search(careshift, "e", top=2)) == 2


def test_cli_search_prints_the_results_as_json(
    careshift: Careshift, database_url: str, tmp_path: Path
) -> None:
    insert_small_taxonomy(careshift)
    env = {"CARESHIFT_DATABASE_URL": database_url, "CARESHIFT_DATA_DIR": str(tmp_path / "var")}
    args = ["taxonomy", "search", "helsesekretaer", "--lang", "nb", "--kind", "occupation"]
    result = CliRunner().invoke(cli, [*args, "--top", "3", "--json"], env=env)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert list(payload) == ["results"]
    first = payload["results"][0]
    assert (first["uri"], first["label"]) == (HEALTH_SECRETARY, "helsesekretær")
    assert 0 < first["score"] <= 1
    assert len(payload["results"]) <= 3


def test_cli_search_refuses_an_unknown_language_with_exit_code_2(
    careshift: Careshift, database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "CARESHIFT_DATABASE_URL": database_url,
        "CARESHIFT_DATA_DIR": str(tmp_path / "var"),
    }
    command = [str(Path(sys.executable).with_name("careshift")), "taxonomy", "search", "nurse"]
    result = subprocess.run(
        [*command, "--lang", "fi"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "allowed: en, nb, sv" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_starter_framework_alone_makes_phlebotomy_findable(careshift: Careshift) -> None:
    starter = Path(__file__).resolve().parents[2] / "src/careshift/data/starter/healthcare.yaml"
    load_framework(careshift, starter)
    hit = search(careshift, "phlebotomy")[0]
    assert (hit.kind, hit.label, hit.match) == ("skill", "phlebotomy", "exact")
    secretary = search(careshift, "helsesekretaer", kind="role", lang="nb")[0]
    assert (secretary.label, secretary.label_lang) == ("helsesekretær", "nb")


def test_an_occupation_ranks_ahead_of_a_group_with_the_same_label(careshift: Careshift) -> None:
    insert_small_taxonomy(careshift)
    with careshift.store.engine.begin() as connection:
        group_id = connection.execute(
            select(t.concept.c.id).where(t.concept.c.uri == ISCO_3256)
        ).scalar_one()
        connection.execute(
            insert(t.label),
            {
                "concept_id": group_id,
                "lang": "sv",
                "label_type": "preferred",
                "text": "flebotomist",
            },
        )
    careshift.invalidate("taxonomy:")
    # both are exact preferred labels; the group's URI (.../isco/C3256) sorts first
    hits = search(careshift, "flebotomist", lang="sv")
    assert [h.uri for h in hits] == [PHLEBOTOMIST, ISCO_3256]
    assert hits[0].score == hits[1].score
