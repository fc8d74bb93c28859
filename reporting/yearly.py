"""The yearly report's figures, read from the counted-texts ledger with one grouped query.

Its languages are the office's four columns, then every further configured target and every other
target the year has counted texts in (a language taken out of the configuration keeps its column
in the years it was counted), in the table's order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from content.counting import RELEASED, Convention, Measures
from core.languages import LANGUAGES, OFFICE_COLUMNS, SHIPPED_TARGETS, order_of
from core.states import CountedState
from pipeline.counts import MEASURE_NAMES, reported_languages
from store.db import transaction
from store.models import CountedText

ARTICLES_HEADER = "外文稿件篇数"
TOTAL_HEADER = "外文总字词数"


def table_headers(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The office's table as it reports it: a column per language (英文字数 ...), articles, total."""
    return (*(LANGUAGES[code].report_label for code in languages), ARTICLES_HEADER, TOTAL_HEADER)


@dataclass(frozen=True)
class ReportRow:
    """One line of figures: the whole year, one month or one column."""

    label: str
    # language -> the convention's figure: every language column, in the table's order
    figures: dict[str, int]
    articles: int  # 外文稿件篇数: notices with at least one foreign-language version counted
    language_versions: dict[str, int]

    @property
    def total(self) -> int:
        """外文总字词数: the plain sum of the languages' figures, mixed units as the office adds them."""
        return sum(self.figures.values())

    def cells(self) -> list[int]:
        """The cells of the office's table, in its order: each language, articles, total."""
        return [*self.figures.values(), self.articles, self.total]


@dataclass(frozen=True)
class YearlyReport:
    """Everything the secretariat reports for one year, under one convention."""

    year: int
    convention: Convention
    generated_at: datetime
    year_row: ReportRow
    by_month: list[ReportRow]
    by_column: list[ReportRow]
    # The table's language columns, the office's four first: every row's figures has these keys.
    languages: tuple[str, ...] = OFFICE_COLUMNS
    # language -> every measure; None where some counted text lacks it (counted before it existed)
    measures: dict[str, dict[str, int | None]] = field(default_factory=dict)

    @property
    def headers(self) -> tuple[str, ...]:
        """The headers of the report's table, one per cell of ``ReportRow.cells``."""
        return table_headers(self.languages)

    @property
    def convention_label(self) -> str:
        """The convention as printed with every report."""
        rules = ", ".join(f"{lang}: {self.convention.measure_for[lang]}" for lang in self.languages)
        return f"{self.convention.name} v{self.convention.version} ({rules})"


@dataclass(frozen=True)
class AuditLine:
    """One notice's contribution in one language: the figures behind every cell."""

    notice_id: int | None
    notice_key: str
    title: str
    column: str
    published_on: date
    language: str
    version: int
    source: str
    figure: int
    measures: dict[str, int | None]  # None: counted before waiwen took that measure


class UnmeasuredTexts(ValueError):
    """A report under a convention whose measure some counted texts of the year do not have yet."""

    def __init__(
        self, year: int, convention: Convention, lacking: dict[str, int], instead: list[str]
    ):
        self.year, self.convention, self.lacking = year, convention, lacking
        counts = ", ".join(f"{lang} {count}" for lang, count in lacking.items())
        measures = sorted({convention.measure_for[lang] for lang in lacking})
        alternative = (
            f", or report {year} under {' or '.join(repr(label) for label in instead)}"
            if instead
            else ""
        )
        super().__init__(
            f"{year}: convention {convention.label} reports by {', '.join(measures)}, which"
            f" {sum(lacking.values())} counted text(s) ({counts}) lack: they were counted before"
            f" waiwen took that measure. Measure them from their texts{alternative}"
        )


class LanguagesNotCovered(KeyError):
    """A report under a convention that has no measure for some of the year's languages."""

    def __init__(self, year: int, convention: Convention, languages: list[str]) -> None:
        self.year, self.convention, self.languages = year, convention, languages
        super().__init__(
            f"{year}: convention {convention.label} has no measure for {', '.join(languages)},"
            " which the report has a column for (configured, or counted that year); report under"
            " a convention that measures every language"
        )

    def __str__(self) -> str:
        return str(self.args[0])  # a KeyError would show its message quoted


def _counted(year: int) -> tuple[ColumnElement[bool], ...]:
    """The rows a year's report adds up: counted, not retracted, in a target of the table."""
    return (
        CountedText.year == year,
        CountedText.state == CountedState.COUNTED,
        CountedText.language.in_(SHIPPED_TARGETS),
    )


def report_languages(counted: set[str]) -> tuple[str, ...]:
    """The table's columns: the reported languages, then any other with texts ``counted`` that year."""
    further = sorted((set(reported_languages()) | counted) - set(OFFICE_COLUMNS), key=order_of)
    return (*OFFICE_COLUMNS, *further)


def build_report(
    session: Session, year: int, convention: Convention, generated_at: datetime
) -> YearlyReport:
    """The year's table, with its breakdown by month and by column."""
    # One grouped query over the covering index ix_counted_texts_report. Articles are the sum of
    # `lead` (one row per notice); a notice has one month and one column on every row
    # (count_publication keeps them so), so groups add up without counting a notice twice.
    sums = session.execute(
        select(
            CountedText.month,
            CountedText.column,
            CountedText.language,
            func.count(),
            func.sum(case((CountedText.lead, 1), else_=0)),
            *(func.sum(getattr(CountedText, name)) for name in MEASURE_NAMES),
            # How many rows have each measure: a text counted before a measure existed has NULL.
            *(func.count(getattr(CountedText, name)) for name in MEASURE_NAMES),
        )
        .where(*_counted(year))
        .group_by(CountedText.month, CountedText.column, CountedText.language)
    ).all()
    languages = report_languages({language for _, _, language, *_ in sums})
    missing = [lang for lang in languages if lang not in convention.measure_for]
    if missing:
        raise LanguagesNotCovered(year, convention, missing)

    figures: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(languages, 0)
    )
    versions: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(languages, 0)
    )
    notices: dict[tuple[str, str], int] = defaultdict(int)
    measures: dict[str, dict[str, int | None]] = {
        lang: dict.fromkeys(MEASURE_NAMES, 0) for lang in languages
    }
    unmeasured = {lang: dict.fromkeys(MEASURE_NAMES, 0) for lang in languages}
    for _, _, language, count, _, *values in sums:
        for name, measured in zip(MEASURE_NAMES, values[len(MEASURE_NAMES) :], strict=True):
            unmeasured[language][name] += int(count) - int(measured)
    lacking = {
        lang: unmeasured[lang][convention.measure_for[lang]]
        for lang in languages
        if unmeasured[lang][convention.measure_for[lang]]
    }
    if lacking:
        instead = [
            other.label
            for other in RELEASED
            if other.name == convention.name
            and all(lang in other.measure_for for lang in languages)
            and not any(unmeasured[lang][other.measure_for[lang]] for lang in languages)
        ]
        raise UnmeasuredTexts(year, convention, lacking, instead)
    for month, column, language, count, leads, *values in sums:
        summed = Measures(*(int(value or 0) for value in values[: len(MEASURE_NAMES)]))
        figure = convention.figure(summed, language)
        for group in (("month", str(month)), ("column", column), ("year", "")):
            figures[group][language] += figure
            versions[group][language] += int(count)
            notices[group] += int(leads or 0)
        for name, value in summed.as_dict().items():
            total = measures[language][name]
            measures[language][name] = None if total is None else total + value
    for lang in languages:
        for name in MEASURE_NAMES:
            if unmeasured[lang][name]:
                measures[lang][name] = None

    def row(group: tuple[str, str], label: str) -> ReportRow:
        return ReportRow(label, dict(figures[group]), notices[group], dict(versions[group]))

    columns = sorted({column for _, column, *_ in sums})
    return YearlyReport(
        year=year,
        convention=convention,
        generated_at=generated_at,
        year_row=row(("year", ""), str(year)),
        by_month=[row(("month", str(m)), f"{year}-{m:02d}") for m in range(1, 13)],
        by_column=[row(("column", c), c) for c in columns],
        languages=languages,
        measures=measures,
    )


def audit_lines(session: Session, year: int, convention: Convention) -> Iterator[AuditLine]:
    """Every counted text of the year, in publication order: the table is the sum of these."""
    columns = (
        CountedText.notice_id,
        CountedText.notice_key,
        CountedText.title,
        CountedText.column,
        CountedText.published_on,
        CountedText.language,
        CountedText.version,
        CountedText.source,
        *(getattr(CountedText, name) for name in MEASURE_NAMES),
    )
    # Plain rows rather than ORM objects: the listing of a busy year has hundreds of thousands.
    rows = session.execute(
        select(*columns)
        .where(*_counted(year))
        .order_by(CountedText.published_on, CountedText.notice_key, CountedText.language)
        .execution_options(yield_per=5000)
    )
    for notice_id, key, title, column, published_on, language, version, source, *values in rows:
        measures = {
            name: None if value is None else int(value)
            for name, value in zip(MEASURE_NAMES, values, strict=True)
        }
        figure = measures[convention.measure_for[language]]
        if figure is None:
            raise UnmeasuredTexts(year, convention, {language: 1}, [])
        yield AuditLine(
            notice_id=notice_id,
            notice_key=key,
            title=title,
            column=column,
            published_on=published_on,
            language=language,
            version=version,
            source=source,
            figure=figure,
            measures=measures,
        )


def reported_years(session: Session) -> list[int]:
    """Years with at least one counted text."""
    return sorted(
        session.scalars(
            select(CountedText.year).where(CountedText.state == CountedState.COUNTED).distinct()
        )
    )


def load_report(
    database_url: str, year: int, convention: Convention, generated_at: datetime
) -> tuple[YearlyReport, Callable[[], Iterator[AuditLine]]]:
    """The year's report, and a function that streams its audit listing in its own transaction."""
    with transaction(database_url) as session:
        report = build_report(session, year, convention, generated_at)

    def audit() -> Iterator[AuditLine]:
        with transaction(database_url) as session:
            yield from audit_lines(session, year, convention)

    return report, audit
