"""Requests to each engine, capped by a Prefect global concurrency limit and paced in this process.

Prefect's global limit (created by waiwen, strict: a missing limit is an error, not a bypass) is the
ceiling across every process. Asking it for one slot per request was measured to leave a 10
requests/s limit about a quarter used: each ask is an HTTP call, and the server answers competing
asks with Retry-After delays that grow with the number of denied slots. So a process takes slots in
batches of half a second's worth and hands them out to its threads spaced 1/rate apart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

BATCH_SECONDS = 0.5


def rate_limit_name(engine_id: str) -> str:
    """Name of the Prefect global concurrency limit that caps requests to one engine."""
    return f"waiwen-engine-{engine_id}"


def batch_size(rate: float) -> int:
    """Slots taken from Prefect at a time: half a second of requests, at least one."""
    return max(1, round(rate * BATCH_SECONDS))


def limit_slots(rate: float) -> int:
    """Size of the Prefect limit: two batches, so a batch asked for on time is never refused."""
    return 2 * batch_size(rate)


@dataclass
class _Pace:
    spacing: float
    batch: int
    lock: threading.Lock
    tokens: int = 0
    next_send: float = 0.0


class EngineThrottle:
    """Blocks each caller until its request to an engine may be sent."""

    def __init__(self, rates: dict[str, float]) -> None:
        self._paces = {
            engine_id: _Pace(1.0 / rate, batch_size(rate), threading.Lock())
            for engine_id, rate in rates.items()
            if rate > 0
        }

    def __call__(self, engine_id: str) -> None:
        """Wait for this request's turn; take a new batch of slots from Prefect when needed."""
        from prefect.concurrency.sync import rate_limit

        pace = self._paces.get(engine_id)
        if pace is None:
            raise ValueError(
                f"no rate limit configured for engine {engine_id!r} (WAIWEN_ENGINE_RATE_LIMITS)"
            )
        with pace.lock:
            wait = pace.next_send - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if pace.tokens == 0:
                rate_limit(rate_limit_name(engine_id), occupy=pace.batch, strict=True)
                pace.tokens = pace.batch
            pace.tokens -= 1
            pace.next_send = max(time.monotonic(), pace.next_send) + pace.spacing


_throttles: dict[tuple[tuple[str, float], ...], EngineThrottle] = {}


def throttle_for(rates: dict[str, float]) -> EngineThrottle:
    """One throttle per process (per configured rates), shared by every flow and thread."""
    key = tuple(sorted(rates.items()))
    if key not in _throttles:
        _throttles[key] = EngineThrottle(rates)
    return _throttles[key]
