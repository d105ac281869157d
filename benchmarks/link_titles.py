"""Job titles to ESCO occupations / ISCO groups on the dev sets: MRR, R@5, R@10, speed.

``python -m benchmarks --only link_titles``. English uses a seeded sample of 3,000 of the
15,463 noisy vacancy titles (set LINK_TITLES_ALL=1 for all of them); Swedish uses all 800.
The shipped re-ranking weights were fitted on these titles, so their MRR flatters them;
``cross_validated`` re-fits the weights on four fifths of the same titles and measures the
fifth (5 folds; the first stage and the features were chosen on all of them),
``cross_validated_by_occupation`` holds out whole gold occupations instead (the weights never
saw the occupations they are measured on), and
``first_stage`` is the linker without its second stage.

There is no Norwegian dev set; ``nb_health`` is a sanity check, not a benchmark of the MELO
kind: the 28 Norwegian authorised health-personnel categories (HPR, ../shared/frameworks)
labelled here with their ISCO-08 unit groups (``data/nb_health_titles.csv``); a group or any
occupation under it counts. It compares the national-title weights Norwegian uses with the
vacancy-title weights and the first stage. ``held_out_labels`` is a larger proxy
(``_held_out_labels``): 1,000 ESCO alternative labels in Norwegian (and in Swedish, to read it
against the Swedish dev titles), each left out of the index and linked as a title; and 1,000
Norwegian preferred labels with every Norwegian label of their occupation left out.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from benchmarks._held_out_labels import held_out_label_titles
from benchmarks._linking import (
    careshift_with_esco,
    cold_start,
    peak_rss_mb,
    ranking_metrics,
    timed,
    titles,
)
from benchmarks._title_rerank import cross_validated, stage_metrics, title_set
from careshift import Careshift
from careshift.engine.linking.parameters import NATIONAL_TITLES, VACANCY_TITLES
from careshift.services.linking import build_indexes, link_occupations
from careshift.services.taxonomy import snapshot

_NB_HEALTH = Path(__file__).parent / "data" / "nb_health_titles.csv"
_ISCO = "http://data.europa.eu/esco/isco/C"

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
            report[name]["cross_validated"] = cross_validated(stages)[0]
            report[name]["cross_validated_by_occupation"] = cross_validated(
                stages, by_occupation=True
            )[0]
        report["nb_health"] = _norwegian_health(careshift)
        # no Norwegian dev set: ESCO's own alternative labels, each left out of the index
        report["held_out_labels"] = {
            lang: held_out_label_titles(careshift, lang) for lang in ("nb", "sv")
        } | {"nb_every_label": held_out_label_titles(careshift, "nb", every_label=True)}
        report.update(cold_start("occupations"))
        report["bench_process_peak_rss_mb"] = peak_rss_mb()
        return report
    finally:
        careshift.close()


def _norwegian_health(careshift: Careshift) -> dict[str, object]:
    with _NB_HEALTH.open(encoding="utf-8") as handle:
        labelled = [(r["query"], r["isco"].split()) for r in csv.DictReader(handle)]
    broader: dict[str, set[str]] = {}
    for child, parent in snapshot(careshift).broader:
        broader.setdefault(child, set()).add(parent)

    def ancestors(uri: str) -> set[str]:
        found, todo = set(), [uri]
        while todo:
            for parent in broader.get(todo.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    groups = {uri: ancestors(uri) for uri in broader}
    report: dict[str, object] = {"n": len(labelled)}
    # lenient: the group or any occupation under it; strict: the group itself
    for name, within in (("group_or_member", True), ("group_only", False)):
        rows = []
        for query, codes in labelled:
            wanted = {_ISCO + code for code in codes}
            members = {uri for uri, above in groups.items() if above & wanted} if within else set()
            rows.append((query, wanted | members))
        stages = title_set(careshift, rows, "nb")
        everything = range(len(rows))
        report[name] = {
            stage: {
                k: v for k, v in stage_metrics(stages, weights, everything).items() if k in _KEPT
            }
            for stage, weights in (
                ("national_weights", NATIONAL_TITLES.weights),
                ("vacancy_weights", VACANCY_TITLES.weights),
                ("first_stage", None),
            )
        }
    return report


_KEPT = ("mrr", "r@5", "r@10")
