"""``careshift placements match``: stable practice-placement matching (docs/planning.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from careshift.entrypoints.cli.context import echo_json

app = typer.Typer(help="Practice placements: match students to sites.", no_args_is_help=True)


@app.command()
def match(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Placements YAML file."),
    out: Path | None = typer.Option(None, "--out", help="Also write assignments (.csv/.xlsx)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Student-proposing deferred acceptance; every unmatched student gets a reason."""
    from careshift.services.placement_matching import match_file
    from careshift.services.planning_export import write_table

    result = match_file(file)
    if out is not None:
        write_table(result["assignments"] + result["unmatched"], out, "placements")
    if as_json:
        echo_json(result)
        return
    typer.echo(f"{len(result['assignments'])} placed, {len(result['unmatched'])} not placed")
    for u in result["unmatched"]:
        typer.echo(f"  {u['student']} {u['period']} {u['type']}: {u['reason']}")
    for r in result["shortage"]:
        typer.echo(f"  {r['period']} {r['type']}: needed {r['needed']}, offered {r['offered']}")
