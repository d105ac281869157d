"""Label search engine: folding, prefixes, typos, label-type order and language fallback."""

from __future__ import annotations

import pytest

from careshift.engine.label_text import normalise
from careshift.engine.search import LabelIndex, LabelRecord

PHLEBOTOMIST, HEALTH_SECRETARY, NURSE, PHLEBOTOMY, ECG, NURSE_ASSISTANT = range(6)
NURSE_ANAESTHETIST = 6


def make_index(*extra: LabelRecord) -> LabelIndex:
    """A tiny trilingual taxonomy: three occupations and two skills."""
    labels = [
        LabelRecord(PHLEBOTOMIST, "occupation", "en", "preferred", "phlebotomist"),
        LabelRecord(PHLEBOTOMIST, "occupation", "en", "alt", "phlebotomy technician"),
        LabelRecord(PHLEBOTOMIST, "occupation", "sv", "preferred", "flebotomist"),
        LabelRecord(HEALTH_SECRETARY, "occupation", "en", "preferred", "health secretary"),
        LabelRecord(HEALTH_SECRETARY, "occupation", "nb", "preferred", "helsesekretær"),
        LabelRecord(HEALTH_SECRETARY, "occupation", "sv", "preferred", "vårdadministratör"),
        LabelRecord(NURSE, "occupation", "en", "preferred", "registered nurse"),
        LabelRecord(NURSE, "occupation", "nb", "preferred", "sykepleier"),
        LabelRecord(NURSE, "occupation", "sv", "preferred", "sjuksköterska"),
        LabelRecord(NURSE, "occupation", "en", "hidden", "nurse practitioner"),
        LabelRecord(PHLEBOTOMY, "skill", "en", "preferred", "perform phlebotomy"),
        LabelRecord(PHLEBOTOMY, "skill", "en", "alt", "phlebotomy"),
        LabelRecord(PHLEBOTOMY, "skill", "sv", "preferred", "ta blodprov"),
        LabelRecord(ECG, "skill", "en", "preferred", "record an electrocardiogram"),
        LabelRecord(ECG, "skill", "en", "alt", "ECG"),
        LabelRecord(NURSE_ASSISTANT, "occupation", "en", "preferred", "nurse assistant"),
        LabelRecord(NURSE_ANAESTHETIST, "occupation", "en", "preferred", "nurse anaesthetist"),
        LabelRecord(NURSE_ANAESTHETIST, "occupation", "sv", "preferred", "anestesisjuksköterska"),
        *extra,
    ]
    return LabelIndex().fit(labels)


def concepts(index: LabelIndex, text: str, **filters: object) -> list[int]:
    return [m.concept for m in index.search(text, **filters)]  # type: ignore[arg-type]


def test_normalise_folds_case_accents_and_nordic_letters() -> None:
    assert normalise("Helsesekretær") == "helsesekretaer"
    assert normalise("SJUKSKÖTERSKA") == "sjukskoterska"
    assert normalise("Vårdadministratör") == "vardadministrator"
    assert normalise("sykepleier/Øre-nese-hals") == "sykepleier ore nese hals"
    assert normalise("  Children's   nurse ") == "childrens nurse"


def test_search_is_case_and_accent_insensitive() -> None:
    index = make_index()
    assert concepts(index, "HELSESEKRETAER", lang="nb")[0] == HEALTH_SECRETARY
    assert concepts(index, "helsesekretær", lang="nb")[0] == HEALTH_SECRETARY
    assert concepts(index, "sjukskoterska", lang="sv")[0] == NURSE
    assert concepts(index, "vardadministrator", lang="sv")[0] == HEALTH_SECRETARY


def test_a_word_prefix_finds_the_word() -> None:
    index = make_index()
    found = index.search("phleb", lang="en")
    assert {m.concept for m in found} == {PHLEBOTOMIST, PHLEBOTOMY}
    assert all(m.match == "prefix" for m in found)


def test_one_or_two_typos_still_find_the_concept() -> None:
    index = make_index()
    assert concepts(index, "phlebotmy", lang="en")[0] == PHLEBOTOMY
    assert concepts(index, "flebotomy", lang="en")[0] == PHLEBOTOMY
    assert concepts(index, "registred nurse", lang="en")[0] == NURSE
    # two swapped letters count as one edit
    assert concepts(index, "phelbotomy", lang="en")[0] == PHLEBOTOMY
    assert index.search("phlebotmy", lang="en")[0].match == "fuzzy"


def test_a_word_inside_a_compound_word_is_found_after_whole_word_matches() -> None:
    found = make_index().search("sjukskoterska", lang="sv")
    assert [m.concept for m in found] == [NURSE, NURSE_ANAESTHETIST]
    assert [m.match for m in found] == ["exact", "fuzzy"]


def test_the_start_of_a_word_with_a_typo_finds_the_word() -> None:
    index = make_index()
    assert set(concepts(index, "phelbot", lang="en")) == {PHLEBOTOMIST, PHLEBOTOMY}
    assert set(concepts(index, "flebotom", lang="en")) == {PHLEBOTOMIST, PHLEBOTOMY}
    assert concepts(index, "registered nusr", lang="en")[0] == NURSE


def test_short_words_are_not_matched_by_typos() -> None:
    # "ECH" is one edit from "ECG", but in three letters one edit makes a different word
    assert concepts(make_index(), "ech") == []


def test_exact_label_ranks_ahead_of_prefix_and_fuzzy_matches() -> None:
    found = make_index().search("phlebotomy", lang="en")
    assert found[0].concept == PHLEBOTOMY
    assert found[0].match == "exact"
    assert found[0].score > found[1].score


def test_preferred_label_ranks_ahead_of_alt_and_alt_ahead_of_hidden() -> None:
    index = make_index(
        LabelRecord(10, "occupation", "en", "alt", "care coordinator"),
        LabelRecord(11, "occupation", "en", "preferred", "care coordinator"),
        LabelRecord(12, "occupation", "en", "hidden", "care coordinator"),
    )
    found = index.search("care coordinator")
    assert [m.concept for m in found] == [11, 10, 12]
    assert [m.label_type for m in found] == ["preferred", "alt", "hidden"]


def test_each_concept_appears_once_with_its_best_label() -> None:
    found = make_index().search("phlebotomy")
    assert [m.concept for m in found].count(PHLEBOTOMY) == 1
    assert next(m for m in found if m.concept == PHLEBOTOMY).text == "phlebotomy"


def test_kind_filter_keeps_only_that_kind() -> None:
    index = make_index()
    assert concepts(index, "phlebotomy", kind="occupation") == [PHLEBOTOMIST]
    assert concepts(index, "phlebotomy", kind="skill") == [PHLEBOTOMY]
    assert concepts(index, "phlebotomy", kind="isco_group") == []


def test_language_filter_searches_that_language_only() -> None:
    index = make_index()
    assert concepts(index, "sykepleier", lang="sv") == []
    found = index.search("sykepleier", lang="nb")
    assert [(m.concept, m.lang, m.fallback) for m in found] == [(NURSE, "nb", False)]


def test_concepts_without_a_label_in_the_language_fall_back_to_english() -> None:
    index = make_index()
    found = index.search("electrocardiogram", lang="nb")
    assert [(m.concept, m.lang, m.fallback) for m in found] == [(ECG, "en", True)]
    # the nurse has a Norwegian label, so its English one is not searched in Norwegian
    assert NURSE not in concepts(index, "registered nurse", lang="nb")


def test_a_concept_with_only_alternative_labels_in_the_language_is_also_found_in_english() -> None:
    # careshift's own Norwegian wording of an ESCO skill (data/labels) adds to its English
    # labels in a Norwegian search; it does not hide them
    index = make_index(LabelRecord(ECG, "skill", "nb", "alt", "ta EKG"))
    assert concepts(index, "EKG", lang="nb") == [ECG]
    found = index.search("electrocardiogram", lang="nb")
    assert [(m.concept, m.lang, m.fallback) for m in found] == [(ECG, "en", True)]


def test_top_limits_the_number_of_results() -> None:
    index = make_index()
    assert len(index.search("n", top=1)) == 1
    with pytest.raises(ValueError, match="top"):
        index.search("nurse", top=0)


def test_a_query_without_letters_or_digits_finds_nothing() -> None:
    assert make_index().search(" -/ ") == []
    assert LabelIndex().fit([]).search("nurse") == []


def test_an_unknown_label_type_is_refused() -> None:
    with pytest.raises(ValueError, match="label type"):
        LabelIndex().fit([LabelRecord(1, "skill", "en", "preferred-ish", "x")])
