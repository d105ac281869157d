"""``careshift taxonomy``: import ESCO, show what is stored, search labels."""

from __future__ import annotations

from pathlib import Path

import typer

from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.entrypoints.cli.taxonomy_search import search_command
from careshift.services.taxonomy_import import ImportSummary, import_esco
from careshift.services.taxonomy_stats import taxonomy_stats

__all__ = ["app"]

app = typer.Typer(
    help="The competence taxonomy: import ESCO, show statistics, search labels.",
    no_args_is_help=True,
)
app.command("search")(search_command)


@app.command("import")
def import_command(
    paths: list[Path] = typer.Argument(
        ...,
        help="ESCO classification or relations zips or folders, translation CSVs; any order.",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Refuse rows that refer to concepts the release does not describe."
    ),
    esco_version: str | None = typer.Option(
        None, "--esco-version", help="ESCO version (e.g. v1.1.1) when the file names omit it."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the import summary as JSON."),
) -> None:
    """Import the official ESCO CSV download and the sv/nb translation tables."""
    careshift = open_careshift()
    try:
        summary = import_esco(careshift, paths, version=esco_version, strict=strict)
    finally:
        careshift.close()
    if as_json:
        echo_json(summary.to_dict())
        return
    for line in describe(summary):
        typer.echo(line)


def describe(summary: ImportSummary) -> list[str]:
    counts = summary.counts
    concepts = counts["concepts"]
    lines = [
        str(summary),
        f"  {concepts['occupation']} occupations, {concepts['skill']} skills, "
        f"{concepts['isco_group']} ISCO groups, {concepts['skill_group']} skill groups",
        f"  {counts['occupation_skill']} occupation-skill relations, "
        f"{counts['skill_skill']} skill-skill relations, {counts['broader']} broader relations, "
        f"{counts['tags']} collection tags",
    ]
    for lang, by_kind in sorted(counts["preferred_labels"].items()):
        shown = ", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items()))
        lines.append(f"  preferred labels [{lang}]: {shown}")
    lines.extend(f"  skipped: {report}" for report in summary.dangling)
    lines.extend(f"  note: {note}" for note in summary.notes)
    return lines


@app.command("stats")
def stats_command(
    esco_version: str | None = typer.Option(
        None, "--esco-version", help="Show this ESCO version instead of the newest."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
) -> None:
    """How many occupations, skills, relations and labels (en, nb, sv) the store holds."""
    careshift = open_careshift()
    try:
        stats = taxonomy_stats(careshift, esco_version)
    finally:
        careshift.close()
    if as_json:
        echo_json(stats)
        return
    if stats["esco_version"] is None:
        typer.echo("no ESCO release imported yet (careshift taxonomy import PATH...)")
        return
    typer.echo(
        f"ESCO {stats['esco_version']}: {stats['occupations']} occupations, "
        f"{stats['skills']} skills, {stats['occupation_skill_relations']} occupation-skill "
        f"relations, {stats['isco_groups']} ISCO groups"
    )
    for lang, labels in stats["labels"].items():
        typer.echo(
            f"  [{lang}] preferred labels: {labels['occupations']} occupations, "
            f"{labels['skills']} skills"
        )
