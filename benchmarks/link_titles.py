"""Job titles to ESCO occupations / ISCO groups on the dev sets: MRR, R@5, R@10, speed.

``python -m benchmarks --only link_titles``. English uses a seeded sample of 3,000 of the
15,463 noisy vacancy titles (set LINK_TITLES_ALL=1 for all of them); Swedish uses all 800.
The shipped re-ranking weights were fitted on these titles, so their MRR flatters them;
``cross_validated`` re-fits the weights on four fifths of the same titles and measures the
fifth they never saw (5 folds), and ``first_stage`` is the linker without its second stage.
"""

from __future__ import annotations

import os

from benchmarks._linking import (
    careshift_with_esco,
    cold_start,
    peak_rss_mb,
    ranking_metrics,
    timed,
    titles,
)
from benchmarks._title_rerank import cross_validated, stage_metrics, title_set
from careshift.services.linking import build_indexes, link_occupations

_SETS = (("en", "en"), ("sv", "sv"))


def run() -> dict[str, object]:
    careshift = careshift_with_esco()
    try:
        _, index_seconds = timed(build_indexes, careshift)
        report: dict[str, object] = {"index_build_s": round(index_seconds, 2)}
        limit = None if os.environ.get("LINK_TITLES_ALL") else 3_000
        for name, lang in _SETS:
            rows = titles(name, limit)
            results, seconds = timed(link_occupations, careshift, [q for q, _ in rows], lang, 100)
            ranked = [[r.uri for r in result.results] for result in results]
            scored = ranking_metrics(ranked, [gold for _, gold in rows])
            report[name] = {
                "n": len(rows),
                "mrr": scored["mrr"],
                "r@5": scored["r@5"],
                "r@10": scored["r@10"],
                "titles_per_s": round(len(rows) / seconds, 1),
            }
            stages = title_set(careshift, rows, lang)
            report[name]["first_stage"] = stage_metrics(stages, None, range(len(rows)))
            report[name]["cross_validated"] = cross_validated(stages)["metrics"]
        report.update(cold_start("occupations"))
        report["bench_process_peak_rss_mb"] = peak_rss_mb()
        return report
    finally:
        careshift.close()
