"""pathways

Revision ID: 0010_pathways
Revises: 0001_taxonomy
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_pathways"
down_revision = "0001_taxonomy"
branch_labels = ("pathways",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pathways_exposure_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathways_exposure_override")),
    )
    with op.batch_alter_table("pathways_exposure_override", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pathways_exposure_override_uri", ["uri", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pathways_exposure_override", schema=None) as batch_op:
        batch_op.drop_index("ix_pathways_exposure_override_uri")

    op.drop_table("pathways_exposure_override")
