"""Role impact: which tasks technology removes or changes in each local role, when, how exposed
the role is, and (for readers allowed to count staff) how many people hold it.

Headcount at risk is estimated as headcount times the share of working time in removed tasks: the
number of full-time equivalents whose current work disappears and who need another role or an
enhanced one. It is an estimate for planning, not a statement about any person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.frameworks import RoleTask, TaskChange
from careshift.services import workers
from careshift.services.access import Action, Resource, allowed, authorize
from careshift.services.exposure import exposure_scores
from careshift.services.frameworks import framework_roles
from careshift.services.taxonomy import snapshot

__all__ = ["RoleImpact", "role_impacts"]


@dataclass(frozen=True)
class RoleImpact:
    uri: str
    label: str
    label_lang: str
    exposure: float
    exposure_category: str
    tasks: tuple[RoleTask, ...]
    #: share of working time in tasks technology removes (0-1)
    removed_share: float
    #: first year a task changes, if the framework says
    first_year: int | None
    #: people holding the role in the institution; None when the reader may not count staff
    headcount: int | None
    at_risk: float | None


def role_impacts(
    careshift: Careshift, principal: Principal, institution_id: int | None, lang: str = "en"
) -> list[RoleImpact]:
    """Every local role, most exposed first."""
    authorize(principal, Action.READ, Resource.ROLE_IMPACT, institution_id=institution_id)
    counts = _headcounts(careshift, principal, institution_id)
    scores = exposure_scores(careshift)
    concepts = snapshot(careshift).concepts
    impacts = []
    for uri, role in framework_roles(careshift).items():
        score = scores.get(uri)
        removed = sum(t.share for t in role.tasks if t.change is TaskChange.REMOVED)
        years = [t.year for t in role.tasks if t.year is not None]
        label, label_lang = concepts[uri].label(lang) if uri in concepts else (uri, "en")
        headcount = counts.get(uri, 0) if counts is not None else None
        impacts.append(
            RoleImpact(
                uri=uri,
                label=label,
                label_lang=label_lang,
                exposure=score.score if score else 0.0,
                exposure_category=score.category.value if score else "unknown",
                tasks=role.tasks,
                removed_share=round(removed, 3),
                first_year=min(years) if years else None,
                headcount=headcount,
                at_risk=None if headcount is None else round(headcount * removed, 1),
            )
        )
    return sorted(impacts, key=lambda i: (-i.exposure, i.label))


def _headcounts(
    careshift: Careshift, principal: Principal, institution_id: int | None
) -> Counter[str] | None:
    if institution_id is None or not allowed(
        principal, Action.READ, Resource.PERSON, institution_id=institution_id
    ):
        return None
    return Counter(w.role_uri for w in workers.list_workers(careshift, principal, institution_id))
