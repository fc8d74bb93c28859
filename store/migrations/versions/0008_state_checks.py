"""State columns hold only the states waiwen knows: a CHECK constraint on each

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The values of core/states.py as this migration was written: a state added later comes with a
# migration of its own, so this one always builds the same constraints.
STATES = {
    ("notice_versions", "state"): ("queued", "drafting", "in_review", "superseded", "retracted"),
    ("language_versions", "state"): (
        "queued",
        "drafting",
        "in_review",
        "reviewed",
        "approved",
        "published",
        "rejected",
        "superseded",
        "retracted",
    ),
    ("reviews", "decision"): ("reviewed", "approved", "rejected"),
    ("publications", "state"): (
        "published",
        "not_configured",
        "refused",
        "failed",
        "publishing",
        "postponed",
        "blocked",
    ),
    ("wechat_posts", "state"): (
        "preparing",
        "submitted",
        "published",
        "postponed",
        "blocked",
        "refused",
        "failed",
        "deleted",
    ),
    ("counted_texts", "state"): ("counted", "retracted"),
}


def _condition(column: str, values: tuple[str, ...]) -> str:
    """The same text as store.models.one_of writes, so the database and the models agree."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({allowed})"


def _refuse_unknown_states() -> None:
    """Say which stored rows the checks would refuse, before any table is changed."""
    found = []
    for (table, column), values in STATES.items():
        rows = op.get_bind().execute(
            sa.text(
                f"SELECT {column}, count(*) FROM {table} "
                f"WHERE NOT ({_condition(column, values)}) GROUP BY {column} ORDER BY {column}"
            )
        )
        found += [f"{table}.{column} holds {value!r} in {count} row(s)" for value, count in rows]
    if found:
        raise RuntimeError(
            "migration 0008 adds a check that each state is one waiwen knows, and some rows hold "
            f"other values: {'; '.join(found)}. Nothing was changed: correct those rows to a known "
            "state (core/states.py lists them) or restore a backup, then run again"
        )


def upgrade() -> None:
    _refuse_unknown_states()
    for (table, column), values in STATES.items():
        # On SQLite the table is copied with the constraint (no ALTER TABLE ADD CONSTRAINT there).
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(
                op.f(f"ck_{table}_{column}"), _condition(column, values)
            )


def downgrade() -> None:
    for table, column in reversed(STATES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
