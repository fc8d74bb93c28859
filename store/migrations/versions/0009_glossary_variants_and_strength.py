"""Glossary terms carry accepted variants and a strength (required: error; preferred: warning)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The server defaults fill the rows already stored: no variants, and "required", the strength
    # every term had before (a missing term was an error).
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variants", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(
            sa.Column("strength", sa.String(length=20), server_default="required", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.drop_column("strength")
        batch_op.drop_column("variants")
