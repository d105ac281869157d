"""Planning tables: planners' overrides of how technology changes a role's tasks.

The starter (or any local) framework says which tasks of a role technology removes or changes,
when and how much; an institution knows better for itself (its kiosks arrive in 2028, not
2027). An override is kept, never updated in place: the newest for the same institution, role
and task wins, so the history of local judgements stays readable. Writes are audited.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text

from careshift.adapters.db.base import metadata

role_task_override = Table(
    "planning_role_task_override",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), nullable=False),
    # local role URI (not a foreign key: it must survive a framework re-import)
    Column("role_uri", String(300), nullable=False),
    # the framework's task id, or a new id for a task the framework does not have
    Column("task_id", String(100), nullable=False),
    # removed | changed | unchanged | new
    Column("change", String(10), nullable=False),
    Column("year", Integer, nullable=True),
    # share of the role's working time, 0-1
    Column("share", Float, nullable=False),
    Column("technology", String(200), nullable=True),
    Column("reason", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_planning_override_role", "institution_id", "role_uri", "created_at"),
)

#: A planner's saved document (a WISN study, a projection scenario file, a placement round with
#: its sites and students), kept per institution, kind and name. Saving again adds a version;
#: the newest is the current one, so earlier versions stay readable.
planning_document = Table(
    "planning_document",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), nullable=False),
    # wisn | projection | placements
    Column("kind", String(20), nullable=False),
    Column("name", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_planning_document_name", "institution_id", "kind", "name", "created_at"),
)
