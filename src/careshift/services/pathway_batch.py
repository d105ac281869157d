"""Pathways for a whole workforce at once, on Dask (national scale).

Input: JSON lines ``{"id": ..., "skills": {SKILL_URI: LEVEL}, "role": URI_OR_LABEL}``. Every
worker is ranked exactly as :func:`careshift.services.pathways.worker_pathways` would (same
index, same rules), so the batch equals the single-process result; the test checks it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careshift.adapters.dask_runner import iter_batch
from careshift.adapters.files.json_lines import write_json_lines
from careshift.bootstrap import Careshift
from careshift.domain.pathways import EffortEstimator, LocalRoleFacts, PathwayConstraints
from careshift.engine.pathways import PathwayIndex
from careshift.engine.ranking import rank
from careshift.errors import InputError, NotFound, RowProblem
from careshift.services.exposure import exposure_scores, resolve_role_uri
from careshift.services.pathway_report import report_json
from careshift.services.pathways import catalogue_estimator, local_role_facts, pathway_index

__all__ = ["BatchWorker", "rank_workers", "read_workers", "run_workforce_batch"]


@dataclass(frozen=True)
class BatchWorker:
    id: str
    skills: Mapping[str, int]
    role_uri: str | None


@dataclass(frozen=True)
class _Shared:
    """What every Dask task needs: the index and per-role facts (sent to the cluster once)."""

    index: PathwayIndex
    exposure: Mapping[str, tuple[float, str]]
    facts: Mapping[str, LocalRoleFacts]
    constraints: PathwayConstraints
    estimator: EffortEstimator | None = None


def read_workers(careshift: Careshift, path: Path) -> list[BatchWorker]:
    """Parse the JSON-lines file; any bad line refuses the whole batch (file:line:field)."""
    problems: list[RowProblem] = []
    workers: list[BatchWorker] = []
    roles: dict[str, str | None] = {}
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                skills = {str(k): int(v) for k, v in data["skills"].items()}
                role = data.get("role")
                if role and role not in roles:
                    roles[role] = resolve_role_uri(careshift, role)
                workers.append(
                    BatchWorker(str(data["id"]), skills, roles.get(role) if role else None)
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                problems.append(RowProblem(str(path), line_no, None, f"not a worker record: {exc}"))
            except NotFound as exc:
                problems.append(RowProblem(str(path), line_no, "role", str(exc)))
    if problems:
        raise InputError(f"{path}: {len(problems)} bad worker record(s)", problems)
    return workers


def rank_workers(shared: _Shared, workers: Sequence[BatchWorker]) -> list[dict[str, Any]]:
    """Rank a chunk of workers (runs on a Dask worker; pure function of its inputs)."""
    index = shared.index
    results = []
    for worker in workers:
        row = index.space.index.get(worker.role_uri) if worker.role_uri else None
        exposure, category = shared.exposure.get(worker.role_uri or "", (0.5, "medium"))
        origin = index.origin_for_worker(
            f"worker:{worker.id}", worker.id, worker.skills, row, exposure, category
        )
        facts = shared.facts.get(worker.role_uri or "", LocalRoleFacts())
        report = rank(
            index,
            origin,
            shared.constraints,
            None,
            shared.estimator,
            None,
            facts.enhancements,
            facts.enhancement_share(),
        )
        results.append({"worker": worker.id, **report_json(report)})
    return results


def shared_for(careshift: Careshift, top: int) -> _Shared:
    scores = exposure_scores(careshift)
    return _Shared(
        pathway_index(careshift),
        {uri: (s.score, s.category.value) for uri, s in scores.items()},
        local_role_facts(careshift),
        PathwayConstraints(top=top),
        catalogue_estimator(careshift),
    )


def run_workforce_batch(
    careshift: Careshift,
    workers_file: Path,
    out: Path,
    top: int = 10,
    scheduler: str = "",
    processes: bool = False,
) -> dict[str, Any]:
    """Rank every worker in ``workers_file`` on Dask and write JSON lines to ``out``.

    ``out`` is replaced only when every worker is done (:func:`write_json_lines`).
    ``processes`` runs the local cluster as processes (one index copy each) instead of threads.
    """
    workers = read_workers(careshift, workers_file)
    shared = shared_for(careshift, top)
    address = scheduler or careshift.settings.dask_scheduler
    started = time.perf_counter()
    results = iter_batch(
        rank_workers, workers, shared=shared, scheduler=address, processes=processes
    )
    write_json_lines(out, results)
    seconds = time.perf_counter() - started
    return {
        "workers": len(workers),
        "out": str(out),
        "scheduler": address or "local",
        "seconds": round(seconds, 2),
        "workers_per_second": round(len(workers) / seconds, 1) if seconds else None,
    }
