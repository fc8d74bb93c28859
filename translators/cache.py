"""Engine outputs kept by (engine, language, text sent): the office never pays for a text twice."""

from __future__ import annotations

from typing import Protocol

__all__ = ["DictOutputCache", "OutputCache"]


class OutputCache(Protocol):
    """Where drafting looks before it sends a text to an engine, and stores what came back."""

    def get(self, engine_id: str, language: str, text: str) -> str | None:
        """The engine's earlier answer for exactly this text and language, or None."""
        ...

    def put(self, engine_id: str, language: str, text: str, output: str) -> None:
        """Keep the engine's answer (the first one stored wins)."""
        ...


class DictOutputCache:
    """An in-process cache (tests and `waiwen check`); the pipeline keeps its cache in the database."""

    def __init__(self) -> None:
        """Start empty."""
        self._outputs: dict[tuple[str, str, str], str] = {}

    def get(self, engine_id: str, language: str, text: str) -> str | None:
        """The stored answer, or None."""
        return self._outputs.get((engine_id, language, text))

    def put(self, engine_id: str, language: str, text: str, output: str) -> None:
        """Store an answer unless one is stored already."""
        self._outputs.setdefault((engine_id, language, text), output)

    def __len__(self) -> int:
        """Number of stored answers."""
        return len(self._outputs)
