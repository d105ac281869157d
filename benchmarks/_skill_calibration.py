"""Fit a skill model's calibration on the TECH and HOUSE dev sentences and print it.

``python -m benchmarks._skill_calibration [wordllama]`` (no argument: the default model).
The candidates are each sentence's top 10 under the shipped parameters (ranking does not
depend on the calibration: it is monotone), labelled correct when gold; the fitted slope and
intercept go into ``engine/linking/parameters.py``.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np

from benchmarks._linking import careshift_with_esco
from benchmarks.link_skills import _SETS, _english_labels, _sentences
from careshift.engine.linking import Calibration, link_documents
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


if __name__ == "__main__":
    calibration, count, share = fit(sys.argv[1] if len(sys.argv) > 1 else "")
    print(f"{calibration} on {count} candidates, {share:.1%} correct")
