"""Engines by stable id: the built-in ones and those installed as entry points."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from pydantic import SecretStr

from translators.base import Engine

__all__ = [
    "ENTRY_POINT_GROUP",
    "EngineFactory",
    "EngineSettings",
    "available_engines",
    "build_engine",
]

ENTRY_POINT_GROUP = "waiwen.engines"


@dataclass(frozen=True)
class EngineSettings:
    """What engine factories may read from waiwen's settings.

    A `*_url` left as None means the provider's public endpoint; offices point it at a mirror or
    an internal gateway, and the tests at a loopback stand-in. Secrets are `SecretStr`, so a
    logged or printed EngineSettings never shows them.
    """

    timeout: float = 30.0
    libretranslate_url: str | None = None
    libretranslate_api_key: SecretStr = SecretStr("")
    google_url: str | None = None
    mymemory_url: str | None = None
    mymemory_email: str = ""
    baidu_url: str | None = None
    baidu_appid: str = ""
    baidu_appkey: SecretStr = SecretStr("")
    microsoft_url: str | None = None
    microsoft_key: SecretStr = SecretStr("")
    microsoft_region: str = ""
    deepl_url: str | None = None
    deepl_auth_key: SecretStr = SecretStr("")
    tencent_endpoint: str | None = None
    tencent_secret_id: str = ""
    tencent_secret_key: SecretStr = SecretStr("")
    tencent_region: str = "ap-shanghai"


EngineFactory = Callable[[EngineSettings], Engine]

# id -> "module:factory". Imported lazily so that choosing one engine does not
# import every provider's client. Adding an engine: one module, one line here.
_BUILTIN: dict[str, str] = {
    "libretranslate": "translators.libretranslate:from_settings",
    "google": "translators.google:from_settings",
    "mymemory": "translators.mymemory:from_settings",
    "baidu": "translators.baidu:from_settings",
    "deepl": "translators.deepl_engine:from_settings",
    "tencent": "translators.tencent:from_settings",
    "microsoft": "translators.microsoft:from_settings",
}


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available_engines() -> list[str]:
    """Ids of the built-in engines, then those installed under `waiwen.engines`."""
    # A built-in id cannot be taken over by an installed package.
    extra = sorted(name for name in _entry_points() if name not in _BUILTIN)
    return [*_BUILTIN, *extra]


def _load_builtin(target: str) -> EngineFactory:
    module_name, _, attribute = target.partition(":")
    factory: EngineFactory = getattr(importlib.import_module(module_name), attribute)
    return factory


def build_engine(engine_id: str, settings: EngineSettings) -> Engine:
    """Build the engine registered as `engine_id`; ValueError if unknown or misconfigured."""
    if engine_id in _BUILTIN:
        factory = _load_builtin(_BUILTIN[engine_id])
    else:
        installed = _entry_points()
        if engine_id not in installed:
            known = ", ".join(available_engines()) or "none"
            hint = ""
            if engine_id == "memory":
                hint = " (the translation memory is not an engine: it is always consulted first)"
            raise ValueError(
                f"unknown translation engine {engine_id!r}; known engines: {known}{hint}"
            )
        factory = installed[engine_id].load()
    engine = factory(settings)
    if not isinstance(engine, Engine):
        raise TypeError(
            f"factory for engine {engine_id!r} returned {type(engine).__name__},"
            " which lacks id/label/supports/translate"
        )
    return engine
