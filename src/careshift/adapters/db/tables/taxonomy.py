"""Taxonomy tables: releases (ESCO versions, local frameworks), concepts, labels, relations.

Every concept belongs to one release, so a second ESCO version can live beside the first and
a local framework is just another release whose concepts may link to ESCO URIs.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
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

release = Table(
    "taxonomy_release",
    metadata,
    Column("id", Integer, primary_key=True),
    # "esco" for the ESCO classification, "local" for a local framework.
    Column("kind", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("version", String(40), nullable=False),
    Column("fingerprint", String(64), nullable=False, default=""),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("summary", Text, nullable=False, default="{}"),
    UniqueConstraint("kind", "name", "version"),
)

concept = Table(
    "taxonomy_concept",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("release_id", ForeignKey("taxonomy_release.id", ondelete="CASCADE"), nullable=False),
    Column("uri", String(300), nullable=False),
    # occupation | skill | isco_group | skill_group | role | task
    Column("kind", String(16), nullable=False),
    Column("code", String(40), nullable=True),
    Column("isco_code", String(8), nullable=True),
    Column("skill_type", String(40), nullable=True),
    Column("reuse_level", String(40), nullable=True),
    Column("status", String(20), nullable=True),
    Column("regulated_note", String(300), nullable=True),
    Column("description", Text, nullable=True),
    # Free-form JSON for local-framework extras (tasks, proficiency descriptors, ...).
    Column("extra", Text, nullable=True),
    UniqueConstraint("release_id", "uri"),
    Index("ix_taxonomy_concept_kind", "release_id", "kind"),
    Index("ix_taxonomy_concept_uri", "uri"),
)

label = Table(
    "taxonomy_label",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("concept_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), nullable=False),
    Column("lang", String(8), nullable=False),
    # preferred | alt | hidden
    Column("label_type", String(10), nullable=False),
    Column("text", String(500), nullable=False),
    Index("ix_taxonomy_label_concept", "concept_id", "lang"),
)

occupation_skill = Table(
    "taxonomy_occupation_skill",
    metadata,
    Column(
        "occupation_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("skill_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True),
    # essential | optional
    Column("relation", String(10), nullable=False),
    # Proficiency 1-6 a local role expects; NULL for ESCO (which has no levels).
    Column("level", Integer, nullable=True),
    Index("ix_taxonomy_occupation_skill_skill", "skill_id"),
)

skill_skill = Table(
    "taxonomy_skill_skill",
    metadata,
    Column("skill_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True),
    Column("relation", String(10), nullable=False),
)

broader = Table(
    "taxonomy_broader",
    metadata,
    Column("concept_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True),
    Column("broader_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_taxonomy_broader_broader", "broader_id"),
)

tag = Table(
    "taxonomy_tag",
    metadata,
    Column("concept_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True),
    # digital | green | transversal | language | digcomp | research | value_added_service ...
    Column("tag", String(40), primary_key=True),
)

# A local concept that stands for (exactMatch) or sits under (broadMatch) an ESCO concept.
link = Table(
    "taxonomy_link",
    metadata,
    Column("concept_id", ForeignKey("taxonomy_concept.id", ondelete="CASCADE"), primary_key=True),
    Column("target_uri", String(300), primary_key=True),
    Column("match", String(12), nullable=False),
)
