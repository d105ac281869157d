"""The competence taxonomy as the core sees it: concepts, labels, relations, hierarchy.

A :class:`TaxonomySnapshot` is an immutable, in-memory view of one or more releases (an ESCO
version plus local frameworks) that engines (search, text linking, pathways) index. It is read
once from the store and cached; nothing in here touches I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

__all__ = [
    "LANGUAGES",
    "Concept",
    "ConceptKind",
    "LabelType",
    "OccupationSkill",
    "TaxonomySnapshot",
]

#: UI and taxonomy languages careshift supports, English first (the fallback).
LANGUAGES: tuple[str, ...] = ("en", "nb", "sv")


class ConceptKind(StrEnum):
    OCCUPATION = "occupation"
    SKILL = "skill"
    ISCO_GROUP = "isco_group"
    SKILL_GROUP = "skill_group"
    #: a role of a local framework (e.g. a hospital's patient service associate)
    ROLE = "role"


class LabelType(StrEnum):
    PREFERRED = "preferred"
    ALT = "alt"
    HIDDEN = "hidden"


@dataclass(frozen=True)
class Concept:
    uri: str
    kind: ConceptKind
    #: labels[lang][label_type] -> texts; the preferred list has at most one entry.
    labels: dict[str, dict[LabelType, tuple[str, ...]]] = field(default_factory=dict)
    code: str | None = None
    isco_code: str | None = None
    skill_type: str | None = None
    reuse_level: str | None = None
    description: str | None = None
    tags: frozenset[str] = frozenset()
    #: release this concept comes from, e.g. "esco v1.1.1" or "local careshift-starter 1.0"
    release: str = ""

    def label(self, lang: str = "en") -> tuple[str, str]:
        """Preferred label in ``lang`` with the language it is in: else the first alternative
        label in ``lang`` (ESCO has no Norwegian skill labels; careshift's own name the
        skill first), else the English preferred label."""
        own = self.labels.get(lang, {})
        for texts in (own.get(LabelType.PREFERRED), own.get(LabelType.ALT)):
            if texts:
                return texts[0], lang
        for candidate in ("en", *self.labels):
            preferred = self.labels.get(candidate, {}).get(LabelType.PREFERRED)
            if preferred:
                return preferred[0], candidate
        return self.uri, ""

    def with_alt_labels(self, by_lang: Mapping[str, Sequence[str]]) -> Concept:
        """This concept also known by ``by_lang`` (language -> texts) as alternative labels;
        a text it has already in that language is not repeated."""
        labels = {lang: dict(by_type) for lang, by_type in self.labels.items()}
        for lang, new in _unknown_labels(self, by_lang).items():
            own = labels.get(lang, {})
            labels[lang] = {**own, LabelType.ALT: (*own.get(LabelType.ALT, ()), *new)}
        return replace(self, labels=labels)

    def all_labels(self, lang: str) -> list[tuple[str, LabelType]]:
        return [
            (text, label_type)
            for label_type, texts in self.labels.get(lang, {}).items()
            for text in texts
        ]


def _unknown_labels(
    concept: Concept, by_lang: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Of ``by_lang`` (language -> texts), each text ``concept`` has in no label of that
    language, once, in order; languages with none left out."""
    found: dict[str, tuple[str, ...]] = {}
    for lang, texts in by_lang.items():
        known = {text for listed in concept.labels.get(lang, {}).values() for text in listed}
        new = tuple(text for text in dict.fromkeys(texts) if text not in known)
        if new:
            found[lang] = new
    return found


@dataclass(frozen=True)
class OccupationSkill:
    occupation_uri: str
    skill_uri: str
    #: "essential" or "optional"
    relation: str
    #: proficiency 1-6 a local role expects; None for ESCO relations
    level: int | None = None


@dataclass(frozen=True)
class TaxonomySnapshot:
    concepts: dict[str, Concept]
    occupation_skills: tuple[OccupationSkill, ...]
    #: (narrower uri, broader uri) for both the occupation and the skill pillar
    broader: tuple[tuple[str, str], ...]
    #: (skill uri, related skill uri, relation)
    skill_skills: tuple[tuple[str, str, str], ...] = ()
    #: (local concept uri, ESCO uri, match), match being "exact" or "broad"
    links: tuple[tuple[str, str, str], ...] = ()
    releases: tuple[str, ...] = ()
    #: labels careshift added to the releases' own (uri -> language -> texts), so a page or an
    #: API can say which names are not the taxonomy's (see :meth:`with_alt_labels`)
    added_labels: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def with_alt_labels(self, extra: Mapping[str, Mapping[str, Sequence[str]]]) -> TaxonomySnapshot:
        """This snapshot with ``extra`` (uri -> language -> texts) added to its concepts as
        alternative labels, and recorded in :attr:`added_labels`; uris it does not hold are
        ignored, and so are texts a concept has already."""
        concepts = dict(self.concepts)
        added = dict(self.added_labels)
        for uri, by_lang in extra.items():
            concept = concepts.get(uri)
            if concept is None:
                continue
            new = _unknown_labels(concept, by_lang)
            if not new:
                continue
            concepts[uri] = concept.with_alt_labels(new)
            earlier = added.get(uri, {})
            added[uri] = earlier | {
                lang: (*earlier.get(lang, ()), *texts) for lang, texts in new.items()
            }
        return replace(self, concepts=concepts, added_labels=added)

    def of_kind(self, *kinds: ConceptKind) -> list[Concept]:
        return [c for c in self.concepts.values() if c.kind in kinds]

    def skills_of(self, occupation_uri: str) -> list[OccupationSkill]:
        return [r for r in self.occupation_skills if r.occupation_uri == occupation_uri]
