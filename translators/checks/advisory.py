"""Checks whose findings advise and never block: the AI second reader.

Their findings do not come from `check(source, target)` run on every draft and edit (a model is
asked once per language, `pipeline.ai_review`), but they are stored, shown and levelled like any
check's, under their own id, so that `waiwen checks set ai-review off` works. Their level may be
warning or off, never error: a model's opinion guides the reviewer's eye and blocks nothing.
"""

from __future__ import annotations

from translators.checks.base import CheckContext, Finding

__all__ = ["ADVISORY_CHECKS", "AI_REVIEW", "AIReviewCheck", "HIGHEST_LEVEL"]

AI_REVIEW = "ai-review"
# The most an advisory check's findings may count, whatever a level setting says.
HIGHEST_LEVEL = "warning"


class AIReviewCheck:
    """The AI second reader's entry among the checks: it names the findings, it finds nothing here."""

    id = AI_REVIEW
    name = "AI second reader"
    description = (
        "A language model compares source and translation segment by segment after drafting "
        "(WAIWEN_AI_REVIEW=openai) or on request (`waiwen review ai`, the desk's Ask the AI "
        "reader) and points at accuracy, omission, terminology, fluency and style problems. "
        "Always a warning, never blocks, never approves; stale once the segment is edited."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """Nothing: the reader's findings are stored by pipeline.ai_review, not found per pair."""
        return []


ADVISORY_CHECKS = (AIReviewCheck(),)
