"""quality-check findings and overrides, engine output cache, glossary

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings", sa.JSON(), nullable=True))
    op.create_table(
        "check_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translations.id"],
            name=op.f("fk_check_overrides_translation_id_translations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_overrides")),
        sa.UniqueConstraint(
            "translation_id",
            "check_id",
            "revision",
            name=op.f("uq_check_overrides_translation_id_check_id_revision"),
        ),
    )
    with op.batch_alter_table("check_overrides", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_check_overrides_translation_id"), ["translation_id"], unique=False
        )
    op.create_table(
        "engine_outputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engine_outputs")),
        sa.UniqueConstraint(
            "engine",
            "language",
            "source_key",
            name=op.f("uq_engine_outputs_engine_language_source_key"),
        ),
    )
    op.create_table(
        "glossary_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("target", sa.String(length=400), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_terms")),
        sa.UniqueConstraint("source", "language", name=op.f("uq_glossary_terms_source_language")),
    )


def downgrade() -> None:
    op.drop_table("glossary_terms")
    op.drop_table("engine_outputs")
    with op.batch_alter_table("check_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_overrides_translation_id"))
    op.drop_table("check_overrides")
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.drop_column("findings")
