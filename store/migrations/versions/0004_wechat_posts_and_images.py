"""WeChat publication journal, images kept with notice versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wechat_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language_version_id", sa.Integer(), nullable=False),
        sa.Column("image_urls", sa.JSON(), nullable=False),
        sa.Column("cover_media_id", sa.String(length=200), nullable=True),
        sa.Column("draft_media_id", sa.String(length=200), nullable=True),
        sa.Column("publish_id", sa.String(length=100), nullable=True),
        sa.Column("article_id", sa.String(length=200), nullable=True),
        sa.Column("article_url", sa.String(length=1000), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("postponed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["language_version_id"],
            ["language_versions.id"],
            name=op.f("fk_wechat_posts_language_version_id_language_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wechat_posts")),
        sa.UniqueConstraint(
            "language_version_id", name=op.f("uq_wechat_posts_language_version_id")
        ),
    )
    op.create_table(
        "notice_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["notice_versions.id"],
            name=op.f("fk_notice_images_version_id_notice_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_images")),
        sa.UniqueConstraint(
            "version_id", "source", name=op.f("uq_notice_images_version_id_source")
        ),
    )
    with op.batch_alter_table("notice_images", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_images_version_id"), ["version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notice_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_images_version_id"))
    op.drop_table("notice_images")
    op.drop_table("wechat_posts")
