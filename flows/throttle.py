"""Requests to each engine, capped by a Prefect global concurrency limit and paced in this process.

Prefect's global limit (created by waiwen, strict: a missing limit is an error, not a bypass) is the
ceiling across every process and worker. Asking it for one slot per request was measured to leave a
10 requests/s limit about a quarter used, and taking half a second's worth at a time from a limit of
two batches left it at two thirds: an ask made a few milliseconds early was refused, and Prefect's
client then slept the server's Retry-After (about two seconds, bench/RESULTS.md "Drafting") while
no request left. So the limit holds one second's worth of slots, a process asks again only once
the previous batch has drained, a refused ask is asked again 0.05 s later (`RETRY_SECONDS`), and
the granted slots are laid out 1/rate apart (translators/pacer.py): the engine sees at most its
rate in any one second, from every process together.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from translators.pacer import Pacer, batch_size, ceiling_rate

__all__ = ["EngineThrottle", "limit_slots", "rate_limit_name", "slot_decay", "throttle_for"]

# Answers meaning "not now": the limit is full (423 Locked) or the server is busy.
BUSY_STATUSES = frozenset({423, 429, 502, 503})
# An ask holds every request to its engine: one the server does not answer quickly is asked again.
ASK_TIMEOUT_SECONDS = 5.0
# Asks in a row that got no answer before the pacer gives up and the request fails.
UNANSWERED_ASKS = 12


def rate_limit_name(engine_id: str) -> str:
    """Name of the Prefect global concurrency limit that caps requests to one engine."""
    return f"waiwen-engine-{engine_id}"


def limit_slots(rate: float) -> int:
    """Size of the Prefect limit: one batch, so a second batch is granted only once the first drained."""
    return batch_size(rate)


def slot_decay(rate: float) -> float:
    """Slots a second the Prefect limit frees (a little under `rate`: the pacer's tolerance)."""
    return ceiling_rate(rate)


class _PrefectCeiling:
    """Asks one Prefect global limit for slots once, without Prefect's Retry-After sleep."""

    def __init__(self, engine_id: str) -> None:
        self.engine_id = engine_id
        self.name = rate_limit_name(engine_id)
        self._client: Any = None
        self._lock = threading.Lock()
        self._unanswered = 0

    def __call__(self, slots: int) -> bool:
        """True when the server granted `slots`; False when it refused them for now.

        Refused for now: the limit is full (HTTP 423), or the server is busy (429, 502, 503: on
        SQLite "database is locked"). Prefect's client would sleep seconds before its own retry
        of a busy answer while the engine waits; the pacer asks again `RETRY_SECONDS` later.
        """
        with self._lock:
            if self._client is None:
                from prefect.client.orchestration import get_client

                # One client for the process's lifetime: a new one per ask costs time every batch.
                self._client = get_client(sync_client=True).__enter__()
            http = self._client._client
        request = http.build_request(
            "POST",
            "/v2/concurrency_limits/increment",
            json={"names": [self.name], "slots": slots, "mode": "rate_limit"},
            timeout=ASK_TIMEOUT_SECONDS,
        )
        try:
            # httpx's own send: the request once, with the Prefect client's address and headers.
            response = httpx.Client.send(http, request)
        except (httpx.TimeoutException, httpx.RemoteProtocolError) as exc:
            self._unanswered += 1
            if self._unanswered >= UNANSWERED_ASKS:
                raise RuntimeError(
                    f"the Prefect server did not answer {self._unanswered} asks in a row for "
                    f"slots of {self.name!r}: {exc!r}"
                ) from exc
            return False
        self._unanswered = 0
        if response.status_code in BUSY_STATUSES:
            return False
        response.raise_for_status()
        if not response.json():
            raise ValueError(
                f"no Prefect global concurrency limit {self.name!r} for engine "
                f"{self.engine_id!r}: `waiwen up` or `waiwen run` creates it from "
                "WAIWEN_ENGINE_RATE_LIMITS"
            )
        return True


class EngineThrottle:
    """Blocks each caller until its request to an engine may be sent."""

    def __init__(self, rates: dict[str, float]) -> None:
        self._pacers = {
            engine_id: Pacer(rate, _PrefectCeiling(engine_id))
            for engine_id, rate in rates.items()
            if rate > 0
        }

    def __call__(self, engine_id: str) -> None:
        """Wait for this request's turn; take a new batch of slots from Prefect when needed."""
        pacer = self._pacers.get(engine_id)
        if pacer is None:
            raise ValueError(
                f"no rate limit configured for engine {engine_id!r} (WAIWEN_ENGINE_RATE_LIMITS)"
            )
        pacer.wait()


_throttles: dict[tuple[tuple[str, float], ...], EngineThrottle] = {}
_throttles_lock = threading.Lock()


def throttle_for(rates: dict[str, float]) -> EngineThrottle:
    """One throttle per process (per configured rates), shared by every flow and thread."""
    key = tuple(sorted(rates.items()))
    with _throttles_lock:
        if key not in _throttles:
            _throttles[key] = EngineThrottle(rates)
        return _throttles[key]
