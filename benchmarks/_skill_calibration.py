"""Fit a skill model's calibration on the TECH and HOUSE dev sentences and print it.

``python -m benchmarks._skill_calibration [wordllama]`` (no argument: the default model).
The candidates are each sentence's top 10 under the shipped parameters (ranking does not
depend on the calibration: it is monotone), labelled correct when gold; the fitted slope and
intercept go into ``engine/linking/parameters.py``.

``python -m benchmarks._skill_calibration --documents``: the default model's calibration for
documents of several passages, per language, on the top 10 of the dev half of the CV
paragraphs (``benchmarks/link_cv.py``; English: their translation), correct when a duty
accepts the skill; printed with the log loss on the test half, before and after
(``parameters.DOCUMENT_CALIBRATIONS``).
"""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np

from benchmarks._linking import careshift_with_esco
from benchmarks.link_cv import ENGLISH, Paragraph, paragraphs
from benchmarks.link_skills import _SETS, _english_labels, _sentences
from careshift.engine.linking import Calibration, Match, link_documents, parameters
from careshift.services.linking import _encoder, _skill_index, _skill_model, _skill_parameters

_TOP = 10


def fit(setting: str) -> tuple[Calibration, int, float]:
    """The calibration, how many candidates it was fitted on and their share of correct ones."""
    careshift = careshift_with_esco(skill_model=setting)
    try:
        model = _skill_model(careshift, "en")
        index = _skill_index(careshift, model)
        # the identity map's inverse recovers the raw fused score
        raw = replace(_skill_parameters(model), calibration=Calibration(1.0, 0.0))
        row_of = index.catalogue.index_of()
        uri_of = _english_labels(careshift)
        scores, correct = [], []
        for name in _SETS:
            sentences = _sentences(name, uri_of)
            texts = [text for text, _ in sentences]
            found = link_documents(index, texts, _encoder(careshift, model), raw, _TOP)
            for (_, gold), matches in zip(sentences, found, strict=True):
                wanted = {row_of[uri] for uri in gold}
                for match in matches:
                    p = min(max(match.score, 1e-7), 1 - 1e-7)
                    scores.append(np.log(p / (1 - p)))
                    correct.append(match.concept in wanted)
    finally:
        careshift.close()
    labels = np.asarray(correct)
    return Calibration.fit(np.asarray(scores), labels), labels.size, float(labels.mean())


def fit_documents() -> dict[str, dict[str, object]]:
    """Per language: the fitted map, and the test half's log loss under the shipped map of
    ``parameters.skills(lang)`` and under the fitted one."""
    careshift = careshift_with_esco()
    report: dict[str, dict[str, object]] = {}
    try:
        index = _skill_index(careshift, careshift.settings.embedding_model)
        encode = _encoder(careshift, careshift.settings.embedding_model)
        row_of = index.catalogue.index_of()
        rows = paragraphs() + paragraphs(ENGLISH)
        for lang in ("en", "nb", "sv"):
            shipped = parameters.skills(lang)
            raw = replace(shipped, calibration=_IDENTITY, document_calibration=_IDENTITY)
            half: dict[str, tuple[np.ndarray, np.ndarray]] = {}
            for split in ("dev", "test"):
                chosen = [r for r in rows if r["lang"] == lang and r["split"] == split]
                found = link_documents(index, [r["text"] for r in chosen], encode, raw, _TOP)
                half[split] = _candidates(chosen, found, row_of)
            fitted = Calibration.fit(*half["dev"])
            before = shipped.document_calibration or shipped.calibration
            scores, correct = half["test"]
            report[lang] = {
                "calibration": fitted,
                "dev_candidates": int(half["dev"][1].size),
                "dev_correct": round(float(half["dev"][1].mean()), 3),
                "test_log_loss_shipped": _log_loss(before, scores, correct),
                "test_log_loss_fitted": _log_loss(fitted, scores, correct),
                "test_mean_p_shipped": round(float(_probability(before, scores).mean()), 3),
                "test_mean_p_fitted": round(float(_probability(fitted, scores).mean()), 3),
                "test_correct": round(float(correct.mean()), 3),
            }
    finally:
        careshift.close()
    return report


_IDENTITY = Calibration(1.0, 0.0)


def _candidates(
    chosen: list[Paragraph], found: list[list[Match]], row_of: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Raw fused scores (the identity map's inverse) of every listed skill, and whether one of
    its paragraph's duties accepts it."""
    scores, correct = [], []
    for paragraph, matches in zip(chosen, found, strict=True):
        wanted = {row_of[u] for duty in paragraph["duties"] for u in duty["uris"] if u in row_of}
        for match in matches:
            p = min(max(match.score, 1e-7), 1 - 1e-7)
            scores.append(np.log(p / (1 - p)))
            correct.append(match.concept in wanted)
    return np.asarray(scores), np.asarray(correct)


def _probability(calibration: Calibration, scores: np.ndarray) -> np.ndarray:
    return np.clip(calibration(scores.astype(np.float32)).astype(np.float64), 1e-7, 1 - 1e-7)


def _log_loss(calibration: Calibration, scores: np.ndarray, correct: np.ndarray) -> float:
    p = _probability(calibration, scores)
    return round(float(-np.mean(np.where(correct, np.log(p), np.log(1 - p)))), 4)


if __name__ == "__main__":
    if sys.argv[1:] == ["--documents"]:
        for lang, result in fit_documents().items():
            print(lang, result)
    else:
        calibration, count, share = fit(sys.argv[1] if len(sys.argv) > 1 else "")
        print(f"{calibration} on {count} candidates, {share:.1%} correct")
