"""Shared CLI plumbing: one bootstrapped Careshift per command, JSON output."""

from __future__ import annotations

import json
from typing import Any

import typer

from careshift.bootstrap import Careshift, bootstrap


def open_careshift() -> Careshift:
    return bootstrap()


def echo_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
