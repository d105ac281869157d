"""``careshift link occupations|skills|batch|build-index``: texts in, JSON lines out."""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import BinaryIO, cast

import typer

from careshift.bootstrap import Careshift
from careshift.entrypoints.cli.context import open_careshift
from careshift.errors import InputError, RowProblem
from careshift.services.linking import (
    MAX_BATCH_BYTES,
    LinkResult,
    build_indexes,
    link_occupations,
    link_skills,
    looks_binary,
)

app = typer.Typer(help="Link job titles and documents to ESCO occupations and skills.")

_LANG = typer.Option("en", "--lang", help="Language of the input: en, nb or sv.")
_TOP = typer.Option(10, "--top", help="How many concepts per text (1-100).")
_INPUT = typer.Option(
    None, "--input", help="UTF-8 text file, one text per line (default: standard input)."
)
_SKILL_MODEL = typer.Option(
    "",
    "--skill-model",
    help="Model for English documents (CARESHIFT_SKILL_MODEL), e.g. wordllama for large feeds.",
)
# Lines are linked in batches so output starts before a long file has been read through.
_BATCH_LINES = 64


@app.command("occupations")
def occupations(lang: str = _LANG, top: int = _TOP, input: Path | None = _INPUT) -> None:
    """Rank ESCO occupations and ISCO groups for each job title (one per line)."""
    _run(link_occupations, lang, top, input)


@app.command("skills")
def skills(
    lang: str = _LANG,
    top: int = _TOP,
    input: Path | None = _INPUT,
    distinct: bool = typer.Option(
        False, "--distinct", help="Leave out a skill broader than one already listed."
    ),
    skill_model: str = _SKILL_MODEL,
) -> None:
    """Rank ESCO skills with supporting spans for each text (one per line).

    Several sentences: each clause's best skills first; scores (evidence) need not descend.
    """
    _run(partial(link_skills, distinct=distinct), lang, top, input, skill_model=skill_model)


@app.command("batch")
def batch(
    input: Path = typer.Option(
        ..., "--input", help='JSON lines: {"id": ..., "text": "...", "lang": "en|nb|sv"}.'
    ),
    out: Path = typer.Option(..., "--out", help="JSON lines output, one line per text."),
    kind: str = typer.Option("skills", "--kind", help="skills (documents) or occupations."),
    lang: str = typer.Option("en", "--lang", help="Language of lines that give none."),
    top: int = _TOP,
    distinct: bool = typer.Option(False, "--distinct", help="Skills: leave out broader ones."),
    scheduler: str = typer.Option("", "--scheduler", help="Dask scheduler; empty: local."),
    processes: bool = typer.Option(
        False, "--processes", help="Local cluster of processes, not threads."
    ),
    skill_model: str = _SKILL_MODEL,
) -> None:
    """Link a whole file of texts (millions of job ads) on Dask; prints a summary."""
    from careshift.services.link_batch import LinkKind, run_link_batch

    careshift = open_careshift(skill_model=skill_model)
    try:
        summary = run_link_batch(
            careshift,
            input,
            out,
            kind=cast("LinkKind", kind),  # run_link_batch refuses any other value
            lang=lang,
            top=top,
            distinct=distinct,
            scheduler=scheduler,
            processes=processes,
        )
        typer.echo(json.dumps(summary))
    finally:
        careshift.close()


@app.command("build-index")
def build_index() -> None:
    """Compute the label-embedding artefacts now (otherwise done on first use)."""
    careshift = open_careshift()
    try:
        indexes = build_indexes(careshift)
        summary = {name: len(index.catalogue) for name, index in indexes.items()}
        typer.echo(json.dumps({"labels": summary}))
    finally:
        careshift.close()


def _run(
    link: Callable[[Careshift, Sequence[str], str, int], list[LinkResult]],
    lang: str,
    top: int,
    source: Path | None,
    *,
    skill_model: str = "",
) -> None:
    name, lines = _read_lines(source)
    careshift = open_careshift(skill_model=skill_model)
    try:
        for first in range(0, len(lines), _BATCH_LINES):
            batch = link(careshift, lines[first : first + _BATCH_LINES], lang, top)
            for number, result in enumerate(batch, start=first + 1):
                for warning in result.warnings:
                    typer.echo(f"warning: {name}:{number}: {warning}", err=True)
                typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    finally:
        careshift.close()


def _read_lines(source: Path | None) -> tuple[str, list[str]]:
    """The input's name and lines, decoded strictly: a binary or mis-encoded file is refused,
    citing the line, before anything is linked (so output never stops half-way)."""
    name = str(source) if source else "<stdin>"
    if source is not None and not source.is_file():
        raise InputError(f"{name}: no such file")
    stream: BinaryIO = source.open("rb") if source else sys.stdin.buffer
    try:
        raw = stream.read(MAX_BATCH_BYTES + 1)
    finally:
        if source:
            stream.close()
    if len(raw) > MAX_BATCH_BYTES:
        raise InputError(f"{name}: larger than {MAX_BATCH_BYTES:,} bytes; split it into batches")
    # a byte-order mark (Windows editors write one) is no part of the first text
    raw = raw.removeprefix(codecs.BOM_UTF8)
    lines = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if b"\x00" in line:
            problem = RowProblem(name, number, None, "binary data (NUL byte), not text")
            raise InputError(f"{name} is not a text file", [problem])
        try:
            text = line.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            problem = RowProblem(name, number, None, f"not UTF-8 (byte {exc.start + 1})")
            raise InputError(f"{name} is not UTF-8 text", [problem]) from None
        if looks_binary(text):
            problem = RowProblem(name, number, None, "looks binary (control characters), not text")
            raise InputError(f"{name} is not a text file", [problem])
        lines.append(text)
    return name, lines
