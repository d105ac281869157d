"""Thin entry points over the services: CLI (Typer), REST API (FastAPI), web pages."""
