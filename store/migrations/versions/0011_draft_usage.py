"""language versions carry what drafting them cost at batch engines: tokens and requests

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = ("prompt_tokens", "completion_tokens", "engine_requests")


def upgrade() -> None:
    # 0, not NULL: a language drafted before this column existed sent nothing to a batch engine.
    with op.batch_alter_table("language_versions", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
            )


def downgrade() -> None:
    with op.batch_alter_table("language_versions", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
