"""Quality findings on stored translations, and reviewers' written overrides of blocking ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.office_settings import check_levels
from store.models import CheckOverride, Notice, NoticeVersion, Segment, Translation
from translators.checks import CheckContext, Finding, run_checks
from translators.checks.advisory import AI_REVIEW
from translators.glossary import Glossary


@dataclass(frozen=True)
class Blocking:
    """An error finding that stops approval until it is fixed or overridden."""

    position: int
    check_id: str
    message: str


def findings_for(
    source: str, text: str | None, language: str, kind: str, glossary: Glossary | None
) -> list[dict[str, Any]]:
    """Every check's findings on one segment, as stored on the translation (none for a missing text)."""
    if text is None:
        return []  # "needs translation" is its own state, shown and enforced by review
    context = CheckContext(language=language, glossary=glossary, kind=kind)
    return [stored(f) for f in run_checks(source, text, context)]


def advisory_rows(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The AI second reader's findings among stored ones: an edit keeps them (stale, see below).

    They share `Translation.findings` with the checks' own (one list, read, levelled and shown in
    one place, and no migration); each carries the revision it was made for, so re-running the
    checks after an edit keeps them and the review page marks them stale rather than dropping
    what the reader said unseen.
    """
    return [dict(row) for row in rows or [] if row.get("check") == AI_REVIEW]


def marked_stale(rows: list[dict[str, Any]], revision: int) -> list[dict[str, Any]]:
    """Findings as shown: an AI reader's finding made for another revision gets "stale": true.

    Its target span indexed the text it was made for, so a stale one shows none.
    """
    shown = []
    for row in rows:
        if row.get("check") == AI_REVIEW and row.get("revision") != revision:
            row = {key: value for key, value in row.items() if key != "target_span"}
            row["stale"] = True
        shown.append(row)
    return shown


def stored(finding: Finding) -> dict[str, Any]:
    """A finding as JSON on the translation; a span is [start, end] into the texts checked.

    A span is stored only when the check gave one, so findings without a place keep the shape
    they always had; `loaded` reads both.
    """
    row: dict[str, Any] = {
        "check": finding.check_id,
        "severity": finding.severity,
        "message": finding.message,
    }
    for key, span in (("source_span", finding.source_span), ("target_span", finding.target_span)):
        if span is not None:
            row[key] = list(span)
    return row


def loaded(row: dict[str, Any]) -> Finding:
    """A stored finding back as a Finding; rows stored before spans existed have none."""
    return Finding(
        row["check"],
        row["severity"],
        row["message"],
        source_span=span_of(row.get("source_span")),
        target_span=span_of(row.get("target_span")),
    )


def span_of(value: object) -> tuple[int, int] | None:
    """A stored [start, end] as a span; None for null, a missing key or anything malformed."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = value
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        return None
    return (start, end) if 0 <= start <= end else None


def recheck(translation: Translation, segment: Segment, glossary: Glossary) -> None:
    """Refresh the checks' findings of a translation's current text; the AI reader's stay."""
    translation.findings = findings_for(
        segment.source_text, translation.text, translation.language, segment.kind, glossary
    ) + advisory_rows(translation.findings)


def column_of(session: Session, version_id: int) -> str:
    """The website column a version's notice is published in (levels may differ by column)."""
    return session.execute(
        select(Notice.column)
        .join(NoticeVersion, NoticeVersion.notice_id == Notice.id)
        .where(NoticeVersion.id == version_id)
    ).scalar_one()


def blocking(
    session: Session, version_id: int, language: str, glossary: Glossary
) -> list[Blocking]:
    """Error findings of the current texts, at the office's levels, that no override covers."""
    rules, column = check_levels(session), column_of(session, version_id)
    rows = session.execute(
        select(Segment, Translation)
        .join(Translation, Translation.segment_id == Segment.id)
        .where(Segment.version_id == version_id, Translation.language == language)
        .order_by(Segment.position)
    ).all()
    overridden = set(
        session.execute(
            select(CheckOverride.translation_id, CheckOverride.check_id, CheckOverride.revision)
            .join(Translation, Translation.id == CheckOverride.translation_id)
            .join(Segment, Segment.id == Translation.segment_id)
            .where(Segment.version_id == version_id, Translation.language == language)
        ).all()
    )
    found: list[Blocking] = []
    for segment, translation in rows:
        if translation.findings is None:  # drafted before the checks existed
            recheck(translation, segment, glossary)
        for finding in rules.applied(translation.findings or [], column):
            key = (translation.id, finding["check"], translation.revision)
            if finding["severity"] == "error" and key not in overridden:
                found.append(Blocking(segment.position, finding["check"], finding["message"]))
    return found
