"""Runs Prefect's own command line (`python -m flows.prefect_launch server start ...`) for the
Prefect server waiwen starts, with one change on SQLite: every write transaction begins IMMEDIATE.

Why: Prefect's server begins most write transactions DEFERRED. In SQLite's WAL mode such a
transaction reads, and when another connection commits in between, its first write is refused at
once with "database is locked" (the busy timeout cannot help: waiting would not make its snapshot
current). Prefect answers 503. Measured in `python -m bench.drafting` on SQLite: about one ask in
forty for an engine's slots (read the limit, then write it) and flow runs created at the same
moment. Begun IMMEDIATE, a write transaction takes SQLite's write lock first and waits its turn
for up to the server's busy timeout (60 s); readers are not held up (WAL). Prefect does the same
itself where it asks for `with_for_update`. PostgreSQL is left as Prefect runs it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["begin_writes_immediately", "main"]


def begin_writes_immediately() -> None:
    """Make the SQLite configuration of Prefect's server begin every transaction it opens IMMEDIATE.

    Refuses, naming what it expected, when this Prefect no longer has the method it replaces.
    """
    from prefect.server.database.configurations import AioSqliteConfiguration

    original: Callable[..., Any] = AioSqliteConfiguration.begin_transaction
    if getattr(original, "_waiwen_immediate", False):
        return
    if "with_for_update" not in inspect.signature(original).parameters:
        raise RuntimeError(
            "this Prefect's AioSqliteConfiguration.begin_transaction takes no with_for_update: "
            "flows/prefect_launch.py does not know how to begin its SQLite writes IMMEDIATE"
        )

    def begin_transaction(self: Any, session: Any, with_for_update: bool = False) -> Any:
        return original(self, session, with_for_update=True)

    begin_transaction._waiwen_immediate = True  # type: ignore[attr-defined]
    AioSqliteConfiguration.begin_transaction = begin_transaction  # type: ignore[method-assign]


def main() -> None:
    """Prefect's command line, its SQLite write transactions begun IMMEDIATE."""
    begin_writes_immediately()
    from prefect.cli import app

    app()


if __name__ == "__main__":
    main()
