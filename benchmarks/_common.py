"""Helpers shared by benchmarks: where the shared data is, timing percentiles."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def esco_dir() -> Path:
    """The ESCO download: CARESHIFT_ESCO_DIR or ../shared/esco."""
    return Path(os.environ.get("CARESHIFT_ESCO_DIR") or SHARED / "esco")


def percentile(samples_ms: list[float], pct: float) -> float:
    ordered = sorted(samples_ms)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 3)


def summary_ms(samples_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(samples_ms),
        "mean_ms": round(statistics.fmean(samples_ms), 3),
        "p50_ms": percentile(samples_ms, 50),
        "p95_ms": percentile(samples_ms, 95),
        "max_ms": round(max(samples_ms), 3),
    }
