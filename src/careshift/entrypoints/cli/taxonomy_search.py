"""``careshift taxonomy search TEXT``: find occupations, skills and roles by label."""

from __future__ import annotations

import typer

from careshift.domain.taxonomy import LANGUAGES
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.services.search import KINDS, MAX_TOP, search

__all__ = ["search_command"]


def search_command(
    text: str = typer.Argument(..., help="Words or the start of them; accents and typos are ok."),
    kind: str | None = typer.Option(None, "--kind", help=f"One of: {', '.join(KINDS)}."),
    lang: str = typer.Option("en", "--lang", help=f"Label language: {', '.join(LANGUAGES)}."),
    top: int = typer.Option(10, "--top", help=f"Number of results, 1-{MAX_TOP}."),
    as_json: bool = typer.Option(False, "--json", help='Print {"results": [...]} as JSON.'),
) -> None:
    """Search the taxonomy labels (preferred labels rank ahead of alternative ones)."""
    careshift = open_careshift()
    try:
        hits = search(careshift, text, kind=kind, lang=lang, top=top)
    finally:
        careshift.close()
    if as_json:
        echo_json(
            {
                "results": [
                    {
                        "uri": hit.uri,
                        "label": hit.label,
                        "score": hit.score,
                        "kind": hit.kind,
                        "lang": hit.label_lang,
                        "matched_label": hit.matched_label,
                        "match": hit.match,
                    }
                    for hit in hits
                ]
            }
        )
        return
    if not hits:
        typer.echo(f"no {kind or 'concept'} matches {text!r}")
    for hit in hits:
        via = "" if hit.matched_label == hit.label else f"  (matched {hit.matched_label!r})"
        typer.echo(f"{hit.score:.3f}  {hit.kind:<11} {hit.label}{via}\n       {hit.uri}")
