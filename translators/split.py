"""Split a text under a provider's length limit at sentence boundaries, and join the answers."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["split_for_limit", "translate_in_pieces"]

# Cut after a sentence end first, then after a clause mark, then anywhere.
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.!?])(?=\s)")
_CLAUSE_END = re.compile(r"(?<=[，；、,;：:])")


def _pieces(text: str, boundary: re.Pattern[str]) -> list[str]:
    cuts = [m.start() for m in boundary.finditer(text) if 0 < m.start() < len(text)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def split_for_limit(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at sentence ends where possible; they join back to `text`."""
    if limit < 1:
        raise ValueError(f"limit must be positive, got {limit}")
    if len(text) <= limit:
        return [text]
    for boundary in (_SENTENCE_END, _CLAUSE_END):
        units = _pieces(text, boundary)
        if len(units) > 1:
            return _pack([piece for unit in units for piece in split_for_limit(unit, limit)], limit)
    return _hard(text, limit)


def _hard(text: str, limit: int) -> list[str]:
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def _pack(units: list[str], limit: int) -> list[str]:
    packed: list[str] = []
    current = ""
    for unit in units:
        if current and len(current) + len(unit) > limit:
            packed.append(current)
            current = ""
        current += unit
    if current:
        packed.append(current)
    return packed


def translate_in_pieces(
    text: str, limit: int, translate_one: Callable[[str], str], joiner: str
) -> str:
    """Translate a text piece by piece under `limit` characters; answers joined with `joiner`."""
    pieces = split_for_limit(text, limit)
    if len(pieces) == 1:
        return translate_one(text)
    # Leading and trailing spaces of a piece are not sent (providers strip them anyway).
    return joiner.join(translate_one(piece.strip()) for piece in pieces if piece.strip())
