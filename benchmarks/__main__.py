"""``python -m benchmarks [--only NAME]``: run benchmarks, print one JSON object keyed by name.

Every module ``benchmarks/<name>.py`` (not starting with ``_``) exposing ``run() -> dict`` is a
benchmark. A benchmark that fails reports ``{"error": ...}`` under its key instead of
stopping the others.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
import traceback
from pathlib import Path


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="comma-separated benchmark names", default="")
    args = parser.parse_args()
    names = discover()
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            print(
                f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}",
                file=sys.stderr,
            )
            return 2
        names = wanted
    results: dict[str, object] = {}
    for name in names:
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            results[name] = module.run()
        except Exception as exc:  # report and go on with the other benchmarks
            traceback.print_exc(file=sys.stderr)
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"[bench] {name}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if any(isinstance(r, dict) and "error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
