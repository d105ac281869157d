"""Career pathways: where a role or a worker can go, how safe and desirable it is, what it takes.

A :class:`PathwayOption` is one ranked answer: a *progression* (same family, higher level or
pay), a *switch* (another family, viable on skills) or an *enhancement* (stay, add a bundle of
skills or a value-added service). Each option carries its fit, safety, desirability, effort and
an explanation (transferable skills, the gap with levels, skills that unlock more options).
The ranking rule is :class:`RankingWeights`; constraints are :class:`PathwayConstraints`.
Effort comes from an :class:`EffortEstimator` (the course catalogue when one exists); the
documented default is :func:`default_hours`. Nothing here touches I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from careshift.domain.learning import Catalogue

__all__ = [
    "DEFAULT_HOURS_PER_LEVEL",
    "DEFAULT_REQUIRED_LEVEL",
    "CatalogueEffort",
    "EffortEstimator",
    "EnhancementModule",
    "Explanation",
    "GapItem",
    "LocalRoleFacts",
    "PathwayConstraints",
    "PathwayKind",
    "PathwayOption",
    "PathwayReport",
    "RankingWeights",
    "SkillRef",
    "UnlockSkill",
    "WorkerProfile",
    "default_hours",
]

#: A worker's own skills: skill URI -> proficiency 1-6.
WorkerProfile = Mapping[str, int]

#: Expected level when the taxonomy gives none (ESCO): essential 3 of 6, optional 2 of 6.
#: Same rule as the workforce profiles (domain.workforce.DEFAULT_REQUIRED_LEVEL).
DEFAULT_REQUIRED_LEVEL: Mapping[str, int] = {"essential": 3, "optional": 2}

#: Default learning hours to raise a skill by one proficiency level, by ESCO skill type, used
#: when no course catalogue prices the gap. Anchors: a typical short vocational module is
#: 20-40 h for one practical competence at a working level; knowledge units are mostly
#: classroom/e-learning and quicker; transversal skills develop slowly but are partly held;
#: languages follow CEFR guided-learning hours (~100-200 h per level, halved here because ESCO
#: language skills are narrower than a CEFR level).
DEFAULT_HOURS_PER_LEVEL: Mapping[str, float] = {
    "skill/competence": 12.0,
    "knowledge": 8.0,
    "transversal": 6.0,
    "language": 60.0,
    "": 10.0,
}


class EffortEstimator(Protocol):
    """Hours of learning to take ``skill_uri`` from ``from_level`` (0 = none) to ``to_level``.

    None means "no idea": the documented default (:func:`default_hours`) is used instead.
    """

    def __call__(self, skill_uri: str, from_level: int, to_level: int) -> float | None: ...


@dataclass(frozen=True)
class CatalogueEffort:
    """Effort from a course catalogue: the shortest single course that brings the skill to the
    level needed; None (the default applies) when no course teaches it that far."""

    catalogue: Catalogue

    def __call__(self, skill_uri: str, from_level: int, to_level: int) -> float | None:
        if to_level <= from_level:
            return 0.0
        courses = self.catalogue.teaching(skill_uri, to_level)
        return min(course.hours for course in courses) if courses else None


def default_hours(
    skill_type: str, from_level: int, to_level: int, *, tags: frozenset[str] = frozenset()
) -> float:
    """Documented default effort: :data:`DEFAULT_HOURS_PER_LEVEL` times the levels to climb.

    Higher levels cost more (level k costs ``k/3`` of the base), so reaching level 3 from
    nothing costs twice the base rate and level 6 from 3 costs five times it.
    """
    kind = (
        "language" if "language" in tags else "transversal" if "transversal" in tags else skill_type
    )
    base = DEFAULT_HOURS_PER_LEVEL.get(kind, DEFAULT_HOURS_PER_LEVEL[""])
    return sum(base * level / 3 for level in range(max(from_level, 0) + 1, to_level + 1))


class PathwayKind(StrEnum):
    PROGRESSION = "progression"
    SWITCH = "switch"
    ENHANCEMENT = "enhancement"


@dataclass(frozen=True)
class SkillRef:
    uri: str
    label: str


@dataclass(frozen=True)
class GapItem:
    """A skill the destination needs that the origin lacks (or holds below the level needed)."""

    uri: str
    label: str
    relation: str
    have_level: int
    need_level: int
    hours: float
    #: True when the origin holds a closely related skill (soft match), so part is transferable
    related_held: bool = False


@dataclass(frozen=True)
class UnlockSkill:
    """ "Learn X, unlock N": a skill whose acquisition makes N more good options viable."""

    uri: str
    label: str
    unlocks: int
    hours: float
    #: labels of a few of the roles it opens
    examples: tuple[str, ...] = ()
    #: near-viable safe and desirable roles that ask for it (it brings them closer)
    closer: int = 0

    def sentence(self) -> str:
        roles = "role" if self.unlocks == 1 else "roles"
        text = f"learn {self.label}, unlock {self.unlocks} more safe and desirable {roles}"
        return text + (
            f" and bring {self.closer - self.unlocks} closer" if self.closer > self.unlocks else ""
        )


@dataclass(frozen=True)
class Explanation:
    """Why an option is offered, as data: the skills, role and texts the engine chose to name.

    :meth:`english` says it in English (the API's ``explanation``); a page says the same in its
    reader's language from these fields, so both name the same skills.
    """

    kind: PathwayKind
    #: a move: the first transferable skills and the first skills of the gap
    keeps: tuple[SkillRef, ...] = ()
    needs: tuple[SkillRef, ...] = ()
    #: learning hours of the whole gap (a move) or bundle (an enhancement)
    hours: float = 0.0
    #: an enhancement: the role the person stays in and the first skills the bundle adds
    role: SkillRef | None = None
    adds: tuple[SkillRef, ...] = ()
    #: an enhancement module's description by language ("en" at least, when it has one)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    #: an enhancement without a description: near roles the bundle makes viable
    opens: int = 0

    def english(self) -> str:
        """One line, e.g. ``switch: brings A, B; needs C (about 40 h)``."""
        if self.kind == PathwayKind.ENHANCEMENT:
            role = self.role.label if self.role else "in the role"
            adds = ", ".join(s.label for s in self.adds)
            what = self.descriptions.get("en") or (
                f"unlocks {self.opens} more safe and desirable roles"
            )
            return f"enhancement: stay as {role}, add {adds}; {what}"
        keeps = ", ".join(s.label for s in self.keeps) or "few listed skills"
        needs = ", ".join(s.label for s in self.needs) or "nothing essential"
        return f"{self.kind.value}: brings {keeps}; needs {needs} (about {self.hours:.0f} h)"


@dataclass(frozen=True)
class PathwayOption:
    uri: str
    label: str
    kind: PathwayKind
    #: combined similarity 0-1 (how much of the destination the origin already covers)
    fit: float
    #: each kind of evidence separately: essential, optional, activities, hierarchy
    evidence: Mapping[str, float]
    viable: bool
    highly_viable: bool
    #: destination exposure score 0-1 and category
    exposure: float
    exposure_category: str
    #: 0-1, 1 = much less exposed than the origin
    safety: float
    safe: bool
    #: 0-1, 1 = clearly higher level or pay
    desirability: float
    desirable: bool
    effort_hours: float
    score: float
    transferable: tuple[SkillRef, ...] = ()
    gap: tuple[GapItem, ...] = ()
    #: local openings, when a demand source gives them
    openings: int | None = None
    #: for an enhancement: the bundle (skills or value-added service) and what it opens
    bundle: tuple[SkillRef, ...] = ()
    unlocks: int = 0
    #: why the option is offered, as data (a page says it in its reader's language)
    explained: Explanation | None = None
    #: an option that is no taxonomy concept (an enhancement module): its name by language
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        """English, one line (the API's ``explanation``), said from :attr:`explained`."""
        return self.explained.english() if self.explained is not None else ""


@dataclass(frozen=True)
class PathwayReport:
    origin_uri: str
    origin_label: str
    origin_exposure: float
    origin_exposure_category: str
    options: tuple[PathwayOption, ...]
    unlock: tuple[UnlockSkill, ...] = ()
    #: viable destinations before constraints and the top-k cut
    n_viable: int = 0
    n_safe_desirable: int = 0


@dataclass(frozen=True)
class RankingWeights:
    """How options are ranked: a weighted sum of components each in [0, 1].

    Fit dominates because an option that is not reachable is no option; safety comes next, as
    the point of the academy is to move people before their jobs disappear; desirability and
    effort break ties between similarly reachable, similarly safe options. Demand (openings)
    counts only when a demand source is given; otherwise its weight is spread over the others.
    ``effort_scale_hours`` is the effort at which the effort component falls to 1/e.
    """

    fit: float = 0.40
    safety: float = 0.25
    desirability: float = 0.15
    effort: float = 0.10
    demand: float = 0.10
    effort_scale_hours: float = 150.0


@dataclass(frozen=True)
class PathwayConstraints:
    """Personal limits: options outside them are dropped, not just ranked lower."""

    max_hours: float | None = None
    exclude_kinds: frozenset[PathwayKind] = frozenset()
    #: minimum safety component (0.5 = no more exposed than today)
    min_safety: float | None = None
    only_safe: bool = False
    only_viable: bool = True
    top: int = 10
    #: destination URIs the person does not want (e.g. night-shift roles)
    exclude_uris: frozenset[str] = field(default=frozenset())


@dataclass(frozen=True)
class EnhancementModule:
    """A bundle a role can add without changing job: a value-added service or a skill module."""

    key: str
    label: str
    #: (skill URI, level) the module brings
    skills: tuple[tuple[str, int], ...]
    #: tasks the module unlocks in the role, for the explanation (English)
    tasks: tuple[str, ...] = ()
    #: how much the role's exposure score drops once the module is in place (0-1), if declared
    exposure_reduction: float | None = None
    hours: float | None = None
    #: the module's name and description by language, for readers in other languages
    labels: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LocalRoleFacts:
    """What a local framework says about one of its roles beyond skills (concept.extra)."""

    family: str = ""
    pay_grade: float | None = None
    enhancements: tuple[EnhancementModule, ...] = ()
    #: share of the role's work technology removes (tasks marked "removed"), 0 if unknown
    removed_share: float = 0.0

    def enhancement_share(self, default: float = 0.25) -> float:
        """Share of working time an enhancement can take over: the work technology frees,
        bounded to 10-50 % (a value-added service is part of the job, not a new job)."""
        if self.removed_share <= 0:
            return default
        return min(max(self.removed_share, 0.10), 0.50)
