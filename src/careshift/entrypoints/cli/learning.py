"""``careshift learning ...``: catalogue import/export, optimal plans, enrolment and progress.

The command line acts as the operator (``SYSTEM``); personal-data reads and writes are audited.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from careshift.domain.access import SYSTEM
from careshift.domain.learning import SkillLevel
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.errors import InputError
from careshift.services import learning, learning_progress

app = typer.Typer(
    help="Learning: course catalogue, optimal learning plans, enrolment and progress."
)

JSON = typer.Option(False, "--json", help="Print JSON.")
OBJECTIVE = typer.Option("hours", help="Minimise hours, cost or mix (hours + cost/100).")


@app.command("import")
def import_file(
    file: Path = typer.Argument(..., help="Catalogue YAML or CSV (docs/learning.md)."),
) -> None:
    """Import a catalogue; a bad row refuses the whole file, naming file, line and field."""
    careshift = open_careshift()
    try:
        counts = learning.import_catalogue(careshift, file)
        typer.echo(
            f"{file.name}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['sessions']} sessions"
        )
    finally:
        careshift.close()


@app.command("export")
def export_file(file: Path = typer.Argument(..., help="Where to write: .yaml or .csv.")) -> None:
    """Export the catalogue (YAML includes sessions)."""
    careshift = open_careshift()
    try:
        typer.echo(f"{learning.export_catalogue(careshift, file)} courses -> {file}")
    finally:
        careshift.close()


@app.command("plan")
def plan(
    worker: int | None = typer.Option(None, "--worker", help="Close this worker's gap."),
    target: str | None = typer.Option(
        None, "--target", help="Target role URI (default: the worker's role)."
    ),
    skill: list[str] = typer.Option(
        [], "--skill", help="Instead of a worker: SKILL_URI=LEVEL, repeatable."
    ),
    objective: str = OBJECTIVE,
    lang: str = typer.Option("en", help="Language of course titles: en, nb, sv."),
    json_output: bool = JSON,
) -> None:
    """The cheapest order of courses reaching every target level, proven optimal by HiGHS."""
    careshift = open_careshift()
    try:
        if worker is not None:
            result = learning.plan_for_worker(careshift, SYSTEM, worker, target, objective)
            found, payload = result.plan, {"worker_id": worker, "target_uri": result.target_uri}
        elif skill:
            targets = [SkillLevel(uri, level) for uri, level in _levels(skill).items()]
            found, payload = learning.plan_for_targets(careshift, targets, objective=objective), {}
        else:
            raise InputError("give --worker ID (optionally --target URI) or --skill URI=LEVEL")
        payload.update(learning.plan_to_dict(found, lang))
        if json_output:
            echo_json(payload)
            return
        typer.echo(
            f"{payload['status']}: {payload['hours']:g} h, {payload['cost']:g} "
            f"in {len(found.steps)} courses"
        )
        for step in learning.plan_to_dict(found, lang)["steps"]:
            typer.echo(
                f"  {step['position']}. {step['course']} {step['title']} ({step['hours']:g} h)"
            )
        typer.echo(payload["message"])
    finally:
        careshift.close()


@app.command("enrol")
def enrol(
    worker: int = typer.Option(..., "--worker"),
    course: str = typer.Option(..., "--course", help="Course code."),
    session: str | None = typer.Option(None, "--session", help="Session code."),
) -> None:
    careshift = open_careshift()
    try:
        enrolment_id = learning_progress.enrol(careshift, SYSTEM, worker, course, session)
        typer.echo(f"enrolment {enrolment_id}")
    finally:
        careshift.close()


@app.command("complete")
def complete(
    enrolment: int = typer.Argument(..., help="Enrolment id."),
    on: str | None = typer.Option(None, help="Completion date (YYYY-MM-DD), default today."),
) -> None:
    """Record completion; the worker's profile gains the levels the course brings."""
    careshift = open_careshift()
    try:
        when = date.fromisoformat(on) if on else None
        levels = learning_progress.complete(careshift, SYSTEM, enrolment, when)
        typer.echo(f"completed; evidence: {', '.join(f'{u}={lv}' for u, lv in levels.items())}")
    finally:
        careshift.close()


@app.command("xapi-import")
def xapi_import(
    file: Path = typer.Argument(..., help="JSON array of xAPI statements (LRS export)."),
) -> None:
    """Apply xAPI statements to enrolments; statements already seen are skipped."""
    careshift = open_careshift()
    try:
        echo_json(learning_progress.import_xapi(careshift, SYSTEM, file))
    finally:
        careshift.close()


def _levels(pairs: list[str]) -> dict[str, int]:
    levels = {}
    for pair in pairs:
        uri, _, level = pair.rpartition("=")
        if not uri or not level.isdigit():
            raise InputError(f"expected SKILL_URI=LEVEL, got {pair!r}")
        levels[uri] = int(level)
    return levels


@app.command("outcomes")
def outcomes(
    programme: str | None = typer.Option(None, "--programme", help="Per-batch outcomes of one."),
    institution: int | None = typer.Option(None, "--institution", help="With --role."),
    role: str | None = typer.Option(None, "--role", help="Share of this role trained (VAS)."),
    tag: str = typer.Option("value_added_service", help="Skill tag that counts as trained."),
) -> None:
    """Programme outcomes with small-cell suppression (JSON)."""
    from careshift.services import learning_outcomes

    careshift = open_careshift()
    try:
        if programme:
            echo_json(learning_outcomes.programme_outcomes(careshift, SYSTEM, programme))
        elif institution is not None and role:
            echo_json(learning_outcomes.trained_share(careshift, SYSTEM, institution, role, tag))
        else:
            raise InputError("give --programme CODE, or --institution ID --role URI")
    finally:
        careshift.close()
