"""The AI second reader on stored drafts: read one language of a notice, keep its findings as warnings.

Each finding goes onto its segment's `Translation.findings` as check "ai-review", severity always
"warning" (the model's "major" is said in the message), with its category, the revision it was made
for and the spans of the excerpts found in the texts. A new reading of a segment replaces that
segment's earlier ai-review findings; the checks' own findings are left as they are. The findings
never block approval (the ai-review level may only be warning or off) and never approve.

Nothing is sent unless WAIWEN_AI_REVIEW names the reader's engine. A reading that fails leaves a
note ("AI reader unavailable: …") in the outcome and the notice's history, and blocks nothing.
The model is asked outside any transaction (it may take minutes); the findings are then stored in
one short transaction that holds the language as an edit does, so an edit meanwhile keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.languages import SOURCE_LANGUAGE
from core.settings import Settings
from core.states import LanguageState
from pipeline.glossary import load_glossary
from pipeline.lookups import current_language
from pipeline.quality import column_of
from pipeline.review import change_state
from store.audit import record
from store.db import transaction
from store.models import LanguageVersion, NoticeVersion, Segment, Translation
from translators.base import SharedEngineSettings, Throttle, Usage
from translators.checks.advisory import AI_REVIEW
from translators.errors import EngineError
from translators.llm.engine import OpenAISettings
from translators.llm.review import AIReader, ReviewFinding, ReviewResult, ReviewSegment
from translators.registry import read_engine_settings

__all__ = ["READERS", "ReviewOutcome", "configured_reader", "finding_row", "review_language"]

READERS = ("openai",)  # engines that can be the second reader
ACTOR = "ai-review"  # who the history names for the reader's entries
UNAVAILABLE = "AI reader unavailable"


@dataclass(frozen=True)
class ReviewOutcome:
    """What one reading did, for the command, the desk and the flow's log."""

    notice_id: int
    language: str
    read: int = 0  # segments whose findings were stored (none found is a reading too)
    findings: int = 0
    dropped: int = 0  # entries of the model's answers that were not usable
    failed: dict[int, str] = field(default_factory=dict)  # position -> why it was not read
    note: str = ""  # "AI reader unavailable: …" when some or all of it failed
    usage: Usage = Usage()  # what the reading cost; not stored here

    def summary(self) -> str:
        """One line a reviewer reads."""
        said = (
            f"AI reader: {self.read} segment(s) of {self.language} read, "
            f"{self.findings} finding(s) (warnings only)"
        )
        if self.dropped:
            said += f", {self.dropped} unusable answer entr{'y' if self.dropped == 1 else 'ies'} dropped"
        return f"{said}; {self.note}" if self.note else said


def configured_reader(settings: Settings, own: OpenAISettings | None = None) -> AIReader | None:
    """The reader WAIWEN_AI_REVIEW names (None when it is empty); ValueError when misconfigured.

    `own`: the engine's settings when the caller read them (the flows fill the key from a Prefect
    Secret block); else they are read from the environment and waiwen.toml.
    """
    engine = settings.ai_review.strip()
    if not engine:
        return None
    if engine not in READERS:
        raise ValueError(
            f"WAIWEN_AI_REVIEW={engine!r}: the AI second reader can be {', '.join(READERS)} "
            "(or empty for none)"
        )
    found = own if own is not None else read_engine_settings(engine)
    if not isinstance(found, OpenAISettings):
        raise ValueError(f"WAIWEN_AI_REVIEW={engine!r}: engine {engine} has no settings to read")
    return AIReader.from_settings(found, SharedEngineSettings(timeout=settings.engine_timeout))


def finding_row(finding: ReviewFinding, revision: int, model: str) -> dict[str, Any]:
    """One reader's finding as stored: always a warning, the model's severity in the message."""
    major = " (major)" if finding.severity == "major" else ""
    row: dict[str, Any] = {
        "check": AI_REVIEW,
        "severity": "warning",
        "message": f"{finding.category}{major}: {finding.explanation}",
        "category": finding.category,
        "model_severity": finding.severity,
        "revision": revision,
        "model": model,
    }
    for key, span in (("source_span", finding.source_span), ("target_span", finding.target_span)):
        if span is not None:
            row[key] = list(span)
    return row


@dataclass(frozen=True)
class _Pair:
    position: int
    translation_id: int
    revision: int
    segment: ReviewSegment


def review_language(
    database_url: str,
    notice: str,
    language: str,
    reader: AIReader,
    *,
    position: int | None = None,
    actor: str = ACTOR,
    throttle: Throttle | None = None,
) -> ReviewOutcome:
    """Read one language of a notice's current version (or one segment) and store the findings."""
    with transaction(database_url) as session:
        version, _ = current_language(session, notice, language)
        pairs = _pairs(session, version, language, position)
        notice_id, version_id = version.notice_id, version.id
        title, column = version.title, column_of(session, version.id)
    if not pairs:
        what = f"segment {position}" if position is not None else "no segment"
        has = "has no translation" if position is not None else "has a translation yet"
        return ReviewOutcome(
            notice_id, language, note=f"nothing to read: {what} of {language} {has}"
        )
    try:
        result = reader.review(
            SOURCE_LANGUAGE,
            language,
            [pair.segment for pair in pairs],
            title=title,
            column=column,
            throttle=throttle,
        )
    except (EngineError, ValueError) as exc:
        # The reader says what failed in its result; this is what it could not even try.
        error = str(exc)
        result = ReviewResult(
            failed={pair.segment.id: EngineError(reader.engine_id, error) for pair in pairs}
        )
    with transaction(database_url) as session:
        outcome = _store(session, version_id, language, pairs, result, reader.model, actor)
    return ReviewOutcome(
        notice_id,
        language,
        outcome.read,
        outcome.findings,
        outcome.dropped,
        outcome.failed,
        outcome.note,
        result.usage,
    )


def _pairs(
    session: Session, version: NoticeVersion, language: str, position: int | None
) -> list[_Pair]:
    """The segments with a translation, and the glossary's terms in each."""
    glossary = load_glossary(session)
    query = (
        select(Segment, Translation)
        .join(Translation, Translation.segment_id == Segment.id)
        .where(Segment.version_id == version.id, Translation.language == language)
        .order_by(Segment.position)
    )
    if position is not None:
        query = query.where(Segment.position == position)
    pairs = []
    for segment, translation in session.execute(query).all():
        if not (translation.text or "").strip():
            continue
        pairs.append(
            _Pair(
                segment.position,
                translation.id,
                translation.revision,
                ReviewSegment(
                    str(segment.position),
                    segment.source_text,
                    translation.text or "",
                    segment.kind,
                    tuple(glossary.hits(segment.source_text, language)),
                ),
            )
        )
    return pairs


def _store(
    session: Session,
    version_id: int,
    language: str,
    pairs: list[_Pair],
    result: ReviewResult,
    model: str,
    actor: str,
) -> ReviewOutcome:
    """Replace the ai-review findings of each segment read; note what failed; one audit entry."""
    version = session.get_one(NoticeVersion, version_id)
    lang = session.scalars(
        select(LanguageVersion).where(
            LanguageVersion.version_id == version_id, LanguageVersion.language == language
        )
    ).one()
    # Hold the language, whatever its state, as an edit does before saving: an edit then waits
    # for these findings and keeps them, or these wait for the edit and are stored stale.
    change_state(session, version, lang, tuple(LanguageState), None)
    by_id = {pair.segment.id: pair for pair in pairs}
    found: dict[str, list[ReviewFinding]] = {}
    for finding in result.findings:
        found.setdefault(finding.segment_id, []).append(finding)
    stored = 0
    for segment_id in result.read:
        pair = by_id[segment_id]
        translation = session.get_one(Translation, pair.translation_id)
        session.refresh(translation)
        rows = list(translation.findings or [])
        newer = [
            row
            for row in rows
            if row.get("check") == AI_REVIEW and int(row.get("revision") or 0) > pair.revision
        ]
        if newer:
            continue  # a reading of a later text was stored meanwhile: it stands
        kept = [row for row in rows if row.get("check") != AI_REVIEW]
        mine = [finding_row(f, pair.revision, model) for f in found.get(segment_id, [])]
        translation.findings = kept + mine
        stored += len(mine)
    failed = {by_id[i].position: str(error) for i, error in result.failed.items()}
    note = ""
    if failed:
        reasons = "; ".join(dict.fromkeys(failed.values()))
        which = (
            "every segment"
            if len(failed) == len(pairs)
            else "segment(s) " + ", ".join(map(str, sorted(failed)))
        )
        note = f"{UNAVAILABLE}: {reasons} ({which} not read; nothing is blocked)"
    dropped = sum(result.dropped.values())
    detail: dict[str, Any] = {"model": model, "read": len(result.read), "findings": stored}
    if dropped:
        detail["dropped"] = ", ".join(f"{n} {why}" for why, n in sorted(result.dropped.items()))
    if note:
        detail["note"] = note
    record(
        session,
        actor,
        "ai review failed" if failed and not result.read else "ai reviewed",
        notice_id=version.notice_id,
        version_id=version.id,
        language=language,
        **detail,
    )
    return ReviewOutcome(
        version.notice_id, language, len(result.read), stored, dropped, failed, note
    )
