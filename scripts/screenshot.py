"""Write docs/screenshot.png (and docs/screenshot-mobile.png) for the README.

    .venv/bin/python scripts/screenshot.py

Seeds a throw-away demo installation, serves it on a free local port, signs in as the demo HR
user and photographs the staff-gap heatmap with Debian's chromium (never a downloaded browser).
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from careshift import bootstrap, load_settings
from careshift.entrypoints.api.app import create_app
from careshift.services.demo import prepare_demo
from careshift.services.demo_accounts import DEMO_PASSWORD

DOCS = Path(__file__).resolve().parents[1] / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        careshift = bootstrap(load_settings(data_dir=Path(tmp) / "var"))
        for line in prepare_demo(careshift):
            print(line)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(careshift), port=port, log_level="warning")
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name, width in (("screenshot", 1100), ("screenshot-mobile", 360)):
                page = browser.new_page(base_url=base, viewport={"width": width, "height": 800})
                page.goto("/login")
                page.fill("#email", "hr@demo")
                page.fill("#password", DEMO_PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url(f"{base}/")
                page.goto("/hr/gaps")
                page.wait_for_selector(".chart canvas", timeout=15000)
                page.screenshot(path=str(DOCS / f"{name}.png"), full_page=False)
                page.close()
            browser.close()
        server.should_exit = True
        careshift.close()
    print(f"wrote {DOCS / 'screenshot.png'} and {DOCS / 'screenshot-mobile.png'}")


if __name__ == "__main__":
    main()
