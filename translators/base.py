"""The engine plug-in point: what the chain and the registry expect of an engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from translators.glossary import Glossary

__all__ = ["Engine", "EngineFactory", "SharedEngineSettings", "Throttle", "UsesGlossary"]


@runtime_checkable
class Engine(Protocol):
    """A machine-translation provider that translates one plain-text segment at a time."""

    id: str
    label: str

    def supports(self, source: str, target: str) -> bool:
        """Whether this engine can translate from `source` to `target` (waiwen codes)."""
        ...

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one plain-text segment; raise only `EngineError` subclasses."""
        ...


@runtime_checkable
class UsesGlossary(Protocol):
    """An engine that can send the office glossary to its provider (DeepL)."""

    def use_glossary(self, glossary: Glossary) -> None:
        """Apply these terms to every later request."""
        ...


# Called with the engine id before every request to the provider; the
# orchestrator injects its rate limiter here so engines stay ignorant of it.
Throttle = Callable[[str], None]


@dataclass(frozen=True)
class SharedEngineSettings:
    """What every engine is given alike, whatever its provider."""

    timeout: float = 30.0  # seconds before one request is given up (WAIWEN_ENGINE_TIMEOUT)


@runtime_checkable
class EngineFactory(Protocol):
    """What an engine id names in the registry: a built-in engine class or an entry point's object.

    It may also carry `settings_model`: a `core.settings.PluginSettings` subclass with an env prefix
    of its own, holding the engine's own fields (URL, keys as `SecretStr`, region). Without one,
    the engine has no settings beyond the shared ones and `from_settings` is given None.
    """

    def from_settings(self, settings: Any, shared: SharedEngineSettings) -> Engine:
        """The engine, from an instance of its `settings_model` (or None) and the shared settings."""
        ...
