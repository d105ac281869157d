"""The academy's synthetic hospital: 4,000 PSAs and 600 medical records officers.

Generates the HR export with ``careshift.services.synthetic_workforce`` (seeded), then times, on
a fresh SQLite store with the starter framework: the first import (target < 10 s), an identical
re-import (idempotent, nothing written), seeding ratings for 80% of the staff, and the group gap
report of the institution against the PSA role by unit (target < 1 s) and of the whole
hospital against the records-officer role.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from careshift import bootstrap, load_settings
from careshift.domain.access import SYSTEM
from careshift.services.demo import load_starter_framework
from careshift.services.gaps import group_gap
from careshift.services.institutions import add_institution
from careshift.services.requirements import role_index
from careshift.services.synthetic_workforce import (
    PSA,
    RECORDS_OFFICER,
    hr_rows,
    seed_ratings,
    write_csv,
)
from careshift.services.workers import import_workers

N_PSA, N_RECORDS = 4_000, 600


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings = load_settings(database_url=f"sqlite:///{root / 'bench.db'}", data_dir=root)
        careshift = bootstrap(settings)
        try:
            return _measure(careshift, root)
        finally:
            careshift.close()


def _timed(action: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, round(time.perf_counter() - started, 3)


def _measure(careshift: Any, root: Path) -> dict[str, Any]:
    list(load_starter_framework(careshift))
    hospital = add_institution(careshift, "synthetic", "Synthetic General Hospital").id
    path = root / "hr-export.csv"
    write_csv(path, hr_rows(N_PSA, N_RECORDS, seed=2026))
    counts, first_s = _timed(lambda: import_workers(careshift, path, hospital))
    again, second_s = _timed(lambda: import_workers(careshift, path, hospital))
    ratings, ratings_s = _timed(lambda: seed_ratings(careshift, hospital, seed=2026))
    index = role_index(careshift)
    psa, records = index.resolve(PSA), index.resolve(RECORDS_OFFICER)
    report, psa_s = _timed(lambda: group_gap(careshift, SYSTEM, hospital, target_uri=psa))
    _, warm_s = _timed(lambda: group_gap(careshift, SYSTEM, hospital, target_uri=psa))
    _, records_s = _timed(
        lambda: group_gap(careshift, SYSTEM, hospital, target_uri=records, by="role")
    )
    return {
        "workers": N_PSA + N_RECORDS,
        "import_s": first_s,
        "import_target_s": 10,
        "import_counts": counts,
        "reimport_s": second_s,
        "reimport_counts": again,
        "ratings_written": ratings,
        "ratings_s": ratings_s,
        "group_gap_psa_by_unit_s": psa_s,
        "group_gap_psa_by_unit_warm_s": warm_s,
        "group_gap_records_by_role_s": records_s,
        "group_gap_target_s": 1,
        "groups_shown": len(report.groups),
        "most_common_gap": report.most_common[0]["label"] if report.most_common else None,
    }
