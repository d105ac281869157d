"""Pathways on full ESCO v1.1.1 + the starter framework.

Reports: all-pairs seconds and peak memory with every kind of evidence (target < 60 s); ranked
pathways with gap and explanations per role and per worker, p95 ms over 200 origins (target
< 50 ms); side by side with Nesta's Career Causeways on its 1,627 occupations (Spearman of the
number of desirable transitions, agreement of the high-risk set); Dask batch throughput.
``PATHWAYS_BENCH_BATCH`` sets the batch size (default the issue's 100,000; results stream to
disk), ``PATHWAYS_BENCH_PROCESSES=0`` runs the local cluster as threads instead of processes.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from benchmarks._common import SHARED, esco_dir, summary_ms
from careshift import bootstrap, load_settings


def _load(tmp: Path) -> Any:
    from careshift.services.frameworks import load_framework
    from careshift.services.taxonomy_import import import_esco

    careshift = bootstrap(load_settings(data_dir=tmp, reference_dir=SHARED / "reference"))
    import_esco(careshift, [esco_dir() / "v1.1.1"])
    starter = Path(__file__).resolve().parents[1] / "src/careshift/data/starter/healthcare.yaml"
    load_framework(careshift, starter)
    return careshift


def _all_pairs(careshift: Any) -> dict[str, Any]:
    from careshift.services.pathways import pathway_index
    from careshift.services.taxonomy import snapshot

    snapshot(careshift)  # reading the store is not part of the matrix time
    from careshift.services.exposure import exposure_scores

    exposure_scores(careshift)
    tracemalloc.start()
    started = time.perf_counter()
    index = pathway_index(careshift)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "roles": index.space.n_roles,
        "skills": len(index.space.skill_uris),
        "seconds": round(seconds, 2),
        "target_seconds": 60,
        "peak_mib": round(peak / 2**20, 1),
        "thresholds": vars(index.thresholds),
    }, index


def _latency(careshift: Any, index: Any) -> dict[str, Any]:
    from careshift.services.pathways import role_pathways, worker_pathways

    rng = random.Random(7)
    origins = rng.sample(index.space.uris, 200)
    role_ms = []
    for uri in origins:
        started = time.perf_counter()
        report = role_pathways(careshift, uri)
        role_ms.append((time.perf_counter() - started) * 1000)
        assert all(o.gap is not None for o in report.options)
    worker_ms = []
    for uri in origins:
        row = index.space.index[uri]
        skills = {
            index.space.skill_uris[c]: rng.randint(1, 5) for c in index.space.held()[row].indices
        }
        started = time.perf_counter()
        worker_pathways(careshift, skills, uri)
        worker_ms.append((time.perf_counter() - started) * 1000)
    return {
        "role_top10": summary_ms(role_ms),
        "worker_top10": summary_ms(worker_ms),
        "target_p95_ms": 50,
    }


def _nesta(careshift: Any, index: Any) -> dict[str, Any]:
    from careshift.adapters.files.exposure import read_nesta_transitions

    nesta = [o for o in read_nesta_transitions(SHARED / "reference") if o.uri in index.space.index]
    rows = np.array([index.space.index[o.uri] for o in nesta])
    in_set = np.zeros(index.space.n_roles, dtype=bool)
    in_set[rows] = True
    ours_desirable, ours_safe = [], []
    for row in rows:
        origin = index.origin_for_role(int(row))
        viable = index.viable_mask(origin) & in_set
        _, desirable, _ = index.desirability(origin)
        _, safe = index.safety(origin)
        ours_desirable.append(int((viable & desirable).sum()))
        ours_safe.append(int((viable & desirable & safe).sum()))
    theirs_high = np.array([o.risk_category == "High risk" for o in nesta])
    ours_high = np.array([index.attributes.exposure_category[r] == "high" for r in rows])
    both = (theirs_high & ours_high).sum()
    agree = (theirs_high == ours_high).mean()
    p_yes = theirs_high.mean() * ours_high.mean() + (1 - theirs_high.mean()) * (
        1 - ours_high.mean()
    )
    return {
        "occupations": len(nesta),
        "spearman_n_desirable": round(
            float(spearmanr(ours_desirable, [o.n_desirable for o in nesta]).statistic), 3
        ),
        "spearman_n_safe_desirable": round(
            float(spearmanr(ours_safe, [o.n_safe_desirable for o in nesta]).statistic), 3
        ),
        "median_n_desirable": {
            "careshift": float(np.median(ours_desirable)),
            "nesta": float(np.median([o.n_desirable for o in nesta])),
        },
        "high_risk": {
            "nesta": int(theirs_high.sum()),
            "careshift": int(ours_high.sum()),
            "both": int(both),
            "recall_of_nesta": round(float(both / max(theirs_high.sum(), 1)), 3),
            "agreement": round(float(agree), 3),
            "cohen_kappa": round(float((agree - p_yes) / (1 - p_yes)), 3),
        },
    }


def _batch(careshift: Any, index: Any, tmp: Path) -> dict[str, Any]:
    import json

    from careshift.services.pathway_batch import run_workforce_batch

    n = int(os.environ.get("PATHWAYS_BENCH_BATCH", "100000"))
    processes = os.environ.get("PATHWAYS_BENCH_PROCESSES", "1") != "0"
    rng = random.Random(11)
    path = tmp / "workers.jsonl"
    with path.open("w") as handle:
        for k in range(n):
            row = rng.randrange(index.space.n_roles)
            cols = index.space.held()[row].indices
            skills = {
                index.space.skill_uris[c]: rng.randint(1, 5) for c in cols if rng.random() < 0.8
            }
            handle.write(
                json.dumps({"id": k, "skills": skills, "role": index.space.uris[row]}) + "\n"
            )
    result = run_workforce_batch(careshift, path, tmp / "out.jsonl", processes=processes)
    rate = result["workers_per_second"] or 0
    return {
        **result,
        "local_cluster": "2 processes" if processes else "1 process, 2 threads",
        "estimated_seconds_for_100000": round(100_000 / rate, 0) if rate else None,
    }


def _guarded(step: Any, *args: Any) -> Any:
    """One failing section must not hide the others' numbers."""
    try:
        return step(*args)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        started = time.perf_counter()
        careshift = _load(tmp)
        load_seconds = round(time.perf_counter() - started, 1)
        try:
            all_pairs, index = _all_pairs(careshift)
            return {
                "load_esco_and_starter_seconds": load_seconds,
                "all_pairs": all_pairs,
                "latency": _latency(careshift, index),
                "nesta": _nesta(careshift, index),
                "batch": _guarded(_batch, careshift, index, tmp),
            }
        finally:
            careshift.close()
