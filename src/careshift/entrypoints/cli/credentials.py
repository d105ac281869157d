"""``careshift credentials issue|verify|revoke``: Open Badges 3.0 credentials as JWT-VC."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.errors import InputError
from careshift.services import credentials

app = typer.Typer(help="Credentials: issue, verify and revoke Open Badges 3.0 credentials.")


@app.command("issue")
def issue(
    enrolment: int | None = typer.Option(None, "--enrolment", help="A completed enrolment."),
    worker: int | None = typer.Option(None, "--worker", help="With --skill: a reached level."),
    skill: str | None = typer.Option(None, "--skill", help="Skill URI (with --worker)."),
    valid_days: int | None = typer.Option(None, help="Expire after this many days."),
    out: Path | None = typer.Option(None, "--out", help="Write the JWT here (default: stdout)."),
    show: bool = typer.Option(False, "--show", help="Also print the credential JSON."),
) -> None:
    """Issue a signed credential for a completed course or a reached skill level."""
    careshift = open_careshift()
    try:
        if enrolment is not None:
            issued = credentials.issue_for_enrolment(careshift, SYSTEM, enrolment, valid_days)
        elif worker is not None and skill:
            issued = credentials.issue_for_skill(careshift, SYSTEM, worker, skill, valid_days)
        else:
            raise InputError("give --enrolment ID, or --worker ID --skill URI")
        if out is not None:
            out.write_text(issued.token + "\n", encoding="utf-8")
            typer.echo(f"{issued.uid} -> {out}")
        else:
            typer.echo(issued.token)
        if show:
            echo_json(issued.credential)
    finally:
        careshift.close()


@app.command("verify")
def verify(
    file: Path = typer.Argument(..., help="File holding the JWT ('-' for stdin)."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Check signature, issuer, expiry and revocation; exit code 1 when any check fails."""
    token = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    careshift = open_careshift()
    try:
        report = credentials.verify(careshift, token.strip())
    finally:
        careshift.close()
    if json_output:
        echo_json({"valid": report.valid, "checks": report.checks, "problems": report.problems})
    else:
        typer.echo("valid" if report.valid else "INVALID: " + "; ".join(report.problems))
        for check, ok in report.checks.items():
            typer.echo(f"  {check}: {'ok' if ok else 'failed'}")
        if report.valid and report.credential:
            achievement = report.credential["credentialSubject"]["achievement"]
            typer.echo(f"  achievement: {json.dumps(achievement['name'], ensure_ascii=False)}")
    if not report.valid:
        raise typer.Exit(1)


@app.command("revoke")
def revoke(
    uid: str = typer.Argument(..., help="Credential id (urn:uuid:...)."),
    reason: str = typer.Option(..., "--reason"),
) -> None:
    careshift = open_careshift()
    try:
        credentials.revoke(careshift, SYSTEM, uid, reason)
        typer.echo(f"revoked {uid}")
    finally:
        careshift.close()
