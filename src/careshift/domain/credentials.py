"""Open Badges 3.0 AchievementCredentials (W3C Verifiable Credentials 2.0 data model).

A credential says that a learner completed a course or reached a proficiency level in a skill.
The achievement is aligned to the skill's ESCO URI (and its local framework URI), and the
proficiency level travels twice: as the achievement's ``resultDescription`` (a rubric of levels
1-6) and as the subject's ``result`` (the level achieved), so a wallet or another employer can
read it without careshift. The learner is identified by a salted hash, never by name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "CONTEXTS",
    "AchievementSpec",
    "Alignment",
    "achievement_credential",
    "hashed_identity",
]

CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)

#: proficiency levels 1-6 as the framework names them
LEVEL_NAMES = {
    1: "awareness",
    2: "basic",
    3: "independent",
    4: "advanced, leads others",
    5: "expert",
    6: "strategic",
}


@dataclass(frozen=True)
class Alignment:
    name: str
    url: str
    framework: str


@dataclass(frozen=True)
class AchievementSpec:
    """What was achieved: a course (``kind="Course"``) or a skill level (``"Competency"``)."""

    id: str
    kind: str
    name: str
    description: str
    criteria: str
    alignments: Sequence[Alignment]
    #: the proficiency level reached (1-6) in the aligned skill
    level: int
    evidence: Sequence[tuple[str, str]] = ()


def hashed_identity(identifier: str, salt: str) -> dict[str, Any]:
    digest = hashlib.sha256((identifier + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "identityType": "systemId",
        "salt": salt,
    }


def achievement_credential(
    credential_id: str,
    issuer_id: str,
    issuer_name: str,
    subject_identity: dict[str, Any],
    achievement: AchievementSpec,
    issued_at: datetime,
    valid_until: datetime | None = None,
    status_url: str | None = None,
) -> dict[str, Any]:
    """The credential document (unsigned); times must be timezone-aware."""
    rubric_id = f"{achievement.id}#proficiency"
    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": achievement.name,
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": _iso(issued_at),
        "awardedDate": _iso(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [subject_identity],
            "achievement": _achievement(achievement, rubric_id),
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": rubric_id,
                    "achievedLevel": f"{rubric_id}-{achievement.level}",
                    "status": "Completed",
                }
            ],
        },
        "evidence": [
            {"type": ["Evidence"], "name": name, "narrative": narrative}
            for name, narrative in achievement.evidence
        ],
    }
    if valid_until is not None:
        credential["validUntil"] = _iso(valid_until)
    if status_url is not None:
        credential["credentialStatus"] = {"id": status_url, "type": "1EdTechRevocationList"}
    return credential


def _achievement(spec: AchievementSpec, rubric_id: str) -> dict[str, Any]:
    return {
        "id": spec.id,
        "type": ["Achievement"],
        "achievementType": spec.kind,
        "name": spec.name,
        "description": spec.description,
        "criteria": {"narrative": spec.criteria},
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": a.name,
                "targetUrl": a.url,
                "targetFramework": a.framework,
                "targetType": "ceasn:Competency",
            }
            for a in spec.alignments
        ],
        "resultDescription": [
            {
                "id": rubric_id,
                "type": ["ResultDescription"],
                "name": "Proficiency level (1-6)",
                "resultType": "RubricCriterionLevel",
                "requiredLevel": f"{rubric_id}-{spec.level}",
                "rubricCriterionLevel": [
                    {
                        "id": f"{rubric_id}-{level}",
                        "type": ["RubricCriterionLevel"],
                        "name": f"Level {level}: {name}",
                        "level": str(level),
                    }
                    for level, name in LEVEL_NAMES.items()
                ],
            }
        ],
    }


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("credential times must be timezone-aware")
    return moment.replace(microsecond=0).isoformat()
