"""Vega-Lite (v5) specifications of planning charts, data inline; pages show the same rows as a
table, so a chart is never the only way to read the numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["projection_chart", "shortage_chart"]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def projection_chart(
    rows: Sequence[dict[str, Any]],
    title: str = "Headcount (solid) and demand (dashed) per role",
    y_title: str = "people",
) -> dict[str, Any]:
    """One panel per scenario: headcount per role (solid) and demand (dashed) by year."""
    x = {"field": "year", "type": "ordinal", "title": None}
    colour = {"field": "role", "type": "nominal", "title": None}
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": list(rows)},
        "facet": {"column": {"field": "scenario", "type": "nominal", "title": None}},
        "spec": {
            "layer": [
                {
                    "mark": {"type": "line", "point": True},
                    "encoding": {
                        "x": x,
                        "y": {"aggregate": "sum", "field": "headcount", "type": "quantitative",
                              "title": y_title},
                        "color": colour,
                    },
                },
                {
                    "mark": {"type": "line", "strokeDash": [4, 4], "opacity": 0.7},
                    "encoding": {
                        "x": x,
                        "y": {"aggregate": "sum", "field": "demand", "type": "quantitative"},
                        "color": colour,
                    },
                },
            ]
        },
    }  # fmt: skip


def shortage_chart(rows: Sequence[dict[str, Any]], title: str, category: str) -> dict[str, Any]:
    """Horizontal bars of shortage (positive) or surplus (negative) per category."""
    return {
        "$schema": SCHEMA,
        "title": title,
        "data": {"values": list(rows)},
        "mark": {"type": "bar", "color": "#0b5394"},
        "encoding": {
            "y": {"field": category, "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "shortage", "type": "quantitative", "title": "shortage"},
        },
    }
