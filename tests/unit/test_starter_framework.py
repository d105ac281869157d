"""The bundled healthcare starter framework: complete, trilingual and linked to real ESCO URIs."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from careshift.adapters.files.framework_yaml import read_framework
from careshift.services.demo import STARTER_FRAMEWORK
from tests.conftest import shared_path

CLASSIFICATION_ZIP = "ESCO dataset - v1.1.1 - classification - en - csv.zip"
CONCEPT_FILES = ("occupations_en.csv", "skills_en.csv", "ISCOGroups_en.csv")


@pytest.fixture(scope="module")
def starter() -> dict[str, Any]:
    return read_framework(STARTER_FRAMEWORK).data


def esco_uris() -> set[str]:
    """Every concept URI of the official ESCO v1.1.1 English classification download."""
    uris: set[str] = set()
    with zipfile.ZipFile(shared_path("esco", "v1.1.1", CLASSIFICATION_ZIP)) as archive:
        for member in archive.namelist():
            if member.rsplit("/", 1)[-1] in CONCEPT_FILES:
                with archive.open(member) as raw:
                    rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
                    uris.update(row["conceptUri"] for row in rows)
    return uris


def linked_uris(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for item in [*data["skills"], *data["roles"]]:
        for link in item.get("esco", []):
            yield item["id"], link["uri"]


def test_every_esco_uri_of_the_starter_framework_exists_in_esco_v1_1_1(
    starter: dict[str, Any],
) -> None:
    known = esco_uris()
    assert len(known) > 17_000  # occupations + skills + ISCO groups: the real download was read
    missing = [(item, uri) for item, uri in linked_uris(starter) if uri not in known]
    assert missing == []


def test_every_role_and_skill_is_labelled_in_english_norwegian_and_swedish(
    starter: dict[str, Any],
) -> None:
    items = [*starter["skills"], *starter["roles"], *starter["enhancement_modules"]]
    unlabelled = [item["id"] for item in items if set(item["label"]) != {"en", "nb", "sv"}]
    assert unlabelled == []
    tasks = [task for role in starter["roles"] for task in role.get("tasks", [])]
    assert [task["id"] for task in tasks if set(task["label"]) != {"en", "nb", "sv"}] == []


def test_starter_framework_covers_the_roles_the_project_is_about(starter: dict[str, Any]) -> None:
    roles = {role["id"] for role in starter["roles"]}
    assert {
        "patient_service_associate",
        "medical_records_officer",
        "clinical_coder",
        "health_secretary",
        "healthcare_assistant",
        "care_coordinator",
        "health_informatics_assistant",
        "registered_nurse",
    } <= roles
    assert 40 <= len(starter["skills"]) <= 80


def test_patient_service_associate_offers_the_value_added_services(
    starter: dict[str, Any],
) -> None:
    psa = next(r for r in starter["roles"] if r["id"] == "patient_service_associate")
    modules = {m["id"]: m for m in starter["enhancement_modules"]}
    offered = {
        skill["skill"] for module in psa["enhancements"] for skill in modules[module]["skills"]
    }
    assert {"phlebotomy", "ecg_recording", "care_coordination", "peer_training"} <= offered
    removed = {t["id"] for t in psa["tasks"] if t["change"] == "removed"}
    assert {"counter_registration", "payment_collection"} <= removed


def test_health_secretary_requires_every_area_of_its_curriculum(starter: dict[str, Any]) -> None:
    secretary = next(r for r in starter["roles"] if r["id"] == "health_secretary")
    required = {skill["skill"] for skill in secretary["skills"]}
    curriculum = {
        "ict_security",
        "healthcare_logistics",
        "patient_service",
        "treatment_room_work",
        "phlebotomy",
        "laboratory_work",
        "medical_office_work",
    }
    assert curriculum <= required
    assert secretary["label"]["nb"] == "helsesekretær"
