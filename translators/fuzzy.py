"""Fuzzy matches in the translation memory: similar approved sentences offered with their score."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from translators.memory import normalise_source

__all__ = ["FUZZY_CUTOFF", "FuzzyIndex", "Suggestion"]

FUZZY_CUTOFF = 75.0


@dataclass(frozen=True)
class Suggestion:
    """An approved translation of a similar source sentence."""

    source: str
    target: str
    score: float  # 0-100, rounded to one decimal


class FuzzyIndex:
    """Approved (source, target) pairs of one target language, searchable by similarity."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Index the pairs by source length (the last pair for a source wins)."""
        unique = {normalise_source(source): target for source, target in pairs}
        ordered = sorted(unique.items(), key=lambda pair: len(pair[0]))
        self._sources = [source for source, _ in ordered]
        self._targets = [target for _, target in ordered]
        self._lengths = [len(source) for source in self._sources]

    def __len__(self) -> int:
        """Number of indexed pairs."""
        return len(self._sources)

    def suggest(
        self, text: str, *, limit: int = 3, cutoff: float = FUZZY_CUTOFF
    ) -> list[Suggestion]:
        """The best matches at or above `cutoff`, best first (an exact match scores 100)."""
        query = normalise_source(text)
        if not query or not self._sources:
            return []
        # fuzz.ratio = 2·matches / (len(a) + len(b)) ≤ 2·min / (min + max), so a score of at least
        # `cutoff` needs the shorter length to be at least cutoff / (200 - cutoff) of the longer:
        # only sources inside that length window can match, and they sit together in the sorted list.
        share = cutoff / (200.0 - cutoff)
        low = bisect.bisect_left(self._lengths, int(len(query) * share))
        high = bisect.bisect_right(self._lengths, int(len(query) / share) + 1)
        if low >= high:
            return []
        window = self._sources[low:high]
        matches = process.extract(
            query, window, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
        )
        return [
            Suggestion(window[index], self._targets[low + index], round(score, 1))
            for _, score, index in matches
        ]
