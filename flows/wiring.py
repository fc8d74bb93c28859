"""What the flows need from settings: database, engine chain with Prefect rate limits, channels."""

from __future__ import annotations

import threading
import time

from pipeline.drafting import EngineChain
from publishers.base import Publisher
from publishers.site import SitePublisher
from publishers.wechat import WeChatNotConfigured
from translators.registry import EngineSettings, build_engine
from waiwen.settings import Settings, get_settings


def rate_limit_name(engine_id: str) -> str:
    """Name of the Prefect global concurrency limit that caps requests to one engine."""
    return f"waiwen-engine-{engine_id}"


class EngineThrottle:
    """Paces this process's requests to each engine, then takes a slot of its Prefect rate limit.

    Prefect's global limit is the ceiling across every process. Asking it from many threads at once
    makes the server hand out growing Retry-After delays to the losers (it counts denied slots), which
    left a 10 requests/s limit about a quarter used. So threads of one process queue here first, one
    at a time and spaced 1/rate apart, and Prefect almost always has the slot ready when asked.
    """

    def __init__(self, rates: dict[str, float]) -> None:
        self._spacing = {engine_id: 1.0 / rate for engine_id, rate in rates.items() if rate > 0}
        self._locks = {engine_id: threading.Lock() for engine_id in self._spacing}
        self._next: dict[str, float] = {}

    def __call__(self, engine_id: str) -> None:
        """Block until a request to ``engine_id`` may be sent."""
        from prefect.concurrency.sync import rate_limit

        if engine_id not in self._locks:
            raise ValueError(
                f"no rate limit configured for engine {engine_id!r} (WAIWEN_ENGINE_RATE_LIMITS)"
            )
        with self._locks[engine_id]:
            wait = self._next.get(engine_id, 0.0) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            rate_limit(rate_limit_name(engine_id), strict=True)
            self._next[engine_id] = time.monotonic() + self._spacing[engine_id]


_throttles: dict[tuple[tuple[str, float], ...], EngineThrottle] = {}


def _throttle_for(rates: dict[str, float]) -> EngineThrottle:
    """One throttle per process (per configured rates), shared by every flow and thread."""
    key = tuple(sorted(rates.items()))
    if key not in _throttles:
        _throttles[key] = EngineThrottle(rates)
    return _throttles[key]


def engine_chain(settings: Settings | None = None) -> EngineChain:
    """The configured engines (memory is consulted by drafting itself)."""
    settings = settings or get_settings()
    engine_settings = EngineSettings(
        libretranslate_url=settings.libretranslate_url,
        libretranslate_api_key=settings.libretranslate_api_key.get_secret_value(),
        timeout=settings.engine_timeout,
    )
    engines = [
        build_engine(engine_id, engine_settings)
        for engine_id in settings.engines
        if engine_id != "memory"
    ]
    return EngineChain(
        engines=engines,
        throttle=_throttle_for(settings.engine_rate_limits),
        attempts=settings.engine_attempts,
    )


def ensure_rate_limits(settings: Settings | None = None) -> None:
    """Create or update the engines' global concurrency limits on the Prefect server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import (
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitUpdate,
    )
    from prefect.exceptions import ObjectNotFound

    settings = settings or get_settings()
    with get_client(sync_client=True) as client:
        for engine_id in settings.engines:
            if engine_id == "memory":
                continue
            per_second = settings.engine_rate_limits.get(engine_id)
            if not per_second:
                raise ValueError(
                    f"WAIWEN_ENGINE_RATE_LIMITS has no rate for engine {engine_id!r}; "
                    f'add one, e.g. {{"{engine_id}": 5}}'
                )
            name = rate_limit_name(engine_id)
            # One slot that frees after 1/rate seconds: a ceiling with no initial burst.
            try:
                client.read_global_concurrency_limit_by_name(name)
                client.update_global_concurrency_limit(
                    name,
                    GlobalConcurrencyLimitUpdate(
                        limit=1, slot_decay_per_second=per_second, active=True
                    ),
                )
            except ObjectNotFound:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(
                        name=name, limit=1, slot_decay_per_second=per_second, active=True
                    )
                )


def channels(settings: Settings | None = None) -> tuple[dict[str, Publisher], SitePublisher]:
    """The publishers by channel id, and the site (whose indexes publishing refreshes)."""
    settings = settings or get_settings()
    site = SitePublisher(settings.site_dir)
    return {"site": site, "wechat": WeChatNotConfigured()}, site
