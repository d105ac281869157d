"""Read-side taxonomy use cases shared by every area."""

from __future__ import annotations

from functools import cache

from careshift.adapters.db.taxonomy_reader import load_snapshot
from careshift.adapters.files.label_supplement import SKILL_LABELS, read_label_supplement
from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import TaxonomySnapshot

__all__ = ["snapshot"]


def snapshot(careshift: Careshift) -> TaxonomySnapshot:
    """The current taxonomy (newest ESCO release + local frameworks), cached until an import,
    with careshift's own Norwegian and Swedish labels for ESCO's health and care skills
    (``data/labels``) as alternative labels: ESCO has no Norwegian skill labels."""

    def build() -> TaxonomySnapshot:
        with careshift.store.engine.connect() as connection:
            return load_snapshot(connection).with_alt_labels(_skill_labels())

    result: TaxonomySnapshot = careshift.cached("taxonomy:snapshot", build)
    return result


@cache
def _skill_labels() -> dict[str, dict[str, tuple[str, ...]]]:
    """careshift's Norwegian and Swedish labels for ESCO skills, read once per process."""
    return read_label_supplement(SKILL_LABELS)
