"""The taxonomy API over a store filled by the real ESCO importer (tests/data/esco_mini)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.entrypoints.api.app import create_app
from careshift.services.taxonomy_import import import_esco
from tests.support.esco_files import CLASSIFICATION, RELATIONS, TRANSLATIONS

NURSE = "http://data.europa.eu/esco/occupation/0a1b2c3d-0001-4a00-8000-000000000001"


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    import_esco(careshift, [CLASSIFICATION, RELATIONS, TRANSLATIONS])
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


def relations_in_file(occupation: str) -> dict[str, set[str]]:
    with (RELATIONS / "occupationSkillRelations.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["occupationUri"] == occupation]
    return {
        kind: {r["skillUri"] for r in rows if r["relationType"] == kind}
        for kind in ("essential", "optional")
    }


def test_an_alt_label_finds_the_imported_occupation(client: TestClient) -> None:
    params = {"q": "registered nurse", "kind": "occupation"}
    first = client.get("/api/v1/search", params=params).json()["results"][0]
    assert (first["uri"], first["label"]) == (NURSE, "nurse responsible for general care")
    assert first["matched_label"] == "registered nurse"


def test_an_imported_occupation_has_the_skills_of_the_relations_file(client: TestClient) -> None:
    body = client.get(f"/api/v1/occupations/{NURSE.rsplit('/', 1)[-1]}").json()
    expected = relations_in_file(NURSE)
    assert {s["uri"] for s in body["essential_skills"]} == expected["essential"]
    assert {s["uri"] for s in body["optional_skills"]} == expected["optional"]
    assert body["isco_code"] == "2221"
    assert body["broader"], "the occupation sits under its ISCO group"


def test_the_attribution_names_the_imported_esco_version(client: TestClient) -> None:
    response = client.get("/api/v1/taxonomy")
    body = response.json()
    assert [(r["kind"], r["version"]) for r in body["releases"]] == [("esco", "v1.1.0")]
    assert body["attribution"] == "ESCO v1.1.0, © European Union, https://esco.ec.europa.eu"
    assert response.headers["X-Taxonomy-Source"].startswith("ESCO v1.1.0, (c) European Union")
