"""Text to taxonomy: link job titles to occupations and documents to skills, in en/nb/sv.

The indexes (lexical matrix, memory-mapped label embeddings, hierarchy) are built once per
process through ``careshift.cached("link:...")`` from the taxonomy snapshot; label embeddings
are computed once per taxonomy and model and kept under ``<data_dir>/artefacts``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from careshift.adapters.models.artefacts import label_vectors, lexical_index
from careshift.adapters.models.embedders import (
    ENGLISH_MODEL,
    STATIC_MODEL,
    Embedder,
    load_embedder,
)
from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import LANGUAGES, ConceptKind, LabelType
from careshift.domain.text import lone_surrogate
from careshift.engine.linking import MIN_SUPPORT, parameters, support_threshold
from careshift.engine.linking.catalogue import LabelCatalogue, borrow_exact_labels
from careshift.engine.linking.dense import DenseIndex, Encode, dense_label_rows, with_descriptions
from careshift.engine.linking.documents import link_documents
from careshift.engine.linking.hierarchy import Hierarchy
from careshift.engine.linking.lexical import CharGramIndex
from careshift.engine.linking.linker import Index, LinkParameters, Match
from careshift.engine.linking.titles import link_titles
from careshift.engine.linking.traits import SecondView
from careshift.errors import InputError
from careshift.services.taxonomy import snapshot

__all__ = [
    "MAX_BATCH_BYTES",
    "LinkResult",
    "LinkedConcept",
    "build_indexes",
    "embedder",
    "link_occupations",
    "link_skills",
    "looks_binary",
    "occupation_index",
    "query_encoder",
    "second_view_for",
    "title_view",
]

_log = logging.getLogger("careshift.linking")
#: a whole request (all texts) larger than this is refused rather than processed for minutes
MAX_BATCH_BYTES = 1_000_000
#: longer texts are cut (with a warning): a title is a line, a document a few pages
MAX_TITLE_CHARS = 300
MAX_DOCUMENT_CHARS = 20_000
_OCCUPATION_KINDS = (ConceptKind.OCCUPATION, ConceptKind.ISCO_GROUP, ConceptKind.ROLE)


# Every label in every language is searched lexically; only some are embedded, because the
# embedding model manages ~190 short labels/s on two idle cores and ESCO has ~150k labels.
# Occupations: preferred labels in every language plus the Norwegian and Swedish alternative
# labels (~19k); the 33k English alternative labels added nothing on the dev sets that the
# lexical index had not already found. Skills: English preferred labels (~14k) and the
# Norwegian and Swedish alternative labels (ESCO has none: those a framework lends and
# careshift's own, ~17.5k, a Norwegian name for every skill, see services/taxonomy.snapshot),
# which only Norwegian and Swedish texts are compared with (``_skill_index``); ESCO's Swedish
# labels count lexically. The static model knows English only.
def _embed_occupation_label(lang: str, label_type: LabelType) -> bool:
    return label_type == LabelType.PREFERRED or (label_type == LabelType.ALT and lang != "en")


# Titles are a few words, so every gram may count; documents are scored window by window
# against ~125k skill labels, where grams in more than 2% of them ("manage", " th") only cost
# time (they cost 0.01 MRR on English titles, nothing measurable on skills).
def _embed_skill_label(lang: str, label_type: LabelType) -> bool:
    return (label_type == LabelType.PREFERRED and lang == "en") or (
        label_type == LabelType.ALT and lang in ("nb", "sv")
    )


def _embed_english_skill_label(lang: str, label_type: LabelType) -> bool:
    return label_type == LabelType.PREFERRED and lang == "en"


@dataclass(frozen=True)
class LinkedConcept:
    uri: str
    label: str
    score: float
    spans: tuple[tuple[int, int], ...]
    kind: str
    #: the language ``label`` is in: the one asked for, else English, else the first with a
    #: preferred label (``Concept.label``); "" when the concept has none
    label_lang: str
    #: "taxonomy" when the label is the taxonomy's own, "careshift" when it is one of
    #: careshift's translations (``data/labels``): ESCO asks that added labels be said so
    label_source: str


@dataclass(frozen=True)
class LinkResult:
    text: str
    results: tuple[LinkedConcept, ...]
    warnings: tuple[str, ...] = ()

    def supported(self, min_score: float = MIN_SUPPORT) -> list[LinkedConcept]:
        """The linked concepts the text supports (``engine.linking.support_threshold``: at
        least ``min_score`` and a share of the best link), in the order they were linked."""
        cut = support_threshold([r.score for r in self.results], min_score)
        return [r for r in self.results if r.score >= cut]

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "results": [
                {"uri": r.uri, "label": r.label, "score": round(r.score, 4), "spans": r.spans}
                for r in self.results
            ],
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }


def link_occupations(
    careshift: Careshift, texts: Sequence[str], lang: str = "en", top: int = 10
) -> list[LinkResult]:
    """Rank ESCO occupations, ISCO groups and local roles for each job title."""
    cleaned, warnings = _validated(texts, lang, top, MAX_TITLE_CHARS)
    index = occupation_index(careshift)
    tuned = parameters.occupations(lang, careshift.settings.embedding_model)
    second = second_view_for(careshift, tuned)
    encode = query_encoder(careshift)
    matches = link_titles(index, cleaned, encode, tuned, top, lang=lang, second=second)
    return _results(careshift, index, cleaned, matches, warnings, lang)


def link_skills(
    careshift: Careshift,
    texts: Sequence[str],
    lang: str = "en",
    top: int = 10,
    *,
    distinct: bool = False,
) -> list[LinkResult]:
    """Rank ESCO (and local) skills for each document, with the spans that support each.

    ``distinct`` leaves out a skill broader than one already listed ("computer programming"
    after "Java").
    """
    cleaned, warnings = _validated(texts, lang, top, MAX_DOCUMENT_CHARS)
    setting = _skill_model(careshift, lang)
    index = _skill_index(careshift, setting, lang)
    tuned = _skill_parameters(setting)
    matches = link_documents(
        index, cleaned, _encoder(careshift, setting), tuned, top, distinct=distinct
    )
    return _results(careshift, index, cleaned, matches, warnings, lang)


def embedder(careshift: Careshift, setting: str) -> Embedder:
    """The model a setting names, loaded once per process."""
    result: Embedder = careshift.cached(f"link:embedder:{setting}", lambda: load_embedder(setting))
    return result


def _skill_model(careshift: Careshift, lang: str) -> str:
    """The model documents in ``lang`` are linked with: ``CARESHIFT_SKILL_MODEL`` for English
    when set, the embedding model otherwise (the static model knows English only: with it a
    Norwegian CV paragraph about blood samples and patient records linked to tarot cards)."""
    settings = careshift.settings
    if lang == "en" and settings.skill_model:
        return settings.skill_model
    return settings.embedding_model


def build_indexes(careshift: Careshift) -> dict[str, Index]:
    """Every index linking uses (``careshift link build-index`` computes the artefacts ahead
    of use): occupations (and the English model's view of their labels), skills, and English
    skills when they have a model of their own."""
    indexes = {
        "occupations": occupation_index(careshift),
        "skills": _skill_index(careshift, careshift.settings.embedding_model),
    }
    second_view_for(careshift, parameters.occupations("en", careshift.settings.embedding_model))
    english = _skill_model(careshift, "en")
    if english != careshift.settings.embedding_model:
        indexes["skills-en"] = _skill_index(careshift, english)
    return indexes


@dataclass(frozen=True)
class _Labels:
    """What an index needs that no model changes: labels, their lexical index, the hierarchy,
    and which labels get embedded. Built once however many models use it."""

    kind: str
    catalogue: LabelCatalogue
    lexical: CharGramIndex
    hierarchy: Hierarchy
    embedded_rows: npt.NDArray[np.int64]


def occupation_index(careshift: Careshift) -> Index:
    """Occupations, ISCO groups and local roles with their label vectors; built once."""

    def build() -> Index:
        return _index(careshift, _occupation_labels(careshift), careshift.settings.embedding_model)

    result: Index = careshift.cached("link:occupations", build)
    return result


def title_view(careshift: Careshift) -> SecondView:
    """The English model's view of the occupations' English labels (all ~36k: preferred,
    alternative, hidden; at ~430 labels/s they are embedded in under two minutes, once)."""

    def build() -> SecondView:
        labels = _occupation_labels(careshift)
        rows = dense_label_rows(labels.catalogue, lambda lang, _type: lang == "en")
        texts = [labels.catalogue.texts[i] for i in rows]
        artefacts = careshift.settings.data_dir / "artefacts"
        model = embedder(careshift, ENGLISH_MODEL)
        vectors = label_vectors(model, texts, artefacts, f"{labels.kind}-{ENGLISH_MODEL}")
        return SecondView.of(
            labels.catalogue,
            labels.hierarchy,
            DenseIndex.for_rows(labels.catalogue, rows, vectors),
            _encoder(careshift, ENGLISH_MODEL),
        )

    result: SecondView = careshift.cached("link:occupations:second", build)
    return result


def second_view_for(careshift: Careshift, tuned: LinkParameters) -> SecondView | None:
    """The English model's view when ``tuned``'s re-ranker reads it, else None (built once)."""
    return title_view(careshift) if parameters.uses_second_view(tuned) else None


def _occupation_labels(careshift: Careshift) -> _Labels:
    return _labels(careshift, _OCCUPATION_KINDS, _embed_occupation_label, 1.0)


def _skill_parameters(model: str) -> LinkParameters:
    return parameters.STATIC_SKILLS if model == STATIC_MODEL else parameters.SKILLS


def _skill_index(careshift: Careshift, model: str, lang: str = "en") -> Index:
    """Skills as a text in ``lang`` meets them: every label lexically; through the embedding,
    an English text their English labels only, a Norwegian or Swedish one the Norwegian and
    Swedish ones too (each language's labels help the other: Swedish texts' duties in the top
    10 0.409 -> 0.439 with the Norwegian labels, docs/linking.md)."""
    full: Index = careshift.cached(f"link:skills:{model}", lambda: _all_skills(careshift, model))
    langs = ("en",) if lang == "en" else ("en", "nb", "sv")
    result: Index = careshift.cached(
        f"link:skills:{model}:{'-'.join(langs)}", lambda: _embedded_in(full, langs)
    )
    return result


def _all_skills(careshift: Careshift, model: str) -> Index:
    labels = _labels(careshift, (ConceptKind.SKILL,), _embed_skill_label, 0.02)
    if model == STATIC_MODEL:
        rows = dense_label_rows(labels.catalogue, _embed_english_skill_label)
        labels = replace(labels, embedded_rows=rows)
    return _index(careshift, labels, model, _skill_parameters(model).description_weight)


def _embedded_in(index: Index, langs: tuple[str, ...]) -> Index:
    """``index`` with only the label vectors in ``langs`` (every concept keeps its English
    one). Measured: English sentences matched against careshift's Norwegian translations too
    lost 0.027 RP@5 on TECH (docs/linking.md)."""
    rows = index.dense.label_rows
    if rows is None:
        return index
    keep = np.isin(np.asarray(index.catalogue.langs)[rows], langs)
    if keep.all():
        return index
    vectors = np.asarray(index.dense.vectors)[keep]
    return replace(index, dense=DenseIndex.for_rows(index.catalogue, rows[keep], vectors))


def _labels(
    careshift: Careshift,
    kinds: tuple[ConceptKind, ...],
    embed: Callable[[str, LabelType], bool],
    max_df: float,
) -> _Labels:
    def build() -> _Labels:
        taxonomy = snapshot(careshift)
        concepts = borrow_exact_labels(taxonomy.of_kind(*kinds), taxonomy.links)
        catalogue = LabelCatalogue.from_concepts(concepts, LANGUAGES)
        position = catalogue.index_of()
        edges = [
            (position[child], position[parent])
            for child, parent in taxonomy.broader
            if child in position and parent in position
        ]
        artefacts = careshift.settings.data_dir / "artefacts"
        return _Labels(
            kind=kinds[0].value,
            catalogue=catalogue,
            lexical=lexical_index(catalogue.texts, artefacts, kinds[0].value, max_df),
            hierarchy=Hierarchy(edges),
            embedded_rows=dense_label_rows(catalogue, embed),
        )

    result: _Labels = careshift.cached(f"link:labels:{kinds[0].value}", build)
    return result


def _index(
    careshift: Careshift, labels: _Labels, model: str, description_weight: float = 0.0
) -> Index:
    catalogue = labels.catalogue
    texts = [catalogue.texts[i] for i in labels.embedded_rows]
    artefacts = careshift.settings.data_dir / "artefacts"
    vectors = label_vectors(embedder(careshift, model), texts, artefacts, labels.kind)
    if description_weight > 0:
        # each embedded label's concept's description (English, as ESCO's; "" when none)
        concepts = snapshot(careshift).concepts
        owners = catalogue.label_concept[labels.embedded_rows].tolist()
        about = [concepts[catalogue.uris[c]].description or "" for c in owners]
        described = label_vectors(
            embedder(careshift, model), about, artefacts, f"{labels.kind}-description"
        )
        vectors = with_descriptions(vectors, described, description_weight)
    return Index(
        catalogue=labels.catalogue,
        lexical=labels.lexical,
        dense=DenseIndex.for_rows(labels.catalogue, labels.embedded_rows, vectors),
        hierarchy=labels.hierarchy,
    )


def query_encoder(careshift: Careshift) -> Encode:
    """Queries (titles) as unit vectors of the configured embedding model."""
    return _encoder(careshift, careshift.settings.embedding_model)


def _encoder(careshift: Careshift, setting: str) -> Encode:
    model = embedder(careshift, setting)

    def encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return model.encode(texts, "query")

    return encode


def _validated(
    texts: Sequence[str], lang: str, top: int, max_chars: int
) -> tuple[list[str], list[list[str]]]:
    if lang not in LANGUAGES:
        raise InputError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")
    if isinstance(top, bool) or not isinstance(top, int):
        raise InputError(f"top must be a whole number, got {type(top).__name__}")
    if not 1 <= top <= 100:
        raise InputError(f"top must be between 1 and 100, got {top}")
    if isinstance(texts, str):
        raise InputError("texts must be a list of strings, not one string")
    try:
        # a generator is read once, here: measuring it below must not use it up
        texts = list(texts)
    except TypeError:
        raise InputError(f"texts must be a list of strings, got {type(texts).__name__}") from None
    size = sum(len(str(t).encode("utf-8", "replace")) for t in texts)
    if size > MAX_BATCH_BYTES:
        raise InputError(
            f"input is {size:,} bytes; the limit is {MAX_BATCH_BYTES:,} (split it into batches)"
        )
    cleaned: list[str] = []
    warnings: list[list[str]] = []
    for number, text in enumerate(texts, start=1):
        if not isinstance(text, str):
            raise InputError(f"text {number} is {type(text).__name__}, not a string")
        if looks_binary(text):
            raise InputError(f"text {number} looks binary (control characters), not text")
        broken = lone_surrogate(text)
        if broken is not None:
            raise InputError(
                f"text {number} is not valid Unicode: a lone surrogate at character {broken + 1}"
            )
        notes = []
        if len(text) > max_chars:
            # the note travels with its text's result, so it names no position; the log does
            notes.append(f"truncated from {len(text):,} to {max_chars:,} characters")
            _log.info("text %d %s", number, notes[-1])
            text = text[:max_chars]
        cleaned.append(text)
        warnings.append(notes)
    return cleaned, warnings


def looks_binary(text: str) -> bool:
    """A NUL, or more than 10% control or replacement characters: not text to link."""
    if "\x00" in text:
        return True
    control = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t") or ch == "\ufffd")
    return bool(text) and control / len(text) > 0.1


def _results(
    careshift: Careshift,
    index: Index,
    texts: list[str],
    matches: list[list[Match]],
    warnings: list[list[str]],
    lang: str,
) -> list[LinkResult]:
    taxonomy = snapshot(careshift)
    catalogue = index.catalogue
    out = []
    for text, found, notes in zip(texts, matches, warnings, strict=True):
        linked = []
        for match in found:
            concept = taxonomy.concepts[catalogue.uris[match.concept]]
            label, label_lang = concept.label(lang)
            added = taxonomy.added_labels.get(concept.uri, {}).get(label_lang, ())
            linked.append(
                LinkedConcept(
                    uri=concept.uri,
                    label=label,
                    score=match.score,
                    spans=match.spans,
                    kind=concept.kind.value,
                    label_lang=label_lang,
                    label_source="careshift" if label in added else "taxonomy",
                )
            )
        out.append(LinkResult(text=text, results=tuple(linked), warnings=tuple(notes)))
    return out
