"""Reading the corpus: the Chinese segments and, per language, a good and a bad translation."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The one error each bad translation holds (README.md says what each means).
ERROR_CLASSES = (
    "number",
    "scale",
    "date",
    "kept",
    "term",
    "untranslated",
    "dropped",
    "language",
)


class CorpusError(ValueError):
    """A corpus file that does not keep its format; the message names file, line and rule."""


@dataclass(frozen=True)
class Row:
    """One aligned segment: the Chinese source, a correct translation, and one with one error."""

    id: str
    source: str
    good: str
    bad: str
    error: str
    note: str


def sources() -> dict[str, str]:
    """id -> Chinese segment, from source.tsv."""
    path = HERE / "source.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if next(reader, None) != ["id", "origin", "zh"]:
            raise CorpusError(f"{path.name}: line 1: the header must be: id, origin, zh")
        return {row[0]: row[2] for row in reader}


def languages() -> list[str]:
    """The target languages the corpus has a file for."""
    return sorted(p.stem for p in HERE.glob("*.tsv") if p.stem != "source")


def rows(language: str) -> list[Row]:
    """Every row of ``language``.tsv, checked against the format and against source.tsv."""
    path = HERE / f"{language}.tsv"
    zh = sources()
    found: list[Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if next(reader, None) != ["id", "good", "bad", "error", "note"]:
            raise CorpusError(
                f"{path.name}: line 1: the header must be: id, good, bad, error, note"
            )
        for line, fields in enumerate(reader, 2):
            where = f"{path.name}: line {line}"
            if len(fields) != 5:
                raise CorpusError(f"{where}: has {len(fields)} fields, not 5")
            key, good, bad, error, note = fields
            if key not in zh:
                raise CorpusError(f"{where}: id {key!r} is not in source.tsv")
            if not good.strip() or not bad.strip():
                raise CorpusError(f"{where}: good and bad must both be given")
            if good == bad:
                raise CorpusError(f"{where}: the bad translation is the good one")
            if error not in ERROR_CLASSES:
                raise CorpusError(
                    f"{where}: error {error!r} is not one of {', '.join(ERROR_CLASSES)}"
                )
            found.append(Row(key, zh[key], good, bad, error, note))
    missing = sorted(set(zh) - {row.id for row in found})
    if missing:
        raise CorpusError(
            f"{path.name}: no row for {len(missing)} source id(s): {', '.join(missing[:5])}"
        )
    if len(found) != len(zh):
        raise CorpusError(f"{path.name}: {len(found) - len(zh)} id(s) have more than one row")
    return found
