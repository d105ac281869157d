"""Prepare a demo installation: starter framework, ESCO when configured, demo institutions.

``careshift demo`` (and ``make demo``) runs :func:`prepare_demo`, which runs each step of
:data:`STEPS` in order and prints their progress lines. Every step is idempotent, so running
the demo again on the same data directory changes nothing. An area adds its own demo data by
appending one ``(module, function)`` line to :data:`STEPS`; the function takes the
:class:`Careshift` and yields progress lines. Modules are imported only when the step runs, so
this list creates no import cycles.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import select

from careshift.adapters.db.tables import platform
from careshift.adapters.db.tables import taxonomy as t
from careshift.bootstrap import Careshift

__all__ = ["STARTER_FRAMEWORK", "STEPS", "esco_download_paths", "prepare_demo"]

STARTER_FRAMEWORK = Path(__file__).resolve().parents[1] / "data" / "starter" / "healthcare.yaml"

#: (module, function) of every demo step, run in this order.
STEPS: list[tuple[str, str]] = [
    ("careshift.services.demo", "load_starter_framework"),
    ("careshift.services.demo", "import_esco_download"),
    ("careshift.services.demo", "seed_institutions"),
    ("careshift.services.synthetic_workforce", "seed_demo_workforce"),
    ("careshift.services.demo_accounts", "seed_demo_accounts"),
    ("careshift.services.demo_learning", "seed_demo_learning"),
]

DemoStep = Callable[[Careshift], Iterator[str]]

# (code, name, kind, region, parent code): a small tenancy tree for the demo.
DEMO_INSTITUTIONS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("region-east", "Region East Health Authority", "region", "East", None),
    ("riverside-hospital", "Riverside General Hospital", "hospital", "East", "region-east"),
    ("harbour-clinic", "Harbour Family Clinic", "clinic", "East", "region-east"),
    ("healthcare-academy", "Healthcare Academy", "academy", "East", None),
    ("health-workers-union", "Health Services Workers' Union", "union", "East", None),
)


def prepare_demo(careshift: Careshift) -> Iterator[str]:
    """Run every demo step, yielding human-readable progress lines."""
    for module, function in STEPS:
        step: DemoStep = getattr(importlib.import_module(module), function)
        yield from step(careshift)


def load_starter_framework(careshift: Careshift) -> Iterator[str]:
    from careshift.services.frameworks import load_framework

    summary = load_framework(careshift, STARTER_FRAMEWORK)
    yield (
        f"starter framework {summary['framework']} {summary['version']}: {summary['status']} "
        f"({summary['roles']} roles, {summary['skills']} skills)"
    )


def import_esco_download(careshift: Careshift) -> Iterator[str]:
    """Import ESCO from ``settings.esco_dir`` unless that version is already in the store."""
    esco_dir = careshift.settings.esco_dir
    if esco_dir is None:
        yield "ESCO: CARESHIFT_ESCO_DIR is not set; serving the starter framework alone"
        return
    paths = esco_download_paths(esco_dir)
    if not paths:
        yield f"ESCO: no ESCO zips, folders or translation tables in {esco_dir}; skipped"
        return
    version = _version_in_names(paths)
    if version is not None and version in _stored_esco_versions(careshift):
        yield f"ESCO v{version}: already imported"
        return
    from careshift.services.taxonomy_import import import_esco

    yield f"ESCO: importing {len(paths)} files from {esco_dir} (about a minute) ..."
    summary = import_esco(careshift, paths, strict=False, version=None)
    yield str(summary)


def esco_download_paths(esco_dir: Path) -> list[Path]:
    """Every ESCO zip, unpacked CSV folder and translation table under ``esco_dir``."""
    zips = sorted(esco_dir.rglob("*.zip"))
    folders = sorted(
        {
            csv.parent
            for pattern in ("occupations_*.csv", "occupationSkillRelations*.csv")
            for csv in esco_dir.rglob(pattern)
        }
    )
    translations = sorted((esco_dir / "translations").glob("*.csv"))
    return [*zips, *folders, *translations]


def seed_institutions(careshift: Careshift) -> Iterator[str]:
    """Add the demo region, hospital, clinic, academy and union (kept when already there)."""
    added = 0
    with careshift.store.transaction() as session:
        query = select(platform.institution.c.code, platform.institution.c.id)
        ids: dict[str, int] = {code: id_ for code, id_ in session.execute(query)}
        for code, name, kind, region, parent in DEMO_INSTITUTIONS:
            if code in ids:
                continue
            ids[code] = session.execute(
                platform.institution.insert().returning(platform.institution.c.id),
                {
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "region": region,
                    "parent_id": ids.get(parent) if parent else None,
                },
            ).scalar_one()
            added += 1
    yield f"demo institutions: {added} added, {len(DEMO_INSTITUTIONS) - added} already there"


def _version_in_names(paths: list[Path]) -> str | None:
    for path in paths:
        match = re.search(r"v(\d+\.\d+(?:\.\d+)?)", str(path))
        if match:
            return match.group(1)
    return None


def _stored_esco_versions(careshift: Careshift) -> set[str]:
    with careshift.store.engine.connect() as connection:
        versions = connection.scalars(
            select(t.release.c.version).where(t.release.c.kind == "esco")
        ).all()
    return {version.removeprefix("v") for version in versions}
