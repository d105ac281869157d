"""One careshift server (demo data, SQLite) and one headless Debian chromium for the e2e run.

The browser is Debian's ``/usr/bin/chromium`` (scripts/install-system-deps.sh), driven by
Playwright; Playwright's own browser download is never used. Screenshots of every page visited
go to ``var/screenshots/``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from careshift import bootstrap, load_settings
from careshift.entrypoints.api.app import create_app
from careshift.services import linking
from careshift.services.demo import prepare_demo
from careshift.services.demo_accounts import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright_api = pytest.importorskip("playwright.sync_api")
# A shared 2-core machine can be slow; a journey is judged on what it shows, not on speed
# (speed is measured by benchmarks/api_load.py).
playwright_api.expect.set_options(timeout=20_000)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    data_dir = tmp_path_factory.mktemp("e2e") / "var"
    careshift = bootstrap(load_settings(data_dir=data_dir))
    for _ in prepare_demo(careshift):
        pass
    # Build the text-linking indexes now, not inside the first CV submission's time budget.
    linking.link_skills(careshift, ["phlebotomy"], top=1)
    port = _free_port()
    config = uvicorn.Config(create_app(careshift), host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uvicorn_server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("careshift did not start within 30 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
        careshift.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium missing (scripts/install-system-deps.sh installs it)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(base_url=server, viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(60_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def sign_in(page: object, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")  # type: ignore[attr-defined]
    page.fill("#email", email)  # type: ignore[attr-defined]
    page.fill("#password", password)  # type: ignore[attr-defined]
    page.click("main button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*/$"))  # type: ignore[attr-defined]


def shoot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
