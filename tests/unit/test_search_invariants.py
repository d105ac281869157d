"""Invariants of the label search engine over random taxonomies (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from careshift.engine.label_text import normalise
from careshift.engine.search import LABEL_TYPES, LabelIndex, LabelRecord

WORDS = [
    "nurse",
    "nurses",
    "care",
    "carer",
    "health",
    "helse",
    "sekretær",
    "secretary",
    "phlebotomy",
    "vård",
    "coordinator",
    "ecg",
    "blood",
    "sykepleier",
]

label_texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
labels = st.builds(
    lambda concept, lang, label_type, text: LabelRecord(
        concept, "occupation" if concept % 2 else "skill", lang, label_type, text
    ),
    st.integers(0, 8),
    st.sampled_from(["en", "nb", "sv"]),
    st.sampled_from(LABEL_TYPES),
    label_texts,
)
taxonomies = st.lists(labels, min_size=1, max_size=40)
queries = st.one_of(
    label_texts,
    st.sampled_from(WORDS).map(lambda w: w[: max(1, len(w) // 2)]),
    st.text(alphabet="abcdeilnorsuyæø ", min_size=1, max_size=15),
)
filters = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([None, "occupation", "skill"]),
        "lang": st.sampled_from([None, "en", "nb", "sv"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(taxonomies, queries, filters)
def test_scores_are_in_range_sorted_and_each_concept_appears_once(
    taxonomy: list[LabelRecord], query: str, where: dict[str, str | None]
) -> None:
    found = LabelIndex().fit(taxonomy).search(query, top=100, **where)
    scores = [m.score for m in found]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len({m.concept for m in found}) == len(found)


@settings(max_examples=150, deadline=None)
@given(taxonomies, queries, filters, st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_the_order_of_the_labels(
    taxonomy: list[LabelRecord], query: str, where: dict[str, str | None], random: object
) -> None:
    shuffled = list(taxonomy)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first = LabelIndex().fit(taxonomy).search(query, top=100, **where)
    second = LabelIndex().fit(shuffled).search(query, top=100, **where)
    assert first == second


@settings(max_examples=150, deadline=None)
@given(taxonomies, st.data())
def test_a_query_equal_to_a_label_ranks_an_exact_match_first(
    taxonomy: list[LabelRecord], data: st.DataObject
) -> None:
    target = data.draw(st.sampled_from(taxonomy))
    query = data.draw(st.sampled_from([target.text, target.text.upper(), f" {target.text}! "]))
    found = LabelIndex().fit(taxonomy).search(query, top=100)
    assert found[0].match == "exact"
    assert normalise(found[0].text) == normalise(target.text)
    assert target.concept in {m.concept for m in found}


@settings(max_examples=100, deadline=None)
@given(taxonomies, st.sampled_from(WORDS))
def test_every_label_containing_the_query_word_is_found(
    taxonomy: list[LabelRecord], word: str
) -> None:
    found = {m.concept for m in LabelIndex().fit(taxonomy).search(word, top=100)}
    expected = {r.concept for r in taxonomy if normalise(word) in normalise(r.text).split()}
    assert expected <= found
