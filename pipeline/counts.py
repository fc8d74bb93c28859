"""Counting: the measures of an approved language, and the yearly report's ledger built from them.

The ledger says what each published foreign-language text counts, and in which year. Rules
(docs/report.md): a notice counts in the year of its first foreign-language publication; a
corrected version, once published, replaces the figures of the version it corrects; a retracted
notice drops out. Figures are the measures taken when the language was approved.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from content.counting import CONVENTIONS, DEFAULT_CONVENTION, Measures, measure
from core.clock import office_date
from core.languages import TARGET_LANGUAGES
from core.states import CountedState
from store.models import CountedText, LanguageVersion, Notice, NoticeVersion, utcnow

# The office's table, in its order: 英文, 日文, 法文, 韩文.
REPORTED_LANGUAGES = TARGET_LANGUAGES
MEASURE_NAMES = tuple(Measures.__dataclass_fields__)


def count_language(lang: LanguageVersion, text: str) -> None:
    """Store every measure of ``text`` and the reporting convention's figure on the language version."""
    measures = measure(text)
    convention = CONVENTIONS[DEFAULT_CONVENTION]
    lang.measures = measures.as_dict()
    lang.convention = f"{convention.name} v{convention.version}"
    lang.figure = convention.figure(measures, lang.language)


def count_publication(
    session: Session,
    notice: Notice,
    version: NoticeVersion,
    lang: LanguageVersion,
    published_at: datetime,
) -> None:
    """Count a published foreign-language version; idempotent, and a correction replaces its figures."""
    if lang.language not in REPORTED_LANGUAGES or lang.measures is None:
        return
    if notice.retracted_at is not None:
        return
    counted = session.scalars(
        select(CountedText).where(
            CountedText.notice_key == notice.key, CountedText.language == lang.language
        )
    ).one_or_none()
    if counted is not None and counted.version >= version.number:
        return  # counted already (a second channel), or an older version published late
    measures = {name: int(lang.measures.get(name, 0)) for name in MEASURE_NAMES}
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
