"""Tuned parameters, fitted on ``../shared/bench`` dev sets only (see benchmarks/link_*.py).

Few on purpose: one fusion weight and a two-number calibration per task, so they cannot learn
the dev sets by heart; the judged test sets are held out.
"""

from __future__ import annotations

from careshift.engine.linking.linker import LinkParameters
from careshift.engine.linking.scoring import Calibration, Fusion

__all__ = ["OCCUPATIONS", "SKILLS"]

OCCUPATIONS = LinkParameters(
    fusion=Fusion(dense_weight=0.7),
    calibration=Calibration(slope=12.0, intercept=-9.0),
    group_decay=0.97,
)

SKILLS = LinkParameters(
    fusion=Fusion(dense_weight=0.7),
    calibration=Calibration(slope=12.0, intercept=-9.0),
    window_words=4,
)
