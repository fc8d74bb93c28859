"""What drafting cost at batch engines (LLMs): prompt and completion tokens and requests per month and language.

A language's usage is summed over every drafting run of its version and counted in the month (office
time) the version was queued, the month its drafting was asked for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import office_date
from core.languages import order_of
from store.models import LanguageVersion, NoticeVersion

__all__ = ["CostRow", "costs_as_dict", "costs_table", "monthly_costs", "usage_said"]


@dataclass(frozen=True)
class CostRow:
    """One month and language: tokens in and out, and requests sent."""

    month: str  # YYYY-MM
    language: str
    prompt_tokens: int
    completion_tokens: int
    requests: int

    @property
    def total_tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens


def monthly_costs(session: Session, year: int | None = None) -> list[CostRow]:
    """Every month and language that cost anything (of `year`, or of every year), oldest first."""
    rows = session.execute(
        select(
            NoticeVersion.queued_at,
            LanguageVersion.language,
            LanguageVersion.prompt_tokens,
            LanguageVersion.completion_tokens,
            LanguageVersion.engine_requests,
        )
        .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
        .where(LanguageVersion.engine_requests > 0)
    )
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for queued_at, language, prompt, completion, requests in rows:
        day = office_date(queued_at)
        if year is not None and day.year != year:
            continue
        found = sums[(f"{day.year:04d}-{day.month:02d}", language)]
        found[0] += prompt
        found[1] += completion
        found[2] += requests
    return [
        CostRow(month, language, *values)
        for (month, language), values in sorted(
            sums.items(), key=lambda item: (item[0][0], order_of(item[0][1]))
        )
    ]


def usage_said(prompt_tokens: int, completion_tokens: int, requests: int) -> str:
    """ "1,234 + 567 tokens in 2 requests": tokens sent, tokens answered, requests."""
    plural = "" if requests == 1 else "s"
    return f"{prompt_tokens:,} + {completion_tokens:,} tokens in {requests:,} request{plural}"


def costs_table(rows: list[CostRow]) -> str:
    """A Markdown table of the rows, with a total line."""
    lines = [
        "| Month | Language | Prompt tokens | Completion tokens | Requests |",
        "|---|---|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.month} | {row.language} | {row.prompt_tokens:,} | {row.completion_tokens:,} "
            f"| {row.requests:,} |"
        )
    lines.append(
        f"| total | | {sum(r.prompt_tokens for r in rows):,} "
        f"| {sum(r.completion_tokens for r in rows):,} | {sum(r.requests for r in rows):,} |"
    )
    return "\n".join(lines) + "\n"


def costs_as_dict(rows: list[CostRow], year: int | None) -> dict[str, Any]:
    """JSON-ready: the year asked for (None: every year), the rows and their totals."""
    return {
        "year": year,
        "rows": [{**asdict(row), "total_tokens": row.total_tokens} for row in rows],
        "total": {
            "prompt_tokens": sum(r.prompt_tokens for r in rows),
            "completion_tokens": sum(r.completion_tokens for r in rows),
            "requests": sum(r.requests for r in rows),
        },
    }
