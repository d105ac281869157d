"""Look up one occupation or skill with its relations, and say which taxonomy is in use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

from sqlalchemy import select

from careshift.adapters.db.tables import taxonomy as t
from careshift.adapters.db.taxonomy_reader import current_release_ids
from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import Concept, ConceptKind, OccupationSkill, TaxonomySnapshot
from careshift.errors import NotFound
from careshift.services.taxonomy import snapshot

__all__ = [
    "ConceptDetail",
    "Related",
    "Release",
    "TaxonomyInfo",
    "attribution",
    "occupation",
    "skill",
    "taxonomy_info",
]

_OCCUPATION_KINDS = (ConceptKind.OCCUPATION, ConceptKind.ROLE)
_SKILL_KINDS = (ConceptKind.SKILL, ConceptKind.SKILL_GROUP)
_ESCO_SITE = "https://esco.ec.europa.eu"


@dataclass(frozen=True)
class Related:
    """A concept on the other end of a relation, labelled in the asked language."""

    uri: str
    label: str
    kind: str
    #: proficiency 1-6 a local role expects; None for ESCO
    level: int | None = None


@dataclass(frozen=True)
class ConceptDetail:
    concept: Concept
    #: occupation: its essential skills; skill: the occupations for which it is essential
    essential: list[Related] = field(default_factory=list)
    optional: list[Related] = field(default_factory=list)
    broader: list[Related] = field(default_factory=list)
    narrower: list[Related] = field(default_factory=list)
    #: a local concept's ESCO counterparts: (ESCO URI, "exact" or "broad")
    links: list[tuple[str, str]] = field(default_factory=list)
    #: the concept's labels careshift added, not its release's (language -> texts)
    added_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Release:
    kind: str
    name: str
    version: str
    imported_at: str


@dataclass(frozen=True)
class TaxonomyInfo:
    releases: list[Release]
    attribution: str
    #: concepts in use per kind
    concepts: dict[str, int]


@dataclass(frozen=True)
class _Relations:
    """Adjacency of one snapshot, so a lookup does not scan 120k relations."""

    snapshot: TaxonomySnapshot
    by_occupation: dict[str, list[OccupationSkill]]
    by_skill: dict[str, list[OccupationSkill]]
    broader: dict[str, list[str]]
    narrower: dict[str, list[str]]
    links: dict[str, list[tuple[str, str]]]
    #: last URI segment (the ESCO UUID) -> URIs ending with it
    by_tail: dict[str, list[str]]


def occupation(careshift: Careshift, concept_id: str, lang: str = "en") -> ConceptDetail:
    """An occupation (or local role) by ESCO UUID or full URI, with its skills."""
    return _detail(careshift, concept_id, _OCCUPATION_KINDS, "occupation", lang)


def skill(careshift: Careshift, concept_id: str, lang: str = "en") -> ConceptDetail:
    """A skill (or skill group) by ESCO UUID or full URI, with the occupations needing it."""
    return _detail(careshift, concept_id, _SKILL_KINDS, "skill", lang)


def attribution(careshift: Careshift) -> str:
    """The credit ESCO requires wherever its content is shown, naming the version in use."""
    for release in snapshot(careshift).releases:
        if release.startswith("esco "):
            version = release.removeprefix("esco ").strip()
            version = version if version.startswith("v") else f"v{version}"
            return f"ESCO {version}, © European Union, {_ESCO_SITE}"
    # local frameworks link to ESCO concepts even when ESCO itself is not loaded
    return f"ESCO, © European Union, {_ESCO_SITE}"


def taxonomy_info(careshift: Careshift) -> TaxonomyInfo:
    with careshift.store.engine.connect() as connection:
        rows = connection.execute(
            select(t.release)
            .where(t.release.c.id.in_(current_release_ids(connection)))
            .order_by(t.release.c.kind, t.release.c.name)
        ).all()
    counts: dict[str, int] = defaultdict(int)
    for concept in snapshot(careshift).concepts.values():
        counts[concept.kind.value] += 1
    releases = [
        Release(row.kind, row.name, row.version, row.imported_at.isoformat()) for row in rows
    ]
    return TaxonomyInfo(releases, attribution(careshift), dict(sorted(counts.items())))


def _detail(
    careshift: Careshift,
    concept_id: str,
    kinds: tuple[ConceptKind, ...],
    noun: str,
    lang: str,
) -> ConceptDetail:
    relations = _relations(careshift)
    concepts = relations.snapshot.concepts
    uri = _resolve(relations, concept_id, kinds)
    if uri is None:
        raise NotFound(f"no {noun} with id {concept_id!r} in the taxonomy in use")
    concept = concepts[uri]

    def related(uris: list[str]) -> list[Related]:
        return sorted((_related(concepts[u], lang) for u in uris), key=lambda r: r.label)

    if concept.kind in _OCCUPATION_KINDS:
        links = relations.by_occupation.get(uri, [])
        other = [(r.skill_uri, r) for r in links]
    else:
        links = relations.by_skill.get(uri, [])
        other = [(r.occupation_uri, r) for r in links]
    by_relation = {
        name: sorted(
            (_related(concepts[u], lang, r.level) for u, r in other if r.relation == name),
            key=lambda r: r.label,
        )
        for name in ("essential", "optional")
    }
    return ConceptDetail(
        concept=concept,
        essential=by_relation["essential"],
        optional=by_relation["optional"],
        broader=related(relations.broader.get(uri, [])),
        narrower=related(relations.narrower.get(uri, [])),
        links=sorted(relations.links.get(uri, [])),
        added_labels=relations.snapshot.added_labels.get(uri, {}),
    )


def _resolve(relations: _Relations, concept_id: str, kinds: tuple[ConceptKind, ...]) -> str | None:
    """The URI meant by ``concept_id``: a full URI (url-encoded or not) or its last segment."""
    wanted = unquote(concept_id).strip()
    # a proxy or client may collapse the "//" of an encoded URI into "/"
    for scheme in ("http:/", "https:/"):
        if wanted.startswith(scheme) and not wanted.startswith(scheme + "/"):
            wanted = scheme + "/" + wanted.removeprefix(scheme)
    concepts = relations.snapshot.concepts
    candidates = [wanted] if wanted in concepts else relations.by_tail.get(wanted, [])
    matching = sorted(uri for uri in candidates if concepts[uri].kind in kinds)
    return matching[0] if matching else None


def _related(concept: Concept, lang: str, level: int | None = None) -> Related:
    return Related(concept.uri, concept.label(lang)[0], concept.kind.value, level)


def _relations(careshift: Careshift) -> _Relations:
    current = snapshot(careshift)
    built: _Relations = careshift.cached("search:relations", lambda: _index(current))
    if built.snapshot is not current:
        careshift.invalidate("search:relations")
        built = careshift.cached("search:relations", lambda: _index(current))
    return built


def _index(taxonomy: TaxonomySnapshot) -> _Relations:
    by_occupation: dict[str, list[OccupationSkill]] = defaultdict(list)
    by_skill: dict[str, list[OccupationSkill]] = defaultdict(list)
    for relation in taxonomy.occupation_skills:
        by_occupation[relation.occupation_uri].append(relation)
        by_skill[relation.skill_uri].append(relation)
    broader: dict[str, list[str]] = defaultdict(list)
    narrower: dict[str, list[str]] = defaultdict(list)
    for child, parent in taxonomy.broader:
        broader[child].append(parent)
        narrower[parent].append(child)
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for local, target, match in taxonomy.links:
        links[local].append((target, match))
    by_tail: dict[str, list[str]] = defaultdict(list)
    for uri in taxonomy.concepts:
        by_tail[uri.rstrip("/").rsplit("/", 1)[-1]].append(uri)
    return _Relations(taxonomy, by_occupation, by_skill, broader, narrower, links, by_tail)
