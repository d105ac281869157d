"""The Norwegian and Swedish CV benchmark: its data keeps its promises, its scoring counts right."""

from __future__ import annotations

from collections import Counter

import pytest
from benchmarks.link_cv import (
    ENGLISH,
    HEALTH_SECRETARY,
    JOB_ADS,
    Paragraph,
    _scores,
    duty_ranks,
    paragraphs,
)

_SKILL = "http://data.europa.eu/esco/skill/"


def test_every_duty_is_a_phrase_of_its_paragraph_with_accepted_esco_skills() -> None:
    rows = paragraphs()
    assert len({r["id"] for r in rows}) == len(rows) == 48
    assert Counter((r["lang"], r["split"]) for r in rows) == {
        (lang, split): 12 for lang in ("nb", "sv") for split in ("dev", "test")
    }
    _every_duty_a_phrase_with_accepted_skills(rows)


def test_job_ads_and_courses_have_labelled_duties_in_both_halves() -> None:
    rows = paragraphs(JOB_ADS)
    assert len({r["id"] for r in rows}) == len(rows) == 32
    assert Counter((r["lang"], r["kind"], r["split"]) for r in rows) == {
        (lang, kind, split): count
        for lang in ("nb", "sv")
        for kind, count in (("job_ad", 5), ("course", 3))
        for split in ("dev", "test")
    }
    _every_duty_a_phrase_with_accepted_skills(rows)


def _every_duty_a_phrase_with_accepted_skills(rows: list[Paragraph]) -> None:
    for row in rows:
        assert 3 <= len(row["duties"]) <= 5, row["id"]
        for duty in row["duties"]:
            assert duty["phrase"] in row["text"], (row["id"], duty["phrase"])
            assert 1 <= len(duty["uris"]) == len(duty["labels"]) <= 3
            assert all(uri.startswith(_SKILL) for uri in duty["uris"])


def test_the_english_paragraphs_are_the_same_paragraphs_with_the_same_duties() -> None:
    english = {row["id"]: row for row in paragraphs(ENGLISH)}
    for source in paragraphs():
        translated = english.pop(f"{source['id']}-en")
        assert (translated["lang"], translated["source_lang"]) == ("en", source["lang"])
        assert translated["split"] == source["split"]
        assert [d["uris"] for d in translated["duties"]] == [d["uris"] for d in source["duties"]]
        for duty in translated["duties"]:
            assert duty["phrase"] in translated["text"]
    assert not english


def test_every_health_secretary_needs_the_acceptance_tests_two_skill_lists() -> None:
    from tests.integration.test_linking_esco import BLOOD_SAMPLES, PATIENT_RECORDS

    rows = paragraphs(HEALTH_SECRETARY)
    assert Counter(r["lang"] for r in rows) == {"nb": 12, "sv": 12}
    for row in rows:
        assert [tuple(d["labels"]) for d in row["duties"]] == [BLOOD_SAMPLES, PATIENT_RECORDS]
        assert all(len(d["uris"]) == len(d["labels"]) for d in row["duties"])


def _paragraph(*accepted: list[str]) -> Paragraph:
    return {"duties": [{"uris": uris} for uris in accepted]}


def test_a_duty_ranks_where_its_first_accepted_skill_does() -> None:
    members = [_paragraph(["c", "a"], ["z"]), _paragraph(["b"])]
    ranked = [["a", "b", "c", "a"], ["x", "y", "b"]]
    assert duty_ranks(members, ranked) == [[1, None], [3]]


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [
        # both duties found: at 1 and 7
        (
            [["a", *"pqrst", "b"]],
            {"duty_r@5": 0.5, "duty_r@10": 1.0, "duty_mrr": 0.5714, "paragraphs_all@10": 1.0},
        ),
        # one duty at 1, the other beyond the list
        ([["a", "q"]], {"duty_r@5": 0.5, "duty_r@10": 0.5, "paragraphs_all@10": 0.0}),
    ],
)
def test_scores_count_duties_and_whole_paragraphs(
    ranked: list[list[str]], expected: dict[str, float]
) -> None:
    scores = _scores([_paragraph(["a"], ["b"])], ranked)
    assert {k: scores[k] for k in expected} == expected
    assert scores["duties"] == 2
