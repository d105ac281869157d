"""A worker's ranked pathways from their own reconciled profile (one use case, API and pages)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.pathways import PathwayReport
from careshift.services import pathways, workers

__all__ = ["WorkerPathways", "pathways_for_worker"]


@dataclass(frozen=True)
class WorkerPathways:
    profile: workers.Profile
    report: PathwayReport


_RECENT = 256
_LOCK = threading.Lock()


def pathways_for_worker(
    careshift: Careshift, principal: Principal, worker_id: int, top: int = 8
) -> WorkerPathways:
    """Reads the profile (authorised and audited by the workers service), then ranks options.

    The ranking depends only on the profile and the taxonomy, so the last few are kept (a page
    and its chart ask for the same one); any import clears them with the "pathways:" caches.
    """
    mine = workers.profile(careshift, principal, worker_id)
    proficiency = {uri: skill.level for uri, skill in mine.skills.items()}
    key = (worker_id, mine.worker.role_uri, top, tuple(sorted(proficiency.items())))
    recent: OrderedDict[Any, PathwayReport] = careshift.cached(
        "pathways:worker-recent", OrderedDict
    )
    with _LOCK:
        report = recent.get(key)
    if report is None:
        report = pathways.worker_pathways(
            careshift,
            proficiency,
            role=mine.worker.role_uri,
            constraints=pathways.constraints_for(top=top),
            label=str(worker_id),
        )
        with _LOCK:
            recent[key] = report
            while len(recent) > _RECENT:
                recent.popitem(last=False)
    return WorkerPathways(mine, report)
