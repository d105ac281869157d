"""planning

Revision ID: 0050_planning
Revises: 0002_platform
"""

import sqlalchemy as sa
from alembic import op

revision = "0050_planning"
down_revision = "0002_platform"
branch_labels = ("planning",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_role_task_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("role_uri", sa.String(length=300), nullable=False),
        sa.Column("task_id", sa.String(length=100), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("technology", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_planning_role_task_override_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_role_task_override")),
    )
    with op.batch_alter_table("planning_role_task_override", schema=None) as batch_op:
        batch_op.create_index(
            "ix_planning_override_role", ["institution_id", "role_uri", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("planning_role_task_override", schema=None) as batch_op:
        batch_op.drop_index("ix_planning_override_role")

    op.drop_table("planning_role_task_override")
