"""The per-language pairs of this folder: Chinese office sentences with a correct and a bad translation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources.tsv"
COLUMNS = ("id", "good", "bad", "error", "note")
# The class of error a bad translation has, and the check that must give it an error.
CHECK_OF_ERROR = {
    "number": "numbers",
    "scale": "numbers",
    "date": "dates",
    "language": "language",
    "untranslated": "leftover-han",
}


@dataclass(frozen=True)
class Pair:
    """One source sentence with a correct and a bad translation into `language`."""

    language: str
    id: str
    source: str
    good: str
    bad: str
    error: str
    note: str


class PairFileError(ValueError):
    """A pair file that cannot be read; the message names the file, the line and the rule."""


def _lines(path: Path, header: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != header:
        raise PairFileError(f"{path.name}:1: the header is {' '.join(header)} (tab-separated)")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header) or not all(c.strip() for c in cells):
            raise PairFileError(
                f"{path.name}:{number}: a row has {len(header)} non-empty tab-separated cells"
            )
        rows.append((number, cells))
    return rows


def sources() -> dict[str, str]:
    """The Chinese sentences by id."""
    return {cells[0]: cells[1] for _, cells in _lines(SOURCES, ("id", "zh"))}


def languages() -> list[str]:
    """The languages with a pair file here."""
    return sorted(path.stem for path in HERE.glob("*.tsv") if path != SOURCES)


def pairs(language: str) -> list[Pair]:
    """The pairs of one language, refused when a row names an unknown source or error class."""
    path = HERE / f"{language}.tsv"
    known = sources()
    found = []
    for number, (pair_id, good, bad, error, note) in _lines(path, COLUMNS):
        if pair_id not in known:
            raise PairFileError(f"{path.name}:{number}: id {pair_id!r} is not in {SOURCES.name}")
        if error not in CHECK_OF_ERROR:
            raise PairFileError(
                f"{path.name}:{number}: error {error!r} is not one of {', '.join(CHECK_OF_ERROR)}"
            )
        found.append(Pair(language, pair_id, known[pair_id], good, bad, error, note))
    return found
