"""The public JSON shape of a pathway report (CLI ``--json``, REST, batch output)."""

from __future__ import annotations

from typing import Any

from careshift.domain.pathways import PathwayReport

__all__ = ["report_json"]


def report_json(report: PathwayReport) -> dict[str, Any]:
    """Origin, ranked options (with evidence, gap and explanation) and unlock skills."""
    return {
        "origin": {
            "uri": report.origin_uri,
            "label": report.origin_label,
            "exposure": report.origin_exposure,
            "exposure_category": report.origin_exposure_category,
            "n_viable": report.n_viable,
            "n_safe_desirable": report.n_safe_desirable,
        },
        "options": [
            {
                "uri": o.uri,
                "label": o.label,
                "kind": o.kind.value,
                "fit": o.fit,
                "evidence": dict(o.evidence),
                "viable": o.viable,
                "highly_viable": o.highly_viable,
                "safe": o.safe,
                "safety": o.safety,
                "desirable": o.desirable,
                "desirability": o.desirability,
                "exposure": o.exposure,
                "exposure_category": o.exposure_category,
                "effort_hours": o.effort_hours,
                "score": o.score,
                "openings": o.openings,
                "transferable": [{"uri": s.uri, "label": s.label} for s in o.transferable],
                "gap": [
                    {
                        "uri": g.uri,
                        "label": g.label,
                        "have_level": g.have_level,
                        "need_level": g.need_level,
                        "hours": g.hours,
                        "related_held": g.related_held,
                    }
                    for g in o.gap
                ],
                "bundle": [{"uri": s.uri, "label": s.label} for s in o.bundle],
                "unlocks": o.unlocks,
                "explanation": o.explanation,
            }
            for o in report.options
        ],
        "unlock": [
            {
                "uri": u.uri,
                "label": u.label,
                "unlocks": u.unlocks,
                "hours": u.hours,
                "examples": list(u.examples),
                "closer": u.closer,
                "sentence": u.sentence(),
            }
            for u in report.unlock
        ],
    }
