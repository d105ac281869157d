"""A worker's pathways (page, chart, API) and HR's staff gaps in the reader's language."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import SYSTEM, Role
from careshift.domain.frameworks import framework_uri
from careshift.entrypoints.api.app import create_app
from careshift.services import learning, workers
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import load_framework
from tests.conftest import shared_path
from tests.support.accounts import make_account, make_institution, sign_in

CATALOGUE = Path(learning.__file__).resolve().parents[1] / "data" / "starter" / "catalogue.yaml"
PSA = "patient_service_associate"
FRAMEWORK = "careshift-healthcare"


@dataclass
class Hospital:
    careshift: Careshift
    client: TestClient
    id: int
    worker: int


@pytest.fixture
def hospital(careshift: Careshift) -> Iterator[Hospital]:
    shared_path("reference", "exposure")  # pathways rank by exposure
    load_framework(careshift, STARTER_FRAMEWORK)
    learning.import_catalogue(careshift, CATALOGUE)
    place = make_institution(careshift)
    staff = [
        workers.save_worker(careshift, SYSTEM, place, {"employee_number": f"E{i}", "role": PSA}).id
        for i in range(6)
    ]
    # Everyone below the role's level in two skills the catalogue teaches: HR sees those gaps.
    below = {framework_uri(FRAMEWORK, "skill", s): 1 for s in ("ehr_use", "patient_registration")}
    for worker_id in staff:
        workers.rate(careshift, SYSTEM, worker_id, below)
    with TestClient(create_app(careshift), raise_server_exceptions=False) as client:
        yield Hospital(careshift, client, place, staff[0])


def _as(hospital: Hospital, role: Role, lang: str) -> TestClient:
    client = hospital.client
    client.cookies.clear()
    worker = hospital.worker if role == Role.WORKER else None
    sign_in(client, make_account(hospital.careshift, role, hospital.id, worker_id=worker))
    client.cookies.set("careshift_lang", lang)
    return client


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize(
    ("lang", "sentence", "description", "kind"),
    [
        (
            "nb",
            "Bli i rollen din som pasientservicemedarbeider og legg til blodprøvetaking,",
            "Lar en pasientservicemedarbeider eller helsefagarbeider ta rutinemessige blodprøver",
            "utvidet rolle",
        ),
        (
            "sv",
            "Stanna kvar i din roll som patientservicemedarbetare och lägg till blodprovstagning,",
            "Låter en patientservicemedarbetare eller undersköterska ta rutinmässiga blodprov",
            "utökad roll",
        ),
    ],
)
def test_an_enhancement_is_explained_in_the_page_language_with_the_role_by_name(
    hospital: Hospital, lang: str, sentence: str, description: str, kind: str
) -> None:
    page = _as(hospital, Role.WORKER, lang).get("/me/pathways")
    assert page.status_code == 200
    text = _text(page.text)
    assert sentence in text and description in text and kind in text
    assert "stay as" not in text and "enhancement:" not in text
    assert "Value-added service" not in text  # the modules' own names in the page's language


def test_the_api_keeps_its_english_explanation_and_names_the_role_not_the_worker(
    hospital: Hospital,
) -> None:
    client = _as(hospital, Role.WORKER, "nb")
    options = client.get(f"/api/v1/pathways/workers/{hospital.worker}").json()["options"]
    enhancements = [o["explanation"] for o in options if o["kind"] == "enhancement"]
    assert enhancements
    for explanation in enhancements:
        assert explanation.startswith("enhancement: stay as patient service associate, add ")


@pytest.mark.parametrize(
    ("lang", "title", "axis", "option"),
    [
        (
            "nb",
            "Hvor mye av hvert alternativ du allerede dekker",
            "Treffsikkerhet",
            "Tilleggstjeneste: blodprøvetaking",
        ),
        (
            "sv",
            "Hur mycket av varje alternativ du redan täcker",
            "Passform",
            "Tilläggstjänst: blodprovstagning",
        ),
    ],
)
def test_the_pathways_chart_follows_the_page_language(
    hospital: Hospital, lang: str, title: str, axis: str, option: str
) -> None:
    client = _as(hospital, Role.WORKER, lang)
    spec_url = re.search(r'data-spec="([^"]+)"', client.get("/me/pathways").text)
    assert spec_url is not None
    assert spec_url.group(1) == f"/api/v1/charts/pathways/{hospital.worker}?lang={lang}"
    chart = client.get(html.unescape(spec_url.group(1))).json()
    assert chart["title"] == title
    assert chart["encoding"]["x"]["title"] == axis
    assert option in {row["option"] for row in chart["data"]["values"]}


def _course_titles(careshift: Careshift, lang: str) -> tuple[set[str], set[str]]:
    courses = learning.catalogue(careshift).courses.values()
    return {c.title(lang) for c in courses}, {c.title("en") for c in courses}


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_plans_on_the_pathways_page_name_courses_as_my_learning_does(
    hospital: Hospital, lang: str
) -> None:
    page = _as(hospital, Role.WORKER, lang).get("/me/pathways").text
    plans = re.findall(r"<ol><li>(.*?)</ol>", page, flags=re.S)
    shown = {html.unescape(t) for plan in plans for t in re.findall(r"<li>(.*?)</li>", plan)}
    translated, english = _course_titles(hospital.careshift, lang)
    assert shown and shown <= translated
    assert not shown & (english - translated)


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_training_that_closes_most_gaps_names_courses_in_the_page_language(
    hospital: Hospital, lang: str
) -> None:
    page = _as(hospital, Role.HR, lang).get("/hr/gaps").text
    trainings = re.search(r"</h2>\s*<ol>(.*?)</ol>", page, flags=re.S)
    assert trainings is not None
    shown = {html.unescape(t) for t in re.findall(r"<li>(.*?)</li>", trainings.group(1))}
    translated, english = _course_titles(hospital.careshift, lang)
    assert shown and shown <= translated
    assert not shown & (english - translated)
