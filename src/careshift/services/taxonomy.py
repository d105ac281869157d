"""Read-side taxonomy use cases shared by every area."""

from __future__ import annotations

from careshift.adapters.db.taxonomy_reader import load_snapshot
from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import TaxonomySnapshot

__all__ = ["snapshot"]


def snapshot(careshift: Careshift) -> TaxonomySnapshot:
    """The current taxonomy (newest ESCO release + local frameworks), cached until an import."""

    def build() -> TaxonomySnapshot:
        with careshift.store.engine.connect() as connection:
            return load_snapshot(connection)

    result: TaxonomySnapshot = careshift.cached("taxonomy:snapshot", build)
    return result
