"""The "Link a text" page (/taxonomy/link) on the tiny ESCO-format taxonomy, on both databases.

Label embeddings are shared between tests the way tests/integration/test_linking.py shares them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift, bootstrap
from careshift.domain.access import Role
from careshift.entrypoints.api.app import create_app
from tests.support.accounts import csrf_of, make_account, make_institution, sign_in

BLOOD = "http://data.europa.eu/esco/skill/5b6c7d8e-0001-4b00-9000-000000000001"
HEALTH_SECRETARY = "http://data.europa.eu/esco/occupation/0a1b2c3d-0003-4a00-8000-000000000003"
NORWEGIAN_CV = "Jeg tar blodprøver og håndterer pasientjournaler."


@pytest.fixture
def reader(linked: Careshift) -> TestClient:
    client = TestClient(create_app(linked))
    sign_in(client, make_account(linked, Role.WORKER, make_institution(linked)))
    return client


def _post(client: TestClient, headers: dict[str, str] | None = None, **form: str) -> str:
    page = client.get("/taxonomy/link", headers=headers)
    assert page.status_code == 200
    response = client.post(
        "/taxonomy/link", data={**form, "csrf_token": csrf_of(page.text)}, headers=headers
    )
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_a_norwegian_text_links_to_blood_samples_with_the_supporting_words_marked(
    reader: TestClient,
) -> None:
    html = _post(reader, text=NORWEGIAN_CV, kind="skills", lang="nb", top="5")
    concept_link = f'href="/taxonomy/concept?uri={quote(BLOOD, safe="/")}"'
    assert re.search(re.escape(concept_link) + r"[^>]*>take blood samples</a>", html)
    assert re.search(r"<mark>[^<]*blodprøver[^<]*</mark>", html)
    assert "Likelihood:" in html and "<meter" in html
    assert "ESCO" in html  # the attribution line
    # User text is escaped everywhere: in the excerpts and in the refilled textarea.
    hostile = _post(reader, text=f"<b>{NORWEGIAN_CV}</b>", kind="skills", lang="nb", top="5")
    assert "<b>" not in hostile and "&lt;b&gt;" in hostile
    assert re.search(r"<mark>[^<]*blodprøver[^<]*</mark>", hostile)


def test_an_empty_text_gets_a_friendly_message(reader: TestClient) -> None:
    html = _post(reader, text="  \n ", kind="skills", lang="en", top="10")
    assert "There was no text to link" in html
    assert "<mark>" not in html


def test_job_titles_link_to_occupations_labelled_in_the_readers_language(
    reader: TestClient,
) -> None:
    html = _post(reader, text="helsesekretær\n\n", kind="occupations", lang="nb", top="3")
    concept_link = f'href="/taxonomy/concept?uri={quote(HEALTH_SECRETARY, safe="/")}"'
    # The English reader sees the English label; the title is the supporting span.
    assert re.search(re.escape(concept_link) + r"[^>]*>medical records clerk</a>", html)
    assert "<mark>helsesekretær</mark>" in html
    swedish = _post(
        reader,
        {"accept-language": "sv"},
        text="helsesekretær",
        kind="occupations",
        lang="nb",
        top="3",
    )
    assert "Koppla en text till färdigheter eller yrken" in swedish
    assert re.search(re.escape(concept_link) + r"[^>]*>journalarkivarie</a>", swedish)


def test_the_taxonomy_page_links_here_and_anonymous_readers_are_sent_to_sign_in(
    linked: Careshift, reader: TestClient
) -> None:
    assert 'href="/taxonomy/link"' in reader.get("/taxonomy").text
    anonymous = TestClient(create_app(linked))
    assert 'href="/taxonomy/link"' not in anonymous.get("/taxonomy").text
    response = anonymous.get("/taxonomy/link", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/taxonomy/link"


def test_a_form_without_the_csrf_token_is_refused(reader: TestClient) -> None:
    response = reader.post("/taxonomy/link", data={"text": NORWEGIAN_CV, "kind": "skills"})
    assert response.status_code == 403
    assert "<mark>" not in response.text


def test_oversized_or_malformed_input_is_a_422_page(reader: TestClient) -> None:
    token = csrf_of(reader.get("/taxonomy/link").text)
    cases = [
        ({"text": "a" * 1_000_001, "kind": "skills"}, "limit is 1,000,000"),
        ({"text": "nurse", "kind": "tasks"}, "kind must be one of"),
        ({"text": "nurse", "kind": "skills", "lang": "de"}, "unsupported language"),
        ({"text": "nurse", "kind": "skills", "top": "21"}, "top"),
    ]
    for form, message in cases:
        response = reader.post("/taxonomy/link", data={**form, "csrf_token": token})
        assert response.status_code == 422, form
        assert "text/html" in response.headers["content-type"]
        assert message in response.text, form


def test_a_skill_without_a_norwegian_label_is_named_by_careshifts_and_says_so(
    linked: Careshift, tmp_path: Path
) -> None:
    # careshift's own table names real ESCO URIs; this store holds test ones, so a table of
    # its own comes through the setting
    table = tmp_path / "labels.csv"
    table.write_text(f"conceptUri,lang,label\n{BLOOD},nb,ta blodprøver\n", encoding="utf-8")
    careshift = bootstrap(linked.settings.model_copy(update={"skill_labels": table}))
    try:
        _shows_careshifts_name(careshift)
    finally:
        careshift.close()


def _shows_careshifts_name(careshift: Careshift) -> None:
    client = TestClient(create_app(careshift))
    sign_in(client, make_account(careshift, Role.WORKER, make_institution(careshift)))
    page = f"/taxonomy/concept?uri={quote(BLOOD, safe='/')}"

    norwegian = html.unescape(client.get(page, headers={"accept-language": "nb"}).text)
    assert re.search(r'<h1 lang="nb">ta blodprøver</h1>', norwegian)
    assert "Dette navnet er careshifts oversettelse" in norwegian
    english = html.unescape(client.get(page, headers={"accept-language": "en"}).text)
    assert re.search(r'<h1 lang="en">take blood samples</h1>', english)
    assert "This name is careshift's translation" not in english

    detail = client.get(f"/api/v1/skills/{quote(BLOOD, safe='')}").json()
    assert detail["labels"]["nb"] == {
        "preferred": None,
        "alt": [],
        "hidden": [],
        "careshift": ["ta blodprøver"],
    }
    assert detail["labels"]["en"]["careshift"] == []

    # the link API says whose name it gives: careshift's Norwegian, the taxonomy's English
    for lang, label, source in (("nb", "ta blodprøver", "careshift"), ("en", None, "taxonomy")):
        response = client.post(
            "/api/v1/link/skills", json={"texts": [NORWEGIAN_CV], "lang": lang, "top": 20}
        )
        assert response.status_code == 200, response.text
        [blood] = [r for r in response.json()[0]["results"] if r["uri"] == BLOOD]
        assert (blood["label_lang"], blood["label_source"]) == ("nb" if label else "en", source)
        assert blood["label"] == (label or "take blood samples")
