"""Learning tables: the catalogue, programmes and cohorts, progress, and issued credentials.

Catalogue rows are public knowledge; everything keyed by a worker (enrolments, attendance,
assessments, roster shifts, credentials) is personal data, read and written through services
that audit. Signing keys: the public half is stored here, the private half lives in
``data_dir/keys/<kid>.pem`` (PKCS#8, file mode 0600) and never in the database, so a database
dump cannot forge credentials.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from careshift.adapters.db.base import metadata

provider = Table(
    "learning_provider",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("institution_id", ForeignKey("institution.id"), nullable=True),
)

course = Table(
    "learning_course",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("provider_id", ForeignKey("learning_provider.id"), nullable=True),
    # JSON object of titles by language: {"en": ..., "nb": ..., "sv": ...}
    Column("titles", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("hours", Float, nullable=False),
    Column("cost", Float, nullable=False),
    Column("currency", String(3), nullable=False, default="EUR"),
    # classroom | e-learning | on-the-job | mentoring
    Column("modality", String(12), nullable=False),
    Column("language", String(8), nullable=False),
    Column("seats_per_session", Integer, nullable=True),
)

course_skill = Table(
    "learning_course_skill",
    metadata,
    Column("course_id", ForeignKey("learning_course.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_uri", String(300), primary_key=True),
    # the proficiency level (1-6) the course brings a learner to
    Column("level", Integer, nullable=False),
    Index("ix_learning_course_skill_skill", "skill_uri"),
)

# Either another course (by code, so a catalogue can be loaded in any order) or a skill level.
course_prerequisite = Table(
    "learning_course_prerequisite",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("course_id", ForeignKey("learning_course.id", ondelete="CASCADE"), nullable=False),
    Column("course_code", String(40), nullable=True),
    Column("skill_uri", String(300), nullable=True),
    Column("level", Integer, nullable=True),
    Index("ix_learning_course_prerequisite_course", "course_id"),
)

course_module = Table(
    "learning_course_module",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("course_id", ForeignKey("learning_course.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    Column("hours", Float, nullable=False),
    Index("ix_learning_course_module_course", "course_id"),
)

session = Table(
    "learning_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("course_id", ForeignKey("learning_course.id", ondelete="CASCADE"), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("seats", Integer, nullable=False),
    Column("location", String(200), nullable=True),
    Index("ix_learning_session_course", "course_id", "starts_at"),
)

programme = Table(
    "learning_programme",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("institution_id", ForeignKey("institution.id"), nullable=True),
    # largest share of a unit's headcount away in training on the same day
    Column("max_unit_share", Float, nullable=False, default=0.1),
)

programme_course = Table(
    "learning_programme_course",
    metadata,
    Column(
        "programme_id", ForeignKey("learning_programme.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("course_id", ForeignKey("learning_course.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
)

# Waves of a programme: a pilot first, then the scale-up waves, each with its own dates.
wave = Table(
    "learning_wave",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("programme_id", ForeignKey("learning_programme.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("position", Integer, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("max_participants", Integer, nullable=True),
    UniqueConstraint("programme_id", "name"),
)

# Who may join a programme, with what weighs in their priority.
candidate = Table(
    "learning_candidate",
    metadata,
    Column(
        "programme_id", ForeignKey("learning_programme.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), primary_key=True),
    # share of the role's tasks exposed to automation, 0-1
    Column("exposure", Float, nullable=False, default=0.0),
    Column("role_change_on", Date, nullable=True),
    # the worker's own wish to join, 0-1
    Column("preference", Float, nullable=False, default=0.5),
)

roster_shift = Table(
    "learning_roster_shift",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Index("ix_learning_roster_shift_worker", "worker_id", "starts_at"),
)

enrolment = Table(
    "learning_enrolment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", ForeignKey("learning_course.id"), nullable=False),
    Column("session_id", ForeignKey("learning_session.id"), nullable=True),
    Column("programme_id", ForeignKey("learning_programme.id"), nullable=True),
    Column("wave_id", ForeignKey("learning_wave.id"), nullable=True),
    # planned (by cohort planning) | enrolled | completed | failed | withdrawn
    Column("status", String(12), nullable=False),
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
    Column("completed_on", Date, nullable=True),
    Index("ix_learning_enrolment_worker", "worker_id", "course_id"),
    Index("ix_learning_enrolment_session", "session_id"),
)

attendance = Table(
    "learning_attendance",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enrolment_id", ForeignKey("learning_enrolment.id", ondelete="CASCADE"), nullable=False),
    Column("attended_on", Date, nullable=False),
    Column("hours", Float, nullable=False),
    Column("source", String(12), nullable=False, default="manual"),
    Index("ix_learning_attendance_enrolment", "enrolment_id"),
)

assessment = Table(
    "learning_assessment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enrolment_id", ForeignKey("learning_enrolment.id", ondelete="CASCADE"), nullable=False),
    Column("assessed_on", Date, nullable=False),
    # scaled score 0-1 when the LMS or assessor gives one
    Column("score", Float, nullable=True),
    Column("passed", Boolean, nullable=False),
    Column("assessor", String(100), nullable=False),
    Index("ix_learning_assessment_enrolment", "enrolment_id"),
)

# xAPI statement ids already applied: importing the same LRS export twice changes nothing.
xapi_statement = Table(
    "learning_xapi_statement",
    metadata,
    Column("statement_id", String(64), primary_key=True),
    Column("enrolment_id", ForeignKey("learning_enrolment.id", ondelete="CASCADE"), nullable=True),
    Column("verb", String(200), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

signing_key = Table(
    "learning_signing_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), nullable=False),
    Column("kid", String(64), nullable=False, unique=True),
    # raw Ed25519 public key, base64url without padding (the JWK "x")
    Column("public_key", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True), nullable=True),
)

credential = Table(
    "learning_credential",
    metadata,
    Column("id", Integer, primary_key=True),
    # urn:uuid:... the credential's id
    Column("uid", String(80), nullable=False, unique=True),
    Column("institution_id", ForeignKey("institution.id"), nullable=False),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), nullable=False),
    # course | skill
    Column("kind", String(8), nullable=False),
    Column("course_id", ForeignKey("learning_course.id"), nullable=True),
    Column("skill_uri", String(300), nullable=True),
    Column("level", Integer, nullable=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("valid_until", DateTime(timezone=True), nullable=True),
    Column("kid", String(64), nullable=False),
    Column("token", Text, nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("revocation_reason", String(300), nullable=True),
    Index("ix_learning_credential_worker", "worker_id"),
)

# A worker asks for a place in a course session; HR of their institution approves (which
# enrols them) or declines. Every request and decision is audited.
enrolment_request = Table(
    "learning_enrolment_request",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("worker_id", ForeignKey("workforce_worker.id", ondelete="CASCADE"), nullable=False),
    Column("session_id", ForeignKey("learning_session.id", ondelete="CASCADE"), nullable=False),
    # pending | approved | declined
    Column("status", String(10), nullable=False),
    Column("reason", String(500), nullable=True),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", String(100), nullable=True),
    Column("decision_note", String(500), nullable=True),
    Column("enrolment_id", ForeignKey("learning_enrolment.id", ondelete="SET NULL"), nullable=True),
    Index("ix_learning_enrolment_request_worker", "worker_id", "status"),
)
