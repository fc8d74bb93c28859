"""Review desk: sign-in attempts counted per name, reserved before the password is checked

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No rows to carry over: holds in force under the old rule (counted from the audit log) lapse,
    # and the next failures of a name count afresh.
    op.create_table(
        "sign_in_attempts",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("window_started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sign_in_attempts")),
    )
    op.create_index(
        op.f("ix_sign_in_attempts_window_started"), "sign_in_attempts", ["window_started"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_attempts_window_started"), table_name="sign_in_attempts")
    op.drop_table("sign_in_attempts")
