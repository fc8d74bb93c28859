"""What the flows need from settings: database, engine chain with Prefect rate limits, channels."""

from __future__ import annotations

from flows.throttle import limit_slots, rate_limit_name, throttle_for
from pipeline.drafting import EngineChain
from publishers.base import Publisher
from publishers.site import SitePublisher
from publishers.wechat import WeChatNotConfigured
from translators.registry import EngineSettings, build_engine
from waiwen.settings import Settings, get_settings


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
        throttle=throttle_for(settings.engine_rate_limits),
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
            # Slots free at `rate` per second; the size lets a process hold two batches (throttle.py).
            slots = limit_slots(per_second)
            try:
                client.read_global_concurrency_limit_by_name(name)
                client.update_global_concurrency_limit(
                    name,
                    GlobalConcurrencyLimitUpdate(
                        limit=slots, slot_decay_per_second=per_second, active=True
                    ),
                )
            except ObjectNotFound:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(
                        name=name, limit=slots, slot_decay_per_second=per_second, active=True
                    )
                )


def channels(settings: Settings | None = None) -> tuple[dict[str, Publisher], SitePublisher]:
    """The publishers by channel id, and the site (whose indexes publishing refreshes)."""
    settings = settings or get_settings()
    site = SitePublisher(settings.site_dir)
    return {"site": site, "wechat": WeChatNotConfigured()}, site
