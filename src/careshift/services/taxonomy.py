"""Read-side taxonomy use cases shared by every area."""

from __future__ import annotations

from careshift.adapters.db.taxonomy_reader import load_snapshot
from careshift.adapters.files.label_supplement import SKILL_LABELS, read_label_supplement
from careshift.bootstrap import Careshift
from careshift.domain.taxonomy import TaxonomySnapshot

__all__ = ["check_skill_labels", "snapshot"]


def snapshot(careshift: Careshift) -> TaxonomySnapshot:
    """The current taxonomy (newest ESCO release + local frameworks), cached until an import,
    with careshift's own Norwegian and Swedish labels for ESCO skills (``data/labels``: CV
    wording for health and care skills, a Norwegian name for every other) as alternative
    labels: ESCO has no Norwegian skill labels."""

    def build() -> TaxonomySnapshot:
        with careshift.store.engine.connect() as connection:
            return load_snapshot(connection).with_alt_labels(_skill_labels(careshift))

    result: TaxonomySnapshot = careshift.cached("taxonomy:snapshot", build)
    return result


def _skill_labels(careshift: Careshift) -> dict[str, dict[str, tuple[str, ...]]]:
    """The labels careshift adds to ESCO skills (``settings.skill_labels``, else its own)."""
    path = careshift.settings.skill_labels or SKILL_LABELS
    table: dict[str, dict[str, tuple[str, ...]]] = careshift.cached(
        f"labels:{path}", lambda: read_label_supplement(path)
    )
    return table


def check_skill_labels(careshift: Careshift) -> int:
    """Read the skill-label table now, so a bad ``CARESHIFT_SKILL_LABELS`` stops the server
    at start-up naming its file, line and field, not the first request that needs the
    taxonomy; the number of concepts it names."""
    return len(_skill_labels(careshift))
