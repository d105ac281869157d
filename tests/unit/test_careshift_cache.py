"""Careshift's lazily built values: one build per key, even when requests arrive together."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from careshift import bootstrap, load_settings


def test_threads_asking_together_share_one_build_and_other_keys_are_not_held_up(
    tmp_path: Path,
) -> None:
    careshift = bootstrap(load_settings(data_dir=tmp_path, database_url="sqlite://"))
    builds: list[str] = []
    slow_started = threading.Event()

    def slow() -> str:
        builds.append("slow")
        slow_started.set()
        time.sleep(0.3)
        return "index"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(careshift.cached("slow", slow)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    slow_started.wait(2)
    started = time.perf_counter()
    # another key, and a build that nests a cached value, while "slow" is being built
    nested = careshift.cached("outer", lambda: careshift.cached("inner", lambda: "x") + "y")
    assert nested == "xy" and time.perf_counter() - started < 0.2
    for thread in threads:
        thread.join()
    assert builds == ["slow"] and results == ["index"] * 4
    careshift.close()
