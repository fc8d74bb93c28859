"""Checks over two aligned files: line N of the target translates line N of the Chinese source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translators.checks import CheckContext, run_checks
from translators.glossary import Glossary

__all__ = ["AlignmentError", "LineFinding", "check_files"]


class AlignmentError(ValueError):
    """The two files cannot be read as aligned segments."""


@dataclass(frozen=True)
class LineFinding:
    """A finding on one line pair."""

    line: int
    check_id: str
    severity: str
    message: str


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise AlignmentError(f"{path}: not UTF-8 text; save it as UTF-8") from None


def check_files(
    source: Path, target: Path, language: str, glossary: Glossary | None = None
) -> list[LineFinding]:
    """Every check on every line pair; blank pairs are skipped, a blank on one side is `empty`."""
    sources, targets = _lines(source), _lines(target)
    if len(sources) != len(targets):
        raise AlignmentError(
            f"{source} has {len(sources)} lines but {target} has {len(targets)}; the files must be "
            "aligned, one segment per line"
        )
    context = CheckContext(language=language, glossary=glossary)
    found: list[LineFinding] = []
    for number, (left, right) in enumerate(zip(sources, targets, strict=True), start=1):
        if not left.strip() and not right.strip():
            continue
        found.extend(
            LineFinding(number, f.check_id, f.severity, f.message)
            for f in run_checks(left, right, context)
        )
    return found
