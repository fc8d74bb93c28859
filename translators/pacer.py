"""One engine's requests in time cells granted by a ceiling shared with other processes.

A ceiling (in waiwen a Prefect global concurrency limit of `batch_size(rate)` slots that drain in
`drain_seconds(rate)`) grants a process a batch of slots only once the previous batch, whoever took
it, has drained. The pacer lays a granted batch out as cells `spacing(rate)` apart from the moment
of the grant, which lies between the ask leaving and its answer: cell k opens k spacings after the
answer and closes `TOLERANCE_SECONDS` later; the last `rate` cells, which lie within a second of
the next batch, close `TOLERANCE_SECONDS` after k spacings from the ask (an answer slower than the
tolerance leaves them no time). A request leaves in a free cell, and a cell nobody used by then
is given up, never sent late.

Two rules keep the engine at or under its rate in any one second, for a whole number of requests
a second. Across batches (and so across processes): the next batch is granted a whole drain after
this one, `batch` spacings plus the tolerance, so however late in its cell a request left, `rate`
spacings always lie between it and the `rate`-th request after it. Within this process: a request
never leaves sooner than `rate` spacings after the `rate`-th request before it, so one request
that left late in its cell does not bring the next ones closer. `rate` spacings are a second and
`GUARD_SECONDS`, for requests that reach the engine unevenly after they leave.

A batch is several seconds of requests because each ask costs: the ceiling's drain adds the
tolerance once a batch, and each ask is a write to Prefect's database (on SQLite, one that may
meet a lock). A process that was granted a batch asks for the next one `MARGIN_SECONDS` and a
random part of `RETRY_SECONDS` after the ceiling has drained, so that processes asking at the same
time share the ceiling. Before it asks, it reads when the ceiling will have drained
(`until_drained`) and, if another process holds it, asks as that one will, at the drain and a
random part of `RETRY_SECONDS`: Prefect counts a limit's drained slots from its last change,
and a refused ask is a change, so an ask refused while another process holds a batch would hold
that batch for a whole drain more (two processes asking in turn would hold it for ever). Only two
asks at the same moment can still meet a refusal, which costs the winner almost nothing; the loser
reads when the winner's batch drains and asks then. Prefect's own advice to a refused client, a Retry-After that grows
with every refused slot (seconds), left the engine idle.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable

__all__ = [
    "BATCH_SECONDS",
    "GUARD_SECONDS",
    "MARGIN_SECONDS",
    "RETRY_SECONDS",
    "TOLERANCE_SECONDS",
    "Pacer",
    "batch_size",
    "ceiling_rate",
    "drain_seconds",
    "spacing",
]

# Seconds of requests asked for at once: five asks fewer than one a second, and the tolerance
# paid once in five seconds (bench/RESULTS.md "Drafting at the engine's limit").
BATCH_SECONDS = 5.0
# How late a request may leave after its cell (later, the cell is given up); for a batch's last
# second counted from when the ask left, so a slow answer uses up some of it there, and an answer
# slower than all of it leaves that second unused.
TOLERANCE_SECONDS = 0.12
# How unevenly requests may reach the engine after they leave: tens of milliseconds on a busy
# machine (bench/RESULTS.md "Drafting at the engine's limit").
GUARD_SECONDS = 0.06
RETRY_SECONDS = 0.05
# Asked this much after the ceiling should have drained: its whole slots, counted in floating point
# on the server, must have drained by then.
MARGIN_SECONDS = 0.01


def batch_size(rate: float) -> int:
    """Slots asked of the ceiling at a time: `BATCH_SECONDS` of requests, at least one."""
    return max(1, round(rate * BATCH_SECONDS))


def spacing(rate: float) -> float:
    """Seconds between two cells: `rate` of them span a second and the guard."""
    return (1.0 + GUARD_SECONDS) / rate


def drain_seconds(rate: float) -> float:
    """Seconds the ceiling takes to free a batch: its cells' span and the tolerance."""
    return batch_size(rate) * spacing(rate) + TOLERANCE_SECONDS


def ceiling_rate(rate: float) -> float:
    """Slots a second the ceiling frees (the share of `rate` the pacer can reach, times `rate`)."""
    return batch_size(rate) / drain_seconds(rate)


class Pacer:
    """Blocks each caller until its request may leave: at most `rate` requests in any second."""

    def __init__(
        self,
        rate: float,
        take: Callable[[int], bool],
        *,
        until_drained: Callable[[], float | None] = lambda: None,
        give_back: Callable[[int], None] = lambda _slots: None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        share: Callable[[], float] = random.random,
    ) -> None:
        """`take(slots)` asks the ceiling once (True: granted); `until_drained()` reads the seconds
        until it has drained (None: not known); `give_back(slots)` returns slots to it;
        `clock`, `sleep`, `share`: the test's."""
        if rate <= 0:
            raise ValueError(f"requests a second must be above 0, got {rate}")
        self.rate = rate
        self.batch = batch_size(rate)
        self.spacing = spacing(rate)
        self._take = take
        self._until_drained = until_drained
        self._give_back = give_back
        self._held_until = float("-inf")  # when the batch this process was granted drains
        self._share = share
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._cells: deque[tuple[float, float]] = deque()  # (from, until), earliest first
        self._next_ask = float("-inf")
        # The last `per_second` departures: the next one waits `per_second` spacings after the first.
        self._per_second = max(1, math.floor(rate))
        self._sent: deque[float] = deque(maxlen=self._per_second)
        self._apart = self._per_second * self.spacing
        # What became of the batches and their cells: what a run's figures are read against.
        self.counts: Counter[str] = Counter()
        # When each request left, if a list is set here (a benchmark's figures).
        self.departures: list[float] | None = None

    def wait(self) -> None:
        """Return when this caller's request may leave (callers are served one at a time)."""
        with self._lock:
            while True:
                now = self._clock()
                while self._cells and now > self._cells[0][1]:
                    self._cells.popleft()  # nobody asked in time: given up, never sent late
                    self.counts["cells given up"] += 1
                if self._cells:
                    opens, closes = self._cells[0]
                    if len(self._sent) == self._per_second:
                        opens = max(opens, self._sent[0] + self._apart)
                    if opens > closes:
                        self._cells.popleft()  # a late request before it leaves it no time
                        self.counts["cells given up"] += 1
                    elif now >= opens:
                        self._cells.popleft()
                        self._sent.append(now)
                        self.counts["requests"] += 1
                        if self.departures is not None:
                            self.departures.append(now)
                        return
                    else:
                        self._sleep(opens - now)
                elif now < self._next_ask:
                    self._sleep(self._next_ask - now)
                else:
                    # Asked only once the ceiling is read as drained: a refused ask would start
                    # its drain again (see the module's docstring).
                    pause = self._until_drained()
                    if pause:  # held by another process: ask as it drains, as the holder will
                        self._next_ask = self._clock() + pause + self._after_drain()
                    else:
                        self._ask()

    def _ask(self) -> None:
        asked = self._clock()
        granted = self._take(self.batch)
        at = self._clock()
        if not granted:
            # Another process asked first, or the server was busy: ask again once the ceiling has
            # drained what it holds (a whole drain if it cannot be read).
            self.counts["asks refused"] += 1
            pause = self._until_drained()
            if pause is None:
                pause = drain_seconds(self.rate)
            self._next_ask = (
                self._clock() + max(pause, RETRY_SECONDS) + self._share() * RETRY_SECONDS
            )
            return
        self.counts["batches"] += 1
        # The ceiling granted the batch at some moment between `asked` and `at`. Only a batch's
        # first and last `per_second` cells lie within a second of another batch's: a first cell
        # opens no sooner than the grant could have been (`at`), a last one closes no later than
        # it could have been (`asked`) plus the tolerance, so every process keeps to the
        # ceiling's timeline. The cells between are held apart by this process's own rule alone.
        last = self.batch - self._per_second
        slow = at - asked > TOLERANCE_SECONDS
        if slow:
            self.counts["answers slower than the tolerance"] += 1
        for index in range(self.batch):
            offset = index * self.spacing
            if index < last:
                self._cells.append((at + offset, at + offset + TOLERANCE_SECONDS))
            elif not slow:
                self._cells.append((at + offset, asked + offset + TOLERANCE_SECONDS))
            else:
                self.counts["cells given up"] += 1  # a slow answer leaves the last ones no time
        # The ceiling has drained this batch by then (the grant left it no sooner than `at`). A
        # random part of the retry pause later: asking right at that moment would win the next
        # batch every time, and another process asking again every `RETRY_SECONDS` would starve.
        self._held_until = at + drain_seconds(self.rate)
        self._next_ask = self._held_until + self._after_drain()

    def release(self) -> None:
        """Give back a batch this process holds and will not use (it is done, e.g. exiting).

        Another process may then be granted a batch at once rather than after the drain; its
        first request leaves no sooner than `rate` spacings after this one's last (waited for
        here), so no second holds requests of both.
        """
        with self._lock:
            now = self._clock()
            if now >= self._held_until - MARGIN_SECONDS:
                return  # nothing held, or drained by the time it could be given back
            if self._sent:
                self._sleep(max(0.0, self._sent[-1] + self._apart - now))
            self._give_back(self.batch)
            self._cells.clear()
            self._held_until = self._next_ask = float("-inf")

    def _after_drain(self) -> float:
        """When to ask after the ceiling should have drained: a margin and a random share."""
        return MARGIN_SECONDS + self._share() * RETRY_SECONDS
