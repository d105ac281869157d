"""The demo: idempotent preparation, and `careshift demo` serving on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from careshift import Careshift
from careshift.adapters.db.tables import platform
from careshift.adapters.db.tables import taxonomy as t
from careshift.services.demo import DEMO_INSTITUTIONS, esco_download_paths, prepare_demo
from tests.conftest import shared_path


def count(careshift: Careshift, table: object) -> int:
    with careshift.store.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[arg-type]


def test_preparing_the_demo_twice_changes_nothing(careshift: Careshift) -> None:
    first = list(prepare_demo(careshift))
    assert any("loaded" in line for line in first)
    institutions, labels = count(careshift, platform.institution), count(careshift, t.label)
    with careshift.store.engine.connect() as connection:
        codes = set(connection.scalars(select(platform.institution.c.code)))
    assert {code for code, *_ in DEMO_INSTITUTIONS} <= codes
    second = list(prepare_demo(careshift))
    assert any("unchanged" in line for line in second)
    assert (count(careshift, platform.institution), count(careshift, t.label)) == (
        institutions,
        labels,
    )


def test_demo_finds_the_zips_and_translation_tables_of_the_shared_esco_folder() -> None:
    esco = shared_path("esco")
    names = [path.name for path in esco_download_paths(esco)]
    assert sum(name.endswith(".zip") for name in names) == 2
    assert "esco_skills_sv_preflabels.csv" in names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARESHIFT_")}
    env["CARESHIFT_DATA_DIR"] = str(tmp_path / "var")
    port = free_port()
    # The console script `make demo` runs, from the same environment as the tests.
    command = [str(Path(sys.executable).with_name("careshift")), "demo", "--port", str(port)]
    log = (tmp_path / "demo.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail(f"demo did not answer /healthz:\n{(tmp_path / 'demo.log').read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_careshift_demo_serves_health_and_openapi(demo_server: str) -> None:
    health = httpx.get(f"{demo_server}/healthz", timeout=10)
    assert health.json()["status"] == "ok"
    openapi = httpx.get(f"{demo_server}/api/openapi.json", timeout=10)
    assert "/healthz" in openapi.json()["paths"]


def test_careshift_demo_search_finds_phlebotomy_in_three_languages(demo_server: str) -> None:
    for lang, query in (("en", "phlebotomy"), ("nb", "blodprøvetaking"), ("sv", "blodprov")):
        response = httpx.get(
            f"{demo_server}/api/v1/search", params={"q": query, "lang": lang}, timeout=30
        )
        assert response.status_code == 200, response.text
        top = response.json()["results"][0]
        assert top["uri"].endswith("/skill/phlebotomy"), (lang, response.json()["results"][:3])


def test_demo_skips_an_esco_version_that_is_already_imported(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from careshift import bootstrap, load_settings
    from careshift.services.demo import import_esco_download

    settings = load_settings(data_dir=tmp_path / "var", esco_dir=shared_path("esco"))
    careshift = bootstrap(settings)
    try:
        with careshift.store.transaction() as session:
            session.execute(
                t.release.insert(),
                {
                    "kind": "esco",
                    "name": "esco",
                    "version": "v1.1.1",
                    "fingerprint": "",
                    "imported_at": datetime.now(UTC),
                    "summary": "{}",
                },
            )
        assert list(import_esco_download(careshift)) == ["ESCO v1.1.1: already imported"]
    finally:
        careshift.close()
