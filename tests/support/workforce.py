"""Builders for workforce tests: a tiny local framework, an institution, HR files."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from careshift import Careshift
from careshift.adapters.db.tables import taxonomy as tx
from careshift.services.institutions import Institution, add_institution

PSA = "urn:test:role:psa"
RECORDS = "urn:test:role:records-officer"
REGISTRATION = "urn:test:skill:registration"
PAYMENT = "urn:test:skill:payment"
TRIAGE = "urn:test:skill:triage"
RECORDS_SKILL = "urn:test:skill:records"
PATIENT_CARE = "urn:test:skillgroup:patient-care"
HEADER = ["employee_number", "name", "role", "unit_code", "employed_from", "shift_pattern"]


def load_small_framework(careshift: Careshift) -> None:
    """Two roles with leveled skills; triage and registration share a broader skill group."""
    with careshift.store.transaction() as session:
        release_id = session.execute(
            insert(tx.release)
            .values(kind="local", name="test", version="1", imported_at=datetime.now(UTC))
            .returning(tx.release.c.id)
        ).scalar_one()
        ids = {}
        concepts = [
            (PSA, "role", "PSA", "Patient service associate"),
            (RECORDS, "role", "MRO", "Medical records officer"),
            (REGISTRATION, "skill", None, "Patient registration"),
            (PAYMENT, "skill", None, "Payment handling"),
            (TRIAGE, "skill", None, "Basic triage"),
            (RECORDS_SKILL, "skill", None, "Electronic records"),
            (PATIENT_CARE, "skill_group", None, "Patient care"),
        ]
        for uri, kind, code, label in concepts:
            concept_id = session.execute(
                insert(tx.concept)
                .values(release_id=release_id, uri=uri, kind=kind, code=code)
                .returning(tx.concept.c.id)
            ).scalar_one()
            ids[uri] = concept_id
            session.execute(
                insert(tx.label).values(
                    concept_id=concept_id, lang="en", label_type="preferred", text=label
                )
            )
        relations = [
            (PSA, REGISTRATION, "essential", 3),
            (PSA, PAYMENT, "essential", 2),
            (PSA, TRIAGE, "optional", 2),
            (RECORDS, RECORDS_SKILL, "essential", 4),
            (RECORDS, REGISTRATION, "optional", None),
        ]
        for role, skill, relation, level in relations:
            session.execute(
                insert(tx.occupation_skill).values(
                    occupation_id=ids[role], skill_id=ids[skill], relation=relation, level=level
                )
            )
        for skill in (TRIAGE, REGISTRATION):
            session.execute(
                insert(tx.broader).values(concept_id=ids[skill], broader_id=ids[PATIENT_CARE])
            )
    careshift.invalidate("taxonomy:")


def make_hospital(careshift: Careshift, code: str = "H1") -> Institution:
    return add_institution(careshift, code, f"Hospital {code}", "hospital")


def write_hr_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    columns = header or HEADER
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def make_staff(
    count: int, role: str = "PSA", unit: str = "ED", start: int = 1
) -> list[dict[str, str]]:
    return [
        {
            "employee_number": f"E{start + i:05d}",
            "name": f"Person {start + i}",
            "role": role,
            "unit_code": unit,
            "employed_from": "2020-01-01",
            "shift_pattern": "day",
        }
        for i in range(count)
    ]
