"""Shared fixtures: a real database per test (SQLite and PostgreSQL), a bootstrapped careshift.

Integration tests ask for ``careshift`` (or ``database_url``) and run once per backend. Under
``CI=true`` a skipped test fails the run: a missing dependency must not pass silently.
"""

from __future__ import annotations

import csv
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from careshift import Careshift, bootstrap, load_settings
from tests.support import postgres

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
_counter = itertools.count()


def shared_path(*parts: str) -> Path:
    """A file under ../shared, skipping the test when it is absent (a failure under CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"missing shared data: {path}")
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    if not postgres.available():
        pytest.skip("PostgreSQL binaries not installed (scripts/install-system-deps.sh)")
    with postgres.throwaway_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careshift.db'}"
        return
    server_url: str = request.getfixturevalue("postgres_server")
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def careshift(database_url: str, tmp_path: Path) -> Iterator[Careshift]:
    instance = bootstrap(load_settings(database_url=database_url, data_dir=tmp_path / "var"))
    try:
        yield instance
    finally:
        instance.close()


#: the tiny hand-written ESCO-format taxonomy (five occupations, nine skills)
ESCO_MINI = REPO / "tests" / "data" / "esco_mini"


@pytest.fixture
def linked(
    careshift: Careshift, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Careshift:
    """``careshift`` with ``tests/data/esco_mini`` imported, ready to link text with the real
    (offline) embedding model."""
    from careshift.services.taxonomy_import import import_esco

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # Label embeddings are keyed by content: every test of the session may share them.
    shared = tmp_path_factory.getbasetemp() / "link-artefacts"
    shared.mkdir(exist_ok=True)
    (careshift.settings.data_dir / "artefacts").symlink_to(shared, target_is_directory=True)
    import_esco(careshift, [ESCO_MINI])
    return careshift


@pytest.fixture(scope="session")
def esco_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database holding the full official ESCO import, built once per test run.

    The import takes about a minute, so every test that needs full ESCO starts from a copy of
    this file instead of importing again. The lock makes pytest-xdist workers share one build.
    """
    from filelock import FileLock

    from careshift.services.taxonomy_import import import_esco

    esco = shared_path("esco")
    shared_root = tmp_path_factory.getbasetemp().parent
    template = shared_root / "esco-template.db"
    with FileLock(str(shared_root / "esco-template.lock")):
        if not template.exists():
            building = shared_root / "esco-building"
            building.mkdir(exist_ok=True)
            instance = bootstrap(
                load_settings(database_url=f"sqlite:///{building / 'esco.db'}", data_dir=building)
            )
            try:
                import_esco(instance, [esco])
                with instance.store.engine.connect() as connection:
                    # Fold the write-ahead log into the file so a plain copy is complete.
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                instance.close()
            (building / "esco.db").rename(template)
    return template


@pytest.fixture
def esco_careshift(esco_template: Path, tmp_path: Path) -> Iterator[Careshift]:
    """A careshift on SQLite with the full ESCO v1.1.1 (+ sv/nb labels) already imported."""
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    database = data_dir / "careshift.db"
    shutil.copyfile(esco_template, database)
    instance = bootstrap(load_settings(database_url=f"sqlite:///{database}", data_dir=data_dir))
    try:
        yield instance
    finally:
        instance.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        for report in skipped:
            reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
            print(f"\nCI: skipped test is a failure: {report.nodeid}: {reason}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def csv_field_limit() -> Iterator[int]:
    """The csv module's default field limit, for the test's duration.

    The limit is process-wide, and reading ESCO raises it to 64 MiB for good, so a test that needs
    a field over the limit must not depend on which tests ran before it in the same worker.
    """
    default = 128 * 1024
    before = csv.field_size_limit(default)
    yield default
    csv.field_size_limit(before)
