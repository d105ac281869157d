"""``careshift institutions add|list``: the tenancy units."""

from __future__ import annotations

from dataclasses import asdict

import typer

from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.services.institutions import KINDS, add_institution, list_institutions

app = typer.Typer(help="Institutions: hospitals, clinics, schools, regions ...")


@app.command("add")
def add(
    code: str,
    name: str,
    kind: str = typer.Option("hospital", help=" | ".join(KINDS)),
    region: str | None = typer.Option(None),
) -> None:
    careshift = open_careshift()
    try:
        made = add_institution(careshift, code, name, kind, region=region)
        typer.echo(f"institution {made.id}: {made.code} {made.name}")
    finally:
        careshift.close()


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    careshift = open_careshift()
    try:
        found = list_institutions(careshift)
        if as_json:
            echo_json([asdict(i) for i in found])
            return
        for item in found:
            typer.echo(f"{item.id}\t{item.code}\t{item.kind}\t{item.name}")
    finally:
        careshift.close()
