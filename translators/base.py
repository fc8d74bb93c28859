"""The engine plug-in point: what the chain and the registry expect of an engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from translators.glossary import Glossary

__all__ = ["Engine", "Throttle", "UsesGlossary"]


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
