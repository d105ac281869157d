"""Pathway tables: planners' exposure overrides (local evidence beats a national estimate).

Overrides are kept, never updated in place: a new override for the same role supersedes the
previous one (the newest by ``created_at`` wins) so the history of local judgements stays
readable. Every write is also in the audit log.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Index, Integer, String, Table, Text

from careshift.adapters.db.base import metadata

exposure_override = Table(
    "pathways_exposure_override",
    metadata,
    Column("id", Integer, primary_key=True),
    # ESCO occupation or local role URI (not a foreign key: it must survive a re-import)
    Column("uri", String(300), nullable=False),
    # high | medium | low
    Column("category", String(10), nullable=False),
    Column("score", Float, nullable=True),
    Column("reason", Text, nullable=False),
    Column("author", String(100), nullable=False),
    # the date the evidence refers to (the planner's "as of")
    Column("on_date", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_pathways_exposure_override_uri", "uri", "created_at"),
)
