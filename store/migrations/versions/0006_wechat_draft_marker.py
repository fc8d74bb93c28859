"""WeChat journal: the draft's marker, and when draft/add and freepublish/submit were requested

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable with no default: rows from before know nothing was requested under the new rules.
    with op.batch_alter_table("wechat_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marker", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("draft_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("submit_requested_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("wechat_posts", schema=None) as batch_op:
        batch_op.drop_column("submit_requested_at")
        batch_op.drop_column("draft_requested_at")
        batch_op.drop_column("marker")
