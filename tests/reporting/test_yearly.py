"""The report over a known ledger: every cell, the totals, and the audit listing that adds up to them."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from content.counting import CONVENTIONS, find_convention
from core.settings import Settings
from reporting.yearly import (
    UnmeasuredTexts,
    audit_lines,
    build_report,
    reported_years,
)
from store.db import transaction
from store.models import CountedText
from tests.reporting.ledger import (
    EXPECTED_2025,
    EXPECTED_COLUMNS_2025,
    EXPECTED_KO_CHARACTERS_2025,
    EXPECTED_MONTHS_2025,
    EXPECTED_V2_2025,
    OFFICE_HEADERS,
    load_rows,
)

# The ledger's hand-worked figures are office-2020 v1's, chosen by its label as reports print it.
OFFICE = find_convention("office-2020 v1")
OFFICE_V2 = find_convention("office-2020 v2")
NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
LANGUAGES = ("en", "ja", "fr", "ko")


@pytest.fixture
def url(settings: Settings) -> str:
    load_rows(settings.resolved_database_url)
    return settings.resolved_database_url


def test_every_cell_of_the_office_table(url: str) -> None:
    with transaction(url) as session:
        report = build_report(session, 2025, OFFICE, NOW)
    expected = EXPECTED_2025
    assert report.year_row.cells() == [
        expected["en"],
        expected["ja"],
        expected["fr"],
        expected["ko"],
        expected["articles"],
        expected["total"],
    ]
    assert report.year_row.total == sum(report.year_row.figures[lang] for lang in LANGUAGES)
    assert report.year_row.language_versions == expected["language_versions"]
    assert report.headers == OFFICE_HEADERS and report.languages == LANGUAGES


def test_months_and_columns_add_up_to_the_year(url: str) -> None:
    with transaction(url) as session:
        report = build_report(session, 2025, OFFICE, NOW)
    assert [row.label for row in report.by_month] == [f"2025-{m:02d}" for m in range(1, 13)]
    for month, row in enumerate(report.by_month, start=1):
        want = EXPECTED_MONTHS_2025.get(month, dict.fromkeys([*LANGUAGES, "articles"], 0))
        assert {**row.figures, "articles": row.articles} == want, month
    assert {row.label: {**row.figures, "articles": row.articles} for row in report.by_column} == (
        EXPECTED_COLUMNS_2025
    )
    for rows in (report.by_month, report.by_column):
        for position in range(6):
            assert sum(row.cells()[position] for row in rows) == report.year_row.cells()[position]


def test_audit_listing_adds_up_to_the_table(url: str) -> None:
    with transaction(url) as session:
        report = build_report(session, 2025, OFFICE, NOW)
        lines = list(audit_lines(session, 2025, OFFICE))
    per_language: dict[str, int] = defaultdict(int)
    for line in lines:
        per_language[line.language] += line.figure
    assert dict(per_language) == {lang: report.year_row.figures[lang] for lang in LANGUAGES}
    assert len({line.notice_key for line in lines}) == report.year_row.articles
    assert len(lines) == sum(report.year_row.language_versions.values())
    assert "test:E" not in {line.notice_key for line in lines}  # retracted
    assert [line.published_on for line in lines] == sorted(line.published_on for line in lines)


def test_another_convention_changes_only_what_it_measures_differently(url: str) -> None:
    with transaction(url) as session:
        office = build_report(session, 2025, OFFICE, NOW)
        korean = build_report(session, 2025, find_convention("ko-characters v1"), NOW)
    assert korean.year_row.figures["ko"] == EXPECTED_KO_CHARACTERS_2025
    for lang in ("en", "ja", "fr"):
        assert korean.year_row.figures[lang] == office.year_row.figures[lang]
    assert korean.measures == office.measures  # every measure is kept, whatever is reported
    assert "ko-characters v1" in korean.convention_label


def test_other_years_and_an_empty_year(url: str) -> None:
    with transaction(url) as session:
        assert build_report(session, 2024, OFFICE, NOW).year_row.cells() == [500, 0, 0, 0, 1, 500]
        assert build_report(session, 2026, OFFICE, NOW).year_row.cells() == [0, 800, 0, 0, 1, 800]
        empty = build_report(session, 2019, OFFICE, NOW)
        assert reported_years(session) == [2024, 2025, 2026]
    assert empty.year_row.cells() == [0, 0, 0, 0, 0, 0]
    assert empty.by_column == [] and len(empty.by_month) == 12


def test_a_name_alone_is_its_newest_version_and_v2_counts_words(url: str) -> None:
    assert CONVENTIONS["office-2020"] is OFFICE_V2 is find_convention("office-2020")
    with transaction(url) as session:
        report = build_report(session, 2025, OFFICE_V2, NOW)
        lines = list(audit_lines(session, 2025, OFFICE_V2))
    expected = EXPECTED_V2_2025
    assert report.year_row.cells() == [
        expected[key] for key in ("en", "ja", "fr", "ko", "articles", "total")
    ]
    assert report.convention_label == (
        "office-2020 v2 (en: words, ja: characters_no_spaces, fr: words, ko: words)"
    )
    per_language: dict[str, int] = defaultdict(int)
    for line in lines:
        per_language[line.language] += line.figure
    assert dict(per_language) == report.year_row.figures
    # ko-characters v2 counts en and fr by the same words as office-2020 v2, ko by characters.
    with transaction(url) as session:
        korean = build_report(session, 2025, find_convention("ko-characters"), NOW)
    assert korean.convention.version == 2
    assert korean.year_row.figures == {**report.year_row.figures, "ko": EXPECTED_KO_CHARACTERS_2025}


def test_texts_counted_before_words_existed_refuse_v2_and_still_report_under_v1(
    url: str,
) -> None:
    with transaction(url) as session:
        v1_before = build_report(session, 2025, OFFICE, NOW).year_row.cells()
        # As a ledger upgraded from before office-2020 v2 has them: no `words` on A and D.
        session.execute(
            update(CountedText)
            .where(CountedText.notice_key.in_(["test:A", "test:D"]))
            .values(words=None)
        )
    with transaction(url) as session, pytest.raises(UnmeasuredTexts) as refused:
        build_report(session, 2025, OFFICE_V2, NOW)
    assert str(refused.value) == (
        "2025: convention office-2020 v2 reports by words, which 3 counted text(s) (en 1, fr 1,"
        " ko 1) lack: they were counted before waiwen took that measure. Measure them from"
        " their texts, or report 2025 under 'office-2020 v1'"
    )
    with transaction(url) as session:
        v1 = build_report(session, 2025, OFFICE, NOW)
        lines = list(audit_lines(session, 2025, OFFICE))
        japanese = build_report(session, 2026, OFFICE_V2, NOW)  # 2026 is whole
    assert v1.year_row.cells() == v1_before
    assert v1.measures["ko"]["words"] is None and v1.measures["ko"]["korean_words"] == 200
    assert {line.notice_key: line.measures["words"] for line in lines if line.language == "fr"} == {
        "test:C": 230,
        "test:D": None,
    }
    assert japanese.year_row.cells() == [0, 800, 0, 0, 1, 800]
