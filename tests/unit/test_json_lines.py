"""JSON-lines output is all or nothing: a stream that fails leaves the earlier file intact."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from careshift.adapters.files.json_lines import write_json_lines


def test_records_become_one_json_object_per_line_in_order(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out.jsonl"
    records = [{"id": 1, "label": "helsesekretær"}, {"id": 2, "label": "undersköterska"}]
    assert write_json_lines(out, records) == 2
    assert [json.loads(line) for line in out.read_text("utf-8").splitlines()] == records
    assert "helsesekretær" in out.read_text("utf-8")  # not \\u-escaped


def test_a_stream_failing_half_way_leaves_the_earlier_output_and_no_partial(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("earlier\n", "utf-8")

    def failing() -> Iterator[dict[str, int]]:
        yield {"id": 1}
        raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError, match="worker lost"):
        write_json_lines(out, failing())
    assert out.read_text("utf-8") == "earlier\n"
    assert list(tmp_path.iterdir()) == [out]
