"""One request to one engine as a Prefect task: transient failures are retried by Prefect itself.

Retries back off exponentially with jitter and only when the engine says the failure is transient
(429, 5xx, timeout, refused connection); a bad key or a wrong-language answer goes straight to the
next engine of the chain.
"""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from translators.base import Engine, Throttle
from translators.chain import Request, checked_call
from translators.errors import EngineError

BACKOFF_SECONDS = 0.5
JITTER_FACTOR = 0.5


def is_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect retry condition: retry only failures the engine marks transient."""
    failure = state.result(raise_on_failure=False)
    return isinstance(failure, EngineError) and failure.transient


@task(
    name="engine-request",
    task_run_name="{engine_id}-{target}",
    retry_condition_fn=is_transient,
    retry_jitter_factor=JITTER_FACTOR,
    # Engines are live clients, not values: nothing about a request may be cached by Prefect.
    cache_policy=NO_CACHE,
    log_prints=False,
)
def engine_request(
    engine: Engine, engine_id: str, text: str, target: str, throttle: Throttle | None
) -> str:
    """Send one text to one engine (every try waits for the engine's rate limit first)."""
    if throttle is not None:
        throttle(engine_id)
    return checked_call(engine, text, target)


def prefect_request(throttle: Throttle | None, attempts: int) -> Request:
    """A `Request` for drafting inside a flow: `attempts` tries through Prefect task retries."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    retrying = engine_request.with_options(
        retries=attempts - 1,
        retry_delay_seconds=exponential_backoff(backoff_factor=BACKOFF_SECONDS),
    )

    def request(engine: Engine, text: str, target: str) -> str:
        try:
            return retrying(engine, engine.id, text, target, throttle)
        except EngineError as exc:
            if exc.transient and attempts > 1:
                raise type(exc)(exc.engine_id, f"{exc.message} (after {attempts} tries)") from None
            raise

    return request
