"""``careshift frameworks load|validate``: local competence frameworks (docs/frameworks.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from careshift.entrypoints.cli.context import echo_json, open_careshift

app = typer.Typer(help="Local competence frameworks (YAML): validate, load.", no_args_is_help=True)

_FILE = typer.Argument(..., exists=True, dir_okay=False, help="Framework YAML file.")


@app.command()
def load(file: Path = _FILE, as_json: bool = typer.Option(False, "--json")) -> None:
    """Load a framework; loading the same content again changes nothing."""
    from careshift.services.frameworks import load_framework

    careshift = open_careshift()
    try:
        summary = load_framework(careshift, file)
    finally:
        careshift.close()
    if as_json:
        echo_json(summary)
        return
    typer.echo(
        f"{summary['framework']} {summary['version']}: {summary['status']} "
        f"({summary['roles']} roles, {summary['skills']} skills, "
        f"{summary['requirements']} requirements, {summary['esco_links']} ESCO links)"
    )


@app.command()
def validate(file: Path = _FILE, as_json: bool = typer.Option(False, "--json")) -> None:
    """Check a framework file without writing; problems name file, line and field."""
    from careshift.services.frameworks import check_framework

    summary = check_framework(file)
    if as_json:
        echo_json({**summary, "valid": True})
        return
    typer.echo(
        f"{file}: valid ({summary['roles']} roles, {summary['skills']} skills, "
        f"{summary['enhancement_modules']} enhancement modules)"
    )
