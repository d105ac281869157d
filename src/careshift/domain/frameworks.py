"""Local competence frameworks as the core sees them: roles, their tasks, enhancement modules.

A local framework (see ``docs/frameworks.md``) is stored as a taxonomy release of kind
``"local"``. Its roles and skills are ordinary taxonomy concepts; what ESCO has no column for
(tasks and how technology changes them, enhancement modules, pay grade, career level) lives in
the role concept's ``extra`` JSON. :meth:`Role.from_extra` reads it back, so every area (role
impact, pathways, learning) shares one reading of that layout instead of parsing JSON itself.

The ``extra`` layout of a role concept (written by ``services.frameworks``)::

    {"framework": "careshift-healthcare", "id": "patient_service_associate",
     "family": "patient_services", "level": 2, "pay_grade": "PSA-1", "regulated": null,
     "tasks": [{"id": "registration", "labels": {"en": ..., "nb": ..., "sv": ...},
                "change": "removed", "technology": "self-registration kiosks",
                "year": 2027, "share": 0.25, "skills": [SKILL_URI, ...]}],
     "enhancements": [{"id": "vas_phlebotomy", "labels": {...}, "description": {...},
                       "skills": [{"skill": SKILL_URI, "level": 3}], "tags": [...]}]}

and of a skill concept: ``{"framework", "id", "levels": {"1": {"en": ...}}, "references": [...],
"descriptions": {"nb": ..., "sv": ...}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "PROFICIENCY_LEVELS",
    "EnhancementModule",
    "Role",
    "RoleTask",
    "SkillLevel",
    "TaskChange",
    "framework_uri",
]

#: Proficiency levels a framework may require (1 awareness ... 6 expert/strategic).
PROFICIENCY_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)

_URI_BASE = "https://careshift.eu/framework"


def framework_uri(framework_id: str, kind: str, item_id: str) -> str:
    """Stable URI of a framework concept, e.g. ``.../framework/<fw>/skill/<id>``.

    The version is deliberately not part of it: worker profiles refer to a skill by URI, and a
    new framework version must keep those references valid.
    """
    return f"{_URI_BASE}/{framework_id}/{kind}/{item_id}"


class TaskChange(StrEnum):
    """What technology does to a task of a role."""

    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NEW = "new"


@dataclass(frozen=True)
class SkillLevel:
    skill_uri: str
    #: proficiency 1-6
    level: int


@dataclass(frozen=True)
class RoleTask:
    id: str
    #: label per language ("en" always present)
    labels: Mapping[str, str]
    change: TaskChange
    #: share of the role's working time (0-1); for a new task, the expected share
    share: float
    technology: str | None = None
    #: year the change is expected
    year: int | None = None
    skill_uris: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]


@dataclass(frozen=True)
class EnhancementModule:
    """A named bundle of skills a role can add (e.g. a PSA's value-added service)."""

    id: str
    labels: Mapping[str, str]
    skills: tuple[SkillLevel, ...]
    description: Mapping[str, str]
    tags: frozenset[str] = frozenset()

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]


@dataclass(frozen=True)
class Role:
    """The framework-specific facts of one role concept (labels and skills are in the taxonomy)."""

    uri: str
    framework: str
    id: str
    family: str | None
    #: career level 1-6 within the family; None when the framework does not say
    level: int | None
    pay_grade: str | None
    tasks: tuple[RoleTask, ...]
    enhancements: tuple[EnhancementModule, ...]
    regulated: str | None = None

    @classmethod
    def from_extra(cls, uri: str, extra: Mapping[str, Any]) -> Role:
        return cls(
            uri=uri,
            framework=str(extra["framework"]),
            id=str(extra["id"]),
            family=extra.get("family"),
            level=extra.get("level"),
            pay_grade=extra.get("pay_grade"),
            regulated=extra.get("regulated"),
            tasks=tuple(_task(task) for task in extra.get("tasks", ())),
            enhancements=tuple(_module(module) for module in extra.get("enhancements", ())),
        )

    def share_changed_by(self, year: int, change: TaskChange = TaskChange.REMOVED) -> float:
        """Share of today's work in tasks that ``change`` by ``year`` (e.g. removed by 2027)."""
        return sum(
            task.share
            for task in self.tasks
            if task.change == change and task.year is not None and task.year <= year
        )


def _task(raw: Mapping[str, Any]) -> RoleTask:
    return RoleTask(
        id=str(raw["id"]),
        labels=dict(raw["labels"]),
        change=TaskChange(raw["change"]),
        share=float(raw["share"]),
        technology=raw.get("technology"),
        year=raw.get("year"),
        skill_uris=tuple(raw.get("skills", ())),
    )


def _module(raw: Mapping[str, Any]) -> EnhancementModule:
    return EnhancementModule(
        id=str(raw["id"]),
        labels=dict(raw["labels"]),
        description=dict(raw.get("description") or {}),
        skills=tuple(SkillLevel(str(s["skill"]), int(s["level"])) for s in raw["skills"]),
        tags=frozenset(raw.get("tags", ())),
    )
