"""learning

Revision ID: 0030_learning
Revises: 0020_workforce
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_learning"
down_revision = "0020_workforce"
branch_labels = ("learning",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learning_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("max_unit_share", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_learning_programme_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_learning_programme_code")),
    )
    op.create_table(
        "learning_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_learning_provider_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_provider")),
        sa.UniqueConstraint("code", name=op.f("uq_learning_provider_code")),
    )
    op.create_table(
        "learning_signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_learning_signing_key_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_signing_key")),
        sa.UniqueConstraint("kid", name=op.f("uq_learning_signing_key_kid")),
    )
    op.create_table(
        "learning_course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("titles", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("modality", sa.String(length=12), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("seats_per_session", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["learning_provider.id"],
            name=op.f("fk_learning_course_provider_id_learning_provider"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_course")),
        sa.UniqueConstraint("code", name=op.f("uq_learning_course_code")),
    )
    op.create_table(
        "learning_wave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("max_participants", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["learning_programme.id"],
            name=op.f("fk_learning_wave_programme_id_learning_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_wave")),
        sa.UniqueConstraint("programme_id", "name", name=op.f("uq_learning_wave_programme_id")),
    )
    op.create_table(
        "learning_candidate",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("exposure", sa.Float(), nullable=False),
        sa.Column("role_change_on", sa.Date(), nullable=True),
        sa.Column("preference", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["learning_programme.id"],
            name=op.f("fk_learning_candidate_programme_id_learning_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_learning_candidate_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "worker_id", name=op.f("pk_learning_candidate")),
    )
    op.create_table(
        "learning_course_module",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["learning_course.id"],
            name=op.f("fk_learning_course_module_course_id_learning_course"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_course_module")),
    )
    with op.batch_alter_table("learning_course_module", schema=None) as batch_op:
        batch_op.create_index("ix_learning_course_module_course", ["course_id"], unique=False)

    op.create_table(
        "learning_course_prerequisite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=40), nullable=True),
        sa.Column("skill_uri", sa.String(length=300), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["learning_course.id"],
            name=op.f("fk_learning_course_prerequisite_course_id_learning_course"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_course_prerequisite")),
    )
    with op.batch_alter_table("learning_course_prerequisite", schema=None) as batch_op:
        batch_op.create_index("ix_learning_course_prerequisite_course", ["course_id"], unique=False)

    op.create_table(
        "learning_course_skill",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("skill_uri", sa.String(length=300), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["learning_course.id"],
            name=op.f("fk_learning_course_skill_course_id_learning_course"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_id", "skill_uri", name=op.f("pk_learning_course_skill")),
    )
    with op.batch_alter_table("learning_course_skill", schema=None) as batch_op:
        batch_op.create_index("ix_learning_course_skill_skill", ["skill_uri"], unique=False)

    op.create_table(
        "learning_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=80), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("skill_uri", sa.String(length=300), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["learning_course.id"],
            name=op.f("fk_learning_credential_course_id_learning_course"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_learning_credential_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_learning_credential_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_credential")),
        sa.UniqueConstraint("uid", name=op.f("uq_learning_credential_uid")),
    )
    with op.batch_alter_table("learning_credential", schema=None) as batch_op:
        batch_op.create_index("ix_learning_credential_worker", ["worker_id"], unique=False)

    op.create_table(
        "learning_programme_course",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["learning_course.id"],
            name=op.f("fk_learning_programme_course_course_id_learning_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["learning_programme.id"],
            name=op.f("fk_learning_programme_course_programme_id_learning_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "programme_id", "course_id", name=op.f("pk_learning_programme_course")
        ),
    )
    op.create_table(
        "learning_roster_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_learning_roster_shift_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_roster_shift")),
    )
    with op.batch_alter_table("learning_roster_shift", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_roster_shift_worker", ["worker_id", "starts_at"], unique=False
        )

    op.create_table(
        "learning_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["learning_course.id"],
            name=op.f("fk_learning_session_course_id_learning_course"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_session")),
        sa.UniqueConstraint("code", name=op.f("uq_learning_session_code")),
    )
    with op.batch_alter_table("learning_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_session_course", ["course_id", "starts_at"], unique=False
        )

    op.create_table(
        "learning_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("wave_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["learning_course.id"],
            name=op.f("fk_learning_enrolment_course_id_learning_course"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["learning_programme.id"],
            name=op.f("fk_learning_enrolment_programme_id_learning_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["learning_session.id"],
            name=op.f("fk_learning_enrolment_session_id_learning_session"),
        ),
        sa.ForeignKeyConstraint(
            ["wave_id"],
            ["learning_wave.id"],
            name=op.f("fk_learning_enrolment_wave_id_learning_wave"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_learning_enrolment_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_enrolment")),
    )
    with op.batch_alter_table("learning_enrolment", schema=None) as batch_op:
        batch_op.create_index("ix_learning_enrolment_session", ["session_id"], unique=False)
        batch_op.create_index(
            "ix_learning_enrolment_worker", ["worker_id", "course_id"], unique=False
        )

    op.create_table(
        "learning_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("assessor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["learning_enrolment.id"],
            name=op.f("fk_learning_assessment_enrolment_id_learning_enrolment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_assessment")),
    )
    with op.batch_alter_table("learning_assessment", schema=None) as batch_op:
        batch_op.create_index("ix_learning_assessment_enrolment", ["enrolment_id"], unique=False)

    op.create_table(
        "learning_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("attended_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["learning_enrolment.id"],
            name=op.f("fk_learning_attendance_enrolment_id_learning_enrolment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_attendance")),
    )
    with op.batch_alter_table("learning_attendance", schema=None) as batch_op:
        batch_op.create_index("ix_learning_attendance_enrolment", ["enrolment_id"], unique=False)

    op.create_table(
        "learning_xapi_statement",
        sa.Column("statement_id", sa.String(length=64), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("verb", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["learning_enrolment.id"],
            name=op.f("fk_learning_xapi_statement_enrolment_id_learning_enrolment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_learning_xapi_statement")),
    )


def downgrade() -> None:
    op.drop_table("learning_xapi_statement")
    with op.batch_alter_table("learning_attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_attendance_enrolment")

    op.drop_table("learning_attendance")
    with op.batch_alter_table("learning_assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_assessment_enrolment")

    op.drop_table("learning_assessment")
    with op.batch_alter_table("learning_enrolment", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_enrolment_worker")
        batch_op.drop_index("ix_learning_enrolment_session")

    op.drop_table("learning_enrolment")
    with op.batch_alter_table("learning_session", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_session_course")

    op.drop_table("learning_session")
    with op.batch_alter_table("learning_roster_shift", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_roster_shift_worker")

    op.drop_table("learning_roster_shift")
    op.drop_table("learning_programme_course")
    with op.batch_alter_table("learning_credential", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_credential_worker")

    op.drop_table("learning_credential")
    with op.batch_alter_table("learning_course_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_course_skill_skill")

    op.drop_table("learning_course_skill")
    with op.batch_alter_table("learning_course_prerequisite", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_course_prerequisite_course")

    op.drop_table("learning_course_prerequisite")
    with op.batch_alter_table("learning_course_module", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_course_module_course")

    op.drop_table("learning_course_module")
    op.drop_table("learning_candidate")
    op.drop_table("learning_wave")
    op.drop_table("learning_course")
    op.drop_table("learning_signing_key")
    op.drop_table("learning_provider")
    op.drop_table("learning_programme")
