"""Hostile planning documents are refused quickly with file:line, never crash or exhaust memory.

A request body is untrusted text: a few hundred bytes of YAML aliases can stand for billions of
nodes, and a few kilobytes of brackets can nest deeper than Python's recursion limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from careshift.errors import ImportFailed, RowProblem
from careshift.services.placement_matching import match_file
from careshift.services.planning_wisn import wisn_report
from careshift.services.projection_scenarios import EXAMPLES, project_file
from tests.support.hostile_yaml import DEEP, billion_laughs

RUNS: list[Callable[..., dict[str, Any]]] = [wisn_report, match_file, project_file]


def refusal(run: Callable[..., dict[str, Any]], text: str) -> RowProblem:
    with pytest.raises(ImportFailed) as refused:
        run("pasted", text=text)
    [problem] = refused.value.problems
    assert problem.file == "pasted"
    return problem


@pytest.mark.parametrize("run", RUNS)
def test_a_billion_laughs_document_is_refused_at_its_first_anchor_in_well_under_a_second(
    run: Callable[..., dict[str, Any]],
) -> None:
    text = billion_laughs(9)
    assert len(text) < 400
    started = time.perf_counter()
    problem = refusal(run, text)
    assert time.perf_counter() - started < 1.0
    assert problem.line == 1
    assert "anchors and aliases" in problem.message


def test_an_alias_without_a_nearby_anchor_is_refused_on_its_own_line() -> None:
    text = "facilities: []\nnote: &n hello\nagain: *n\n"
    problem = refusal(wisn_report, text)
    assert problem.line == 2


def test_a_billion_laughs_file_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "wisn.yaml"
    path.write_text(billion_laughs(9), encoding="utf-8")
    with pytest.raises(ImportFailed) as refused:
        wisn_report(path)
    [problem] = refused.value.problems
    assert (problem.file, problem.line) == (str(path), 1)


@pytest.mark.parametrize("text", list(DEEP.values()), ids=list(DEEP))
@pytest.mark.parametrize("run", RUNS)
def test_a_document_nested_too_deeply_is_refused_not_a_recursion_error(
    run: Callable[..., dict[str, Any]], text: str
) -> None:
    problem = refusal(run, text)
    assert problem.line == 1
    assert "nested too deeply" in problem.message


def test_deep_nesting_is_reported_on_the_line_where_it_goes_too_deep() -> None:
    text = "".join(f"{'  ' * depth}k:\n" for depth in range(60)) + "  " * 60 + "x\n"
    problem = refusal(wisn_report, text)
    assert problem.line is not None and 20 < problem.line < 60
    assert "nested too deeply" in problem.message


def test_the_shipped_examples_are_within_the_limits() -> None:
    assert wisn_report(EXAMPLES / "wisn.yaml")["results"]
    assert match_file(EXAMPLES / "placements.yaml")["assignments"]
    assert project_file(EXAMPLES / "projection-synthetic-hospital.yaml")["rows"]
