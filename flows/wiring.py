"""What the flows need from settings: database, engine chain with Prefect rate limits, channels."""

from __future__ import annotations

import math
from collections.abc import Iterable

from pydantic import SecretStr

from core.settings import PluginSettings, Settings, get_settings
from flows.engine_requests import prefect_batch_request, prefect_request
from flows.throttle import limit_slots, rate_limit_name, slot_decay, throttle_for
from pipeline.ai_review import configured_reader
from pipeline.drafting import EngineChain
from publishers.base import Publisher
from publishers.registry import build_publishers
from translators.base import Engine, SharedEngineSettings, Throttle
from translators.llm.engine import OpenAISettings
from translators.llm.review import AIReader
from translators.registry import build_engine, read_engine_settings

# Channels' secrets an office may keep in Prefect Secret blocks: the secret field, the channel
# using it, the block, and the field that says the channel has an account at all (no lookup
# without one).
CHANNEL_SECRET_BLOCKS = {
    "wechat_secret": ("wechat", "waiwen-wechat-secret", "wechat_appid"),
}


def secret_block_name(model: type[PluginSettings], field: str) -> str:
    """The Prefect Secret block an empty secret field falls back to: its variable, lower case, with
    dashes (WAIWEN_DEEPL_AUTH_KEY: waiwen-deepl-auth-key)."""
    return model.variable(field).lower().replace("_", "-")


def with_secret_blocks(own: PluginSettings) -> PluginSettings:
    """The settings with every empty `SecretStr` field read from its Prefect Secret block."""
    model = type(own)
    found = {
        field: _secret_block(secret_block_name(model, field))
        for field in model.model_fields
        if isinstance(value := getattr(own, field), SecretStr) and not value.get_secret_value()
    }
    return own.model_copy(update=found) if found else own


def engine_settings(
    settings: Settings, *, use_secret_blocks: bool = True
) -> dict[str, PluginSettings | None]:
    """The own settings of each engine in use (environment, waiwen.toml); an empty secret among them
    is looked up as a Prefect Secret, and engines outside every chain cost no lookup."""
    configured: dict[str, PluginSettings | None] = {}
    for engine_id in engine_ids(settings):
        own = read_engine_settings(engine_id)
        configured[engine_id] = (
            with_secret_blocks(own) if own is not None and use_secret_blocks else own
        )
    return configured


def _secret_block(name: str) -> SecretStr:
    """The value of a Prefect Secret block, or empty when there is none (the engine then says what is missing)."""
    from prefect.blocks.system import Secret

    try:
        block: Secret[str] = Secret.load(name, _sync=True)  # type: ignore[call-arg,assignment]
    except ValueError:  # Prefect's answer for a block that does not exist
        return SecretStr("")
    return SecretStr(str(block.get()))


def ai_reader(settings: Settings | None = None) -> AIReader | None:
    """The AI second reader WAIWEN_AI_REVIEW names (None: off), its key from a Secret block if empty."""
    settings = settings or get_settings()
    if not settings.ai_review.strip():
        return None
    own = read_engine_settings(settings.ai_review.strip())
    found = with_secret_blocks(own) if own is not None else None
    return configured_reader(settings, found if isinstance(found, OpenAISettings) else None)


def ai_reader_throttle(settings: Settings, reader: AIReader) -> Throttle | None:
    """The engines' throttle for the reader's requests when its engine is in a chain (so its Prefect
    limit exists); else none, and only the server's gate holds it (translators/llm/gate.py)."""
    if reader.engine_id in engine_ids(settings):
        return throttle_for(settings.engine_rate_limits)
    return None


def engine_ids(settings: Settings) -> list[str]:
    """Every engine some language's chain uses, in order of first use (the memory is not one)."""
    chains = [settings.engines, *settings.engine_chains.values()]
    return list(dict.fromkeys(e for chain in chains for e in chain if e != "memory"))


def engine_chain(settings: Settings | None = None) -> EngineChain:
    """The configured engines, and each language's own chain (memory is consulted by drafting itself)."""
    settings = settings or get_settings()
    shared = SharedEngineSettings(timeout=settings.engine_timeout)
    built = {
        engine_id: build_engine(engine_id, shared, own)
        for engine_id, own in engine_settings(settings).items()
    }

    def chain(ids: tuple[str, ...]) -> list[Engine]:
        return [built[engine_id] for engine_id in ids if engine_id != "memory"]

    throttle = throttle_for(settings.engine_rate_limits)
    return EngineChain(
        engines=chain(settings.engines),
        throttle=throttle,
        attempts=settings.engine_attempts,
        request=prefect_request(throttle, settings.engine_attempts),
        batch_request=prefect_batch_request,
        by_language={language: chain(ids) for language, ids in settings.engine_chains.items()},
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
        for engine_id in engine_ids(settings):
            per_second = settings.engine_rate_limits.get(engine_id)
            if not per_second:
                raise ValueError(
                    f"WAIWEN_ENGINE_RATE_LIMITS has no rate for engine {engine_id!r}; "
                    f'add one, e.g. {{"{engine_id}": 5}}'
                )
            name = rate_limit_name(engine_id)
            # One batch of slots, freed a little under `rate` a second (flows/throttle.py).
            slots, decay = limit_slots(per_second), slot_decay(per_second)
            try:
                held = client.read_global_concurrency_limit_by_name(name)
                same_rate = abs(held.slot_decay_per_second - decay) <= 1e-9
                if same_rate and held.limit == slots and held.active:
                    continue  # a change, even to the same values, restarts Prefect's drain
                # Prefect keeps the slots held as of the last change and drains them from the
                # next: an update that did not set them would hold the stale count again (5,000
                # from a rate of 1,000 a second, drained at 10: minutes without a request). Held
                # as long as they would have been at the old rate, in the new rate's slots.
                seconds = held.active_slots / (held.slot_decay_per_second or decay)
                update = GlobalConcurrencyLimitUpdate(
                    limit=slots,
                    slot_decay_per_second=decay,
                    active=True,
                    active_slots=min(slots, math.ceil(seconds * decay)),
                )
                client.update_global_concurrency_limit(name, update)
            except ObjectNotFound:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(
                        name=name, limit=slots, slot_decay_per_second=decay, active=True
                    )
                )


def channels(settings: Settings | None = None, also: Iterable[str] = ()) -> dict[str, Publisher]:
    """The channels WAIWEN_CHANNELS names (and `also`, where they can be had), built by the registry.

    A channel's empty secret is read from its Prefect Secret block first (only for a channel that
    is wanted and has an account), so the registry's factories see one settings object.
    """
    settings = settings or get_settings()
    also = tuple(also)
    return build_publishers(with_channel_secrets(settings, also), also)


def with_channel_secrets(settings: Settings, also: Iterable[str] = ()) -> Settings:
    """The settings with each wanted channel's empty secret read from its Prefect Secret block."""
    secrets: dict[str, SecretStr] = {}
    for field, (channel, block, account) in CHANNEL_SECRET_BLOCKS.items():
        value: SecretStr = getattr(settings, field)
        wanted = channel in (*settings.channels, *also) and getattr(settings, account)
        if wanted and not value.get_secret_value():
            secrets[field] = _secret_block(block)
    return settings.model_copy(update=secrets) if secrets else settings
