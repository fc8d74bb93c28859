"""Wall-clock time limits for blocking calls into libraries that set none (deep-translator)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

__all__ = ["bounded_call", "call_with_timeout"]

T = TypeVar("T")

# Why threads and not a socket timeout: deep-translator calls module-level
# `requests.post` without `timeout=`, and the only ways to give it one are to
# patch `requests` or the library, which the project forbids. So the call runs
# on a worker thread and the caller waits at most `timeout` seconds.
#
# The trade-off: Python cannot kill a thread, so after a timeout the worker
# stays blocked until the server answers or drops the connection. The pool is
# therefore small and bounded: a hung server can tie up at most
# `_MAX_WORKERS` threads, and further calls queue and time out as well (which
# is the right answer: the engine is unavailable). Calls still queued when
# their caller gives up are cancelled so they never reach the server. Each
# engine gets its own pool, so a hung engine cannot starve the engine the
# chain falls back to.
#
# Why not ThreadPoolExecutor: its workers are joined at interpreter exit, so
# one hung request would keep the whole process from exiting. These workers
# are daemon threads.
_MAX_WORKERS = 16


class _DaemonPool:
    """A minimal bounded pool of daemon worker threads."""

    def __init__(self, max_workers: int) -> None:
        self._max_workers = max_workers
        self._work: queue.SimpleQueue[tuple[Future[object], Callable[[], object]]] = (
            queue.SimpleQueue()
        )
        self._idle = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._threads = 0

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        self._work.put((future, fn))  # type: ignore[arg-type]
        self._ensure_worker()
        return future

    def _ensure_worker(self) -> None:
        # Reuse an idle worker if there is one; otherwise grow up to the bound.
        if self._idle.acquire(blocking=False):
            return
        with self._lock:
            if self._threads >= self._max_workers:
                return
            self._threads += 1
            name = f"waiwen-engine-{self._threads}"
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        while True:
            future, fn = self._work.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn())
                except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                    future.set_exception(exc)
            self._idle.release()


_pools: dict[str, _DaemonPool] = {}
_pools_lock = threading.Lock()


def _pool_for(name: str) -> _DaemonPool:
    with _pools_lock:
        if name not in _pools:
            _pools[name] = _DaemonPool(_MAX_WORKERS)
        return _pools[name]


def call_with_timeout(fn: Callable[[], T], timeout: float, *, pool: str) -> T:
    """Run `fn` on a daemon worker of the named pool; TimeoutError after `timeout` seconds."""
    future = _pool_for(pool).submit(fn)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()  # only succeeds if it has not started: then it never will
        raise TimeoutError(f"no result within {timeout:g} s") from None


def bounded_call(
    engine_id: str,
    where: str,
    timeout: float,
    work: Callable[[], T],
    map_error: Callable[[Exception], Exception],
) -> T:
    """Run one provider call within `timeout` on the engine's pool; every failure mapped.

    A timeout is EngineUnavailable naming the endpoint; any other exception goes through
    `map_error` and is raised `from None`, since a client's own exception may quote a key.
    """
    from translators.errors import EngineUnavailable

    try:
        return call_with_timeout(work, timeout, pool=engine_id)
    except TimeoutError:
        raise EngineUnavailable(engine_id, f"no answer from {where} within {timeout:g} s") from None
    except Exception as exc:  # noqa: BLE001 - every failure is mapped
        raise map_error(exc) from None
