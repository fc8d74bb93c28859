"""Counting: the measures of an approved language, and the yearly report's ledger built from them.

The ledger says what each published foreign-language text counts, and in which year. Rules
(docs/report.md): a notice counts in the year of its first foreign-language publication; a
corrected version, once published, replaces the figures of the version it corrects; a retracted
notice drops out. Figures are the measures taken when the language was approved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from content.counting import DEFAULT_CONVENTION, Measures, find_convention, measure
from core.clock import office_date
from core.languages import OFFICE_COLUMNS
from core.states import CountedState
from core.targets import target_languages
from pipeline.texts import approved_text, language_texts
from store.models import CountedText, LanguageVersion, Notice, NoticeVersion, utcnow

MEASURE_NAMES = tuple(Measures.__dataclass_fields__)


def reported_languages() -> tuple[str, ...]:
    """The languages counted for the report, read from the configuration now.

    The office's four columns (英文, 日文, 法文, 韩文) come first whatever is configured, then every
    further configured target in the table's order (德文, 西班牙文 ...).
    """
    further = tuple(code for code in target_languages() if code not in OFFICE_COLUMNS)
    return (*OFFICE_COLUMNS, *further)


def count_language(lang: LanguageVersion, text: str) -> None:
    """Store every measure of ``text`` and the reporting convention's figure on the language version."""
    measures = measure(text)
    convention = find_convention(DEFAULT_CONVENTION)
    lang.measures = measures.as_dict()
    lang.convention = convention.label
    lang.figure = convention.figure(measures, lang.language)


def complete_measures(
    session: Session, version: NoticeVersion, lang: LanguageVersion
) -> dict[str, int]:
    """The language's stored measures, with any taken only since it was counted measured now.

    Measures already stored are kept as they are, so a figure reported before stays the same; a
    new one (``words``, for office-2020 v2) is taken from the approved text, which does not change.
    """
    stored: dict[str, Any] = dict(lang.measures or {})
    missing = [name for name in MEASURE_NAMES if name not in stored]
    if missing:
        texts = language_texts(session, version.id, lang.language)
        fresh = measure(approved_text(version.skeleton or "", texts, lang.language)).as_dict()
        stored.update({name: fresh[name] for name in missing})
        lang.measures = stored
    return {name: int(stored[name]) for name in MEASURE_NAMES}


def count_publication(
    session: Session,
    notice: Notice,
    version: NoticeVersion,
    lang: LanguageVersion,
    published_at: datetime,
) -> None:
    """Count a published foreign-language version; idempotent, and a correction replaces its figures."""
    if lang.measures is None or notice.retracted_at is not None:
        return
    counted = session.scalars(
        select(CountedText).where(
            CountedText.notice_key == notice.key, CountedText.language == lang.language
        )
    ).one_or_none()
    if counted is None and lang.language not in reported_languages():
        return  # not a reported language (the source); a counted one taken out still takes its corrections
    if counted is not None and counted.version >= version.number:
        return  # counted already (a second channel), or an older version published late
    measures = complete_measures(session, version, lang)
    if counted is None:
        first_day = first_publication_day(session, notice.key)
        day = first_day or office_date(published_at)
        session.add(
            CountedText(
                notice_key=notice.key,
                notice_id=notice.id,
                language=lang.language,
                title=notice.title,
                column=notice.column,
                published_on=day,
                year=day.year,
                month=day.month,
                version=version.number,
                source=f"version {version.number}",
                content_hash=version.content_hash,
                lead=first_day is None,
                state=CountedState.COUNTED,
                **measures,
            )
        )
    else:
        counted.version, counted.source = version.number, f"version {version.number}"
        counted.content_hash = version.content_hash
        for name, value in measures.items():
            setattr(counted, name, value)
        counted.updated_at = utcnow()
    session.flush()
    # One title and one column per notice, so the report's breakdown never counts a notice twice.
    session.execute(
        update(CountedText)
        .where(
            CountedText.notice_key == notice.key,
            (CountedText.title != notice.title) | (CountedText.column != notice.column),
        )
        .values(title=notice.title, column=notice.column)
    )


def first_publication_day(session: Session, notice_key: str) -> date | None:
    """The day the notice first went out in a foreign language, if it has."""
    return session.scalar(
        select(func.min(CountedText.published_on)).where(CountedText.notice_key == notice_key)
    )


@dataclass(frozen=True)
class Remeasured:
    """What `measure_again` did: ledger texts completed, and those only their archive can complete."""

    completed: int
    archived: dict[str, int]  # manifest -> texts of it that lack a measure (load it again)


def measure_again(session: Session, year: int | None = None) -> Remeasured:
    """Take the measures counted texts lack (counted before waiwen took them), from their texts.

    Idempotent: a text that has every measure is left alone, and stored measures never change.
    """
    unmeasured = or_(*(getattr(CountedText, name).is_(None) for name in MEASURE_NAMES))
    query = select(CountedText).where(unmeasured).order_by(CountedText.id)
    if year is not None:
        query = query.where(CountedText.year == year)
    completed = 0
    archived: Counter[str] = Counter()
    for counted in session.scalars(query):
        lang = None
        if counted.notice_id is not None:
            lang = session.scalars(
                select(LanguageVersion)
                .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
                .where(
                    NoticeVersion.notice_id == counted.notice_id,
                    NoticeVersion.number == counted.version,
                    LanguageVersion.language == counted.language,
                )
            ).one_or_none()
        if lang is None:
            # An earlier year's article: its text is in the archive's files, not the database.
            archived[counted.source.split(": ", 1)[0]] += 1
            continue
        measures = complete_measures(session, session.get_one(NoticeVersion, lang.version_id), lang)
        for name, value in measures.items():
            if getattr(counted, name) is None:
                setattr(counted, name, value)
        counted.updated_at = utcnow()
        completed += 1
    session.flush()
    return Remeasured(completed, dict(sorted(archived.items())))
