"""WeChat broadcasts: the journal of each mass send (群发) and the articles waiting for one

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# core.states.BroadcastState as this migration was written.
STATES = ("assembled", "drafted", "sending", "sent", "done", "deleted")


def upgrade() -> None:
    allowed = ", ".join(f"'{state}'" for state in STATES)
    op.create_table(
        "wechat_broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.Column("clientmsgid", sa.String(length=64), nullable=False),
        sa.Column("draft_media_id", sa.String(length=200), nullable=True),
        sa.Column("draft_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("preview_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("go_by", sa.String(length=200), nullable=True),
        sa.Column("go_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("send_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("msg_id", sa.String(length=40), nullable=True),
        sa.Column("msg_data_id", sa.String(length=40), nullable=True),
        sa.Column("msg_status", sa.String(length=40), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("waiting", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"state IN ({allowed})", name=op.f("ck_wechat_broadcasts_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wechat_broadcasts")),
        sa.UniqueConstraint("clientmsgid", name=op.f("uq_wechat_broadcasts_clientmsgid")),
    )
    op.create_table(
        "wechat_broadcast_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language_version_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("column", sa.String(length=100), nullable=False),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article", sa.JSON(), nullable=False),
        sa.Column("marker", sa.String(length=100), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["wechat_broadcasts.id"],
            name=op.f("fk_wechat_broadcast_items_broadcast_id_wechat_broadcasts"),
        ),
        sa.ForeignKeyConstraint(
            ["language_version_id"],
            ["language_versions.id"],
            name=op.f("fk_wechat_broadcast_items_language_version_id_language_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wechat_broadcast_items")),
        sa.UniqueConstraint(
            "language_version_id", name=op.f("uq_wechat_broadcast_items_language_version_id")
        ),
    )
    with op.batch_alter_table("wechat_broadcast_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wechat_broadcast_items_broadcast_id"), ["broadcast_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("wechat_broadcast_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wechat_broadcast_items_broadcast_id"))
    op.drop_table("wechat_broadcast_items")
    op.drop_table("wechat_broadcasts")
