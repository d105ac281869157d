"""Exposure of every role to automation and generative AI, and planners' local overrides.

Sources are read from ``settings.reference_dir`` (default ``../shared/reference`` beside the
repository). A role is looked up by its own URI, then its broader ESCO occupations (Nesta
scored 1,627 level-5 occupations; narrower ones inherit), then linked ESCO occupations (local
roles), then its ISCO-08 unit group. The newest override of a role wins.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select

from careshift.adapters.db.tables.pathways import exposure_override
from careshift.adapters.files.exposure import read_exposure_reference
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.exposure import (
    ExposureCategory,
    ExposureOverride,
    ExposureReference,
    ExposureScore,
    combine,
)
from careshift.domain.taxonomy import Concept, ConceptKind, LabelType, TaxonomySnapshot
from careshift.errors import ConfigError, InputError, NotFound
from careshift.services import audit
from careshift.services.access import Action, Resource, authorize_everywhere
from careshift.services.taxonomy import snapshot

__all__ = [
    "add_override",
    "exposure_of",
    "exposure_scores",
    "reference_dir",
    "reference_tables",
    "resolve_role_uri",
]

_REPO = Path(__file__).resolve().parents[3]


def reference_dir(careshift: Careshift) -> Path:
    """``settings.reference_dir``, else ``../shared/reference`` beside the repository."""
    configured = careshift.settings.reference_dir
    candidates = [configured] if configured else [_REPO.parent / "shared" / "reference"]
    for path in candidates:
        if path is not None and (path / "exposure").is_dir():
            return path
    raise ConfigError(
        "exposure reference data not found: set CARESHIFT_REFERENCE_DIR to the folder holding "
        "exposure/ and causeways/"
    )


def reference_tables(careshift: Careshift) -> ExposureReference:
    def build() -> ExposureReference:
        return read_exposure_reference(reference_dir(careshift))

    tables: ExposureReference = careshift.cached("pathways:reference", build)
    return tables


def _lineage(taxonomy: TaxonomySnapshot) -> dict[str, tuple[str, ...]]:
    """For each occupation or role: broader ESCO occupations, then linked ESCO occupations."""
    parent: dict[str, str] = {}
    for narrower, broader in taxonomy.broader:
        concept = taxonomy.concepts.get(broader)
        if concept is not None and concept.kind == ConceptKind.OCCUPATION:
            parent[narrower] = broader
    linked: dict[str, list[str]] = {}
    for local, target, _match in taxonomy.links:
        linked.setdefault(local, []).append(target)
    result: dict[str, tuple[str, ...]] = {}
    for uri in taxonomy.concepts:
        chain: list[str] = []
        for start in (uri, *linked.get(uri, ())):
            node = start if start != uri else parent.get(uri)
            while node is not None and node not in chain and len(chain) < 12:
                chain.append(node)
                node = parent.get(node)
        result[uri] = tuple(chain)
    return result


def _latest_overrides(careshift: Careshift) -> dict[str, ExposureOverride]:
    with careshift.store.engine.connect() as connection:
        rows = connection.execute(
            select(exposure_override).order_by(
                exposure_override.c.created_at, exposure_override.c.id
            )
        ).all()
    return {
        row.uri: ExposureOverride(
            row.uri, ExposureCategory(row.category), row.reason, row.author, row.on_date, row.score
        )
        for row in rows
    }


def exposure_scores(careshift: Careshift) -> dict[str, ExposureScore]:
    """Exposure of every ESCO occupation and local role, by URI (cached until an override)."""

    def build() -> dict[str, ExposureScore]:
        taxonomy = snapshot(careshift)
        tables = reference_tables(careshift)
        lineage = _lineage(taxonomy)
        overrides = _latest_overrides(careshift)
        scores = {}
        for concept in taxonomy.of_kind(ConceptKind.OCCUPATION, ConceptKind.ROLE):
            isco = concept.isco_code or next(
                (
                    linked.isco_code
                    for uri in lineage.get(concept.uri, ())
                    if (linked := taxonomy.concepts.get(uri)) is not None and linked.isco_code
                ),
                "",
            )
            evidence = tables.evidence_for(concept.uri, isco or "", lineage.get(concept.uri, ()))
            notes = () if evidence else ("no source covers this role: scored as medium",)
            scores[concept.uri] = combine(concept.uri, evidence, overrides.get(concept.uri), notes)
        return scores

    result: dict[str, ExposureScore] = careshift.cached("pathways:exposure", build)
    return result


def resolve_role_uri(careshift: Careshift, uri_or_label: str) -> str:
    """An occupation or role by URI, code or exact label (any language)."""
    taxonomy = snapshot(careshift)
    wanted = uri_or_label.strip()
    if wanted in taxonomy.concepts and taxonomy.concepts[wanted].kind in (
        ConceptKind.OCCUPATION,
        ConceptKind.ROLE,
    ):
        return wanted
    folded = wanted.casefold()

    def strength(concept: Concept) -> int:
        """2: code or preferred label, 1: another label, 0: no match."""
        if concept.code == wanted:
            return 2
        best = 0
        for lang in concept.labels:
            for text, label_type in concept.all_labels(lang):
                if text.casefold() == folded:
                    best = max(best, 2 if label_type == LabelType.PREFERRED else 1)
        return best

    scored = [
        (strength(c), c.kind == ConceptKind.ROLE, c.uri)
        for c in taxonomy.of_kind(ConceptKind.OCCUPATION, ConceptKind.ROLE)
    ]
    matches = [m for m in scored if m[0] > 0]
    if not matches:
        raise NotFound(f"no occupation or role called {uri_or_label!r}")
    # A preferred label beats an alternative one; then a local role beats an ESCO occupation
    # of the same name (it is the one people hold); then the URI, for a stable answer.
    return min(matches, key=lambda m: (-m[0], not m[1], m[2]))[2]


def exposure_of(careshift: Careshift, uri_or_label: str) -> ExposureScore:
    uri = resolve_role_uri(careshift, uri_or_label)
    return exposure_scores(careshift)[uri]


def add_override(
    careshift: Careshift,
    principal: Principal,
    uri_or_label: str,
    category: str,
    reason: str,
    author: str,
    on: date | None = None,
    score: float | None = None,
) -> ExposureOverride:
    """Record a planner's exposure judgement for a role (audited); pathways are recomputed.

    A role's exposure is one value that every institution's pathways read, so only a principal
    of every institution may change it (an HR planner of one hospital may not move another's
    safety rankings).
    """
    authorize_everywhere(principal, Action.WRITE, Resource.ROLE_IMPACT)
    uri = resolve_role_uri(careshift, uri_or_label)
    try:
        parsed = ExposureCategory(category)
    except ValueError:
        raise InputError(f"category must be high, medium or low, not {category!r}") from None
    if not reason.strip() or not author.strip():
        raise InputError("an override needs a reason and an author")
    if score is not None and not 0.0 <= score <= 1.0:
        raise InputError(f"score must be between 0 and 1, got {score}")
    override = ExposureOverride(
        uri, parsed, reason.strip(), author.strip(), on or date.today(), score
    )
    with careshift.store.transaction() as session:
        session.execute(
            insert(exposure_override).values(
                uri=uri,
                category=parsed.value,
                score=score,
                reason=override.reason,
                author=override.author,
                on_date=override.on,
                created_at=datetime.now(UTC),
            )
        )
        audit.record(session, principal, "update", "exposure_override", uri, category=parsed.value)
    # The similarity matrix does not depend on exposure: keep it, rebuild what does.
    careshift.invalidate("pathways:exposure")
    careshift.invalidate("pathways:index")
    return override
