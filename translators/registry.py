"""Engines by stable id: the built-in ones and those installed as entry points.

Every id names an `EngineFactory` (for the built-ins, the engine class itself) that may declare its
own settings model; the registry reads that model when the engine is built, so choosing one engine
neither imports every provider's client nor reads every provider's settings.
"""

from __future__ import annotations

import importlib
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from pydantic import ValidationError

from core.settings import PluginSettings
from translators.base import Engine, EngineFactory, SharedEngineSettings

__all__ = [
    "ENTRY_POINT_GROUP",
    "available_engines",
    "build_engine",
    "engine_factory",
    "read_engine_settings",
    "settings_model",
]

ENTRY_POINT_GROUP = "waiwen.engines"

# id -> "module:attribute". Imported lazily so that choosing one engine does not import every
# provider's client. Adding an engine: one module, one line here.
_BUILTIN: dict[str, str] = {
    "libretranslate": "translators.libretranslate:LibreTranslateEngine",
    "google": "translators.google:GoogleEngine",
    "mymemory": "translators.mymemory:MyMemoryEngine",
    "baidu": "translators.baidu:BaiduEngine",
    "deepl": "translators.deepl_engine:DeepLEngine",
    "tencent": "translators.tencent:TencentEngine",
    "microsoft": "translators.microsoft:MicrosoftEngine",
    "openai": "translators.llm.engine:OpenAIEngine",
}


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available_engines() -> list[str]:
    """Ids of the built-in engines, then those installed under `waiwen.engines`."""
    # A built-in id cannot be taken over by an installed package.
    extra = sorted(name for name in _entry_points() if name not in _BUILTIN)
    return [*_BUILTIN, *extra]


def engine_factory(engine_id: str) -> EngineFactory:
    """What `engine_id` names; ValueError if no engine has that id."""
    loaded: Any
    if engine_id in _BUILTIN:
        module_name, _, attribute = _BUILTIN[engine_id].partition(":")
        loaded = getattr(importlib.import_module(module_name), attribute)
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
        loaded = installed[engine_id].load()
    if not isinstance(loaded, EngineFactory):
        raise TypeError(
            f"engine {engine_id!r} names {loaded!r}, which has no from_settings(settings, shared);"
            " see docs/translation.md, 'Writing an outside engine'"
        )
    return loaded


def settings_model(engine_id: str) -> type[PluginSettings] | None:
    """The settings model engine `engine_id` declares, or None if it has no settings of its own."""
    return _model_of(engine_id, engine_factory(engine_id))


def _model_of(engine_id: str, factory: EngineFactory) -> type[PluginSettings] | None:
    model = getattr(factory, "settings_model", None)
    if model is None:
        return None
    if not (isinstance(model, type) and issubclass(model, PluginSettings)):
        raise TypeError(
            f"settings_model of engine {engine_id!r} is {model!r}; it must be a subclass of"
            " core.settings.PluginSettings"
        )
    if not model.model_config.get("env_prefix"):
        raise TypeError(
            f"settings model {model.__name__} of engine {engine_id!r} has no env_prefix;"
            " give it one of its own, e.g. WAIWEN_<ENGINE>_"
        )
    return model


def read_engine_settings(engine_id: str) -> PluginSettings | None:
    """The engine's own settings as the environment and waiwen.toml give them now (None: it has none)."""
    model = settings_model(engine_id)
    return _read(engine_id, model) if model is not None else None


def _read(engine_id: str, model: type[PluginSettings]) -> PluginSettings:
    try:
        return model()
    except ValidationError as error:
        # Each problem by variable name and rule; never the value given, which may be a key.
        problems = "; ".join(
            f"{model.variable(str(problem['loc'][0])) if problem['loc'] else model.__name__}:"
            f" {problem['msg']}"
            for problem in error.errors()
        )
        raise ValueError(f"settings of engine {engine_id!r}: {problems}") from None


def build_engine(
    engine_id: str,
    shared: SharedEngineSettings | None = None,
    settings: PluginSettings | None = None,
) -> Engine:
    """Build the engine registered as `engine_id`; ValueError if unknown or misconfigured.

    `settings`: the engine's own settings; None reads them from the environment and waiwen.toml.
    """
    factory = engine_factory(engine_id)
    model = _model_of(engine_id, factory)
    if settings is None and model is not None:
        settings = _read(engine_id, model)
    elif settings is not None and (model is None or not isinstance(settings, model)):
        takes = model.__name__ if model is not None else "no settings"
        raise TypeError(f"engine {engine_id!r} takes {takes}, not {type(settings).__name__}")
    engine = factory.from_settings(settings, shared or SharedEngineSettings())
    if not isinstance(engine, Engine):
        raise TypeError(
            f"factory for engine {engine_id!r} returned {type(engine).__name__},"
            " which lacks id/label/supports/translate"
        )
    return engine
