"""Label search over the full ESCO: index build time, query latency, hit rates.

The full ESCO v1.1.1 with the Swedish and Norwegian tables is imported into a temporary SQLite
store with the real importer, and queried through ``services.search.search`` (what the CLI and
the API call). Without the importer (``CARESHIFT_SEARCH_BENCH_SOURCE=csv``, or before it exists)
the engine index is built from the CSV labels directly.

1,000 queries, a fixed seeded mix: exact English preferred labels, prefixes of them, one-typo
variants, Swedish preferred labels (``lang=sv``) and two words of a longer label in any order.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks._common import esco_dir, percentile

SEED = 20261123
MIX = {"exact": 300, "prefix": 200, "typo": 200, "swedish": 150, "multiword": 150}
# (uri, kind, lang, label_type, text)
Label = tuple[str, str, str, str, str]
# query text, lang, expected uri, how deep the expected concept may rank
Query = tuple[str, str, str, int]
Search = Callable[[str, str], list[str]]


def run() -> dict[str, object]:
    root = esco_dir()
    if not any(root.glob("v1.1.1/*.zip")):
        return {"skipped": f"no ESCO download under {root}"}
    if os.environ.get("CARESHIFT_SEARCH_BENCH_SOURCE") == "csv" or not _has_importer():
        labels, search, build_seconds, source = _from_csv(root)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            return _measure(*_from_store(root, Path(scratch)))
    return _measure(labels, search, build_seconds, source)


def _measure(
    labels: list[Label], search: Search, build_seconds: tuple[float, float], source: str
) -> dict[str, object]:
    """``build_seconds`` is (wall, CPU) time to build the index."""
    queries = make_queries(labels, random.Random(SEED))
    timings: list[float] = []
    # CPU time too: on a shared machine wall time mostly measures the neighbours
    cpu_timings: list[float] = []
    hits: dict[str, list[bool]] = {kind: [] for kind in MIX}
    for kind, (text, lang, expected, depth) in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        found = search(text, lang)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        timings.append((time.perf_counter() - started) * 1000)
        hits[kind].append(expected in found[:depth])
    return {
        "queries": len(queries),
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "max_ms": percentile(timings, 100),
        "cpu_p50_ms": percentile(cpu_timings, 50),
        "cpu_p95_ms": percentile(cpu_timings, 95),
        "build_seconds": round(build_seconds[0], 2),
        "build_cpu_seconds": round(build_seconds[1], 2),
        "target_p95_ms": 20,
        "hit_at_1_exact": _share(hits["exact"]),
        "hit_at_10_prefix": _share(hits["prefix"]),
        "hit_at_10_typo": _share(hits["typo"]),
        "hit_at_1_swedish": _share(hits["swedish"]),
        "hit_at_10_multiword": _share(hits["multiword"]),
        "labels": len(labels),
        "source": source,
    }


def make_queries(labels: list[Label], rng: random.Random) -> list[tuple[str, Query]]:
    english = sorted(
        {(u, x) for u, k, lang, t, x in labels if lang == "en" and t == "preferred"}
        if labels
        else set()
    )
    swedish = sorted({(u, x) for u, _, lang, t, x in labels if lang == "sv" and t == "preferred"})
    queries: list[tuple[str, Query]] = []
    for _ in range(MIX["exact"]):
        uri, text = rng.choice(english)
        queries.append(("exact", (text, "en", uri, 1)))
    for _ in range(MIX["prefix"]):
        uri, text = rng.choice([e for e in english if len(e[1]) >= 8] or english)
        queries.append(("prefix", (text[: rng.randint(4, len(text) - 1)], "en", uri, 10)))
    for _ in range(MIX["typo"]):
        uri, text = rng.choice(english)
        queries.append(("typo", (_one_typo(text, rng), "en", uri, 10)))
    for _ in range(MIX["swedish"]):
        uri, text = rng.choice(swedish)
        queries.append(("swedish", (text, "sv", uri, 1)))
    long_labels = [e for e in english if len([w for w in e[1].split() if len(w) > 3]) >= 2]
    for _ in range(MIX["multiword"]):
        uri, text = rng.choice(long_labels)
        words = rng.sample([w for w in text.split() if len(w) > 3], 2)
        queries.append(("multiword", (" ".join(words), "en", uri, 10)))
    rng.shuffle(queries)
    return queries


def _one_typo(text: str, rng: random.Random) -> str:
    """``text`` with one edit (delete, replace, swap or insert) in one of its longer words."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5] or [0]
    i = rng.choice(long_words)
    word, at = words[i], rng.randrange(1, max(2, len(words[i]) - 1))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    edit = rng.choice(["delete", "replace", "swap", "insert"])
    if edit == "delete":
        word = word[:at] + word[at + 1 :]
    elif edit == "replace":
        word = word[:at] + letter + word[at + 1 :]
    elif edit == "swap" and at + 1 < len(word):
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        word = word[:at] + letter + word[at:]
    words[i] = word
    return " ".join(words)


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else float("nan")


def _has_importer() -> bool:
    try:
        from careshift.services import taxonomy_import  # noqa: F401
    except ImportError:
        return False
    return True


def _from_csv(root: Path) -> tuple[list[Label], Search, tuple[float, float], str]:
    from benchmarks._esco_labels import read_labels
    from careshift.engine.search import LabelIndex, LabelRecord

    labels = read_labels(root)
    started, cpu_started = time.perf_counter(), time.process_time()
    uris = sorted({row[0] for row in labels})
    number = {uri: i for i, uri in enumerate(uris)}
    index = LabelIndex().fit(LabelRecord(number[u], k, lang, t, x) for u, k, lang, t, x in labels)
    build_seconds = (time.perf_counter() - started, time.process_time() - cpu_started)

    def search(text: str, lang: str) -> list[str]:
        return [uris[m.concept] for m in index.search(text, lang=lang, top=10)]

    return labels, search, build_seconds, "engine over the ESCO CSV labels"


def _from_store(root: Path, scratch: Path) -> tuple[list[Label], Search, tuple[float, float], str]:
    from careshift import bootstrap, load_settings
    from careshift.services.search import search, search_index
    from careshift.services.taxonomy import snapshot
    from careshift.services.taxonomy_import import import_esco

    careshift = bootstrap(
        load_settings(database_url=f"sqlite:///{scratch / 'bench.db'}", data_dir=scratch)
    )
    paths = sorted(root.glob("v1.1.1/*.zip")) + sorted(root.glob("translations/*.csv"))
    import_esco(careshift, paths)
    taxonomy = snapshot(careshift)
    started, cpu_started = time.perf_counter(), time.process_time()
    search_index(careshift)
    build_seconds = (time.perf_counter() - started, time.process_time() - cpu_started)
    labels = [
        (c.uri, c.kind.value, lang, label_type.value, text)
        for c in taxonomy.concepts.values()
        for lang, by_type in c.labels.items()
        for label_type, texts in by_type.items()
        for text in texts
    ]

    def run_search(text: str, lang: str) -> list[str]:
        return [hit.uri for hit in search(careshift, text, lang=lang, top=10)]

    return labels, run_search, build_seconds, "services.search over ESCO imported into SQLite"
