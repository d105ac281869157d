"""How exposed a role is to automation and generative AI, from cited sources, overridable.

Each source keeps its own scale, source and year (:class:`ExposureEvidence`); careshift puts
them on one scale by their *percentile* in the source's own reference distribution (so a
1-5 automation risk and a 0-1 GenAI score become comparable) and averages the percentiles with
:data:`SOURCE_WEIGHTS`. The category follows :data:`HIGH_FROM` / :data:`LOW_BELOW`, except that
a source's own "high" verdict always makes the role at least medium. A planner's
:class:`ExposureOverride` (with reason, author and date) replaces the computed category and
score but keeps the evidence visible. Method and cut-offs: ``docs/pathways.md``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "HIGH_FROM",
    "LOW_BELOW",
    "SOURCE_WEIGHTS",
    "ExposureCategory",
    "ExposureEvidence",
    "ExposureOverride",
    "ExposureReference",
    "ExposureScore",
    "SourceTable",
    "category_of",
    "combine",
]


class ExposureCategory(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


#: Weight of each source family in the combined score. GenAI exposure (ILO) and task
#: automation risk (Nesta, machine-learning suitability) measure different threats; neither is
#: known to be better for health-service roles, so they count equally.
SOURCE_WEIGHTS: dict[str, float] = {"ilo-genai": 0.5, "nesta-automation": 0.5}

#: Combined percentile from which a role counts as highly exposed (top 30 %).
HIGH_FROM = 0.70
#: Combined percentile below which a role counts as little exposed (bottom 40 %).
LOW_BELOW = 0.40


@dataclass(frozen=True)
class ExposureEvidence:
    """One source's verdict on one role, in the source's own terms."""

    #: source family, a key of :data:`SOURCE_WEIGHTS`
    family: str
    #: citation-ready name, e.g. "ILO WP 140 generative-AI exposure (2025)"
    source: str
    year: int
    #: what the value was looked up by: "isco08:4415" or an ESCO occupation URI
    key: str
    #: the value on the source's scale (ILO 0-1; Nesta 1-5)
    value: float
    #: the value's percentile in the source's reference distribution, 0-1
    percentile: float
    #: the source's own label ("Exposed: Gradient 3", "High risk", ...)
    label: str = ""
    #: True when the source itself calls the role highly exposed
    source_says_high: bool = False


@dataclass(frozen=True)
class ExposureOverride:
    """A planner's local judgement that replaces the computed exposure of one role."""

    uri: str
    category: ExposureCategory
    reason: str
    author: str
    on: date
    #: optional score 0-1; default: the middle of the category's band
    score: float | None = None

    def effective_score(self) -> float:
        if self.score is not None:
            return self.score
        return {
            ExposureCategory.HIGH: (HIGH_FROM + 1.0) / 2,
            ExposureCategory.MEDIUM: (LOW_BELOW + HIGH_FROM) / 2,
            ExposureCategory.LOW: LOW_BELOW / 2,
        }[self.category]


@dataclass(frozen=True)
class ExposureScore:
    """The exposure careshift uses for a role: score 0-1 (higher = more exposed) and category."""

    uri: str
    score: float
    category: ExposureCategory
    evidence: tuple[ExposureEvidence, ...] = ()
    override: ExposureOverride | None = None
    #: free-text notes, e.g. "inherited from the ISCO-08 unit group"
    notes: tuple[str, ...] = field(default=())

    @property
    def known(self) -> bool:
        return bool(self.evidence) or self.override is not None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(f"{e.source}" for e in self.evidence)


def category_of(score: float, any_source_high: bool = False) -> ExposureCategory:
    """The category of a combined score (see the module docstring for the cut-offs)."""
    if score >= HIGH_FROM:
        return ExposureCategory.HIGH
    if score < LOW_BELOW and not any_source_high:
        return ExposureCategory.LOW
    return ExposureCategory.MEDIUM


def combine(
    uri: str,
    evidence: Iterable[ExposureEvidence],
    override: ExposureOverride | None = None,
    notes: tuple[str, ...] = (),
) -> ExposureScore:
    """One :class:`ExposureScore` from the sources found for ``uri`` (and an override).

    Without evidence and override the score is 0.5 and the category medium: unknown is not safe.
    """
    items = tuple(evidence)
    weights = [SOURCE_WEIGHTS.get(e.family, 0.0) for e in items]
    total = sum(weights)
    if total > 0:
        score = sum(w * e.percentile for w, e in zip(weights, items, strict=True)) / total
    else:
        score = 0.5
    category = category_of(score, any(e.source_says_high for e in items))
    if override is not None:
        score, category = override.effective_score(), override.category
    return ExposureScore(uri, round(score, 4), category, items, override, notes)


@dataclass(frozen=True)
class SourceTable:
    """One source's values, keyed by ISCO-08 unit group ("isco08:4415") or ESCO occupation URI.

    ``values[key] = (value, label)``; ``reference`` is the sorted distribution percentiles are
    taken in (the source's own rows); ``higher_is_worse`` orients the percentile.
    """

    family: str
    source: str
    year: int
    values: dict[str, tuple[float, str]]
    reference: tuple[float, ...]
    high_labels: frozenset[str] = frozenset()
    higher_is_worse: bool = True

    def percentile(self, value: float) -> float:
        """Share of the reference at or below ``value`` (oriented so 1 = most exposed)."""
        if not self.reference:
            return 0.5
        below = bisect.bisect_right(self.reference, value) / len(self.reference)
        return below if self.higher_is_worse else 1.0 - below

    def evidence(self, key: str) -> ExposureEvidence | None:
        found = self.values.get(key)
        if found is None:
            return None
        value, label = found
        return ExposureEvidence(
            self.family,
            self.source,
            self.year,
            key,
            value,
            round(self.percentile(value), 4),
            label,
            label in self.high_labels,
        )


@dataclass(frozen=True)
class ExposureReference:
    """All exposure sources, looked up most specific first (ESCO occupation, then ISCO-08).

    Within a family the first table that knows the role wins, so Nesta's per-occupation risk
    beats its ISCO-08 average, and ILO 2025 beats ILO 2023.
    """

    families: dict[str, tuple[SourceTable, ...]]

    def evidence_for(
        self, uri: str, isco: str, lineage: tuple[str, ...] = ()
    ) -> list[ExposureEvidence]:
        """Evidence for a role: its URI, then broader ESCO occupations (``lineage``), then ISCO."""
        keys = (uri, *lineage, f"isco08:{isco[:4]}") if isco else (uri, *lineage)
        found: list[ExposureEvidence] = []
        for tables in self.families.values():
            hit = next(
                (e for table in tables for key in keys if (e := table.evidence(key)) is not None),
                None,
            )
            if hit is not None:
                found.append(hit)
        return found
