"""Vega-Lite chart specifications with their data inline, served by the API and drawn by pages.

Each builder returns a plain dict (Vega-Lite v5). Pages draw it with the vendored vega-embed and
show the same rows in a table, so the chart is never the only way to read the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["SCHEMA", "bar", "heatmap", "scatter"]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Colour-blind-safe, and dark enough against white for WCAG non-text contrast (3:1).
_BLUE = "#0b5394"


def _base(title: str, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": list(rows)},
        "config": {"view": {"stroke": None}, "axis": {"labelLimit": 220}},
    }


def bar(
    title: str,
    rows: Sequence[dict[str, Any]],
    category: str,
    value: str,
    value_title: str,
    sort: str | None = "-x",
) -> dict[str, Any]:
    """Horizontal bars, longest first (``sort=None``: in category order, e.g. years)."""
    return {
        **_base(title, rows),
        "mark": {"type": "bar", "color": _BLUE},
        "encoding": {
            "y": {"field": category, "type": "nominal", "sort": sort, "title": None},
            "x": {"field": value, "type": "quantitative", "title": value_title},
        },
    }


def heatmap(
    title: str,
    rows: Sequence[dict[str, Any]],
    x: str,
    y: str,
    value: str,
    value_title: str,
) -> dict[str, Any]:
    """Cells coloured by ``value``; suppressed cells (null) are left grey."""
    return {
        **_base(title, rows),
        "mark": {"type": "rect"},
        "encoding": {
            "x": {"field": x, "type": "nominal", "title": None},
            "y": {"field": y, "type": "nominal", "title": None},
            "color": {
                "field": value,
                "type": "quantitative",
                "title": value_title,
                "scale": {"scheme": "oranges"},
            },
        },
    }


def scatter(
    title: str,
    rows: Sequence[dict[str, Any]],
    x: str,
    y: str,
    label: str,
    x_title: str,
    y_title: str,
) -> dict[str, Any]:
    """Points with their labels, for trade-offs such as fit against safety."""
    return {
        **_base(title, rows),
        "layer": [
            {"mark": {"type": "point", "filled": True, "size": 80, "color": _BLUE}},
            {
                "mark": {"type": "text", "dy": -10, "fontSize": 11},
                "encoding": {"text": {"field": label}},
            },
        ],
        "encoding": {
            "x": {
                "field": x,
                "type": "quantitative",
                "title": x_title,
                "scale": {"domain": [0, 1]},
            },
            "y": {
                "field": y,
                "type": "quantitative",
                "title": y_title,
                "scale": {"domain": [0, 1]},
            },
        },
    }
