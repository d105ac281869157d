"""``careshift users ...``: accounts, roles, password reset codes and access tokens."""

from __future__ import annotations

import typer
from sqlalchemy import select

from careshift.adapters.db.tables.platform import institution
from careshift.bootstrap import Careshift
from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli.context import echo_json, open_careshift
from careshift.errors import NotFound
from careshift.services import accounts, signin, tokens

app = typer.Typer(help="User accounts: add, list, grant roles, reset passwords, tokens.")
token_app = typer.Typer(help="Personal access tokens for machine clients.")
app.add_typer(token_app, name="token")

_INSTITUTION_HELP = "Institution id or code; omit for every institution."


def _institution_id(careshift: Careshift, value: str | None) -> int | None:
    if value is None or value == "":
        return None
    column = institution.c.id if value.isdigit() else institution.c.code
    with careshift.store.sessions() as session:
        found = session.scalar(
            select(institution.c.id).where(column == (int(value) if value.isdigit() else value))
        )
    if found is None:
        raise NotFound(f"no institution {value!r}")
    return int(found)


@app.command("add")
def add(
    email: str,
    name: str = typer.Option("", help="Display name (default: the e-mail address)."),
    password: str = typer.Option(
        "", envvar="CARESHIFT_NEW_PASSWORD", help="Initial password; omit to print a reset code."
    ),
    role: list[str] = typer.Option([], help="Role(s) to grant: worker, academy, union, hr, ..."),
    institution_ref: str = typer.Option(None, "--institution", help=_INSTITUTION_HELP),
    worker_id: int = typer.Option(None, help="The worker record this account belongs to."),
    language: str = typer.Option(None, help="en, nb or sv."),
) -> None:
    """Create an account (and grant roles)."""
    careshift = open_careshift()
    try:
        where = _institution_id(careshift, institution_ref)
        user_id = accounts.create_user(
            careshift,
            email,
            name or email,
            password=password or None,
            language=language,
            worker_id=worker_id,
        )
        for each in role:
            accounts.grant(careshift, user_id, each, where)
        typer.echo(f"created account {user_id} for {email}")
        if not password:
            code = signin.start_password_reset(careshift, email)
            typer.echo(f"one-time reset code (24 h), use it at /reset-password: {code}")
    finally:
        careshift.close()


@app.command("list")
def list_users(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every account with its roles."""
    careshift = open_careshift()
    try:
        people = accounts.list_accounts(careshift, SYSTEM)
    finally:
        careshift.close()
    rows = [
        {
            "id": p.id,
            "email": p.email,
            "name": p.display_name,
            "roles": [
                {"role": m.role.value, "institution_id": m.institution_id} for m in p.memberships
            ],
        }
        for p in people
    ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        roles = ", ".join(
            f"{r['role']}@{r['institution_id'] if r['institution_id'] is not None else '*'}"
            for r in row["roles"]
        )
        typer.echo(f"{row['id']:>5}  {row['email']:<40} {roles}")


@app.command("grant")
def grant(
    email: str,
    role: str,
    institution_ref: str = typer.Option(None, "--institution", help=_INSTITUTION_HELP),
) -> None:
    """Give an account a role in one institution (or all)."""
    careshift = open_careshift()
    try:
        user_id = accounts.user_id_by_email(careshift, email)
        accounts.grant(careshift, user_id, role, _institution_id(careshift, institution_ref))
        typer.echo(f"granted {role} to {email}")
    finally:
        careshift.close()


@app.command("revoke")
def revoke(
    email: str,
    role: str,
    institution_ref: str = typer.Option(None, "--institution", help=_INSTITUTION_HELP),
) -> None:
    """Take a role away."""
    careshift = open_careshift()
    try:
        user_id = accounts.user_id_by_email(careshift, email)
        accounts.revoke(careshift, user_id, role, _institution_id(careshift, institution_ref))
        typer.echo(f"revoked {role} from {email}")
    finally:
        careshift.close()


@app.command("reset-password")
def reset_password(email: str) -> None:
    """Print a one-time reset code (valid 24 hours); no mail server needed."""
    careshift = open_careshift()
    try:
        code = signin.start_password_reset(careshift, email)
    finally:
        careshift.close()
    typer.echo(code)
    typer.echo(f"open /reset-password?token={code} to choose a new password", err=True)


@token_app.command("create")
def create_token(
    email: str,
    name: str = typer.Option("cli", help="What the token is for."),
    scope: list[str] = typer.Option(["read"], help="read and/or write."),
    days: int = typer.Option(90, help="Days until it expires; 0 for never."),
) -> None:
    """Print a new personal access token for the account (shown once)."""
    careshift = open_careshift()
    try:
        user_id = accounts.user_id_by_email(careshift, email)
        token = tokens.create_token(careshift, user_id, name, scope, days=days or None, by=SYSTEM)
    finally:
        careshift.close()
    typer.echo(token)
