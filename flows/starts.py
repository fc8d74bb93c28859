"""Flow runs of one dispatch created one after another, not at the same moment.

Prefect's server creates a flow run in a transaction that reads before it writes; on SQLite two
created at the same moment meet "database is locked" and one is answered 503 (the client asks
again, and the server logs an error). A dispatch that starts several flow runs at once lets each
start only when the one before it has begun its body: its run exists by then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

__all__ = ["flow_started", "one_after_another"]

T = TypeVar("T")
R = TypeVar("R")

_started: ContextVar[Callable[[], None] | None] = ContextVar("waiwen_flow_started", default=None)


def flow_started() -> None:
    """First in a flow's body: its run is created, so the dispatch may create the next one."""
    signal = _started.get()
    if signal is not None:
        signal()


def one_after_another(run: Callable[[T], R]) -> Callable[[T], R]:
    """`run(item)` (a flow call) that waits to be created until the previous one's body began."""
    creating = threading.Lock()

    def started_in_turn(item: T) -> R:
        creating.acquire()
        held = [True]

        def release() -> None:
            if held[0]:
                held[0] = False
                creating.release()

        token = _started.set(release)
        try:
            return run(item)
        finally:
            _started.reset(token)
            release()  # the run failed before its body: the next may still start

    return started_in_turn
