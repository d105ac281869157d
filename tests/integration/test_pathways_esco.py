"""Pathways on full ESCO v1.1.1 + the starter framework (imported once for the module, SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from careshift import bootstrap, load_settings
from careshift.domain.pathways import PathwayKind
from careshift.services.frameworks import load_framework
from careshift.services.pathways import constraints_for, pathway_index, role_pathways
from careshift.services.taxonomy_import import import_esco
from tests.conftest import REPO, shared_path

pytestmark = pytest.mark.esco

ADMIN_ROLES = [
    "medical records clerk",
    "medical administrative assistant",
    "front line medical receptionist",
    "patient service associate",
]


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory):
    esco = shared_path("esco", "v1.1.1")
    shared_path("reference", "exposure")
    folder: Path = tmp_path_factory.mktemp("esco")
    careshift = bootstrap(load_settings(data_dir=folder, database_url=f"sqlite:///{folder}/c.db"))
    import_esco(careshift, [esco])
    load_framework(careshift, REPO / "src/careshift/data/starter/healthcare.yaml")
    yield careshift
    careshift.close()


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_top_moves_for_health_admin_roles_are_safe_with_a_gap_and_effort(full, role):
    report = role_pathways(full, role, constraints_for(top=5))
    moves = [o for o in report.options if o.kind != PathwayKind.ENHANCEMENT]
    assert moves, f"no move for {role}"
    best = moves[0]
    assert best.safe and best.exposure < report.origin_exposure
    assert best.gap and best.effort_hours > 0
    flags = [o.safe for o in report.options]
    assert flags == sorted(flags, reverse=True)  # no unsafe option above a safe one


def test_thresholds_are_calibrated_on_within_unit_group_pairs(full):
    thresholds = pathway_index(full).thresholds
    assert thresholds.n_pairs > 1000
    assert 0 < thresholds.viable < thresholds.highly_viable < 1


def test_every_occupation_is_its_own_best_fit(full):
    combined = pathway_index(full).similarity.combined
    assert (combined.argmax(axis=1) == range(combined.shape[0])).mean() > 0.99
