"""How many requests this process has in flight to one chat server, and how many tokens a minute they use.

A chat server answers a few requests at once (vLLM's batch, a provider's concurrency quota) and a
provider counts tokens a minute as well as requests (DeepSeek, DashScope and Azure OpenAI state
both). The gate holds both for every request of this process to one server and model, whoever sends
it: the engine's batches of every language and the AI second reader. Requests a second are the
shared engine limit's (`WAIWEN_ENGINE_RATE_LIMITS`, a Prefect global limit across processes).

Tokens are known only once the server has answered, so a request enters with an estimate and the
minute is corrected with what the server counted. A request dearer than the whole minute's budget
is let through alone once the minute is empty, so it is late but never stuck.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["RequestGate", "gate_for"]

WINDOW_SECONDS = 60.0


class RequestGate:
    """At most `concurrent` requests at once, and at most `tokens_per_minute` tokens in any minute."""

    def __init__(
        self,
        concurrent: int,
        tokens_per_minute: int = 0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`tokens_per_minute` 0: no token limit; `clock` and `sleep` are the test's to replace."""
        if concurrent < 1:
            raise ValueError(f"concurrent requests must be at least 1, got {concurrent}")
        if tokens_per_minute < 0:
            raise ValueError(f"tokens a minute must not be negative, got {tokens_per_minute}")
        self.concurrent = concurrent
        self.tokens_per_minute = tokens_per_minute
        self._slots = threading.BoundedSemaphore(concurrent)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._spent: deque[list[float]] = deque()  # [when, tokens], oldest first

    @contextmanager
    def admit(self, estimate: int) -> Iterator[Callable[[int], None]]:
        """Wait for a free request and for room for `estimate` tokens; yields `settle(tokens)`.

        Call `settle` with the tokens the server counted; a request that failed without an answer
        keeps its estimate, since the server may have spent it.
        """
        with self._slots:
            entry = self._reserve(max(0, estimate))

            def settle(tokens: int) -> None:
                with self._lock:
                    entry[1] = float(max(0, tokens))

            yield settle

    def _reserve(self, estimate: int) -> list[float]:
        while True:
            with self._lock:
                now = self._clock()
                while self._spent and self._spent[0][0] <= now - WINDOW_SECONDS:
                    self._spent.popleft()
                spent = sum(tokens for _, tokens in self._spent)
                if (
                    not self.tokens_per_minute
                    or not self._spent
                    or spent + estimate <= self.tokens_per_minute
                ):
                    entry = [now, float(estimate)]
                    self._spent.append(entry)
                    return entry
                wait = self._spent[0][0] + WINDOW_SECONDS - now
            self._sleep(max(wait, 0.01))


_gates: dict[tuple[str, str, int, int], RequestGate] = {}
_gates_lock = threading.Lock()


def gate_for(where: str, model: str, concurrent: int, tokens_per_minute: int) -> RequestGate:
    """The one gate of this process for a server and model (with these limits)."""
    key = (where, model, concurrent, tokens_per_minute)
    with _gates_lock:
        if key not in _gates:
            _gates[key] = RequestGate(concurrent, tokens_per_minute)
        return _gates[key]
