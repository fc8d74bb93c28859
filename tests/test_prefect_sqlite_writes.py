"""The Prefect server waiwen starts begins its SQLite write transactions IMMEDIATE (flows/prefect_launch.py).

Each test runs Prefect's own SQLite configuration (WAL, its busy timeout) on a file: a transaction
reads, another connection writes, then the first writes. Begun DEFERRED, as Prefect begins it,
the first one's write is refused at once ("database is locked": the 503s of bench/RESULTS.md);
begun IMMEDIATE, the other writer waits and both writes land.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from prefect.server.database.configurations import AioSqliteConfiguration
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from flows.prefect_launch import begin_writes_immediately


def _other_connection_adds_a_row(path: Path) -> None:
    """A second writer, as another request of the server would be: waits up to 30 s for the lock."""
    connection = sqlite3.connect(path, timeout=30)
    try:
        connection.execute("INSERT INTO slots (held) VALUES (100)")
        connection.commit()
    finally:
        connection.close()


async def _read_then_write(
    path: Path, other_writer: threading.Thread, *, other_done_first: bool
) -> None:
    """Read a row in a transaction of Prefect's configuration; meanwhile `other_writer` writes
    (finished before ours when `other_done_first`); then write the row."""
    config = AioSqliteConfiguration(connection_url=f"sqlite+aiosqlite:///{path}")
    engine = await config.engine()
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE slots (id INTEGER PRIMARY KEY, held INT)"))
            await connection.execute(text("INSERT INTO slots (held) VALUES (0)"))
        session = await config.session(engine)
        async with session, config.begin_transaction(session):
            await session.execute(text("SELECT held FROM slots WHERE id = 1"))
            other_writer.start()
            if other_done_first:
                other_writer.join()
            await session.execute(text("UPDATE slots SET held = held + 1 WHERE id = 1"))
    finally:
        await engine.dispose()


def _rows(path: Path) -> list[tuple[int, int]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT id, held FROM slots ORDER BY id").fetchall()
    finally:
        connection.close()


def test_prefects_deferred_write_after_another_writer_is_refused(tmp_path: Path) -> None:
    """What the change is for: the read-then-write transaction Prefect begins DEFERRED fails."""
    path = tmp_path / "prefect.db"
    writer = threading.Thread(target=_other_connection_adds_a_row, args=(path,))
    with pytest.raises(OperationalError, match="database is locked"):
        asyncio.run(_read_then_write(path, writer, other_done_first=True))
    assert _rows(path) == [(1, 0), (2, 100)]  # the other write landed, ours did not


def test_begun_immediately_both_writes_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Restored after the test: the change is meant for the server's own process only.
    monkeypatch.setattr(
        AioSqliteConfiguration, "begin_transaction", AioSqliteConfiguration.begin_transaction
    )
    begin_writes_immediately()
    begin_writes_immediately()  # once is enough; a second call changes nothing
    path = tmp_path / "prefect.db"
    writer = threading.Thread(target=_other_connection_adds_a_row, args=(path,))
    # The other writer cannot finish first now: it waits for our transaction's lock.
    asyncio.run(_read_then_write(path, writer, other_done_first=False))
    writer.join()
    assert _rows(path) == [(1, 1), (2, 100)]


def test_a_prefect_without_the_expected_method_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def begin_transaction(self: object, session: object) -> None:
        raise AssertionError("not called")

    monkeypatch.setattr(AioSqliteConfiguration, "begin_transaction", begin_transaction)
    with pytest.raises(RuntimeError, match="AioSqliteConfiguration.begin_transaction"):
        begin_writes_immediately()
