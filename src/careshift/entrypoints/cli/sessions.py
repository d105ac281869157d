"""``careshift sessions ...``: engagement sessions (skill-gap surveys) with a link per person."""

from __future__ import annotations

import typer

from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.entrypoints.cli.workers import parse_levels
from careshift.services import engagement
from careshift.services.engagement_results import results as session_results
from careshift.services.institutions import find_institution

app = typer.Typer(help="Engagement sessions: create, invite, answer, results (aggregate only).")


@app.command("create")
def create(
    institution: str = typer.Option(..., "--institution", help="Institution id or code."),
    title: str = typer.Option(..., help="What the session is about."),
    role: str | None = typer.Option(None, help="Ask about this role's skills."),
    skill: list[str] = typer.Option([], help="Ask about these skill URIs instead (repeat)."),
) -> None:
    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        info = engagement.create_session(
            careshift, SYSTEM, place.id, title, role_uri=role, skill_uris=skill
        )
        typer.echo(f"session {info.id}: {len(info.skills)} skills")
    finally:
        careshift.close()


@app.command("list")
def list_(institution: str = typer.Option(..., "--institution")) -> None:
    careshift = open_careshift()
    try:
        place = find_institution(careshift, institution)
        for info in engagement.list_sessions(careshift, SYSTEM, place.id):
            typer.echo(f"{info.id}\t{info.status}\t{len(info.skills)} skills\t{info.title}")
    finally:
        careshift.close()


@app.command("invite")
def invite(
    session_id: int,
    unit: str | None = typer.Option(None, help="Only this unit code."),
    role: str | None = typer.Option(None, help="Only this role URI."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Invite a group; prints each new personal link once (only a hash is stored)."""
    careshift = open_careshift()
    try:
        links = engagement.invite(careshift, SYSTEM, session_id, unit_code=unit, role_uri=role)
        if as_json:
            echo_json([{"employee_number": i.employee_number, "token": i.token,
                        "link": i.link} for i in links])  # fmt: skip
            return
        for item in links:
            typer.echo(f"{item.employee_number}\t{item.link}")
        typer.echo(f"{len(links)} invitation(s)", err=True)
    finally:
        careshift.close()


@app.command("answer")
def answer(
    token: str,
    levels: list[str] = typer.Argument(..., help="SKILL_URI=LEVEL pairs, levels 1-6."),
    consent: bool = typer.Option(False, "--consent", help="Also add to my skill profile."),
) -> None:
    """Answer through a personal link's token (what the survey page does)."""
    careshift = open_careshift()
    try:
        engagement.answer(careshift, token, parse_levels(levels), consent=consent)
        typer.echo("thank you: answer recorded anonymously")
    finally:
        careshift.close()


@app.command("results")
def results(
    session_id: int,
    lang: str = typer.Option("en"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Aggregate results, small counts suppressed."""
    careshift = open_careshift()
    try:
        report = session_results(careshift, SYSTEM, session_id, lang)
        if as_json:
            echo_json(report)
            return
        typer.echo(f"{report['title']}: {report['answered']} of {report['invited']} answered")
        for skill in report["skills"]:
            typer.echo(f"  mean {skill['mean_level']}  {skill['label']}  {skill['levels']}")
    finally:
        careshift.close()


@app.command("close")
def close(session_id: int) -> None:
    careshift = open_careshift()
    try:
        engagement.close_session(careshift, SYSTEM, session_id)
        typer.echo(f"session {session_id} closed")
    finally:
        careshift.close()
