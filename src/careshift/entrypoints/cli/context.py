"""Shared CLI plumbing: one bootstrapped Careshift per command, JSON output."""

from __future__ import annotations

import json
from typing import Any

import typer

from careshift.bootstrap import Careshift, bootstrap
from careshift.config import load_settings


def open_careshift(**overrides: object) -> Careshift:
    """Careshift from the environment's settings; non-empty ``overrides`` (command-line options
    such as ``--skill-model``) win."""
    chosen = {name: value for name, value in overrides.items() if value not in ("", None)}
    return bootstrap(load_settings(**chosen) if chosen else None)


def echo_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
