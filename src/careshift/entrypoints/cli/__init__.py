"""The ``careshift`` command. Each area registers a Typer sub-app in ``_SUBCOMMANDS``."""

from __future__ import annotations

import importlib
import sys

import typer

from careshift.errors import CareshiftError

__all__ = ["app", "main"]

app = typer.Typer(
    name="careshift",
    help="careshift: skills, pathways, training and workforce planning for health services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# (command name, module under careshift.entrypoints.cli exposing `app`)
_SUBCOMMANDS: list[tuple[str, str]] = [
    ("learning", "learning"),
    ("cohorts", "cohorts"),
    ("credentials", "credentials"),
    ("link", "link"),
    ("users", "users"),
    ("frameworks", "frameworks"),
    ("taxonomy", "taxonomy"),
    ("pathways", "pathways"),
    ("institutions", "institutions"),
    ("workers", "workers"),
    ("gaps", "gaps"),
    ("sessions", "sessions"),
    ("plan", "planning"),
    ("placements", "placements"),
    ("demand", "demand"),
]

for _name, _module in _SUBCOMMANDS:
    app.add_typer(importlib.import_module(f"careshift.entrypoints.cli.{_module}").app, name=_name)

importlib.import_module("careshift.entrypoints.cli.server")


def main() -> None:
    """Run the CLI; a :class:`CareshiftError` becomes a clear message and exit code 2."""
    try:
        app(standalone_mode=False)
    except CareshiftError as exc:
        typer.echo(f"error: {exc}", err=True)
        for problem in getattr(exc, "problems", [])[:20]:
            typer.echo(f"  {problem}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
