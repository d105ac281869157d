"""Write a stream of records as JSON lines, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["write_json_lines"]


def write_json_lines(out: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write ``records`` one JSON object per line to ``out``; returns how many.

    They stream to a temporary file beside ``out`` that replaces it only once ``records`` is
    exhausted: a batch that fails half-way leaves no half-written output, and an earlier
    ``out`` intact.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return count
