"""Platform tables shared by every area: institutions (the tenancy unit) and the audit log."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from careshift.adapters.db.base import metadata

institution = Table(
    "institution",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    # hospital | clinic | school | region | academy | union | ministry
    Column("kind", String(20), nullable=False),
    Column("region", String(100), nullable=True),
    Column("parent_id", ForeignKey("institution.id"), nullable=True),
)

# Append-only: the application never updates or deletes rows here (erasure keeps the trail,
# with the subject replaced by a pseudonymous token).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    # read | create | update | delete | export | erase | login | ...
    Column("action", String(20), nullable=False),
    # e.g. "worker", "profile", "session_answers"
    Column("subject_type", String(40), nullable=False),
    Column("subject_id", String(100), nullable=True),
    Column("institution_id", Integer, nullable=True),
    Column("detail", Text, nullable=True),
    Index("ix_audit_log_subject", "subject_type", "subject_id"),
    Index("ix_audit_log_at", "at"),
)
