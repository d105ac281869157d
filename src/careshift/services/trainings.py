"""Which training would close most of a group's gaps (greedy maximum coverage).

Trainings are the courses of the learning catalogue
(``careshift.services.learning.trainings_for_skills(careshift, skill_uris, lang)`` returning
``[(code, title in lang, skill_uris)]``). With no course for these skills, a training is a *skill
group*: the skills sharing one broader concept in the taxonomy (a module that teaches related
skills together), or the skill alone when it has no broader concept.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from careshift.bootstrap import Careshift
from careshift.engine.gaps import greedy_training
from careshift.services.requirements import role_index

__all__ = ["suggest_trainings"]

Training = tuple[str, str, frozenset[str]]


def suggest_trainings(
    careshift: Careshift,
    skill_uris: Sequence[str],
    gap_counts: Sequence[int],
    lang: str = "en",
    budget: int = 5,
) -> list[dict[str, Any]]:
    """Up to ``budget`` trainings, each with the gaps it closes that earlier ones did not."""
    offered = _offered(careshift, skill_uris, lang)
    if not offered or not any(gap_counts):
        return []
    column = {uri: j for j, uri in enumerate(skill_uris)}
    coverage = np.zeros((len(offered), len(skill_uris)), dtype=np.bool_)
    for i, (_, _, covered) in enumerate(offered):
        for uri in covered:
            if uri in column:
                coverage[i, column[uri]] = True
    choices = greedy_training(np.array(gap_counts, dtype=np.int64), coverage, budget)
    return [
        {
            "key": offered[c.training][0],
            "label": offered[c.training][1],
            "skills": sorted(offered[c.training][2] & set(skill_uris)),
            "gaps_closed": c.gaps_closed,
        }
        for c in choices
    ]


def _offered(careshift: Careshift, skill_uris: Sequence[str], lang: str) -> list[Training]:
    try:
        learning = importlib.import_module("careshift.services.learning")
    except ModuleNotFoundError:
        learning = None
    provider = getattr(learning, "trainings_for_skills", None)
    courses = provider(careshift, list(skill_uris), lang) if provider is not None else []
    if courses:  # no course for these skills: fall back to skill groups
        return [(str(key), str(label), frozenset(skills)) for key, label, skills in courses]
    index = role_index(careshift)
    wanted = set(skill_uris)
    groups: dict[str, set[str]] = {}
    for narrower, broader in index.taxonomy.broader:
        if narrower in wanted:
            groups.setdefault(broader, set()).add(narrower)
    grouped = set().union(*groups.values()) if groups else set()
    offered = [
        (uri, f"Training: {index.label(uri, lang)}", frozenset(members))
        for uri, members in sorted(groups.items())
    ]
    offered += [
        (uri, f"Training: {index.label(uri, lang)}", frozenset({uri}))
        for uri in skill_uris
        if uri not in grouped
    ]
    return offered
