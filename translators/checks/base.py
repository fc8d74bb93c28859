"""What a quality check is: an id, a name, a description, and a pure `check` of one segment pair."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from translators.glossary import Glossary

__all__ = [
    "CHECK_ID",
    "SEVERITIES",
    "CheckContext",
    "Finding",
    "QualityCheck",
    "Span",
    "broken_rules",
]

# Ids are stored with every finding and typed in `waiwen review override`: keep them plain.
CHECK_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
SEVERITIES = ("error", "warning")
Span = tuple[int, int]  # (start, end) character offsets, as for text[start:end]


@dataclass(frozen=True)
class Finding:
    """One problem a check found; errors block approval unless a reviewer overrides them.

    `source_span` and `target_span` say where the problem is, as offsets into the exact
    `source` and `target` strings given to `check` (not a masked or normalised copy), so that
    `source[start:end]` is what the message names; None when a check cannot say where.
    """

    check_id: str
    severity: str  # "error" | "warning"
    message: str
    source_span: Span | None = None
    target_span: Span | None = None


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the two texts."""

    language: str  # target language: a code of core.languages (en ja fr ko de es ...)
    glossary: Glossary | None = None
    kind: str = (
        "paragraph"  # segment kind (title, heading, paragraph, list_item, quote, table_cell)
    )


class QualityCheck(Protocol):
    """One check of a Chinese source segment against its translation."""

    id: str
    name: str
    description: str

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """The findings on this pair (empty when it passes); the same pair always gives the same."""
        ...


def broken_rules(check: object) -> list[str]:
    """The rules of a well-formed check that `check` breaks (empty when it keeps them all)."""
    broken = []
    check_id = getattr(check, "id", None)
    if not isinstance(check_id, str) or not CHECK_ID.fullmatch(check_id):
        broken.append(
            "a check's id is lowercase letters and digits, words joined by single hyphens"
            f" (found {check_id!r})"
        )
    for field in ("name", "description"):
        value = getattr(check, field, None)
        if not isinstance(value, str) or not value.strip():
            broken.append(f"a check has a non-empty text as its {field} (found {value!r})")
    if not callable(getattr(check, "check", None)):
        broken.append("a check has a method check(source, target, context) returning findings")
    return broken
