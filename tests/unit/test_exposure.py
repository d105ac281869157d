"""Exposure: combining cited sources into one score and category, overrides, reader errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from careshift.adapters.files.exposure import ILO_FILE, read_exposure_reference
from careshift.domain.exposure import (
    ExposureCategory,
    ExposureEvidence,
    ExposureOverride,
    SourceTable,
    combine,
)
from careshift.errors import ImportFailed
from tests.conftest import shared_path


def _evidence(family: str, percentile: float, high: bool = False) -> ExposureEvidence:
    return ExposureEvidence(family, family, 2025, "isco08:4226", 0.5, percentile, "", high)


def test_the_combined_score_is_the_weighted_mean_of_source_percentiles():
    score = combine("r", [_evidence("ilo-genai", 0.9), _evidence("nesta-automation", 0.5)])
    assert score.score == pytest.approx(0.7)
    assert score.category == ExposureCategory.HIGH


def test_a_source_calling_a_role_high_keeps_it_out_of_the_low_category():
    score = combine(
        "r", [_evidence("ilo-genai", 0.1, high=True), _evidence("nesta-automation", 0.1)]
    )
    assert score.category == ExposureCategory.MEDIUM


def test_an_unknown_role_is_medium_not_safe():
    assert combine("r", []).category == ExposureCategory.MEDIUM


def test_an_override_replaces_category_and_score_but_keeps_the_evidence():
    override = ExposureOverride(
        "r", ExposureCategory.LOW, "kiosks postponed", "planner", date(2026, 1, 5)
    )
    score = combine("r", [_evidence("ilo-genai", 0.95)], override)
    assert score.category == ExposureCategory.LOW
    assert score.score < 0.4
    assert score.evidence and score.override == override


def test_percentiles_are_oriented_so_that_one_is_most_exposed():
    table = SourceTable(
        "f", "s", 2025, {"a": (0.2, "")}, (0.1, 0.2, 0.3, 0.4), higher_is_worse=False
    )
    assert table.percentile(0.4) == 0.0
    assert table.percentile(0.1) == 0.75


def test_the_shared_reference_gives_health_admin_roles_both_sources():
    reference = read_exposure_reference(shared_path("reference"))
    evidence = reference.evidence_for("no-such-uri", "4226")
    assert {e.family for e in evidence} == {"ilo-genai", "nesta-automation"}
    assert all(e.year in (2020, 2025) for e in evidence)


def test_a_malformed_row_is_refused_naming_file_line_and_field(tmp_path: Path):
    source = shared_path("reference")
    for relative in ("exposure", "causeways/supplementary_online_data/automation_risk"):
        (tmp_path / relative).mkdir(parents=True)
    lines = (source / ILO_FILE).read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("0.", "x.", 1)
    (tmp_path / ILO_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        read_exposure_reference(tmp_path)
    problem = caught.value.problems[0]
    assert problem.line == 4 and problem.field == "mean_score_2025"
