"""``taxonomy stats``: what the store holds of the current (or a named) ESCO release."""

from __future__ import annotations

from typing import Any

from careshift.adapters.db.esco_store import find_release, release_counts
from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import LANGUAGES
from careshift.errors import NotFound
from careshift.services.taxonomy_import import normalise_version

__all__ = ["taxonomy_stats"]


def taxonomy_stats(careshift: Careshift, version: str | None = None) -> dict[str, Any]:
    """Counts of the newest ESCO release (or ``version``).

    A label count is the number of concepts with a preferred label in that language. With no
    ESCO imported yet, ``esco_version`` is None and every count is 0.
    """
    version = normalise_version(version)
    with careshift.store.engine.connect() as connection:
        release = find_release(connection, version)
        if release is None and version is not None:
            raise NotFound(f"ESCO {version} is not imported")
        counts = release_counts(connection, release.id) if release else None
    concepts = counts["concepts"] if counts else {}
    preferred = counts["preferred_labels"] if counts else {}
    return {
        "esco_version": release.version if release else None,
        "occupations": concepts.get("occupation", 0),
        "skills": concepts.get("skill", 0),
        "occupation_skill_relations": counts["occupation_skill"] if counts else 0,
        "isco_groups": concepts.get("isco_group", 0),
        "labels": {
            lang: {
                "occupations": preferred.get(lang, {}).get("occupation", 0),
                "skills": preferred.get(lang, {}).get("skill", 0),
            }
            for lang in LANGUAGES
        },
    }
