"""Skill suggestions from a CV or job history, for a worker's profile.

Text is linked to taxonomy skills by :func:`careshift.services.linking.link_skills`; nothing is
stored until the worker (or staff) accepts suggestions, which become ``text`` evidence at the
level chosen, :data:`SUGGESTED_LEVEL` by default ("basic": a CV shows the skill was used, not
how well). Text evidence ranks below self and supervisor ratings (domain.workforce).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.workforce import EvidenceSource
from careshift.engine.linking import MIN_SUPPORT
from careshift.services import workers

__all__ = ["MIN_SCORE", "SUGGESTED_LEVEL", "SUGGESTED_TOP", "accept_suggestions", "suggest_skills"]

SUGGESTED_LEVEL = 2
#: how many of the text's best links are considered
SUGGESTED_TOP = 15
#: Below this the linker's evidence is too thin to put in front of a worker; a suggestion must
#: also score a share of the text's best link (``LinkResult.supported``).
MIN_SCORE = MIN_SUPPORT


def suggest_skills(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    text: str,
    lang: str = "en",
    top: int = SUGGESTED_TOP,
    min_score: float = MIN_SCORE,
) -> list[dict[str, Any]]:
    """Skills the text supports (at least ``min_score`` and a share of the best), best first."""
    from careshift.services.linking import link_skills

    held = workers.profile(careshift, principal, worker_id).skills  # authorises and audits
    (result,) = link_skills(careshift, [text], lang, top)
    return [
        {
            "skill_uri": match.uri,
            "label": match.label,
            "score": round(match.score, 3),
            "spans": [list(span) for span in match.spans],
            "suggested_level": SUGGESTED_LEVEL,
            "in_profile": match.uri in held and held[match.uri].basis.value != "role",
        }
        for match in result.supported(min_score)
    ]


def accept_suggestions(
    careshift: Careshift,
    principal: Principal,
    worker_id: int,
    skill_uris: Sequence[str] | Mapping[str, int],
    note: str | None = "accepted from CV suggestions",
) -> None:
    """Record accepted suggestions as ``text`` evidence (the worker or staff may do this)."""
    levels = (
        dict(skill_uris)
        if isinstance(skill_uris, Mapping)
        else dict.fromkeys(skill_uris, SUGGESTED_LEVEL)
    )
    workers.rate(careshift, principal, worker_id, levels, EvidenceSource.TEXT, note=note)
