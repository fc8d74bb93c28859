"""One engine and one session factory per process; migrations to head on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Engine, Update, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets readers work while a flow writes; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """A new engine for ``url``; SQLite files get their folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    """Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    url = engine.url.render_as_string(hide_password=False)
    config = alembic_config(url)
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == head:
        return
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A migration that copies a table (batch mode) drops the old one, which SQLite refuses
            # while rows of other tables refer to it and foreign keys are enforced. The switch
            # only works outside a transaction: off before the migrations, checked, then on again.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    _refuse_broken_references(connection)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _refuse_broken_references(connection: Connection) -> None:
    """Undo the migrations (by raising) if, with foreign keys unchecked, a row lost its parent."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        listed = "; ".join(f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in broken)
        raise RuntimeError(
            f"the migrations left rows whose referenced row is missing ({listed}); nothing was "
            "changed: report this with the database file"
        )


_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def engine_for(url: str) -> Engine:
    """The process-wide engine for ``url``, migrated to head on first use."""
    if url not in _engines:
        engine = make_engine(url)
        upgrade_to_head(engine)
        _engines[url] = engine
    return _engines[url]


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    if url not in _factories:
        _factories[url] = sessionmaker(engine_for(url), expire_on_commit=False)
    with _factories[url].begin() as session:
        yield session


def reset_caches() -> None:
    """Dispose of every engine (tests switch databases; forked processes must not share sockets)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
    _factories.clear()


def updated_rows(session: Session, statement: Update) -> int:
    """Run a conditional UPDATE and say how many rows it changed (0: someone got there first)."""
    result = session.execute(statement)
    return int(cast("CursorResult[Any]", result).rowcount)


def forget_engine(url: str) -> None:
    """Dispose of the cached engine for one URL (a test drops that database afterwards)."""
    engine = _engines.pop(url, None)
    _factories.pop(url, None)
    if engine is not None:
        engine.dispose()
