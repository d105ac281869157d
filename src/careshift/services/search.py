"""Find occupations, skills and local roles by label, in English, Norwegian or Swedish."""

from __future__ import annotations

from dataclasses import dataclass

from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import LANGUAGES, ConceptKind, TaxonomySnapshot
from careshift.engine.label_text import normalise
from careshift.engine.search import LabelIndex, LabelRecord
from careshift.errors import InputError
from careshift.services.taxonomy import snapshot

__all__ = ["KINDS", "MAX_TOP", "SearchHit", "SearchIndex", "search", "search_index"]

KINDS: tuple[str, ...] = tuple(kind.value for kind in ConceptKind)
MAX_TOP = 100
_MAX_TEXT = 200
_TIE_ORDER = {
    ConceptKind.ROLE: 0,
    ConceptKind.OCCUPATION: 1,
    ConceptKind.SKILL: 1,
    ConceptKind.ISCO_GROUP: 2,
    ConceptKind.SKILL_GROUP: 2,
}


@dataclass(frozen=True)
class SearchHit:
    uri: str
    #: the concept's label in the asked language (``Concept.label``: preferred, else careshift's
    #: own, else English)
    label: str
    label_lang: str
    kind: str
    #: in [0, 1]: 0.98-1 exact label, 0.6-0.9 every word matched or started, below 0.6 typos
    score: float
    #: the label that matched the query (may be an alt or hidden label)
    matched_label: str
    matched_lang: str
    #: "exact", "prefix" or "fuzzy"
    match: str
    #: True when the concept was found by its English label for want of one in the language
    fallback: bool


@dataclass(frozen=True)
class SearchIndex:
    """A label index and the snapshot it was built from (concept number = position in uris)."""

    snapshot: TaxonomySnapshot
    uris: tuple[str, ...]
    labels: LabelIndex


def search(
    careshift: Careshift,
    text: str,
    kind: str | None = None,
    lang: str = "en",
    top: int = 10,
) -> list[SearchHit]:
    """The ``top`` concepts whose labels best match ``text``, best first."""
    _validate(text, kind, lang, top)
    index = search_index(careshift)
    hits = []
    for match in index.labels.search(text, kind=kind, lang=lang, top=top):
        concept = index.snapshot.concepts[index.uris[match.concept]]
        label, label_lang = concept.label(lang)
        hits.append(
            SearchHit(
                uri=concept.uri,
                label=label,
                label_lang=label_lang,
                kind=concept.kind.value,
                score=round(match.score, 4),
                matched_label=match.text,
                matched_lang=match.lang,
                match=match.match,
                fallback=match.fallback,
            )
        )
    return hits


def search_index(careshift: Careshift) -> SearchIndex:
    """The label index of the current taxonomy, rebuilt when the snapshot changes."""
    current = snapshot(careshift)
    index: SearchIndex = careshift.cached("search:index", lambda: _build(current))
    if index.snapshot is not current:  # an import invalidated only "taxonomy:"
        careshift.invalidate("search:index")
        index = careshift.cached("search:index", lambda: _build(current))
    return index


def _build(taxonomy: TaxonomySnapshot) -> SearchIndex:
    # the engine breaks ties by concept number: number local roles, then occupations and
    # skills, before the groups that often share their label ("finmekaniker" is both)
    uris = tuple(
        sorted(taxonomy.concepts, key=lambda u: (_TIE_ORDER[taxonomy.concepts[u].kind], u))
    )
    records: list[LabelRecord] = []
    for number, uri in enumerate(uris):
        concept = taxonomy.concepts[uri]
        kind = concept.kind.value  # .value once per concept: enum access is slow in bulk
        for lang, by_type in concept.labels.items():
            for label_type, texts in by_type.items():
                type_name = label_type.value
                records.extend(LabelRecord(number, kind, lang, type_name, t) for t in texts)
    return SearchIndex(snapshot=taxonomy, uris=uris, labels=LabelIndex().fit(records))


def _validate(text: str, kind: str | None, lang: str, top: int) -> None:
    if not text or not text.strip():
        raise InputError("search text is empty: give a word or the start of one")
    if len(text) > _MAX_TEXT:
        raise InputError(f"search text is {len(text)} characters long; the limit is {_MAX_TEXT}")
    if not normalise(text):
        raise InputError(f"search text {text!r} has no letters or digits")
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; allowed: {', '.join(KINDS)}")
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    if not 1 <= top <= MAX_TOP:
        raise InputError(f"top must be between 1 and {MAX_TOP}, got {top}")
