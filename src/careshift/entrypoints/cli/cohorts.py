"""``careshift cohorts ...``: programmes, shift rosters and cohort planning (CP-SAT)."""

from __future__ import annotations

from pathlib import Path

import typer

from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.services import cohorts

app = typer.Typer(help="Cohorts: programmes, rosters, and planning workers into sessions.")


@app.command("import-programme")
def import_programme(file: Path = typer.Argument(..., help="Programme YAML.")) -> None:
    """Define a programme: courses, waves (pilot, then scale) and candidates."""
    careshift = open_careshift()
    try:
        counts = cohorts.import_programme(careshift, file)
        typer.echo(f"{file.name}: {counts['courses']} courses, {counts['candidates']} candidates")
    finally:
        careshift.close()


@app.command("import-rosters")
def import_rosters(
    file: Path = typer.Argument(..., help="CSV: employee_number,starts_at,ends_at."),
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
) -> None:
    """Load shift rosters; a bad row refuses the file, naming line and field."""
    careshift = open_careshift()
    try:
        typer.echo(f"{cohorts.import_rosters(careshift, file, institution)} shifts")
    finally:
        careshift.close()


@app.command("plan")
def plan(
    programme: str = typer.Argument(..., help="Programme code."),
    time_limit: float = typer.Option(8.0, help="Seconds the solver may use."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Assign candidates to sessions (re-planning keeps existing places where it can)."""
    careshift = open_careshift()
    try:
        summary = cohorts.plan_programme(careshift, SYSTEM, programme, time_limit)
        if json_output:
            echo_json(summary)
            return
        typer.echo(
            f"{summary['status']}: {summary['placed']} of {summary['candidates']} placed, "
            f"objective {summary['objective']:g}, bound {summary['bound']:g}, "
            f"gap {summary['gap']:.2%}, {summary['seconds']:.1f} s, "
            f"kept {summary['kept']}, moved {summary['moved']}"
        )
    finally:
        careshift.close()
