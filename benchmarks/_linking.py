"""Shared by the linking benchmarks: a careshift with full ESCO, dev-set readers, metrics.

The store and the label-embedding artefacts live under ``var/bench-link`` and are reused by
later runs (the import is idempotent and the artefacts are keyed by content), so only the first
run pays for embedding the labels.
"""

from __future__ import annotations

import csv
import json
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks._common import REPO, SHARED, esco_dir
from careshift import Careshift, bootstrap, load_settings

BENCH = SHARED / "bench"
DATA_DIR = REPO / "var" / "bench-link"


def careshift_with_esco(*, load: bool = True, skill_model: str = "") -> Careshift:
    """The benchmark's careshift; ``load`` imports ESCO (a no-op when already stored)."""
    from careshift.services.taxonomy_import import import_esco

    careshift = bootstrap(
        load_settings(
            data_dir=DATA_DIR,
            database_url=f"sqlite:///{DATA_DIR / 'careshift.db'}",
            skill_model=skill_model,
        )
    )
    if load:
        import_esco(careshift, [esco_dir()])
    return careshift


def titles(name: str, limit: int | None = None) -> list[tuple[str, set[str]]]:
    """``(query, gold URIs)`` of ``titles/<name>_dev.csv``; a seeded sample when ``limit``."""
    with (BENCH / "titles" / f"{name}_dev.csv").open(encoding="utf-8") as handle:
        rows = [(r["query"], set(r["gold_uris"].split())) for r in csv.DictReader(handle)]
    if limit and len(rows) > limit:
        rows = sorted(random.Random(13).sample(rows, limit))
    return rows


def ranking_metrics(ranked: Iterable[Sequence[str]], gold: Iterable[set[str]]) -> dict[str, float]:
    """MRR, R@5, R@10, RP@5, RP@10 over ranked URI lists (each concept counted once)."""
    totals: dict[str, float] = defaultdict(float)
    count = 0
    for uris, expected in zip(ranked, gold, strict=True):
        count += 1
        unique = list(dict.fromkeys(uris))
        rank = next((i + 1 for i, uri in enumerate(unique) if uri in expected), None)
        totals["mrr"] += 1 / rank if rank else 0.0
        for k in (5, 10):
            hits = len(expected & set(unique[:k]))
            totals[f"r@{k}"] += float(rank is not None and rank <= k)
            totals[f"rp@{k}"] += hits / min(k, len(expected))
    return {name: round(value / max(count, 1), 4) for name, value in totals.items()}


def cold_start(kind: str, skill_model: str = "") -> dict[str, float]:
    """Seconds from a fresh process (ESCO already stored, artefacts on disk) to its first
    linked text, and that process's peak RSS (VmHWM: ru_maxrss would include the parent's)."""
    code = (
        "import time, resource; t = time.perf_counter()\n"
        "from benchmarks._linking import careshift_with_esco\n"
        "from careshift.services.linking import link_occupations, link_skills\n"
        f"c = careshift_with_esco(load=False, skill_model={skill_model!r})\n"
        f"link_{kind}(c, ['nurse taking blood samples'], 'en', 5)\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(time.perf_counter() - t, hwm)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    seconds, rss_kb = done.stdout.split()[-2:]
    return {"cold_start_s": round(float(seconds), 2), "peak_rss_mb": round(int(rss_kb) / 1024)}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(function, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def dump(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1))
