"""Fuzzy matches in the translation memory: similar approved sentences offered with their score.

The score is rapidfuzz's `fuzz.ratio` (per character, so it works on Chinese). A lookup first
narrows the memory with a bound that can never lose a match: ratio = 2·LCS / (a + b) ≥ c needs an
LCS of at least c·(a + b) / 2 characters, and two texts cannot share a longer common subsequence
than the characters they have in common (counted with repeats). An inverted index from character
to (segment, count) sums those shared characters for every segment at once; only segments that
pass are scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy
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
        """Index the pairs (the last pair for a source wins)."""
        unique = {normalise_source(source): target for source, target in pairs}
        self._sources = list(unique)
        self._targets = list(unique.values())
        self._lengths = numpy.array([len(s) for s in self._sources], dtype=numpy.int32)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for number, source in enumerate(self._sources):
            for char, count in Counter(source).items():
                ids, counts = postings.setdefault(char, ([], []))
                ids.append(number)
                counts.append(count)
        self._postings = {
            char: (numpy.array(ids, dtype=numpy.int32), numpy.array(counts, dtype=numpy.int32))
            for char, (ids, counts) in postings.items()
        }

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
        shared = numpy.zeros(len(self._sources), dtype=numpy.int32)
        for char, wanted in Counter(query).items():
            if char in self._postings:
                ids, counts = self._postings[char]
                shared[ids] += numpy.minimum(counts, wanted)
        needed = (cutoff / 200.0) * (self._lengths + len(query))
        candidates = numpy.flatnonzero(shared >= needed - 1e-9)
        if len(candidates) == 0:
            return []
        texts = [self._sources[i] for i in candidates]
        scores = process.cdist([query], texts, scorer=fuzz.ratio, score_cutoff=cutoff)[0]
        ranked = sorted(
            (i for i in range(len(texts)) if scores[i] >= cutoff),
            key=lambda i: (-scores[i], candidates[i]),
        )[:limit]
        return [
            Suggestion(texts[i], self._targets[candidates[i]], round(float(scores[i]), 1))
            for i in ranked
        ]
