"""Text to taxonomy over REST: batches of titles or documents to ESCO occupations and skills."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from careshift.domain.taxonomy import LANGUAGES
from careshift.entrypoints.api.deps import CareshiftDep
from careshift.entrypoints.api.problems import PROBLEM_RESPONSE
from careshift.services.linking import LinkResult, link_occupations, link_skills

_PROBLEM = PROBLEM_RESPONSE
router = APIRouter(prefix="/link", tags=["linking"], responses={422: _PROBLEM})


class LinkCreate(BaseModel):
    texts: list[str] = Field(
        max_length=1_000,
        description="Titles or documents, in order; at most 1,000,000 bytes in all. A text that "
        "looks binary or is not valid Unicode (a lone surrogate such as \\ud800) is a 422 "
        "naming it",
    )
    lang: str = Field("en", description=f"Language of the texts: {', '.join(LANGUAGES)}")
    top: int = Field(10, ge=1, le=100, description="Concepts per text")
    distinct: bool = Field(
        False, description="Skills only: leave out a skill broader than one already listed"
    )


class LinkedConceptPublic(BaseModel):
    uri: str
    label: str
    score: float = Field(description="Calibrated: estimated probability the concept is right")
    spans: list[tuple[int, int]] = Field(description="[start, end) character offsets")
    label_lang: str = Field(
        description="The language of label: the one asked for, else English, else the first "
        "language with a preferred label; empty when the concept has no label (label is its URI)"
    )
    label_source: str = Field(
        description="taxonomy: the taxonomy's own label; careshift: careshift's translation "
        "(ESCO has no Norwegian skill labels; see the concept's labels.<lang>.careshift)"
    )


class LinkResultPublic(BaseModel):
    text: str
    results: list[LinkedConceptPublic]
    warnings: list[str] = Field(
        default=[],
        description="About this text, e.g. 'truncated from 26,399 to 20,000 characters' (titles "
        "are cut at 300 characters, documents at 20,000)",
    )


def _public(results: list[LinkResult]) -> list[LinkResultPublic]:
    return [
        LinkResultPublic(
            text=r.text,
            results=[
                LinkedConceptPublic(
                    uri=c.uri,
                    label=c.label,
                    score=c.score,
                    spans=list(c.spans),
                    label_lang=c.label_lang,
                    label_source=c.label_source,
                )
                for c in r.results
            ],
            warnings=list(r.warnings),
        )
        for r in results
    ]


@router.post("/occupations", summary="Link job titles to ESCO occupations and ISCO groups")
def post_occupations(body: LinkCreate, careshift: CareshiftDep) -> list[LinkResultPublic]:
    return _public(link_occupations(careshift, body.texts, body.lang, body.top))


@router.post(
    "/skills",
    summary="Link CVs, job ads or course descriptions to ESCO skills",
    description="A text of several sentences lists each sentence's and clause's best skills "
    "first; every score is its skill's calibrated evidence, so a later skill may score higher "
    "than an earlier one (a single sentence's skills come best first).",
)
def post_skills(body: LinkCreate, careshift: CareshiftDep) -> list[LinkResultPublic]:
    return _public(link_skills(careshift, body.texts, body.lang, body.top, distinct=body.distinct))
