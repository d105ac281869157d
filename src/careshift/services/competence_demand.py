"""Competence demand vs supply for one institution (the Pact for Skills mapping).

Demand has two sources:

* **planned posts** (CSV ``role,posts``): each post of a role asks for every skill the role
  requires, at the role's level;
* **job ads** (a folder of ``.txt`` files, one ad each, in en, nb or sv; ``name.nb.txt`` says
  the language, otherwise ``default_lang``): each ad asks for the skills (at most ``ad_skills``)
  the text links to (``services.linking.link_skills``) with a score the text supports
  (``engine.linking.support_threshold``: at least ``min_score`` and a share of the ad's best
  link), at the default level of an optional skill.

Supply is the number of the institution's workers whose reconciled profile level reaches the
demanded level (the same reconciliation as group gaps). Supply counts are people, so they are
published through small-cell suppression (``engine.suppression``) with the headcount as the
total of "has it" and "has it not" for every skill: no difference of published numbers can
single out fewer than ``min_cell_size`` people. ``shortage = demand - supply`` is only given
where supply is published.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from careshift.adapters.db import workforce_repository as repo
from careshift.adapters.db.tables.platform import institution as institution_table
from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.domain.workforce import DEFAULT_REQUIRED_LEVEL, Requirement
from careshift.engine.linking import MIN_SUPPORT
from careshift.engine.suppression import suppress
from careshift.errors import ImportFailed, InputError, NotFound, RowProblem
from careshift.services import gaps
from careshift.services.access import Action, Resource, authorize
from careshift.services.audit import record
from careshift.services.linking import link_skills
from careshift.services.requirements import role_index
from careshift.services.taxonomy import snapshot

__all__ = ["LANGS", "demand_report", "read_ads", "read_posts"]

LANGS = ("en", "nb", "sv")


def read_posts(path: Path) -> list[tuple[str, int, int]]:
    """(role key, planned posts, line) per row of a ``role,posts`` CSV."""
    problems, rows = [], []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or {"role", "posts"} - set(reader.fieldnames):
                raise ImportFailed(
                    f"posts file {path} refused",
                    [RowProblem(str(path), 1, None, "expected the columns role,posts")],
                )
            for line, row in enumerate(reader, start=2):
                posts = (row.get("posts") or "").strip()
                if not posts.isdigit():
                    problems.append(RowProblem(str(path), line, "posts", "expected a whole number"))
                    continue
                rows.append(((row.get("role") or "").strip(), int(posts), line))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(
            f"posts file {path} refused", [RowProblem(str(path), None, None, str(exc))]
        ) from None
    if problems:
        raise ImportFailed(f"posts file {path} refused ({len(problems)} problems)", problems)
    return rows


def read_ads(folder: Path, default_lang: str = "en") -> list[tuple[str, str, str]]:
    """(file name, language, text) of every ``*.txt`` ad in ``folder``, sorted by name."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of job ads")
    ads = []
    for path in sorted(folder.glob("*.txt")):
        suffix = path.stem.rsplit(".", 1)[-1] if "." in path.stem else default_lang
        lang = suffix if suffix in LANGS else default_lang
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"job ad {path} refused", [RowProblem(str(path), None, None, f"not UTF-8 ({exc})")]
            ) from None
        if text.strip():
            ads.append((path.name, lang, text))
    return ads


def demand_report(
    careshift: Careshift,
    principal: Principal,
    institution_id: int,
    *,
    posts: Path | list[tuple[str, int, int]] | None = None,
    ads: Path | list[tuple[str, str, str]] | None = None,
    collection: str | None = None,
    lang: str = "en",
    ad_skills: int = 8,
    min_score: float = MIN_SUPPORT,
    default_lang: str = "en",
) -> dict[str, Any]:
    """Demand, supply and shortage per competence (shortest first), plus posts per role."""
    authorize(principal, Action.READ, Resource.PLANNING, institution_id=institution_id)
    authorize(principal, Action.READ, Resource.AGGREGATE, institution_id=institution_id)
    index = role_index(careshift)
    demand: dict[str, float] = defaultdict(float)
    level: dict[str, int] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    role_posts = _post_demand(posts, index, demand, level, sources) if posts else {}
    if ads:
        texts = read_ads(ads, default_lang) if isinstance(ads, Path) else ads
        _ad_demand(careshift, texts, (ad_skills, min_score), demand, level, sources)
    concepts = snapshot(careshift).concepts
    skills = [
        uri
        for uri in demand
        if collection is None or collection in getattr(concepts.get(uri), "tags", frozenset())
    ]
    with careshift.store.transaction() as session:
        region = session.execute(
            institution_table.select().where(institution_table.c.id == institution_id)
        ).first()
        if region is None:
            raise NotFound(f"no institution {institution_id}")
        members = repo.worker_memberships(session, institution_id)
        evidence = repo.evidence_rows(session, institution_id, skills)
        record(session, principal, "read", "aggregate", institution_id=institution_id,
               target="competence-demand")  # fmt: skip
    staff: dict[str, int] = defaultdict(int)
    for _, role_uri, _ in members:
        staff[role_uri] += 1
    having = _having(careshift, members, evidence, skills, level)
    headcount, supply, role_staff = _publish(careshift, len(members), having, dict(staff))
    rows: list[dict[str, Any]] = []
    for uri, published in zip(skills, supply, strict=True):
        concept = concepts.get(uri)
        rows.append({
            "skill_uri": uri,
            "label": concept.label(lang)[0] if concept else uri,
            "tags": sorted(concept.tags) if concept else [],
            "level": level[uri],
            "demand": round(demand[uri], 1),
            "supply": published,
            "shortage": None if published is None else round(demand[uri] - published, 1),
            "sources": sorted(sources[uri]),
        })  # fmt: skip
    # Shortest first; competences whose supply is suppressed go last.
    rows.sort(key=lambda r: (r["shortage"] is None, -(r["shortage"] or 0), r["label"]))
    return {
        "institution_id": institution_id,
        "region": region.region,
        "collection": collection,
        "headcount": headcount,
        "competences": rows,
        "roles": _role_rows(role_posts, role_staff, index, lang),
    }


def _post_demand(
    posts: Path | list[tuple[str, int, int]],
    index: Any,
    demand: dict[str, float],
    level: dict[str, int],
    sources: dict[str, set[str]],
) -> dict[str, int]:
    problems: list[RowProblem] = []
    role_posts: dict[str, int] = {}
    name = str(posts) if isinstance(posts, Path) else "posts"
    for key, count, line in read_posts(posts) if isinstance(posts, Path) else posts:
        uri = index.resolve(key)
        if uri is None:
            problems.append(RowProblem(name, line, "role", f"unknown role {key!r}"))
            continue
        role_posts[uri] = role_posts.get(uri, 0) + count
        for requirement in index.requirements.get(uri, ()):
            demand[requirement.skill_uri] += count
            level[requirement.skill_uri] = max(
                level.get(requirement.skill_uri, 0), requirement.level
            )
            sources[requirement.skill_uri].add("posts")
    if problems:
        raise ImportFailed(f"{name} refused ({len(problems)} problems)", problems)
    return role_posts


def _ad_demand(
    careshift: Careshift,
    ads: list[tuple[str, str, str]],
    limits: tuple[int, float],
    demand: dict[str, float],
    level: dict[str, int],
    sources: dict[str, set[str]],
) -> None:
    by_lang: dict[str, list[str]] = defaultdict(list)
    for _, lang, text in ads:
        by_lang[lang].append(text)
    top, min_score = limits
    for lang, texts in by_lang.items():
        for result in link_skills(careshift, texts, lang=lang, top=top):
            for linked in result.supported(min_score):
                demand[linked.uri] += 1
                level.setdefault(linked.uri, DEFAULT_REQUIRED_LEVEL["optional"])
                sources[linked.uri].add(f"ads:{lang}")


def _having(
    careshift: Careshift,
    members: list[tuple[int, str, str | None]],
    evidence: list[tuple[int, str, int, str]],
    skills: list[str],
    level: dict[str, int],
) -> list[int]:
    """How many members reach the demanded level of each skill."""
    if not skills or not members:
        return [0] * len(skills)
    requirements = tuple(Requirement(uri, level[uri], "essential") for uri in skills)
    # The same reconciliation rule as the group gaps (one rule, not a copy of it).
    levels = gaps._levels(members, evidence, requirements, role_index(careshift))
    required = np.array([r.level for r in requirements])
    return [int(n) for n in (levels >= required).sum(axis=0)]


def _publish(
    careshift: Careshift, headcount: int, having: list[int], staff: dict[str, int]
) -> tuple[int | None, list[int | None], dict[str, int | None]]:
    """Headcount, supply per skill and staff per role, suppressed together (one table).

    Cells: ``[headcount, has_0, lacks_0, has_1, lacks_1, ..., staff of role 0, ...]``; every
    skill splits the headcount in two, and the roles partition it.
    """
    values = [headcount]
    relations: list[tuple[int, tuple[int, ...]]] = []
    for count in having:
        relations.append((0, (len(values), len(values) + 1)))
        values += [count, headcount - count]
    roles = sorted(staff)
    first_role = len(values)
    values += [staff[role] for role in roles]
    if roles:
        relations.append((0, tuple(range(first_role, len(values)))))
    hidden = suppress(values, relations, careshift.settings.min_cell_size)

    def shown(i: int) -> int | None:
        return None if hidden[i] else values[i]

    supply = [shown(1 + 2 * j) for j in range(len(having))]
    return shown(0), supply, {role: shown(first_role + k) for k, role in enumerate(roles)}


def _role_rows(
    role_posts: dict[str, int], staff: dict[str, int | None], index: Any, lang: str
) -> list[dict[str, Any]]:
    rows = []
    for uri, posts in sorted(role_posts.items()):
        current = staff.get(uri, 0)
        rows.append({"role_uri": uri, "label": index.label(uri, lang), "planned_posts": posts,
                     "staff": current,
                     "shortage": None if current is None else posts - current})  # fmt: skip
    return rows
