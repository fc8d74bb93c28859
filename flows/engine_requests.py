"""Requests to engines inside the flows: the first try in-process, the retries as a Prefect task.

Retries back off exponentially with jitter and happen only when the engine says the failure is
transient (429, 5xx, timeout, refused connection); a bad key or a wrong-language answer goes
straight to the next engine of the chain.

Why the first try runs in the drafting task: almost every request succeeds at once, and a task run
costs the client and the embedded Prefect server (SQLite) work for each of them. Only a request
that failed transiently becomes a Prefect task, whose retries Prefect runs and records.
"""

from __future__ import annotations

import time
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from translators.base import (
    Batch,
    BatchProgress,
    BatchResult,
    Engine,
    Throttle,
    TranslatesBatches,
)
from translators.chain import Request, backoff_delay, checked_call, gave_up
from translators.errors import EngineError

# Prefect's delays before its retries (the second try waits backoff_delay(1), 0.25-0.5 s).
RETRY_BACKOFF_SECONDS = 1.0
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
    """A `Request` for drafting inside a flow: `attempts` tries, the retries through Prefect."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    retrying = engine_request.with_options(
        retries=max(attempts - 2, 0),
        retry_delay_seconds=exponential_backoff(backoff_factor=RETRY_BACKOFF_SECONDS),
    )

    def request(engine: Engine, text: str, target: str) -> str:
        try:
            return engine_request.fn(engine, engine.id, text, target, throttle)
        except EngineError as exc:
            if not exc.transient or attempts == 1:
                raise
        time.sleep(backoff_delay(1))
        try:
            return retrying(engine, engine.id, text, target, throttle)
        except EngineError as exc:
            raise gave_up(exc, attempts) from None

    return request


@task(
    name="engine-batch",
    task_run_name="{engine_id}-{target}-batch",
    # The engine retries, repairs and splits a batch itself (translators/llm/run.py): a Prefect
    # retry would send every segment again, answered ones included.
    retries=0,
    cache_policy=NO_CACHE,
    log_prints=False,
)
def engine_batch(
    engine: TranslatesBatches,
    engine_id: str,
    target: str,
    batch: Batch,
    throttle: Throttle | None,
    attempts: int,
    progress: BatchProgress | None = None,
) -> BatchResult:
    """Send a notice's segments in one language to a batch engine (an LLM), as one task run."""
    return engine.translate_batch(batch, throttle=throttle, attempts=attempts, progress=progress)


def prefect_batch_request(
    engine: TranslatesBatches,
    batch: Batch,
    throttle: Throttle | None,
    attempts: int,
    progress: BatchProgress | None = None,
) -> BatchResult:
    """A `pipeline.batch_drafting.BatchRequest` recorded as a Prefect task run of its own."""
    engine_id = getattr(engine, "id", "batch")
    return engine_batch(engine, engine_id, batch.target, batch, throttle, attempts, progress)
