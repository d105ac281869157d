"""Workforce tables: units, workers (with history), skill evidence and engagement sessions.

Tenancy: every worker, unit and session belongs to one institution. Privacy by design:
engagement answers are stored against an anonymous response, never against the invitation or
the worker, so erasing a worker leaves the session's aggregates intact and holds no trace.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from careshift.adapters.db.base import metadata

unit = Table(
    "workforce_unit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), nullable=False),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("institution_id", "code"),
)

worker = Table(
    "workforce_worker",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), nullable=False),
    Column("employee_number", String(40), nullable=False),
    Column("name", String(200), nullable=True),
    # ESCO occupation URI or a local framework's role URI.
    Column("role_uri", String(300), nullable=False),
    Column("unit_id", ForeignKey("workforce_unit.id"), nullable=True),
    Column("employed_from", Date, nullable=True),
    Column("employed_to", Date, nullable=True),
    # day | evening | night | rotating | weekend (free text kept short)
    Column("shift_pattern", String(20), nullable=True),
    # Optional, only for equity metrics: female | male | other
    Column("gender", String(10), nullable=True),
    Column("birth_year", Integer, nullable=True),
    # SHA-256 of the imported row: an identical re-import is recognised without comparing.
    Column("fingerprint", String(64), nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("institution_id", "employee_number"),
    Index("ix_workforce_worker_role", "institution_id", "role_uri"),
    Index("ix_workforce_worker_unit", "unit_id"),
)

# The previous version of a worker row each time it changes (JSON of the old values).
worker_history = Table(
    "workforce_worker_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("previous", Text, nullable=False),
    Index("ix_workforce_worker_history_worker", "worker_id"),
)

skill_evidence = Table(
    "workforce_skill_evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), nullable=False),
    Column("skill_uri", String(300), nullable=False),
    Column("level", Integer, nullable=False),
    # self | supervisor | course | credential | text | session
    Column("source", String(12), nullable=False),
    Column("observed_on", Date, nullable=False),
    Column("author", String(100), nullable=False),
    Column("note", Text, nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_workforce_skill_evidence_worker", "worker_id"),
)

engagement_session = Table(
    "engagement_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("role_uri", String(300), nullable=True),
    # open | closed
    Column("status", String(10), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Invitations of workers since erased: their rows are gone, the headcount stays right.
    Column("invited_erased", Integer, nullable=False, default=0),
)

engagement_skill = Table(
    "engagement_skill",
    metadata,
    Column("session_id", ForeignKey("engagement_session.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_uri", String(300), primary_key=True),
    Column("position", Integer, nullable=False),
)

# Who was invited. Only a hash of the link token is kept, so a leaked table reveals no links.
engagement_invitation = Table(
    "engagement_invitation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", ForeignKey("engagement_session.id", ondelete="CASCADE"), nullable=False),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("answered", Boolean, nullable=False, default=False),
    # The worker agreed that their answers also update their own skill profile.
    Column("consent", Boolean, nullable=False, default=False),
    UniqueConstraint("session_id", "worker_id"),
)

# One anonymous response per answered invitation: no worker, no invitation, no timestamp.
engagement_response = Table(
    "engagement_response",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", ForeignKey("engagement_session.id", ondelete="CASCADE"), nullable=False),
    Index("ix_engagement_response_session", "session_id"),
)

engagement_answer = Table(
    "engagement_answer",
    metadata,
    Column(
        "response_id", ForeignKey("engagement_response.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("skill_uri", String(300), primary_key=True),
    Column("level", Integer, nullable=False),
)
