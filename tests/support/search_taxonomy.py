"""A small trilingual ESCO-like taxonomy written straight into the store's tables.

Three occupations under one ISCO group, three skills, their relations, labels in en/nb/sv,
so search and lookup tests run against a real database without the full ESCO download.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from careshift import Careshift
from careshift.adapters.db.tables import taxonomy as t

ESCO = "http://data.europa.eu/esco"
PHLEBOTOMIST = f"{ESCO}/occupation/5ee264b2-9bc5-40f6-9db3-c87143af6b2d"
HEALTH_SECRETARY = f"{ESCO}/occupation/0b6a6f1e-0000-4000-8000-000000000001"
NURSE = f"{ESCO}/occupation/0b6a6f1e-0000-4000-8000-000000000002"
ISCO_3256 = f"{ESCO}/isco/C3256"
PHLEBOTOMY = f"{ESCO}/skill/0646be77-a425-40da-8577-f77d1198c67f"
ECG = f"{ESCO}/skill/0b6a6f1e-0000-4000-8000-000000000003"
RECORDS = f"{ESCO}/skill/0b6a6f1e-0000-4000-8000-000000000004"

# uri -> (kind, isco_code, description, {lang: [(label_type, text)]}, tags)
CONCEPTS: dict[str, tuple[str, str | None, str, dict[str, list[tuple[str, str]]], list[str]]] = {
    ISCO_3256: (
        "isco_group",
        "3256",
        "Medical assistants",
        {"en": [("preferred", "medical assistants")], "nb": [("preferred", "Helsesekretærer")]},
        [],
    ),
    PHLEBOTOMIST: (
        "occupation",
        "3256",
        "Phlebotomists take blood samples from patients.",
        {
            "en": [("preferred", "phlebotomist"), ("alt", "phlebotomy technician")],
            "sv": [("preferred", "flebotomist")],
        },
        [],
    ),
    HEALTH_SECRETARY: (
        "occupation",
        "3256",
        "Health secretaries run the front desk of a clinic.",
        {
            "en": [("preferred", "health secretary"), ("alt", "medical secretary")],
            "nb": [("preferred", "helsesekretær")],
            "sv": [("preferred", "vårdadministratör")],
        },
        [],
    ),
    NURSE: (
        "occupation",
        "2221",
        "Nurses care for patients.",
        {
            "en": [("preferred", "registered nurse"), ("hidden", "RN")],
            "nb": [("preferred", "sykepleier")],
            "sv": [("preferred", "sjuksköterska")],
        },
        [],
    ),
    PHLEBOTOMY: (
        "skill",
        None,
        "Draw blood from patients for tests.",
        {
            "en": [("preferred", "perform phlebotomy"), ("alt", "phlebotomy")],
            "sv": [("preferred", "ta blodprov")],
        },
        [],
    ),
    ECG: (
        "skill",
        None,
        "Record the electrical activity of the heart.",
        {"en": [("preferred", "record an electrocardiogram"), ("alt", "ECG")]},
        [],
    ),
    RECORDS: (
        "skill",
        None,
        "Keep patient records in an electronic health record system.",
        {"en": [("preferred", "use electronic health records")]},
        ["digital"],
    ),
}

RELATIONS = [
    (PHLEBOTOMIST, PHLEBOTOMY, "essential"),
    (PHLEBOTOMIST, ECG, "optional"),
    (NURSE, PHLEBOTOMY, "optional"),
    (NURSE, ECG, "essential"),
    (HEALTH_SECRETARY, RECORDS, "essential"),
]
BROADER = [(PHLEBOTOMIST, ISCO_3256), (HEALTH_SECRETARY, ISCO_3256)]


def insert_small_taxonomy(careshift: Careshift, version: str = "v1.1.1") -> None:
    with careshift.store.engine.begin() as connection:
        release_id = connection.execute(
            insert(t.release).returning(t.release.c.id),
            {
                "kind": "esco",
                "name": "esco",
                "version": version,
                "fingerprint": "test",
                "imported_at": datetime.now(UTC),
                "summary": "{}",
            },
        ).scalar_one()
        for uri, (kind, isco, description, *_) in CONCEPTS.items():
            connection.execute(
                insert(t.concept),
                {
                    "release_id": release_id,
                    "uri": uri,
                    "kind": kind,
                    "isco_code": isco,
                    "description": description,
                },
            )
        ids = dict(
            connection.execute(
                select(t.concept.c.uri, t.concept.c.id).where(t.concept.c.release_id == release_id)
            ).all()
        )
        connection.execute(
            insert(t.label),
            [
                {"concept_id": ids[uri], "lang": lang, "label_type": label_type, "text": text}
                for uri, (_, _, _, labels, _) in CONCEPTS.items()
                for lang, items in labels.items()
                for label_type, text in items
            ],
        )
        tag_rows = [
            {"concept_id": ids[uri], "tag": tag}
            for uri, (*_, tags) in CONCEPTS.items()
            for tag in tags
        ]
        connection.execute(insert(t.tag), tag_rows)
        connection.execute(
            insert(t.occupation_skill),
            [{"occupation_id": ids[o], "skill_id": ids[s], "relation": r} for o, s, r in RELATIONS],
        )
        connection.execute(
            insert(t.broader), [{"concept_id": ids[c], "broader_id": ids[b]} for c, b in BROADER]
        )
    careshift.invalidate("taxonomy:")
