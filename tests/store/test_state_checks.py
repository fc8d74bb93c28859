"""Every state column holds only its enum's values: the database refuses any other (migration 0008)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import CheckConstraint, Engine, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.states import (
    BroadcastState,
    ChannelState,
    CountedState,
    Decision,
    LanguageState,
    VersionState,
    WeChatPostState,
)
from store.db import alembic_config, transaction, upgrade_to_head
from store.models import (
    Base,
    CountedText,
    LanguageVersion,
    Notice,
    NoticeVersion,
    Publication,
    Review,
    WeChatPost,
)
from tests.conftest import empty_database

# Each state column (as table.column) and the enum of the states it may hold.
STATE_COLUMNS = {
    "notice_versions.state": VersionState,
    "language_versions.state": LanguageState,
    "reviews.decision": Decision,
    "publications.state": ChannelState,
    "wechat_posts.state": WeChatPostState,
    "counted_texts.state": CountedState,
}
# State columns of tables made after migration 0008, each checked by the migration that made it.
LATER_STATE_COLUMNS = {"wechat_broadcasts.state": BroadcastState}
UNKNOWN = "no such state"


def add_one_of_each(session: Session, unknown_in: str = "") -> None:
    """A notice with one row in every table that has a state column; ``unknown_in`` gets UNKNOWN."""

    def state(column: str, known: str) -> str:
        return UNKNOWN if column == unknown_in else known

    notice = Notice(key="k", title="通知", column="要闻动态", category="动态类")
    session.add(notice)
    session.flush()
    version = NoticeVersion(
        notice_id=notice.id,
        number=1,
        content_hash="h",
        source_path="notice.md",
        title="通知",
        body="正文。",
        front_matter={},
        formed_on=date(2026, 1, 5),
        urgency="normal",
        languages=["en"],
        channels=["site", "wechat"],
        state=state("notice_versions.state", VersionState.IN_REVIEW),
        queued_by="编辑甲",
    )
    session.add(version)
    session.flush()
    # Named columns only (as for counted texts below): a database at 0007 has no usage columns (0011).
    lang_id = session.execute(
        insert(LanguageVersion)
        .values(
            version_id=version.id,
            language="en",
            state=state("language_versions.state", LanguageState.PUBLISHED),
            updated_at=datetime(2026, 1, 5),
        )
        .returning(LanguageVersion.id)
    ).scalar_one()
    session.add_all(
        [
            Review(
                language_version_id=lang_id,
                reviewer="审校乙",
                decision=state("reviews.decision", Decision.APPROVED),
            ),
            Publication(
                language_version_id=lang_id,
                channel="site",
                state=state("publications.state", ChannelState.PUBLISHED),
            ),
            WeChatPost(
                language_version_id=lang_id,
                state=state("wechat_posts.state", WeChatPostState.PUBLISHED),
            ),
        ]
    )
    # Named columns only: the rows are also written into a database at 0007, before counted texts
    # had the measure `words` (0010), and an ORM object would insert every column the model has.
    session.execute(
        insert(CountedText).values(
            notice_key="k",
            notice_id=notice.id,
            language="en",
            title="通知",
            column="要闻动态",
            published_on=date(2026, 1, 5),
            year=2026,
            month=1,
            version=1,
            source="version 1",
            content_hash="h",
            latin_words=1,
            cjk_characters=0,
            characters_no_spaces=1,
            korean_words=0,
            lead=True,
            state=state("counted_texts.state", CountedState.COUNTED),
            updated_at=datetime(2026, 1, 5, tzinfo=UTC),
        )
    )
    session.flush()


def test_rows_in_known_states_are_stored(database_url: str) -> None:
    """Guards the test below: the rows it writes are refused for their one unknown state only."""
    empty_database(database_url)
    with transaction(database_url) as session:
        add_one_of_each(session)
    with transaction(database_url) as session:
        assert session.scalars(select(LanguageVersion.state)).one() == LanguageState.PUBLISHED


@pytest.mark.parametrize("column", STATE_COLUMNS)
def test_a_state_no_enum_knows_is_refused_by_the_database(database_url: str, column: str) -> None:
    empty_database(database_url)
    refused = pytest.raises(IntegrityError, match=f"ck_{column.replace('.', '_')}")
    with refused, transaction(database_url) as session:
        add_one_of_each(session, unknown_in=column)
    with transaction(database_url) as session:
        assert (
            session.scalars(select(LanguageVersion.state)).all() == []
        )  # the whole transaction was undone


def test_the_database_checks_exactly_the_states_of_the_enums(engine: Engine) -> None:
    upgrade_to_head(engine)
    inspector = inspect(engine)
    for column, states in STATE_COLUMNS.items():
        table, name = column.split(".")
        [check] = inspector.get_check_constraints(table)
        assert check["name"] == f"ck_{table}_{name}"
        # PostgreSQL hands the condition back rewritten ('a'::character varying ...): compare values.
        assert re.findall(r"'([^']*)'", check["sqltext"]) == [state.value for state in states]


def test_the_models_declare_the_same_checks(engine: Engine) -> None:
    """So a schema made from the models (create_all) refuses the same states as a migrated one."""
    declared = {
        f"{table.name}.{constraint.name.removeprefix(f'ck_{table.name}_')}": re.findall(
            r"'([^']*)'", str(constraint.sqltext)
        )
        for table in Base.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint) and isinstance(constraint.name, str)
    }
    assert declared == {
        column: [state.value for state in states]
        for column, states in {**STATE_COLUMNS, **LATER_STATE_COLUMNS}.items()
    }


def test_a_database_with_rows_takes_the_checks_and_keeps_its_rows(
    engine: Engine, empty_url: str
) -> None:
    """On SQLite each table is copied; rows referring to it (foreign keys enforced) stay intact."""
    command.upgrade(alembic_config(empty_url), "0007")
    with Session(engine) as session, session.begin():
        add_one_of_each(session)

    upgrade_to_head(engine)

    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("notices", "notice_versions", "language_versions", "reviews")
        }
        assert counts == dict.fromkeys(counts, 1)
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(f"UPDATE language_versions SET state = '{UNKNOWN}'"))

    command.downgrade(alembic_config(empty_url), "0007")
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE language_versions SET state = '{UNKNOWN}'"))


def test_an_unknown_stored_state_stops_the_upgrade_and_is_named(
    engine: Engine, empty_url: str
) -> None:
    command.upgrade(alembic_config(empty_url), "0007")
    with Session(engine) as session, session.begin():
        add_one_of_each(session, unknown_in="publications.state")

    with pytest.raises(RuntimeError) as refused:
        upgrade_to_head(engine)

    assert f"publications.state holds '{UNKNOWN}' in 1 row(s)" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert inspect(engine).get_check_constraints("notice_versions") == []
