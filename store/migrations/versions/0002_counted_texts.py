"""counted texts for the yearly report; notice retraction

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MEASURES = ("latin_words", "cjk_characters", "characters_no_spaces", "korean_words")
REPORT_INDEX = ["year", "state", "month", "column", "language", *MEASURES, "lead"]


def upgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("retracted_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("retraction_reason", sa.Text(), nullable=True))
    counted = op.create_table(
        "counted_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_key", sa.String(length=400), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("column", sa.String(length=100), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_counted_texts_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counted_texts")),
        sa.UniqueConstraint(
            "notice_key", "language", name=op.f("uq_counted_texts_notice_key_language")
        ),
    )
    with op.batch_alter_table("counted_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_counted_texts_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index("ix_counted_texts_report", REPORT_INDEX, unique=False)
    _count_what_was_published(counted)


def _count_what_was_published(counted: sa.Table) -> None:
    """Fill the ledger from publications made before it existed (same rules as pipeline/counts.py)."""
    rows = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT n.id AS notice_id, n.key AS notice_key, n.title AS title,"
                ' n."column" AS notice_column, v.number AS number, v.content_hash AS content_hash,'
                " l.language AS language, l.measures AS measures, p.published_at AS published_at"
                " FROM publications p"
                " JOIN language_versions l ON l.id = p.language_version_id"
                " JOIN notice_versions v ON v.id = l.version_id"
                " JOIN notices n ON n.id = v.notice_id"
                " WHERE p.state = 'published' AND l.language <> 'zh' AND l.measures IS NOT NULL"
            )
        )
        .all()
    )
    first: dict[int, datetime] = {}
    latest: dict[tuple[int, str], sa.Row] = {}  # type: ignore[type-arg]
    for row in rows:
        at = row.published_at
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
        first[row.notice_id] = min(first.get(row.notice_id, at), at)
        key = (row.notice_id, row.language)
        if key not in latest or row.number > latest[key].number:
            latest[key] = row
    now = datetime.now(UTC)
    values = []
    leads: set[int] = set()
    for (notice_id, language), row in sorted(latest.items()):
        day = first[notice_id].astimezone(ZoneInfo("Asia/Shanghai")).date()
        # A JSON column read through text() arrives as a string on SQLite, decoded on PostgreSQL.
        measures = json.loads(row.measures) if isinstance(row.measures, str) else row.measures
        values.append(
            {
                "notice_key": row.notice_key,
                "notice_id": notice_id,
                "language": language,
                "title": row.title,
                "column": row.notice_column,
                "published_on": day,
                "year": day.year,
                "month": day.month,
                "version": row.number,
                "source": f"version {row.number}",
                "content_hash": row.content_hash,
                **{name: int(measures.get(name, 0)) for name in MEASURES},
                "lead": notice_id not in leads,
                "state": "counted",
                "updated_at": now,
            }
        )
        leads.add(notice_id)
    if values:
        op.bulk_insert(counted, values)


def downgrade() -> None:
    with op.batch_alter_table("counted_texts", schema=None) as batch_op:
        batch_op.drop_index("ix_counted_texts_report")
        batch_op.drop_index(batch_op.f("ix_counted_texts_notice_id"))
    op.drop_table("counted_texts")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_column("retraction_reason")
        batch_op.drop_column("retracted_by")
        batch_op.drop_column("retracted_at")
