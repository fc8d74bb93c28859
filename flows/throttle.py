"""Requests to each engine, capped by a Prefect global concurrency limit and paced in this process.

Prefect's global limit (created by waiwen, strict: a missing limit is an error, not a bypass) is the
ceiling across every process and worker. Asking it for one slot per request was measured to leave a
10 requests/s limit about a quarter used, and taking half a second's worth at a time from a limit of
two batches left it at two thirds: an ask made a few milliseconds early was refused, and Prefect's
client then slept the server's Retry-After (about two seconds, bench/RESULTS.md "Drafting") while
no request left. So the limit holds one batch of slots (`translators.pacer.BATCH_SECONDS` of
requests), a process asks again only once the previous batch has drained, a refused ask is asked
again when a read of the limit says it will have drained (a refusal restarts Prefect's count of
drained slots, so quick re-asks would keep it full), and the granted slots are laid out in cells
a little over 1/rate apart (translators/pacer.py): the engine sees at most its rate in any one
second, from every process together.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from translators.pacer import Pacer, batch_size, ceiling_rate

__all__ = [
    "EngineThrottle",
    "limit_slots",
    "rate_limit_name",
    "release_engines",
    "slot_decay",
    "throttle_for",
]

logger = logging.getLogger(__name__)

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
        of a busy answer while the engine waits; the pacer decides when to ask again.
        """
        response = self._send(
            "POST",
            "/v2/concurrency_limits/increment",
            {"names": [self.name], "slots": slots, "mode": "rate_limit"},
        )
        if response is None or response.status_code in BUSY_STATUSES:
            return False
        response.raise_for_status()
        if not response.json():
            raise ValueError(self._missing())
        return True

    def give_back(self, slots: int) -> None:
        """Return slots to the limit (a batch this process will not use)."""
        response = self._send(
            "POST", "/v2/concurrency_limits/decrement", {"names": [self.name], "slots": slots}
        )
        if response is not None and response.status_code not in BUSY_STATUSES:
            response.raise_for_status()

    def until_drained(self) -> float | None:
        """Seconds until the limit holds no slot, read without changing it (None: no answer).

        Prefect drains a limit's slots from its last change (a grant, a refusal noted, a slot
        given back) and answers the whole slots still held. Most often the last change granted a
        whole batch, which drains `limit / decay` after it on the server's clock (this machine's,
        or one kept to it); whatever it was, what is held drains within one more slot's time.
        """
        response = self._send("GET", f"/v2/concurrency_limits/{quote(self.name, safe='')}", None)
        if response is None or response.status_code in BUSY_STATUSES:
            return None
        if response.status_code == 404:
            raise ValueError(self._missing())
        response.raise_for_status()
        limit = response.json()
        held, decay = limit["active_slots"], limit["slot_decay_per_second"]
        if held <= 0 or decay <= 0:
            return 0.0
        changed = datetime.fromisoformat(limit["updated"]).timestamp()
        whole_batch = changed + limit["limit"] / decay - time.time()
        # Never less than a slot's time: a clock a little ahead must not make the pacer spin.
        return max(min(whole_batch, (held + 1) / decay), 1 / decay)

    def _send(self, method: str, path: str, body: Any) -> httpx.Response | None:
        """One request with the Prefect client's address and headers; None when unanswered."""
        with self._lock:
            if self._client is None:
                from prefect.client.orchestration import get_client

                # One client for the process's lifetime: a new one per ask costs time every batch.
                self._client = get_client(sync_client=True).__enter__()
            http = self._client._client
        request = http.build_request(method, path, json=body, timeout=ASK_TIMEOUT_SECONDS)
        try:
            # httpx's own send: the request once, without the Prefect client's retries.
            response = httpx.Client.send(http, request)
        except httpx.TransportError as exc:
            # Also a kept-alive connection the server closed as this request went out: between
            # batches the connection is idle about as long as uvicorn keeps it (5 s).
            self._unanswered += 1
            if self._unanswered >= UNANSWERED_ASKS:
                raise RuntimeError(
                    f"the Prefect server did not answer {self._unanswered} asks in a row for "
                    f"slots of {self.name!r}: {exc!r}"
                ) from exc
            return None
        self._unanswered = 0
        return response

    def _missing(self) -> str:
        return (
            f"no Prefect global concurrency limit {self.name!r} for engine "
            f"{self.engine_id!r}: `waiwen up` or `waiwen run` creates it from "
            "WAIWEN_ENGINE_RATE_LIMITS"
        )


class EngineThrottle:
    """Blocks each caller until its request to an engine may be sent."""

    def __init__(self, rates: dict[str, float]) -> None:
        self._pacers = {
            engine_id: _paced(rate, _PrefectCeiling(engine_id))
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

    def counts(self) -> dict[str, dict[str, int]]:
        """Per engine, what became of its pacer's batches and cells (translators/pacer.py)."""
        return {engine_id: dict(pacer.counts) for engine_id, pacer in self._pacers.items()}

    def record_departures(self, engine_id: str) -> list[float]:
        """From now on, when each request to the engine left (`time.monotonic()`), in order."""
        departures: list[float] = []
        self._pacers[engine_id].departures = departures
        return departures

    def release(self) -> None:
        """Give back what this process holds of every engine's limit (it is exiting)."""
        for pacer in self._pacers.values():
            try:
                pacer.release()
            except Exception:  # noqa: BLE001 - only a head start for others: the drain frees it too
                logger.debug("could not give back a batch of engine slots", exc_info=True)


def _paced(rate: float, ceiling: _PrefectCeiling) -> Pacer:
    return Pacer(rate, ceiling, until_drained=ceiling.until_drained, give_back=ceiling.give_back)


_throttles: dict[tuple[tuple[str, float], ...], EngineThrottle] = {}
_throttles_lock = threading.Lock()


def throttle_for(rates: dict[str, float]) -> EngineThrottle:
    """One throttle per process (per configured rates), shared by every flow and thread."""
    key = tuple(sorted(rates.items()))
    with _throttles_lock:
        if key not in _throttles:
            _throttles[key] = throttle = EngineThrottle(rates)
            # A run that ends with most of a batch unused would otherwise hold the engine from
            # the next run (or the next flow run's process) for up to a whole drain.
            atexit.register(throttle.release)
        return _throttles[key]


def release_engines() -> None:
    """Give back what this process holds of every engine's limit: its drafting is done."""
    with _throttles_lock:
        throttles = list(_throttles.values())
    for throttle in throttles:
        throttle.release()
