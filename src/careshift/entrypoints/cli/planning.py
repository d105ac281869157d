"""``careshift plan wisn|project``: WISN staffing need and projections (docs/planning.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from careshift.entrypoints.cli.context import echo_json

app = typer.Typer(help="Workforce planning: WISN staffing need, projections.", no_args_is_help=True)


@app.command()
def wisn(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="WISN YAML file."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Required staff, WISN difference and ratio per facility and role; automation effects."""
    from careshift.services.planning_wisn import wisn_report

    report = wisn_report(file)
    if as_json:
        echo_json(report)
        return
    for row in report["results"]:
        typer.echo(
            f"{row['facility']} / {row['role']}: required {row['required_staff']}, "
            f"current {row['current_staff']:g}, difference {row['wisn_difference']}, "
            f"ratio {row['wisn_ratio']} ({row['pressure']})"
        )
        if "automation" in row:
            auto = row["automation"]
            typer.echo(
                f"  after automation: required {auto['required_staff_after']}, "
                f"freed {auto['freed_capacity_fte']} FTE, "
                f"reskill {auto['reskilling_demand_fte']} FTE"
            )


@app.command()
def project(
    scenario: str = typer.Argument(
        ..., help="Scenario file, or the name of a shipped example: synthetic-hospital."
    ),
    only: str | None = typer.Option(None, "--scenario", help="Only this named scenario."),
    out: Path | None = typer.Option(None, "--out", help="Also write the table (.csv or .xlsx)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Headcount, demand and gap per role and year under each scenario of the file."""
    from careshift.errors import NotFound
    from careshift.services.planning_export import write_table
    from careshift.services.projection_scenarios import EXAMPLES, project_file

    path = Path(scenario)
    if not path.is_file():
        path = EXAMPLES / f"projection-{scenario}.yaml"
        if not path.is_file():
            raise NotFound(f"no scenario file {scenario!r} (nor a shipped example of that name)")
    report = project_file(path, only)
    if out is not None:
        write_table(report["rows"], out, "projection")
    if as_json:
        echo_json(report)
        return
    typer.echo(f"{'scenario':<16} {'role':<30} {'headcount':>10} {'demand':>10} {'gap':>9}")
    for row in report["final_year"]:
        typer.echo(
            f"{row['scenario']:<16} {row['role']:<30} {row['headcount']:>10} "
            f"{row['demand']:>10} {row['gap']:>9}"
        )


@app.command()
def recruitment(
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
    year: int = typer.Option(..., min=1900, max=2100, help="Calendar year."),
    lang: str = typer.Option("en", help="Label language: en, nb or sv."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Hires, leavers, retention, gender and age balance per role (small cells suppressed)."""
    from careshift.domain.access import SYSTEM
    from careshift.entrypoints.cli.context import open_careshift
    from careshift.services.institutions import find_institution
    from careshift.services.recruitment_metrics import workforce_metrics

    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        report = workforce_metrics(careshift, SYSTEM, place.id, year, lang)
    finally:
        careshift.close()
    if as_json:
        echo_json(report)
        return
    for row in report["retention"]:
        typer.echo(
            f"{row['role']}: start {row['total']}, left {row['left']}, "
            f"retention {row['retention']}, hired {row['hired']}"
        )


@app.command()
def education(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Students CSV."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Intake, completion and drop-out, gender and age per programme and intake year."""
    from careshift.config import load_settings
    from careshift.services.recruitment_metrics import education_metrics

    report = education_metrics(file, load_settings().min_cell_size)
    if as_json:
        echo_json(report)
        return
    for row in report["gender"]:
        typer.echo(f"{row['group']}: {row['total']} students, male share {row['share_male']}")


@app.command()
def impact(
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
    first: int = typer.Option(2026, "--from", help="First year of the timeline."),
    last: int = typer.Option(2032, "--to", help="Last year of the timeline."),
    lang: str = typer.Option("en", help="Label language: en, nb or sv."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Role impact register: tasks, timeline, share of work and FTE at risk per year."""
    from careshift.domain.access import SYSTEM
    from careshift.entrypoints.cli.context import open_careshift
    from careshift.services.impact_register import impact_register
    from careshift.services.institutions import find_institution

    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        report = impact_register(careshift, SYSTEM, place.id, first, last, lang)
    finally:
        careshift.close()
    if as_json:
        echo_json(report)
        return
    for role in report["roles"]:
        risk = ", ".join(f"{t['year']}: {t['at_risk_fte']}" for t in role["timeline"])
        typer.echo(f"{role['role']} ({role['headcount']} staff) at risk: {risk}")


@app.command()
def override(
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
    role: str = typer.Option(..., help="Local role id or URI."),
    task: str = typer.Option(..., help="Task id (a new id adds a task)."),
    change: str = typer.Option(..., help="removed, changed, unchanged or new."),
    share: float = typer.Option(..., help="Share of the role's working time (0-1)."),
    reason: str = typer.Option(..., help="The local evidence."),
    year: int | None = typer.Option(None, help="Year of the change."),
    technology: str | None = typer.Option(None, help="What changes the task."),
) -> None:
    """Record the institution's own view of a role's task (the newest wins)."""
    from careshift.domain.access import SYSTEM
    from careshift.entrypoints.cli.context import open_careshift
    from careshift.services.impact_register import add_override
    from careshift.services.institutions import find_institution

    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        saved = add_override(
            careshift, SYSTEM, place.id, role, task, change=change, share=share,
            reason=reason, year=year, technology=technology,
        )  # fmt: skip
    finally:
        careshift.close()
    echo_json(saved)


@app.command()
def save(
    kind: str = typer.Argument(..., help="wisn, projection or placements."),
    name: str = typer.Argument(..., help="Name to save it under."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The document."),
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
) -> None:
    """Check and save a planning document for the institution (a new version if it exists)."""
    from careshift.domain.access import SYSTEM
    from careshift.entrypoints.cli.context import open_careshift
    from careshift.services.institutions import find_institution
    from careshift.services.planning_documents import save_document

    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        body = file.read_text(encoding="utf-8")
        echo_json(save_document(careshift, SYSTEM, place.id, kind, name, body))
    finally:
        careshift.close()


@app.command("run")
def run_saved(
    kind: str = typer.Argument(..., help="wisn, projection or placements."),
    name: str = typer.Argument(..., help="Saved name."),
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
) -> None:
    """Calculate the current version of a saved planning document (JSON)."""
    from careshift.domain.access import SYSTEM
    from careshift.entrypoints.cli.context import open_careshift
    from careshift.services.institutions import find_institution
    from careshift.services.planning_documents import run_document

    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        echo_json(run_document(careshift, SYSTEM, place.id, kind, name))
    finally:
        careshift.close()
