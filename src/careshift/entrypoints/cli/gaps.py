"""``careshift gaps worker|group``: skill gaps for one worker or a group, against a role."""

from __future__ import annotations

import typer

from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.services import gaps
from careshift.services.institutions import find_institution

app = typer.Typer(help="Skill gaps of a worker or a group against a role.")


@app.command("worker")
def worker(
    worker_id: int,
    target: str | None = typer.Option(None, help="Role URI (default: the current role)."),
    lang: str = typer.Option("en", help="Label language: en, nb or sv."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """One worker's gap, largest first."""
    careshift = open_careshift()
    try:
        result = gaps.worker_gap(careshift, SYSTEM, worker_id, target, lang)
        if as_json:
            echo_json(result.to_dict())
            return
        typer.echo(f"worker {worker_id} vs {result.target_label}: {result.missing_levels} levels")
        for s in result.skills:
            typer.echo(f"  {s.current}/{s.required}  gap {s.gap}  {s.label}")
    finally:
        careshift.close()


@app.command("group")
def group(
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
    unit: str | None = typer.Option(None, help="Only this unit code."),
    role: str | None = typer.Option(None, help="Only workers in this role URI."),
    target: str | None = typer.Option(None, help="Role to compare against (default: --role)."),
    by: str = typer.Option("unit", help="Rows of the heatmap: unit, role or none."),
    lang: str = typer.Option("en", help="Label language: en, nb or sv."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A group's gaps, suppressed for small cells, with most common gaps and trainings."""
    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        report = gaps.group_gap(
            careshift, SYSTEM, place.id, target_uri=target, unit_code=unit, role_uri=role,
            by=by, lang=lang,
        )  # fmt: skip
        if as_json:
            echo_json(report.to_dict())
            return
        shown = report.headcount if report.headcount is not None else "suppressed"
        typer.echo(f"{place.name} vs {report.target_label}: {shown} people")
        for item in report.most_common:
            typer.echo(f"  {item['with_gap']:>6} lack  {item['label']}")
        for training in report.trainings:
            typer.echo(f"  -> {training['label']} closes {training['gaps_closed']} gaps")
    finally:
        careshift.close()
