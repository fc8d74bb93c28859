"""The engine plug-in point: what the chain and the registry expect of an engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

__all__ = ["SOURCE_LANGUAGE", "TARGET_LANGUAGES", "Engine", "Throttle"]

SOURCE_LANGUAGE = "zh"
TARGET_LANGUAGES: tuple[str, ...] = ("en", "ja", "fr", "ko")


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


# Called with the engine id before every request to the provider; the
# orchestrator injects its rate limiter here so engines stay ignorant of it.
Throttle = Callable[[str], None]
