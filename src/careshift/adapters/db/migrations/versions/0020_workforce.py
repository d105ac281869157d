"""workforce

Revision ID: 0020_workforce
Revises: 0002_platform
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_workforce"
down_revision = "0002_platform"
branch_labels = ("workforce",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engagement_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("role_uri", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_erased", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_engagement_session_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_session")),
    )
    op.create_table(
        "workforce_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_workforce_unit_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_unit")),
        sa.UniqueConstraint(
            "institution_id", "code", name=op.f("uq_workforce_unit_institution_id")
        ),
    )
    op.create_table(
        "engagement_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["engagement_session.id"],
            name=op.f("fk_engagement_response_session_id_engagement_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_response")),
    )
    with op.batch_alter_table("engagement_response", schema=None) as batch_op:
        batch_op.create_index("ix_engagement_response_session", ["session_id"], unique=False)

    op.create_table(
        "engagement_skill",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("skill_uri", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["engagement_session.id"],
            name=op.f("fk_engagement_skill_session_id_engagement_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "skill_uri", name=op.f("pk_engagement_skill")),
    )
    op.create_table(
        "workforce_worker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("employee_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("role_uri", sa.String(length=300), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("employed_from", sa.Date(), nullable=True),
        sa.Column("employed_to", sa.Date(), nullable=True),
        sa.Column("shift_pattern", sa.String(length=20), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_workforce_worker_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["workforce_unit.id"],
            name=op.f("fk_workforce_worker_unit_id_workforce_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_worker")),
        sa.UniqueConstraint(
            "institution_id", "employee_number", name=op.f("uq_workforce_worker_institution_id")
        ),
    )
    with op.batch_alter_table("workforce_worker", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workforce_worker_role", ["institution_id", "role_uri"], unique=False
        )
        batch_op.create_index("ix_workforce_worker_unit", ["unit_id"], unique=False)

    op.create_table(
        "engagement_answer",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("skill_uri", sa.String(length=300), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["engagement_response.id"],
            name=op.f("fk_engagement_answer_response_id_engagement_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "skill_uri", name=op.f("pk_engagement_answer")),
    )
    op.create_table(
        "engagement_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["engagement_session.id"],
            name=op.f("fk_engagement_invitation_session_id_engagement_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_engagement_invitation_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_invitation")),
        sa.UniqueConstraint(
            "session_id", "worker_id", name=op.f("uq_engagement_invitation_session_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_engagement_invitation_token_hash")),
    )
    op.create_table(
        "workforce_skill_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("skill_uri", sa.String(length=300), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_workforce_skill_evidence_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_skill_evidence")),
    )
    with op.batch_alter_table("workforce_skill_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_workforce_skill_evidence_worker", ["worker_id"], unique=False)

    op.create_table(
        "workforce_worker_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("previous", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_workforce_worker_history_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_worker_history")),
    )
    with op.batch_alter_table("workforce_worker_history", schema=None) as batch_op:
        batch_op.create_index("ix_workforce_worker_history_worker", ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("workforce_worker_history", schema=None) as batch_op:
        batch_op.drop_index("ix_workforce_worker_history_worker")

    op.drop_table("workforce_worker_history")
    with op.batch_alter_table("workforce_skill_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_workforce_skill_evidence_worker")

    op.drop_table("workforce_skill_evidence")
    op.drop_table("engagement_invitation")
    op.drop_table("engagement_answer")
    with op.batch_alter_table("workforce_worker", schema=None) as batch_op:
        batch_op.drop_index("ix_workforce_worker_unit")
        batch_op.drop_index("ix_workforce_worker_role")

    op.drop_table("workforce_worker")
    op.drop_table("engagement_skill")
    with op.batch_alter_table("engagement_response", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_response_session")

    op.drop_table("engagement_response")
    op.drop_table("workforce_unit")
    op.drop_table("engagement_session")
