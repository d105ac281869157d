"""What a role expects: skills with levels, read from the taxonomy snapshot and indexed once.

Roles are ESCO occupations or local framework roles. Local roles carry a level per skill; ESCO
relations carry none, so essential skills default to 3 and optional ones to 2
(:data:`careshift.domain.workforce.DEFAULT_REQUIRED_LEVEL`).
"""

from __future__ import annotations

from dataclasses import dataclass

from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import ConceptKind, TaxonomySnapshot
from careshift.domain.workforce import Requirement, required_level
from careshift.errors import NotFound
from careshift.services.taxonomy import snapshot

__all__ = ["RoleIndex", "role_index", "role_requirements"]

_ROLE_KINDS = (ConceptKind.OCCUPATION, ConceptKind.ROLE)


@dataclass(frozen=True)
class RoleIndex:
    taxonomy: TaxonomySnapshot
    #: role uri -> its requirements, essential first
    requirements: dict[str, tuple[Requirement, ...]]
    #: a role URI or a role's code -> its URI
    lookup: dict[str, str]

    def resolve(self, key: str) -> str | None:
        return self.lookup.get(key.strip())

    def label(self, uri: str, lang: str = "en") -> str:
        concept = self.taxonomy.concepts.get(uri)
        return concept.label(lang)[0] if concept else uri


def role_index(careshift: Careshift) -> RoleIndex:
    """Built once per taxonomy snapshot (rebuilt when an import replaces the snapshot)."""
    taxonomy = snapshot(careshift)
    holder: dict[str, RoleIndex] = careshift.cached("workforce:roles", dict)
    if "index" not in holder or holder["index"].taxonomy is not taxonomy:
        holder["index"] = _build(taxonomy)
    return holder["index"]


def _build(taxonomy: TaxonomySnapshot) -> RoleIndex:
    requirements: dict[str, list[Requirement]] = {}
    for relation in taxonomy.occupation_skills:
        level = required_level(relation.relation, relation.level)
        requirements.setdefault(relation.occupation_uri, []).append(
            Requirement(relation.skill_uri, level, relation.relation)
        )
    lookup: dict[str, str] = {}
    for concept in taxonomy.of_kind(*_ROLE_KINDS):
        lookup[concept.uri] = concept.uri
        if concept.code and concept.kind is ConceptKind.ROLE:
            lookup.setdefault(concept.code, concept.uri)
    return RoleIndex(
        taxonomy=taxonomy,
        requirements={
            uri: tuple(sorted(reqs, key=lambda r: (r.relation != "essential", r.skill_uri)))
            for uri, reqs in requirements.items()
        },
        lookup=lookup,
    )


def role_requirements(careshift: Careshift, role_uri: str) -> tuple[Requirement, ...]:
    index = role_index(careshift)
    if index.lookup.get(role_uri) != role_uri:
        raise NotFound(f"no role or occupation {role_uri!r} in the taxonomy")
    return index.requirements.get(role_uri, ())
