"""``careshift workers ...``: HR import, records, profiles, ratings, export and erasure.

The command line acts as the operator (``SYSTEM``): full access, every personal-data read and
write still audited.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from careshift.domain.access import SYSTEM
from careshift.domain.workforce import EvidenceSource
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.errors import InputError
from careshift.services import privacy, workers
from careshift.services.institutions import find_institution

app = typer.Typer(help="Workers: HR import, profiles, ratings, export and erasure.")

INSTITUTION = typer.Option(..., "--institution", help="Institution id or code.")
JSON = typer.Option(False, "--json", help="Print JSON.")


def parse_levels(pairs: list[str]) -> dict[str, int]:
    """``SKILL_URI=LEVEL`` arguments as a mapping (the URI may itself contain '=')."""
    levels = {}
    for pair in pairs:
        uri, _, level = pair.rpartition("=")
        if not uri or not level.isdigit():
            raise InputError(f"expected SKILL_URI=LEVEL, got {pair!r}")
        levels[uri] = int(level)
    return levels


@app.command("import")
def import_file(
    file: Path = typer.Argument(..., help="CSV or XLSX file (see docs/hr-import.md)."),
    institution: str = INSTITUTION,
) -> None:
    """Import workers; a bad row rejects the whole file, naming the line and field."""
    careshift = open_careshift()
    try:
        target = find_institution(careshift, institution)
        counts = workers.import_workers(careshift, file, target.id)
        typer.echo(
            f"{file.name} -> {target.code}: {counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged"
        )
    finally:
        careshift.close()


@app.command("list")
def list_(
    institution: str = INSTITUTION,
    unit: str | None = typer.Option(None, help="Only this unit code."),
    role: str | None = typer.Option(None, help="Only this role URI."),
    as_json: bool = JSON,
) -> None:
    """List workers of an institution."""
    careshift = open_careshift()
    try:
        target = find_institution(careshift, institution)
        found = workers.list_workers(careshift, SYSTEM, target.id, unit_code=unit, role_uri=role)
        if as_json:
            echo_json([asdict(w) for w in found])
            return
        for w in found:
            typer.echo(f"{w.id}\t{w.employee_number}\t{w.unit_code or '-'}\t{w.role_uri}")
    finally:
        careshift.close()


@app.command("show")
def show(worker_id: int, as_json: bool = JSON) -> None:
    """A worker's record and reconciled skill profile (with every piece of evidence)."""
    careshift = open_careshift()
    try:
        found = workers.profile(careshift, SYSTEM, worker_id)
        payload = {
            "worker": asdict(found.worker),
            "skills": {
                uri: {
                    "level": s.level,
                    "basis": s.basis.value,
                    "evidence": [{**asdict(e), "source": e.source.value} for e in s.evidence],
                }
                for uri, s in sorted(found.skills.items())
            },
        }
        if as_json:
            echo_json(payload)
            return
        typer.echo(
            f"{found.worker.employee_number} {found.worker.name or ''} ({found.worker.role_uri})"
        )
        for uri, skill in payload["skills"].items():
            typer.echo(
                f"  {skill['level']}  {uri}  [{skill['basis']}, {len(skill['evidence'])} evidence]"
            )
    finally:
        careshift.close()


@app.command("rate")
def rate(
    worker_id: int,
    levels: list[str] = typer.Argument(..., help="SKILL_URI=LEVEL pairs, levels 1-6."),
    source: str = typer.Option(
        "supervisor", help="supervisor | course | credential | text | self."
    ),
    note: str | None = typer.Option(None, help="Why (kept as evidence)."),
) -> None:
    """Record skill evidence for a worker."""
    careshift = open_careshift()
    try:
        parsed = parse_levels(levels)
        if source == "self":
            workers.assess_self(careshift, SYSTEM, worker_id, parsed)
        else:
            try:
                kind = EvidenceSource(source)
            except ValueError:
                raise InputError(f"unknown source {source!r}") from None
            workers.rate(careshift, SYSTEM, worker_id, parsed, kind, note=note)
        typer.echo(f"recorded {len(parsed)} {source} rating(s) for worker {worker_id}")
    finally:
        careshift.close()


@app.command("suggest")
def suggest(
    worker_id: int,
    file: Path = typer.Argument(..., help="A text file: CV or job history."),
    lang: str = typer.Option("en", help="Language of the text: en, nb or sv."),
    accept: bool = typer.Option(False, "--accept", help="Record the suggestions as evidence."),
) -> None:
    """Skills a CV suggests; with --accept they become 'text' evidence at level 2."""
    from careshift.services.cv_suggestions import accept_suggestions, suggest_skills

    careshift = open_careshift()
    try:
        found = suggest_skills(careshift, SYSTEM, worker_id, file.read_text(encoding="utf-8"), lang)
        for item in found:
            typer.echo(f"{item['score']:.2f}  {item['label']}  {item['skill_uri']}")
        if accept and found:
            accept_suggestions(careshift, SYSTEM, worker_id, [i["skill_uri"] for i in found])
            typer.echo(f"recorded {len(found)} suggestion(s) as text evidence")
    finally:
        careshift.close()


@app.command("export")
def export(
    worker_id: int,
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """Everything held about a worker, as JSON (the right of access)."""
    careshift = open_careshift()
    try:
        data = privacy.export_worker(careshift, SYSTEM, worker_id)
        if output is None:
            echo_json(data)
        else:
            output.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            typer.echo(f"wrote {output}")
    finally:
        careshift.close()


@app.command("erase")
def erase(
    worker_id: int,
    yes: bool = typer.Option(False, "--yes", help="Confirm: this cannot be undone."),
) -> None:
    """Erase a worker's personal data, keeping only anonymous aggregates."""
    if not yes:
        raise InputError("erasure cannot be undone: repeat with --yes")
    careshift = open_careshift()
    try:
        pseudonym = privacy.erase_worker(careshift, SYSTEM, worker_id)
        typer.echo(f"erased worker {worker_id}; the audit trail now calls them {pseudonym}")
    finally:
        careshift.close()
