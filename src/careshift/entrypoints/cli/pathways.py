"""``careshift pathways``: options for a role or worker, exposure, overrides, matrix, batch."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.errors import InputError

app = typer.Typer(
    help="Career pathways: progression, switch and enhancement options.", no_args_is_help=True
)

_TOP = typer.Option(10, "--top", help="How many options.")
_KIND = typer.Option("any", "--kind", help="any|progression|switch|enhancement")
_MAX_HOURS = typer.Option(None, "--max-hours", help="Drop options needing more learning hours.")
_SAFE = typer.Option(False, "--only-safe", help="Only options less exposed than today.")
_JSON = typer.Option(False, "--json", help="Print JSON.")
_OPENINGS = typer.Option(
    None, "--openings", help="JSON file {ROLE_URI: open positions}: ranks local demand too."
)


def _read_openings(path: Path | None) -> dict[str, int] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(uri): int(count) for uri, count in data.items()}
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: expected a JSON object {{ROLE_URI: count}} ({exc})") from None


def _print_report(payload: dict, as_json: bool) -> None:  # type: ignore[type-arg]
    if as_json:
        echo_json(payload)
        return
    origin = payload["origin"]
    typer.echo(
        f"{origin['label']}  (exposure {origin['exposure']:.2f}, {origin['exposure_category']})"
    )
    for n, option in enumerate(payload["options"], 1):
        flags = ("safe " if option["safe"] else "") + ("desirable" if option["desirable"] else "")
        typer.echo(
            f"{n:>2}. [{option['kind']}] {option['label']}  fit {option['fit']:.2f}  "
            f"exposure {option['exposure']:.2f}  {option['effort_hours']:.0f} h  {flags}"
        )
        typer.echo(f"    {option['explanation']}")
    for unlock in payload["unlock"]:
        typer.echo(f"  * {unlock['sentence']}")


@app.command("from-occupation")
def from_occupation(
    role: str = typer.Argument(..., help="ESCO occupation or local role: URI, code or label."),
    top: int = _TOP,
    kind: str = _KIND,
    max_hours: float | None = _MAX_HOURS,
    only_safe: bool = _SAFE,
    openings: Path | None = _OPENINGS,
    as_json: bool = _JSON,
) -> None:
    """Ranked pathways for everyone in a role."""
    from careshift.services.pathway_report import report_json
    from careshift.services.pathways import constraints_for, role_pathways

    demand = _read_openings(openings)
    careshift = open_careshift()
    try:
        constraints = constraints_for(top, kind, max_hours, only_safe=only_safe)
        report = role_pathways(careshift, role, constraints, openings=demand)
        _print_report(report_json(report), as_json)
    finally:
        careshift.close()


app.command("role", help="Same as from-occupation.")(from_occupation)


@app.command("worker")
def worker(
    profile: Path = typer.Argument(
        None, help='JSON file: {"skills": {URI: level}, "role": URI}; or use --worker-id'
    ),
    worker_id: int | None = typer.Option(None, "--worker-id", help="A stored worker's profile."),
    top: int = _TOP,
    kind: str = _KIND,
    max_hours: float | None = _MAX_HOURS,
    only_safe: bool = _SAFE,
    as_json: bool = _JSON,
) -> None:
    """Ranked pathways from one worker's own skills and proficiency levels."""
    from careshift.services.pathway_report import report_json
    from careshift.services.pathways import constraints_for, worker_pathways

    if worker_id is not None:
        from careshift.services.pathways import pathways_for_worker

        careshift = open_careshift()
        try:
            constraints = constraints_for(top, kind, max_hours, only_safe=only_safe)
            report = pathways_for_worker(careshift, SYSTEM, worker_id, constraints)
            _print_report(report_json(report), as_json)
        finally:
            careshift.close()
        return
    if profile is None:
        raise InputError("give a profile JSON file or --worker-id")
    data = _read_profile(profile)
    careshift = open_careshift()
    try:
        constraints = constraints_for(top, kind, max_hours, only_safe=only_safe)
        report = worker_pathways(
            careshift,
            data["skills"],
            data.get("role"),
            constraints,
            label=data.get("label", "worker"),
        )
        _print_report(report_json(report), as_json)
    finally:
        careshift.close()


def _read_profile(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON profile ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("skills"), dict):
        raise InputError(f'{path}: expected {{"skills": {{SKILL_URI: LEVEL}}, "role": URI}}')
    return data


@app.command("exposure")
def exposure(
    role: str = typer.Argument(..., help="ESCO occupation or local role: URI, code or label."),
    as_json: bool = _JSON,
) -> None:
    """A role's exposure: combined score and category with every source and any override."""
    from careshift.services.exposure import exposure_of

    careshift = open_careshift()
    try:
        score = exposure_of(careshift, role)
    finally:
        careshift.close()
    payload = exposure_json(score)
    if as_json:
        echo_json(payload)
    else:
        typer.echo(f"{score.uri}: {score.score:.2f} ({score.category.value})")
        for e in payload["evidence"]:
            typer.echo(
                f"  {e['source']} ({e['year']}): {e['value']} {e['label']} -> pct {e['percentile']}"
            )


def exposure_json(score: object) -> dict:  # type: ignore[type-arg]
    from dataclasses import asdict

    data = asdict(score)  # type: ignore[call-overload]
    data["category"] = str(data["category"])
    if data.get("override"):
        data["override"]["category"] = str(data["override"]["category"])
    return data


@app.command("override")
def override(
    role: str = typer.Argument(..., help="ESCO occupation or local role: URI, code or label."),
    category: str = typer.Option(..., "--category", help="high|medium|low"),
    reason: str = typer.Option(..., "--reason", help="The local evidence."),
    author: str = typer.Option(..., "--author", help="Who decided."),
    on: str = typer.Option("", "--on", help="Date the evidence refers to (YYYY-MM-DD)."),
    score: float | None = typer.Option(None, "--score", help="Optional score 0-1."),
) -> None:
    """Override a role's exposure with local evidence (kept with reason, author and date)."""
    from careshift.services.exposure import add_override

    try:
        when = date.fromisoformat(on) if on else None
    except ValueError:
        raise InputError(f"--on must be a date YYYY-MM-DD, got {on!r}") from None
    careshift = open_careshift()
    try:
        saved = add_override(careshift, SYSTEM, role, category, reason, author, when, score)
    finally:
        careshift.close()
    echo_json({"uri": saved.uri, "category": saved.category.value, "on": saved.on.isoformat()})


@app.command("matrix")
def matrix(
    out: Path = typer.Option(Path("var/pathways"), "--out", help="Folder for the artefact."),
) -> None:
    """Compute and store all pairs for the current taxonomy version; print a JSON summary."""
    from careshift.services.pathways import write_matrix

    careshift = open_careshift()
    try:
        echo_json(write_matrix(careshift, out))
    finally:
        careshift.close()


@app.command("batch")
def batch(
    workers: Path = typer.Option(..., "--workers", help="JSON lines: {id, skills, role}."),
    out: Path = typer.Option(..., "--out", help="JSON lines output, one report per worker."),
    top: int = _TOP,
    scheduler: str = typer.Option("", "--scheduler", help="Dask scheduler; empty: local."),
    processes: bool = typer.Option(
        False, "--processes", help="Local cluster of processes, not threads (idle machines)."
    ),
) -> None:
    """Rank pathways for a whole workforce on Dask (local cluster unless --scheduler)."""
    from careshift.services.pathway_batch import run_workforce_batch

    careshift = open_careshift()
    try:
        echo_json(run_workforce_batch(careshift, workers, out, top, scheduler, processes))
    finally:
        careshift.close()
