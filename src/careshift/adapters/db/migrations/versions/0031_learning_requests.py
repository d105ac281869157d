"""learning: enrolment requests approved by HR

Revision ID: 0031_learning_requests
Revises: 0030_learning
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_learning_requests"
down_revision = "0030_learning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learning_enrolment_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["learning_enrolment.id"],
            name=op.f("fk_learning_enrolment_request_enrolment_id_learning_enrolment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["learning_session.id"],
            name=op.f("fk_learning_enrolment_request_session_id_learning_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workforce_worker.id"],
            name=op.f("fk_learning_enrolment_request_worker_id_workforce_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_enrolment_request")),
    )
    with op.batch_alter_table("learning_enrolment_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_enrolment_request_worker", ["worker_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("learning_enrolment_request", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_enrolment_request_worker")

    op.drop_table("learning_enrolment_request")
