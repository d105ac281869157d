"""Response models of the taxonomy API (search, occupations, skills, releases)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from careshift.domain.taxonomy import Concept, LabelType
from careshift.services.concepts import ConceptDetail, Related, TaxonomyInfo
from careshift.services.search import SearchHit

_OCCUPATION_URI = "http://data.europa.eu/esco/occupation/5ee264b2-9bc5-40f6-9db3-c87143af6b2d"
_SKILL_URI = "http://data.europa.eu/esco/skill/0646be77-a425-40da-8577-f77d1198c67f"
_CREDIT = "ESCO v1.1.1, © European Union, https://esco.ec.europa.eu"


class SearchResultPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uri": _OCCUPATION_URI,
                    "label": "phlebotomist",
                    "label_lang": "en",
                    "kind": "occupation",
                    "score": 0.8123,
                    "matched_label": "phlebotomist",
                    "matched_lang": "en",
                    "match": "prefix",
                    "fallback": False,
                }
            ]
        }
    )

    uri: str
    label: str = Field(
        description="Preferred label in the asked language, else careshift's own label in it "
        "(Norwegian skills), else English"
    )
    label_lang: str
    kind: str
    score: float = Field(ge=0, le=1, description="1 exact, 0.6-0.9 prefix, below 0.6 typos")
    matched_label: str = Field(description="The label (preferred, alt or hidden) that matched")
    matched_lang: str
    match: str = Field(description="exact, prefix or fuzzy")
    fallback: bool = Field(description="Found by its English label: none in the asked language")

    @classmethod
    def of(cls, hit: SearchHit) -> SearchResultPublic:
        return cls(**hit.__dict__)


class SearchPublic(BaseModel):
    query: str
    results: list[SearchResultPublic]
    attribution: str = Field(examples=[_CREDIT])


class LabelsPublic(BaseModel):
    preferred: str | None = None
    alt: list[str] = []
    hidden: list[str] = []
    #: labels careshift added (its own translations, ``data/labels``), not the release's
    careshift: list[str] = Field(default=[], examples=[["journalføring", "journalhåndtering"]])


class RelatedPublic(BaseModel):
    uri: str
    label: str
    kind: str
    level: int | None = Field(None, description="Proficiency 1-6 a local role expects")

    @classmethod
    def of(cls, related: Related) -> RelatedPublic:
        return cls(**related.__dict__)


class LinkPublic(BaseModel):
    uri: str = Field(description="The ESCO concept a local concept stands for or sits under")
    match: str = Field(description="exact or broad")


class _ConceptPublic(BaseModel):
    uri: str
    id: str = Field(description="Last URI segment (the ESCO UUID)")
    kind: str
    labels: dict[str, LabelsPublic] = Field(description="By language code: en, nb, sv ...")
    description: str | None
    code: str | None
    broader: list[RelatedPublic]
    narrower: list[RelatedPublic]
    tags: list[str]
    links: list[LinkPublic] = Field(description="ESCO counterparts of a local concept")
    release: str
    attribution: str


class OccupationPublic(_ConceptPublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uri": _OCCUPATION_URI,
                    "id": _OCCUPATION_URI.rsplit("/", 1)[-1],
                    "kind": "occupation",
                    "labels": {"en": {"preferred": "phlebotomist", "alt": [], "hidden": []}},
                    "description": "Phlebotomists take blood samples from patients ...",
                    "code": "3259.2",
                    "isco_code": "3259",
                    "essential_skills": [
                        {"uri": _SKILL_URI, "label": "perform phlebotomy", "kind": "skill"}
                    ],
                    "optional_skills": [],
                    "broader": [],
                    "narrower": [],
                    "tags": [],
                    "links": [],
                    "release": "esco v1.1.1",
                    "attribution": _CREDIT,
                }
            ]
        }
    )

    isco_code: str | None
    essential_skills: list[RelatedPublic]
    optional_skills: list[RelatedPublic]


class SkillPublic(_ConceptPublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uri": _SKILL_URI,
                    "id": _SKILL_URI.rsplit("/", 1)[-1],
                    "kind": "skill",
                    "labels": {"en": {"preferred": "perform phlebotomy", "alt": [], "hidden": []}},
                    "description": "Draw blood from patients ...",
                    "code": None,
                    "skill_type": "skill/competence",
                    "reuse_level": "sector-specific",
                    "essential_for": [
                        {"uri": _OCCUPATION_URI, "label": "phlebotomist", "kind": "occupation"}
                    ],
                    "optional_for": [],
                    "broader": [],
                    "narrower": [],
                    "tags": [],
                    "links": [],
                    "release": "esco v1.1.1",
                    "attribution": _CREDIT,
                }
            ]
        }
    )

    skill_type: str | None
    reuse_level: str | None
    essential_for: list[RelatedPublic] = Field(description="Occupations needing it as essential")
    optional_for: list[RelatedPublic]


class ReleasePublic(BaseModel):
    kind: str = Field(examples=["esco"])
    name: str = Field(examples=["esco"])
    version: str = Field(examples=["v1.1.1"])
    imported_at: str


class TaxonomyPublic(BaseModel):
    releases: list[ReleasePublic]
    attribution: str = Field(examples=[_CREDIT])
    concepts: dict[str, int] = Field(examples=[{"occupation": 3007, "skill": 13896}])

    @classmethod
    def of(cls, info: TaxonomyInfo) -> TaxonomyPublic:
        releases = [ReleasePublic(**r.__dict__) for r in info.releases]
        return cls(releases=releases, attribution=info.attribution, concepts=info.concepts)


def concept_fields(detail: ConceptDetail, attribution: str) -> dict[str, object]:
    """The fields occupations and skills share."""
    concept = detail.concept
    return {
        "uri": concept.uri,
        "id": concept.uri.rstrip("/").rsplit("/", 1)[-1],
        "kind": concept.kind.value,
        "labels": _labels(concept, detail.added_labels),
        "description": concept.description,
        "code": concept.code,
        "broader": [RelatedPublic.of(r) for r in detail.broader],
        "narrower": [RelatedPublic.of(r) for r in detail.narrower],
        "tags": sorted(concept.tags),
        "links": [LinkPublic(uri=uri, match=match) for uri, match in detail.links],
        "release": concept.release,
        "attribution": attribution,
    }


def _labels(concept: Concept, added: dict[str, tuple[str, ...]]) -> dict[str, LabelsPublic]:
    return {
        lang: LabelsPublic(
            preferred=next(iter(by_type.get(LabelType.PREFERRED, ())), None),
            alt=[t for t in by_type.get(LabelType.ALT, ()) if t not in added.get(lang, ())],
            hidden=list(by_type.get(LabelType.HIDDEN, ())),
            careshift=list(added.get(lang, ())),
        )
        for lang, by_type in sorted(concept.labels.items())
    }
