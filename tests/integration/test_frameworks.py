"""Loading local frameworks into the store: idempotent, versioned, transactional."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from careshift import Careshift
from careshift.adapters.db.tables import taxonomy as t
from careshift.domain.frameworks import TaskChange
from careshift.domain.taxonomy import ConceptKind, LabelType
from careshift.errors import ImportFailed
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import framework_roles, load_framework
from careshift.services.taxonomy import snapshot

BASE = "https://careshift.eu/framework/careshift-healthcare"
TABLES = (t.release, t.concept, t.label, t.occupation_skill, t.tag, t.link)


def row_counts(careshift: Careshift) -> dict[str, int]:
    with careshift.store.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in TABLES
        }


def starter_copy(tmp_path: Path, **framework: Any) -> tuple[Path, dict[str, Any]]:
    data = yaml.safe_load(STARTER_FRAMEWORK.read_text(encoding="utf-8"))
    data["framework"].update(framework)
    path = tmp_path / "copy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path, data


def test_starter_framework_roles_skills_levels_and_links_are_in_the_snapshot(
    careshift: Careshift,
) -> None:
    summary = load_framework(careshift, STARTER_FRAMEWORK)
    assert summary["status"] == "loaded"
    taxonomy = snapshot(careshift)
    roles = taxonomy.of_kind(ConceptKind.ROLE)
    skills = taxonomy.of_kind(ConceptKind.SKILL)
    assert (len(roles), len(skills)) == (summary["roles"], summary["skills"])

    phlebotomy = taxonomy.concepts[f"{BASE}/skill/phlebotomy"]
    assert phlebotomy.label("nb") == ("blodprøvetaking", "nb")
    assert phlebotomy.label("sv") == ("blodprovstagning", "sv")
    assert "venepuncture" in phlebotomy.labels["en"][LabelType.ALT]
    assert {"clinical_support", "value_added_service"} <= phlebotomy.tags

    secretary = f"{BASE}/role/health_secretary"
    assert taxonomy.concepts[secretary].isco_code == "3256"
    levels = {(r.skill_uri, r.relation, r.level) for r in taxonomy.skills_of(secretary)}
    assert (f"{BASE}/skill/phlebotomy", "essential", 3) in levels
    assert (f"{BASE}/skill/ecg_recording", "optional", 2) in levels

    venepuncture = "http://data.europa.eu/esco/skill/0646be77-a425-40da-8577-f77d1198c67f"
    assert (f"{BASE}/skill/phlebotomy", venepuncture, "exact") in taxonomy.links
    assert len(taxonomy.links) == summary["esco_links"]


def test_loading_the_same_framework_twice_changes_nothing(careshift: Careshift) -> None:
    first = load_framework(careshift, STARTER_FRAMEWORK)
    counts = row_counts(careshift)
    second = load_framework(careshift, STARTER_FRAMEWORK)
    assert second["status"] == "unchanged"
    assert second["release_id"] == first["release_id"]
    assert row_counts(careshift) == counts


def test_a_new_version_lives_beside_the_old_and_the_snapshot_reads_the_newest(
    careshift: Careshift, tmp_path: Path
) -> None:
    load_framework(careshift, STARTER_FRAMEWORK)
    path, data = starter_copy(tmp_path, version="1.1.0")
    data["skills"][0]["label"]["en"] = "patient check-in"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_framework(careshift, path)["status"] == "loaded"
    assert row_counts(careshift)["taxonomy_release"] == 2
    taxonomy = snapshot(careshift)
    assert taxonomy.releases == ("local careshift-healthcare 1.1.0",)
    uri = f"{BASE}/skill/{data['skills'][0]['id']}"
    assert taxonomy.concepts[uri].label("en") == ("patient check-in", "en")


def test_changed_content_under_the_same_version_replaces_that_version(
    careshift: Careshift, tmp_path: Path
) -> None:
    load_framework(careshift, STARTER_FRAMEWORK)
    path, data = starter_copy(tmp_path)
    data["roles"] = [r for r in data["roles"] if r["id"] != "registered_nurse"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_framework(careshift, path)["status"] == "replaced"
    assert row_counts(careshift)["taxonomy_release"] == 1
    assert f"{BASE}/role/registered_nurse" not in snapshot(careshift).concepts


def test_a_refused_file_writes_nothing(careshift: Careshift, tmp_path: Path) -> None:
    load_framework(careshift, STARTER_FRAMEWORK)
    counts = row_counts(careshift)
    path, data = starter_copy(tmp_path, version="2.0.0")
    data["roles"][0]["skills"][0]["skill"] = "no_such_skill"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        load_framework(careshift, path)
    assert info.value.problems[0].field == "roles[0].skills[0].skill"
    assert row_counts(careshift) == counts


def test_framework_roles_carry_tasks_and_enhancement_modules(careshift: Careshift) -> None:
    load_framework(careshift, STARTER_FRAMEWORK)
    psa = framework_roles(careshift)[f"{BASE}/role/patient_service_associate"]
    assert (psa.family, psa.level, psa.pay_grade) == ("patient_services", 2, "PS-2")
    registration = next(task for task in psa.tasks if task.id == "counter_registration")
    assert registration.change is TaskChange.REMOVED
    assert registration.skill_uris == (f"{BASE}/skill/patient_registration",)
    assert psa.share_changed_by(2026) == pytest.approx(0.10)
    assert psa.share_changed_by(2027) == pytest.approx(0.60)
    phlebotomy = next(m for m in psa.enhancements if m.id == "vas_phlebotomy")
    assert (f"{BASE}/skill/phlebotomy", 3) in {(s.skill_uri, s.level) for s in phlebotomy.skills}
    assert phlebotomy.label("sv") == "Tilläggstjänst: blodprovstagning"
