"""One engine's requests in time cells granted by a ceiling shared with other processes.

A ceiling (in waiwen a Prefect global concurrency limit of `batch` slots that drain at
`ceiling_rate(rate)` a second) grants a process a batch of slots only once the previous batch,
whoever took it, has drained. The pacer lays a granted batch out as cells 1/rate apart from the
moment of the grant (which lies between the ask leaving and its answer: a cell opens 1/rate
steps after the answer and closes `TOLERANCE_SECONDS` after the same step from the ask); a
request leaves in a free cell, and a cell nobody used by then is given up. So every process's
requests keep to the grid of its own batch, and batches follow one another no sooner than
`batch / rate + TOLERANCE_SECONDS + GUARD_SECONDS` apart: for a whole number of requests a
second, requests that leave up to the tolerance late and reach the engine up to the guard
unevenly still arrive at most `rate` in any one second.

A refused ask is asked again after `RETRY_SECONDS`, not after the ceiling's advice: Prefect
advises a Retry-After that grows with every refused slot (seconds), which left the engine idle.
A process that was granted a batch asks for the next one a random part of `RETRY_SECONDS` after
the ceiling has drained, so that processes asking at the same time share the ceiling.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = [
    "BATCH_SECONDS",
    "GUARD_SECONDS",
    "RETRY_SECONDS",
    "TOLERANCE_SECONDS",
    "Pacer",
    "batch_size",
    "ceiling_rate",
]

BATCH_SECONDS = 1.0
# How late a request may leave after its cell, counted from when the ask for its batch left (later,
# the cell is given up); a slow answer to the ask uses up some of it.
TOLERANCE_SECONDS = 0.05
# A further pause between two batches for the time a request takes to reach the engine, which
# varies from one request to the next by tens of milliseconds on a busy machine (measured, bench/RESULTS.md "Drafting").
GUARD_SECONDS = 0.03
RETRY_SECONDS = 0.05


def batch_size(rate: float) -> int:
    """Slots asked of the ceiling at a time: a second's worth of requests, at least one."""
    return max(1, round(rate * BATCH_SECONDS))


def ceiling_rate(rate: float) -> float:
    """Slots a second the ceiling frees: one batch per its cells' span, tolerance and guard."""
    batch = batch_size(rate)
    return batch / (batch / rate + TOLERANCE_SECONDS + GUARD_SECONDS)


class Pacer:
    """Blocks each caller until its request may leave: at most `rate` requests in any second."""

    def __init__(
        self,
        rate: float,
        take: Callable[[int], bool],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        share: Callable[[], float] = random.random,
    ) -> None:
        """`take(slots)` asks the ceiling once (True: granted); `clock`, `sleep`, `share`: the test's."""
        if rate <= 0:
            raise ValueError(f"requests a second must be above 0, got {rate}")
        self.rate = rate
        self.batch = batch_size(rate)
        self._take = take
        self._share = share
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._cells: deque[tuple[float, float]] = deque()  # (from, until), earliest first
        self._next_ask = float("-inf")

    def wait(self) -> None:
        """Return when this caller's request may leave (callers are served one at a time)."""
        with self._lock:
            while True:
                now = self._clock()
                while self._cells and now > self._cells[0][1]:
                    self._cells.popleft()  # nobody asked in time: given up, never sent late
                if self._cells:
                    if now >= self._cells[0][0]:
                        self._cells.popleft()
                        return
                    self._sleep(self._cells[0][0] - now)
                elif now < self._next_ask:
                    self._sleep(self._next_ask - now)
                else:
                    self._ask()

    def _ask(self) -> None:
        asked = self._clock()
        granted = self._take(self.batch)
        at = self._clock()
        if not granted:
            self._next_ask = at + RETRY_SECONDS
            return
        # The ceiling granted the batch at some moment between `asked` and `at`: a cell opens
        # no sooner than the grant could have been (`at`) and closes no later than it could have
        # been (`asked`) plus the tolerance, so every process keeps to the ceiling's timeline.
        for index in range(self.batch):
            offset = index / self.rate
            if asked + offset + TOLERANCE_SECONDS >= at + offset:
                self._cells.append((at + offset, asked + offset + TOLERANCE_SECONDS))
        # The ceiling has drained this batch by then (the grant left it no sooner than `at`). A
        # random part of the retry pause later: asking right at that moment would win the next
        # batch every time, and another process asking again every `RETRY_SECONDS` would starve.
        drained = at + self.batch / ceiling_rate(self.rate)
        self._next_ask = drained + self._share() * RETRY_SECONDS
