"""Translation memory: approved human translations reused before any engine runs."""

from __future__ import annotations

import unicodedata
from typing import Protocol

__all__ = ["DictMemory", "TranslationMemory", "normalise_source"]


def normalise_source(text: str) -> str:
    """Key for exact matches: NFC, whitespace runs collapsed to one space, stripped."""
    # str.split() also splits on U+3000 (ideographic space) and non-breaking
    # spaces, which editors paste into Chinese notices without meaning anything.
    return " ".join(unicodedata.normalize("NFC", text).split())


class TranslationMemory(Protocol):
    """A source of approved human translations."""

    def exact(self, source_text: str, target: str) -> str | None:
        """An approved human translation of exactly this source text, or None."""
        ...


class DictMemory:
    """In-memory translation memory (tests, `waiwen check`, small imports)."""

    def __init__(self) -> None:
        """Start empty."""
        self._entries: dict[tuple[str, str], str] = {}

    def add(self, source: str, target_lang: str, text: str) -> None:
        """Record `text` as the approved `target_lang` translation of `source` (last one wins)."""
        self._entries[(normalise_source(source), target_lang)] = text

    def exact(self, source_text: str, target: str) -> str | None:
        """An approved translation of this source text into `target`, or None."""
        return self._entries.get((normalise_source(source_text), target))

    def __len__(self) -> int:
        """Number of (source, target language) entries."""
        return len(self._entries)
