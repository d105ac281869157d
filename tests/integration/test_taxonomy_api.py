"""REST taxonomy API over a real store: search, occupation and skill lookup, releases, problems."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.entrypoints.api.app import create_app
from careshift.services.frameworks import load_framework
from tests.support.search_taxonomy import (
    ECG,
    HEALTH_SECRETARY,
    ISCO_3256,
    NURSE,
    PHLEBOTOMIST,
    PHLEBOTOMY,
    insert_small_taxonomy,
)

STARTER = Path(__file__).resolve().parents[2] / "src/careshift/data/starter/healthcare.yaml"
CREDIT = "ESCO v1.1.1, © European Union, https://esco.ec.europa.eu"
HEADER = CREDIT.replace("©", "(c)")


@pytest.fixture
def client(careshift: Careshift) -> Iterator[TestClient]:
    insert_small_taxonomy(careshift)
    with TestClient(create_app(careshift), raise_server_exceptions=False) as test_client:
        yield test_client


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def assert_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    assert "Traceback" not in response.text  # type: ignore[attr-defined]
    return body


def test_search_finds_phlebotomy_by_its_start_and_credits_esco(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "phleb"})
    assert response.status_code == 200
    body = response.json()
    assert {r["uri"] for r in body["results"]} == {PHLEBOTOMIST, PHLEBOTOMY}
    assert all(0 <= r["score"] <= 1 for r in body["results"])
    assert body["attribution"] == CREDIT
    assert response.headers["X-Taxonomy-Source"] == HEADER


def test_search_filters_by_kind_and_finds_typos(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "flebotomy", "kind": "skill"}).json()
    assert [r["uri"] for r in body["results"]] == [PHLEBOTOMY]
    assert body["results"][0]["match"] == "fuzzy"


def test_search_in_norwegian_ignores_accents_and_shows_the_norwegian_label(
    client: TestClient,
) -> None:
    params = {"q": "helsesekretaer", "lang": "nb", "kind": "occupation"}
    first = client.get("/api/v1/search", params=params).json()["results"][0]
    assert (first["uri"], first["label"], first["label_lang"]) == (
        HEALTH_SECRETARY,
        "helsesekretær",
        "nb",
    )


def test_search_in_swedish_falls_back_to_english_labels_and_says_so(client: TestClient) -> None:
    params = {"q": "electrocardiogram", "lang": "sv"}
    first = client.get("/api/v1/search", params=params).json()["results"][0]
    assert (first["uri"], first["label_lang"], first["fallback"]) == (ECG, "en", True)


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"q": "nurse", "kind": "doctor"}, "occupation, skill"),
        ({"q": "nurse", "lang": "de"}, "en, nb, sv"),
        ({"q": "nurse", "top": "0"}, "top"),
        ({"q": "nurse", "top": "101"}, "top"),
        ({"q": "nurse", "top": "many"}, "top"),
        ({"q": ""}, "q"),
        ({"q": "  "}, "empty"),
        ({}, "q"),
    ],
)
def test_bad_search_parameters_are_a_422_problem_naming_the_field(
    client: TestClient, params: dict[str, str], mentions: str
) -> None:
    response = client.get("/api/v1/search", params=params)
    body = assert_problem(response, 422)
    assert mentions in str(body["detail"])
    assert response.headers["X-Taxonomy-Source"] == HEADER


def test_an_occupation_by_uuid_has_labels_skills_hierarchy_and_release(client: TestClient) -> None:
    response = client.get(f"/api/v1/occupations/{uuid(PHLEBOTOMIST)}")
    assert response.status_code == 200
    body = response.json()
    assert body["uri"] == PHLEBOTOMIST
    assert body["labels"]["en"] == {
        "preferred": "phlebotomist",
        "alt": ["phlebotomy technician"],
        "hidden": [],
        "careshift": [],  # none of careshift's own labels (data/labels) are for occupations
    }
    assert body["labels"]["sv"]["preferred"] == "flebotomist"
    assert body["isco_code"] == "3256"
    assert [s["uri"] for s in body["essential_skills"]] == [PHLEBOTOMY]
    assert [s["uri"] for s in body["optional_skills"]] == [ECG]
    assert [b["uri"] for b in body["broader"]] == [ISCO_3256]
    assert body["release"] == "esco v1.1.1"
    assert body["attribution"] == CREDIT
    assert response.headers["X-Taxonomy-Source"] == HEADER


def test_an_occupation_by_url_encoded_uri_labels_related_concepts_in_the_language(
    client: TestClient,
) -> None:
    response = client.get(f"/api/v1/occupations/{quote(NURSE, safe='')}", params={"lang": "sv"})
    assert response.status_code == 200
    body = response.json()
    assert body["uri"] == NURSE
    assert body["labels"]["en"]["hidden"] == ["RN"]
    # the phlebotomy skill has a Swedish label, the ECG skill has none (English fallback)
    assert [s["label"] for s in body["optional_skills"]] == ["ta blodprov"]
    assert [s["label"] for s in body["essential_skills"]] == ["record an electrocardiogram"]


def test_a_skill_lists_the_occupations_that_need_it(client: TestClient) -> None:
    body = client.get(f"/api/v1/skills/{uuid(PHLEBOTOMY)}").json()
    assert [o["uri"] for o in body["essential_for"]] == [PHLEBOTOMIST]
    assert [o["uri"] for o in body["optional_for"]] == [NURSE]
    assert body["labels"]["en"]["alt"] == ["phlebotomy"]


def test_unknown_ids_and_ids_of_the_other_kind_are_404_problems(client: TestClient) -> None:
    for path in (
        "/api/v1/occupations/00000000-0000-0000-0000-000000000000",
        f"/api/v1/occupations/{uuid(PHLEBOTOMY)}",
        f"/api/v1/skills/{quote(PHLEBOTOMIST, safe='')}",
    ):
        response = client.get(path)
        body = assert_problem(response, 404)
        assert "id" in str(body["detail"])
        assert response.headers["X-Taxonomy-Source"] == HEADER


def test_a_lookup_in_an_unknown_language_is_a_422_problem(client: TestClient) -> None:
    body = assert_problem(client.get(f"/api/v1/skills/{uuid(ECG)}", params={"lang": "fr"}), 422)
    assert "en, nb, sv" in str(body["detail"])


def test_taxonomy_names_the_release_in_use_and_the_esco_credit(client: TestClient) -> None:
    response = client.get("/api/v1/taxonomy")
    body = response.json()
    assert [(r["kind"], r["version"]) for r in body["releases"]] == [("esco", "v1.1.1")]
    assert body["attribution"] == CREDIT
    assert body["concepts"] == {"isco_group": 1, "occupation": 3, "skill": 3}
    assert response.headers["X-Taxonomy-Source"] == HEADER


def test_openapi_describes_the_taxonomy_routes_with_public_models(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/v1/search", "/api/v1/taxonomy", "/api/v1/occupations/{concept_id}"):
        assert path in spec["paths"]
    schemas = spec["components"]["schemas"]
    for name in ("SearchPublic", "OccupationPublic", "SkillPublic", "TaxonomyPublic"):
        assert name in schemas
    assert schemas["OccupationPublic"]["examples"][0]["kind"] == "occupation"


def test_a_local_role_shows_skill_levels_and_its_esco_counterparts(careshift: Careshift) -> None:
    load_framework(careshift, STARTER)
    with TestClient(create_app(careshift)) as client:
        response = client.get("/api/v1/occupations/patient_service_associate")
    body = response.json()
    assert body["kind"] == "role"
    assert set(body["labels"]) == {"en", "nb", "sv"}
    assert body["essential_skills"]
    assert all(1 <= s["level"] <= 6 for s in body["essential_skills"])
    assert body["links"]
    assert all(link["uri"].startswith("http://data.europa.eu/esco/") for link in body["links"])
    assert {link["match"] for link in body["links"]} <= {"exact", "broad"}
    # no ESCO release is loaded, so the credit names ESCO without a version
    assert body["attribution"] == "ESCO, © European Union, https://esco.ec.europa.eu"
