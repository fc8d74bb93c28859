"""The migrations build, on an empty database, exactly the schema the models describe."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, Table, create_engine, inspect, text
from sqlalchemy.engine import make_url

from store.db import alembic_config, forget_engine, make_engine, upgrade_to_head
from store.models import Base


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    base = os.environ.get("WAIWEN_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"waiwen_migrate_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        forget_engine(url)  # the cached engine's pooled connections would block the drop
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    yield engine
    engine.dispose()  # before the database is dropped


def head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def differences(engine: Engine, metadata: MetaData) -> list:
    with engine.connect() as connection:
        return compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), metadata
        )


def schema(engine: Engine) -> dict:
    """Tables with their columns, indexes, unique constraints and foreign keys, as the database reports them."""
    inspector = inspect(engine)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted(str(sorted(i.items())) for i in inspector.get_indexes(table)),
            sorted(str(sorted(u.items())) for u in inspector.get_unique_constraints(table)),
            sorted(str(sorted(f.items())) for f in inspector.get_foreign_keys(table)),
        )
        for table in sorted(inspector.get_table_names())
    }


def test_an_empty_database_upgrades_to_head_with_every_model_table(engine: Engine) -> None:
    assert inspect(engine).get_table_names() == []
    assert revision(engine) is None

    upgrade_to_head(engine)

    assert revision(engine) == head()
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    upgrade_to_head(engine)

    assert differences(engine, Base.metadata) == []


def test_the_comparison_would_see_a_model_the_migrations_lack(engine: Engine) -> None:
    """Guards the test above: compare_metadata really looks at this database."""
    upgrade_to_head(engine)
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("not_migrated", metadata, Column("id", Integer, primary_key=True))
    metadata.tables["notices"].append_column(Column("not_migrated_either", Integer))

    found = differences(engine, metadata)

    # ("add_table", Table) and ("add_column", schema, table name, Column)
    assert sorted((d[0], d[-1].name) for d in found) == [
        ("add_column", "not_migrated_either"),
        ("add_table", "not_migrated"),
    ]


def test_upgrading_twice_changes_nothing(engine: Engine, empty_url: str) -> None:
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('k', '{}', 'test', CURRENT_TIMESTAMP)"
            )
        )
    before = schema(engine)

    upgrade_to_head(engine)
    command.upgrade(alembic_config(empty_url), "head")  # alembic itself, outside waiwen's shortcut

    assert revision(engine) == head()
    assert schema(engine) == before
    with engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM settings")).scalars().all() == ["k"]
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
