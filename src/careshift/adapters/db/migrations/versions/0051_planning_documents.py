"""planning documents

Revision ID: 0051_planning_documents
Revises: 0050_planning
"""

import sqlalchemy as sa
from alembic import op

revision = "0051_planning_documents"
down_revision = "0050_planning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_planning_document_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_document")),
    )
    with op.batch_alter_table("planning_document", schema=None) as batch_op:
        batch_op.create_index(
            "ix_planning_document_name",
            ["institution_id", "kind", "name", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("planning_document", schema=None) as batch_op:
        batch_op.drop_index("ix_planning_document_name")

    op.drop_table("planning_document")
