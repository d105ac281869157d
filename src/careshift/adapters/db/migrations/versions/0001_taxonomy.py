"""taxonomy

Revision ID: 0001_taxonomy
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_taxonomy"
down_revision = None
branch_labels = ("taxonomy",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "taxonomy_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_release")),
        sa.UniqueConstraint("kind", "name", "version", name=op.f("uq_taxonomy_release_kind")),
    )
    op.create_table(
        "taxonomy_concept",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("isco_code", sa.String(length=8), nullable=True),
        sa.Column("skill_type", sa.String(length=40), nullable=True),
        sa.Column("reuse_level", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("regulated_note", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["taxonomy_release.id"],
            name=op.f("fk_taxonomy_concept_release_id_taxonomy_release"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_concept")),
        sa.UniqueConstraint("release_id", "uri", name=op.f("uq_taxonomy_concept_release_id")),
    )
    with op.batch_alter_table("taxonomy_concept", schema=None) as batch_op:
        batch_op.create_index("ix_taxonomy_concept_kind", ["release_id", "kind"], unique=False)
        batch_op.create_index("ix_taxonomy_concept_uri", ["uri"], unique=False)

    op.create_table(
        "taxonomy_broader",
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("broader_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["broader_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_broader_broader_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_broader_concept_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("concept_id", "broader_id", name=op.f("pk_taxonomy_broader")),
    )
    with op.batch_alter_table("taxonomy_broader", schema=None) as batch_op:
        batch_op.create_index("ix_taxonomy_broader_broader", ["broader_id"], unique=False)

    op.create_table(
        "taxonomy_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("label_type", sa.String(length=10), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_label_concept_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_label")),
    )
    with op.batch_alter_table("taxonomy_label", schema=None) as batch_op:
        batch_op.create_index("ix_taxonomy_label_concept", ["concept_id", "lang"], unique=False)

    op.create_table(
        "taxonomy_link",
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("target_uri", sa.String(length=300), nullable=False),
        sa.Column("match", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_link_concept_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("concept_id", "target_uri", name=op.f("pk_taxonomy_link")),
    )
    op.create_table(
        "taxonomy_occupation_skill",
        sa.Column("occupation_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_occupation_skill_occupation_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_occupation_skill_skill_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "occupation_id", "skill_id", name=op.f("pk_taxonomy_occupation_skill")
        ),
    )
    with op.batch_alter_table("taxonomy_occupation_skill", schema=None) as batch_op:
        batch_op.create_index("ix_taxonomy_occupation_skill_skill", ["skill_id"], unique=False)

    op.create_table(
        "taxonomy_skill_skill",
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["related_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_skill_skill_related_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_skill_skill_skill_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("skill_id", "related_id", name=op.f("pk_taxonomy_skill_skill")),
    )
    op.create_table(
        "taxonomy_tag",
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["taxonomy_concept.id"],
            name=op.f("fk_taxonomy_tag_concept_id_taxonomy_concept"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("concept_id", "tag", name=op.f("pk_taxonomy_tag")),
    )


def downgrade() -> None:
    op.drop_table("taxonomy_tag")
    op.drop_table("taxonomy_skill_skill")
    with op.batch_alter_table("taxonomy_occupation_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_taxonomy_occupation_skill_skill")

    op.drop_table("taxonomy_occupation_skill")
    op.drop_table("taxonomy_link")
    with op.batch_alter_table("taxonomy_label", schema=None) as batch_op:
        batch_op.drop_index("ix_taxonomy_label_concept")

    op.drop_table("taxonomy_label")
    with op.batch_alter_table("taxonomy_broader", schema=None) as batch_op:
        batch_op.drop_index("ix_taxonomy_broader_broader")

    op.drop_table("taxonomy_broader")
    with op.batch_alter_table("taxonomy_concept", schema=None) as batch_op:
        batch_op.drop_index("ix_taxonomy_concept_uri")
        batch_op.drop_index("ix_taxonomy_concept_kind")

    op.drop_table("taxonomy_concept")
    op.drop_table("taxonomy_release")
