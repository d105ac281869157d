"""Norwegian and Swedish CV paragraphs to ESCO skills: is each duty found in the top 10?

``python -m benchmarks --only link_cv``. ``benchmarks/data/cv_paragraphs.jsonl`` holds 48
paragraphs about health and care work (24 nb, 24 sv), written by a helper who never ran the
linker: each lists 3-5 duties, a phrase of the text and the ESCO skills a careful reader would
accept for it. Half of each language is ``dev`` (tune on it), half ``test``.
A duty is found at K when any accepted skill is among the paragraph's best K; its reciprocal
rank is that of the first accepted skill (0 beyond the best 100). ``paragraphs_all@10``: the
share of paragraphs with every duty in the top 10. ``phrase_alone``: each duty's phrase linked
on its own, as if the paragraph had been cut perfectly into duties. ``suggestions``: what a
worker is offered from the paragraph (``services.cv_suggestions``: the top 15 cut at
``support_threshold``): skills per paragraph, the share of them a duty accepts, the share of
duties covered. Two paragraphs (nb-05, nb-12 and their translations) have two duties sharing
a skill: one listed skill finds both.
``cv_paragraphs_en.jsonl`` holds the same paragraphs translated into English by a second
helper (duties and accepted skills kept): ``en_dev`` / ``en_test`` beside ``nb_*`` / ``sv_*``
show what reading Norwegian or Swedish costs.

``job_ads_nb_sv.jsonl`` holds 32 job advertisements and course descriptions (16 nb, 16 sv; 10
ads and 6 courses each) by another helper, written after careshift's skill labels and blind
to them, the repository and the linker, with 3-5 labelled duties,
requirements or learning outcomes each: reported as ``job_ad_<lang>_<split>`` and
``course_<lang>_<split>`` with the same metrics (``suggestions`` then reads as what the job-ad
demand would count).

``health_secretary_cvs.jsonl`` is the acceptance's own scenario in 24 wordings (12 nb, 12 sv,
written blind to the linker by a third helper): a health secretary who takes blood samples
and handles patient records, with other duties, workplaces and words varied. Each needs the
same two accepted-skill lists as ``tests/integration/test_linking_esco.py``; reported under
``health_secretary_<lang>``: the share of paragraphs with each need, and with both, in the
top 10.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks._linking import careshift_with_esco, timed
from careshift import Careshift
from careshift.services.cv_suggestions import SUGGESTED_TOP
from careshift.services.linking import LinkResult, link_skills

DATA = Path(__file__).parent / "data" / "cv_paragraphs.jsonl"
ENGLISH = DATA.with_name("cv_paragraphs_en.jsonl")
HEALTH_SECRETARY = DATA.with_name("health_secretary_cvs.jsonl")
JOB_ADS = DATA.with_name("job_ads_nb_sv.jsonl")
_DEPTH = 100
#: one line of the data file: id, lang, split, role, text, duties [{phrase, uris, labels}]
Paragraph = dict[str, Any]


def run() -> dict[str, object]:
    careshift = careshift_with_esco()
    try:
        report = measure(careshift, paragraphs() + paragraphs(ENGLISH) + paragraphs(JOB_ADS))
        report.update(health_secretary(careshift, paragraphs(HEALTH_SECRETARY)))
        return report
    finally:
        careshift.close()


def paragraphs(path: Path = DATA) -> list[Paragraph]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def measure(careshift: Careshift, rows: list[Paragraph]) -> dict[str, object]:
    """Metrics per ``[<kind>_]<lang>_<split>``, from one ``link_skills`` call per group (CVs
    have no ``kind``)."""
    by_group: dict[str, list[Paragraph]] = defaultdict(list)
    for row in rows:
        kind = f"{row['kind']}_" if "kind" in row else ""
        by_group[f"{kind}{row['lang']}_{row['split']}"].append(row)
    report: dict[str, object] = {}
    for group, members in sorted(by_group.items()):
        lang = members[0]["lang"]
        link_skills(careshift, [members[0]["text"]], lang, _DEPTH)  # model loaded, caches warm
        results, seconds = timed(link_skills, careshift, [m["text"] for m in members], lang, _DEPTH)
        ranked = [[r.uri for r in result.results] for result in results]
        report[group] = _scores(members, ranked) | {
            "paragraphs_per_s": round(len(members) / seconds, 2),
            "phrase_alone": _phrases_alone(careshift, members, lang),
            "suggestions": _suggestions(members, results),
        }
    return report


def _suggestions(members: list[Paragraph], results: list[LinkResult]) -> dict[str, float]:
    offered = accepted = covered = duties = 0
    for member, result in zip(members, results, strict=True):
        offered_here = replace(result, results=result.results[:SUGGESTED_TOP]).supported()
        kept = {r.uri for r in offered_here}
        offered += len(kept)
        accepted += len(kept & {u for duty in member["duties"] for u in duty["uris"]})
        covered += sum(bool(kept & set(duty["uris"])) for duty in member["duties"])
        duties += len(member["duties"])
    return {
        "per_paragraph": round(offered / len(members), 2),
        "accepted_share": round(accepted / max(offered, 1), 4),
        "duties_covered": round(covered / duties, 4),
    }


def health_secretary(careshift: Careshift, rows: list[Paragraph]) -> dict[str, object]:
    """Per language: the share of paragraphs with each need, and with both, in the top 10."""
    report: dict[str, object] = {}
    for lang in sorted({row["lang"] for row in rows}):
        members = [row for row in rows if row["lang"] == lang]
        results = link_skills(careshift, [m["text"] for m in members], lang, 10)
        ranks = duty_ranks(members, [[r.uri for r in result.results] for result in results])
        needs = [duty["need"] for duty in members[0]["duties"]]
        found = {need: sum(p[i] is not None for p in ranks) for i, need in enumerate(needs)}
        found["both"] = sum(all(rank is not None for rank in p) for p in ranks)
        report[f"health_secretary_{lang}"] = {
            "paragraphs": len(members),
            **{need: round(count / len(members), 4) for need, count in found.items()},
        }
    return report


def _phrases_alone(careshift: Careshift, members: list[Paragraph], lang: str) -> dict[str, float]:
    alone = [{"duties": [duty]} for member in members for duty in member["duties"]]
    results = link_skills(careshift, [d["duties"][0]["phrase"] for d in alone], lang, _DEPTH)
    scores = _scores(alone, [[r.uri for r in result.results] for result in results])
    return {k: v for k, v in scores.items() if k.startswith("duty_")}


def duty_ranks(members: list[Paragraph], ranked: list[list[str]]) -> list[list[int | None]]:
    """Per paragraph, per duty: the 1-based rank of its first accepted skill, or None."""
    found = []
    for member, uris in zip(members, ranked, strict=True):
        position: dict[str, int] = {}
        for rank, uri in enumerate(uris, start=1):
            position.setdefault(uri, rank)
        found.append(
            [
                min((position[u] for u in duty["uris"] if u in position), default=None)
                for duty in member["duties"]
            ]
        )
    return found


def _scores(members: list[Paragraph], ranked: list[list[str]]) -> dict[str, float | int]:
    ranks = duty_ranks(members, ranked)
    flat = [rank for paragraph in ranks for rank in paragraph]
    return {
        "paragraphs": len(members),
        "duties": len(flat),
        "duty_r@5": round(sum(_within(r, 5) for r in flat) / len(flat), 4),
        "duty_r@10": round(sum(_within(r, 10) for r in flat) / len(flat), 4),
        "duty_mrr": round(sum(1 / r for r in flat if r) / len(flat), 4),
        "paragraphs_all@10": round(
            sum(all(_within(r, 10) for r in paragraph) for paragraph in ranks) / len(ranks), 4
        ),
    }


def _within(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k
