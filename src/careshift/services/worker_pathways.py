"""A worker's ranked pathways from their own reconciled profile (one use case, API and pages)."""

from __future__ import annotations

from dataclasses import dataclass

from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.pathways import PathwayReport
from careshift.services import pathways, workers

__all__ = ["WorkerPathways", "pathways_for_worker"]


@dataclass(frozen=True)
class WorkerPathways:
    profile: workers.Profile
    report: PathwayReport


def pathways_for_worker(
    careshift: Careshift, principal: Principal, worker_id: int, top: int = 8
) -> WorkerPathways:
    """Reads the profile (authorised and audited by the workers service), then ranks options."""
    mine = workers.profile(careshift, principal, worker_id)
    proficiency = {uri: skill.level for uri, skill in mine.skills.items()}
    report = pathways.worker_pathways(
        careshift,
        proficiency,
        role=mine.worker.role_uri,
        constraints=pathways.constraints_for(top=top),
        label=str(worker_id),
    )
    return WorkerPathways(mine, report)
