"""``careshift serve`` and ``careshift demo``."""

from __future__ import annotations

import typer

from careshift.entrypoints.cli import app
from careshift.entrypoints.cli.context import open_careshift


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, help="Worker processes (use >1 with PostgreSQL)."),
) -> None:
    """Serve the web UI and the REST API (OpenAPI at /api/docs)."""
    import uvicorn

    from careshift.services.taxonomy import check_skill_labels

    careshift = open_careshift()  # migrate once before the workers start
    try:
        check_skill_labels(careshift)
    finally:
        careshift.close()
    uvicorn.run(
        "careshift.entrypoints.api.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    no_serve: bool = typer.Option(False, "--no-serve", help="Load the data, then exit."),
) -> None:
    """Load the bundled starter data (and ESCO if CARESHIFT_ESCO_DIR is set), then serve."""
    from careshift.services.demo import prepare_demo
    from careshift.services.taxonomy import check_skill_labels

    careshift = open_careshift()
    try:
        check_skill_labels(careshift)
        for line in prepare_demo(careshift):
            typer.echo(line)
    finally:
        careshift.close()
    if not no_serve:
        typer.echo(f"careshift is running on http://{host}:{port}/  (Ctrl+C to stop)")
        serve(host=host, port=port, workers=1)
