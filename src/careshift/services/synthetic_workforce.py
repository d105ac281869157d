"""A synthetic hospital workforce: HR rows, skill evidence and an engagement session.

Used by the demo (60 people), by the benchmark (the academy's 4,600: 4,000 patient service
associates and 600 medical records officers) and by ``scripts/synthetic-hospital.py``. Every
number comes from a seeded ``random.Random``: the same seed gives the same hospital. Nobody in it
is real; names are drawn from short en/nb/sv lists.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select

from careshift.adapters.db.tables import workforce as t
from careshift.adapters.db.tables.platform import institution
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM
from careshift.services.requirements import role_index

__all__ = ["PSA", "RECORDS_OFFICER", "hr_rows", "seed_demo_workforce", "seed_ratings"]

PSA = "patient_service_associate"
RECORDS_OFFICER = "medical_records_officer"
_UNITS = {
    PSA: [("OPD", "Outpatient registration"), ("ED", "Emergency front desk"),
          ("BILL", "Billing and payment"), ("WARD", "Ward services"), ("PHAR", "Pharmacy counter")],
    RECORDS_OFFICER: [("MRD", "Medical records"), ("CODE", "Coding and archive")],
}  # fmt: skip
_FIRST = ["Aisha", "Wei", "Siti", "Kumar", "Ingrid", "Ola", "Kari", "Lars", "Elin", "Sara",
          "Johan", "Nur", "Mei", "Ravi", "Astrid", "Erik", "Maja", "Omar"]  # fmt: skip
_LAST = ["Tan", "Lim", "Hansen", "Johansen", "Andersson", "Lindqvist", "Rahman", "Ng",
         "Berg", "Nilsson", "Ibrahim", "Koh", "Olsen", "Karlsson", "Chua", "Pillai"]  # fmt: skip
_SHIFTS = ["day", "day", "day", "evening", "night", "rotating"]


def hr_rows(n_psa: int, n_records: int, seed: int = 2026) -> list[dict[str, str]]:
    """HR export rows (docs/hr-import.md columns) for a hospital of this size."""
    rng = random.Random(seed)
    rows = []
    for number, role in enumerate([PSA] * n_psa + [RECORDS_OFFICER] * n_records, start=1):
        code, unit_name = rng.choice(_UNITS[role])
        started = date(2026 - rng.randint(0, 25), rng.randint(1, 12), 1)
        rows.append(
            {
                "employee_number": f"S{number:06d}",
                "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                "role": role,
                "unit_code": code,
                "unit_name": unit_name,
                "employed_from": started.isoformat(),
                "shift_pattern": rng.choice(_SHIFTS),
                "gender": rng.choices(["female", "male", "other"], [75, 24, 1])[0],
                "birth_year": str(rng.randint(1962, 2004)),
            }
        )
    return rows


def seed_ratings(
    careshift: Careshift, institution_id: int, seed: int = 2026, share: float = 0.8
) -> int:
    """Supervisor and self ratings for ``share`` of the workers on their role's skills.

    Levels scatter around the role's expectation, digital skills lower (the change is new), so
    group gaps look like a hospital facing digitisation. Returns the evidence rows written.
    """
    rng = random.Random(seed)
    index = role_index(careshift)
    now = datetime.now(UTC)
    with careshift.store.transaction() as session:
        workers = session.execute(
            select(t.worker.c.id, t.worker.c.role_uri)
            .where(t.worker.c.institution_id == institution_id)
            .order_by(t.worker.c.id)
        ).all()
        rows: list[dict[str, Any]] = []
        for worker_id, role_uri in workers:
            if rng.random() > share:
                continue
            for req in index.requirements.get(role_uri, ()):
                concept = index.taxonomy.concepts.get(req.skill_uri)
                drift = -1.2 if concept and "digital" in concept.tags else 0.0
                level = round(rng.gauss(req.level + drift, 1.0))
                source = "supervisor" if rng.random() < 0.6 else "self"
                rows.append({
                    "worker_id": worker_id, "skill_uri": req.skill_uri,
                    "level": min(6, max(1, level)), "source": source,
                    "observed_on": date(2026, rng.randint(1, 10), rng.randint(1, 28)),
                    "author": "synthetic", "note": None, "recorded_at": now,
                })  # fmt: skip
        if rows:
            session.execute(insert(t.skill_evidence), rows)
    return len(rows)


def seed_demo_workforce(careshift: Careshift) -> Iterator[str]:
    """Demo step: 60 PSAs and records officers at the demo hospital, rated, one survey."""
    from careshift.services.engagement import answer, create_session, invite
    from careshift.services.workers import import_workers

    with careshift.store.sessions() as session:
        hospital = session.scalar(
            select(institution.c.id).where(institution.c.code == "riverside-hospital")
        )
        already = session.scalar(select(t.worker.c.id).where(t.worker.c.institution_id == hospital))
    psa_uri = role_index(careshift).resolve(PSA)
    if hospital is None or psa_uri is None:
        yield "demo workforce: no demo hospital or starter framework; skipped"
        return
    if already is not None:
        yield "demo workforce: already there"
        return
    path = careshift.settings.data_dir / "demo-hr-export.csv"
    write_csv(path, hr_rows(45, 15, seed=7))
    counts = import_workers(careshift, path, hospital)
    written = seed_ratings(careshift, hospital, seed=7)
    survey = create_session(careshift, SYSTEM, hospital, "PSA skills check", role_uri=psa_uri)
    rng = random.Random(7)
    links = invite(careshift, SYSTEM, survey.id, role_uri=psa_uri)
    for link in links[:38]:
        levels = {uri: min(6, max(1, round(rng.gauss(3, 1)))) for uri in survey.skills}
        answer(careshift, link.token, levels, consent=rng.random() < 0.5)
    yield (
        f"demo workforce: {counts['created']} workers, {written} ratings, engagement session "
        f"{survey.id} with {min(38, len(links))} of {len(links)} answers"
    )


def write_csv(path: Any, rows: list[dict[str, str]]) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
