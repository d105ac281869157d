"""``careshift demand report``: competence demand vs supply for an institution."""

from __future__ import annotations

from pathlib import Path

import typer

from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli.context import echo_json, open_careshift

app = typer.Typer(help="Competence demand vs supply.", no_args_is_help=True)


@app.command()
def report(
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
    posts: Path | None = typer.Option(None, exists=True, dir_okay=False, help="role,posts CSV."),
    ads: Path | None = typer.Option(None, exists=True, file_okay=False, help="Folder of ads."),
    collection: str | None = typer.Option(None, help="Only ESCO collection: digital, green."),
    ad_lang: str = typer.Option("en", help="Language of ads without .nb/.sv/.en in the name."),
    min_score: float | None = typer.Option(
        None, help="Lowest link score an ad's skill counts with (default: the linker's floor)."
    ),
    lang: str = typer.Option("en", help="Label language: en, nb or sv."),
    top: int = typer.Option(20, help="Competences to print."),
    out: Path | None = typer.Option(None, "--out", help="Also write the table (.csv/.xlsx)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Shortage and surplus per competence (shortest first) and posts per role."""
    from careshift.errors import InputError
    from careshift.services.competence_demand import demand_report
    from careshift.services.institutions import find_institution
    from careshift.services.planning_export import write_table

    if posts is None and ads is None:
        raise InputError("give planned posts (--posts), job ads (--ads) or both")
    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        result = demand_report(
            careshift, SYSTEM, place.id, posts=posts, ads=ads, collection=collection,
            lang=lang, default_lang=ad_lang,
            **({} if min_score is None else {"min_score": min_score}),
        )  # fmt: skip
    finally:
        careshift.close()
    if out is not None:
        write_table(result["competences"], out, "demand")
    if as_json:
        echo_json(result)
        return
    typer.echo(f"{place.name}: {result['headcount']} staff")
    for row in result["competences"][:top]:
        shown = "suppressed" if row["supply"] is None else row["supply"]
        typer.echo(f"  short {row['shortage']!s:>7}  demand {row['demand']:>6}  "
                   f"supply {shown!s:>10}  {row['label']}")  # fmt: skip


@app.command()
def regions(
    posts: Path = typer.Option(..., exists=True, dir_okay=False, help="institution,role,posts."),
    ads: Path | None = typer.Option(
        None, exists=True, file_okay=False, help="Folder with one sub-folder of ads per code."
    ),
    collection: str | None = typer.Option(None, help="Only ESCO collection: digital, green."),
    lang: str = typer.Option("en", help="Label language: en, nb or sv."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Demand, supply and shortage per institution and per region."""
    from careshift.services.demand_regions import demand_by_region

    careshift = open_careshift()
    try:
        result = demand_by_region(careshift, SYSTEM, posts, ads, collection=collection, lang=lang)
    finally:
        careshift.close()
    if as_json:
        echo_json(result)
        return
    for region in result["regions"]:
        typer.echo(f"{region['region']} ({', '.join(region['institutions'])})")
        for row in region["competences"][:10]:
            typer.echo(f"  short {row['shortage']!s:>7}  {row['label']}")
