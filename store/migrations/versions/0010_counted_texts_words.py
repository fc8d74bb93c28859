"""counted texts carry the measure `words` (office-2020 v2); texts counted before have none yet

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_INDEX = [
    "year",
    "state",
    "month",
    "column",
    "language",
    "latin_words",
    "cjk_characters",
    "characters_no_spaces",
    "korean_words",
    "lead",
]
NEW_INDEX = [*OLD_INDEX[:-1], "words", "lead"]


def upgrade() -> None:
    # NULL, not 0: a text counted before this measure existed has not been measured by it. Its
    # other measures stay as they were, so reports under office-2020 v1 give the same figures.
    with op.batch_alter_table("counted_texts", schema=None) as batch_op:
        batch_op.drop_index("ix_counted_texts_report")
        batch_op.add_column(sa.Column("words", sa.Integer(), nullable=True))
        batch_op.create_index("ix_counted_texts_report", NEW_INDEX, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("counted_texts", schema=None) as batch_op:
        batch_op.drop_index("ix_counted_texts_report")
        batch_op.drop_column("words")
        batch_op.create_index("ix_counted_texts_report", OLD_INDEX, unique=False)
