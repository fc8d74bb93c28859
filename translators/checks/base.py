"""What a quality check is: an id, a name, a description, and a pure `check` of one segment pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from translators.glossary import Glossary

__all__ = ["CheckContext", "Finding", "QualityCheck"]


@dataclass(frozen=True)
class Finding:
    """One problem a check found; errors block approval unless a reviewer overrides them."""

    check_id: str
    severity: str  # "error" | "warning"
    message: str


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the two texts."""

    language: str  # target language: en ja fr ko
    glossary: Glossary | None = None
    kind: str = (
        "paragraph"  # segment kind (title, heading, paragraph, list_item, quote, table_cell)
    )


class QualityCheck(Protocol):
    """One check of a Chinese source segment against its translation."""

    id: str
    name: str
    description: str
    severity: str

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """The findings on this pair (empty when it passes)."""
        ...
