"""The report for an office drafting into more languages: the office's four columns, then one per further language."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from content.counting import CONVENTIONS, Convention, find_convention
from core.languages import OFFICE_COLUMNS, SHIPPED_TARGETS
from core.settings import Settings, get_settings
from pipeline.counts import reported_languages
from reporting.chart import LANGUAGE_COLOURS
from reporting.formats import to_csv, to_json, to_markdown
from reporting.output import render_bytes, write_report
from reporting.yearly import (
    AuditLine,
    LanguagesNotCovered,
    YearlyReport,
    audit_lines,
    build_report,
)
from store.db import transaction
from store.models import CountedText
from tests.reporting.ledger import EXPECTED_2025, OFFICE_HEADERS, load_rows

EIGHT = "en,ja,fr,ko,de,es,ru,ar"
OFFICE_V1 = find_convention("office-2020 v1")  # the ledger's hand-worked figures
# office-2020 v1 for the office's four, and words for the languages this test adds: the report
# takes any convention; which one the office uses for them is content/counting.py's business.
WIDER = Convention(
    "test-wider",
    1,
    {**OFFICE_V1.measure_for, **dict.fromkeys(("de", "es", "ru", "ar", "pt"), "words")},
)
NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
EIGHT_HEADERS = (
    "英文字数",
    "日文字数",
    "法文字数",
    "韩文字数",
    "德文字数",
    "西班牙文字数",
    "俄文字数",
    "阿拉伯文字数",
    "外文稿件篇数",
    "外文总字词数",
)
# (notice, language, published_on, column, words): texts in the further languages, beside the
# ledger's 2025 notices A-D. H went out in February in five languages, I in March in Arabic only.
FURTHER = [
    ("H", "en", date(2025, 2, 10), "要闻动态", 50),
    ("H", "de", date(2025, 2, 10), "要闻动态", 45),
    ("H", "es", date(2025, 2, 10), "要闻动态", 55),
    ("H", "ru", date(2025, 2, 10), "要闻动态", 40),
    ("H", "ar", date(2025, 2, 10), "要闻动态", 38),
    ("I", "ar", date(2025, 3, 15), "回应关切", 27),
]
# Worked out by hand: the ledger's 2025 figures (office-2020 v1) with H and I added.
EXPECTED = {
    "en": EXPECTED_2025["en"] + 50,  # 450
    "ja": EXPECTED_2025["ja"],  # 780
    "fr": EXPECTED_2025["fr"],  # 290
    "ko": EXPECTED_2025["ko"],  # 200
    "de": 45,
    "es": 55,
    "ru": 40,
    "ar": 38 + 27,  # 65
}
ARTICLES = EXPECTED_2025["articles"] + 2  # A, B, C, D, H, I
TABLE = [*EXPECTED.values(), ARTICLES, 1925]  # 450 + 780 + 290 + 200 + 45 + 55 + 40 + 65
FEBRUARY = [50, 0, 0, 0, 45, 55, 40, 38, 1, 228]


def add_texts(url: str, texts: list[tuple[str, str, date, str, int]]) -> None:
    """Store counted texts as the pipeline would have (the measures other than words: zero)."""
    seen: set[str] = set()
    with transaction(url) as session:
        for key, lang, day, column, words in texts:
            session.add(
                CountedText(
                    notice_key=f"test:{key}",
                    notice_id=None,
                    language=lang,
                    title=f"通知{key}",
                    column=column,
                    published_on=day,
                    year=day.year,
                    month=day.month,
                    version=1,
                    source=f"notice {key}",
                    content_hash=key * 8,
                    latin_words=words if lang == "en" else 0,
                    cjk_characters=0,
                    characters_no_spaces=words * 6,
                    korean_words=0,
                    words=words,
                    lead=key not in seen,
                    state="counted",
                )
            )
            seen.add(key)


def configure(monkeypatch: pytest.MonkeyPatch, targets: str) -> None:
    """Configure the office's targets as WAIWEN_TARGET_LANGUAGES does."""
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", targets)
    get_settings.cache_clear()


@pytest.fixture
def url(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    configure(monkeypatch, EIGHT)
    load_rows(settings.resolved_database_url)
    add_texts(settings.resolved_database_url, FURTHER)
    yield settings.resolved_database_url
    get_settings.cache_clear()


@pytest.fixture
def report(url: str) -> YearlyReport:
    with transaction(url) as session:
        return build_report(session, 2025, WIDER, NOW)


def _audit(url: str, convention: Convention = WIDER):  # type: ignore[no-untyped-def]
    def lines() -> Iterator[AuditLine]:
        with transaction(url) as session:
            yield from audit_lines(session, 2025, convention)

    return lines


@pytest.mark.parametrize(
    ("targets", "reported"),
    [
        ("en,ja,fr,ko", ("en", "ja", "fr", "ko")),
        (EIGHT, ("en", "ja", "fr", "ko", "de", "es", "ru", "ar")),
        # The office's four columns come first even when the configuration leaves one out.
        ("ar,de,en", ("en", "ja", "fr", "ko", "de", "ar")),
        (
            "th,vi,it,pt,ar,ru,es,de,ko,fr,ja,en",
            ("en", "ja", "fr", "ko", "de", "es", "ru", "ar", "pt", "it", "vi", "th"),
        ),
    ],
)
def test_the_reported_languages_are_read_from_the_configuration_when_asked(
    monkeypatch: pytest.MonkeyPatch, targets: str, reported: tuple[str, ...]
) -> None:
    configure(monkeypatch, targets)
    try:
        assert reported_languages() == reported
    finally:
        get_settings.cache_clear()


def test_the_office_columns_come_first_then_each_further_language(report: YearlyReport) -> None:
    assert report.languages == ("en", "ja", "fr", "ko", "de", "es", "ru", "ar")
    assert report.headers == EIGHT_HEADERS
    assert report.year_row.cells() == TABLE
    assert report.by_month[1].cells() == FEBRUARY
    assert report.year_row.language_versions == {
        **EXPECTED_2025["language_versions"],
        "en": 4,
        "de": 1,
        "es": 1,
        "ru": 1,
        "ar": 2,
    }
    assert "de: words, es: words, ru: words, ar: words)" in report.convention_label


def test_every_total_is_the_sum_of_its_language_columns(report: YearlyReport) -> None:
    rows = [report.year_row, *report.by_month, *report.by_column]
    for row in rows:
        cells = row.cells()
        assert cells[-1] == sum(cells[: len(report.languages)]), row.label
    assert sum(row.total for row in report.by_month) == report.year_row.total
    assert sum(row.total for row in report.by_column) == report.year_row.total
    assert sum(row.articles for row in report.by_month) == ARTICLES


def test_markdown_carries_every_column(report: YearlyReport) -> None:
    lines = to_markdown(report).splitlines()
    at = lines.index("| " + " | ".join(EIGHT_HEADERS) + " |")
    assert lines[at + 1] == "|" + "---|" * 10
    assert lines[at + 2] == "| " + " | ".join(map(str, TABLE)) + " |"
    assert "| 2025-02 | " + " | ".join(map(str, FEBRUARY)) + " |" in lines
    assert "| 合计 | " + " | ".join(map(str, TABLE)) + " |" in lines
    assert "| 要闻动态 | 170 | 300 | 0 | 90 | 45 | 55 | 40 | 38 | 2 | 738 |" in lines
    assert (
        "外文语种版本数 (language versions): en 4, ja 2, fr 2, ko 2, de 1, es 1, ru 1, ar 2"
        in lines
    )
    measures = {line.split(" | ")[0] for line in lines if line.startswith("| ") and "|" in line}
    assert {"| de", "| es", "| ru", "| ar"} <= measures


@pytest.mark.parametrize(("encoding", "decoded"), [("utf-8", "utf-8-sig"), ("gb18030", "gb18030")])
def test_csv_carries_every_column_in_either_encoding(
    report: YearlyReport, encoding: str, decoded: str
) -> None:
    data = render_bytes(report, "csv", encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8")
    rows = list(csv.reader(io.StringIO(data.decode(decoded))))
    assert rows == [list(EIGHT_HEADERS), [str(cell) for cell in TABLE]]
    assert list(csv.reader(io.StringIO(to_csv(report)))) == rows


def test_json_has_a_key_per_language(report: YearlyReport) -> None:
    data = json.loads(to_json(report))
    assert data["table"] == dict(zip(EIGHT_HEADERS, TABLE, strict=True))
    whole = data["whole_year"]
    assert list(whole)[1:9] == list(report.languages)
    assert {lang: whole[lang] for lang in report.languages} == EXPECTED
    assert whole["total"] == sum(EXPECTED.values()) and whole["articles"] == ARTICLES
    assert data["by_month"][1]["ar"] == 38 and data["by_month"][2]["ar"] == 27
    assert set(data["measures"]) == set(report.languages)
    assert data["measures"]["de"]["words"] == 45


def test_xlsx_read_back_has_every_column(url: str, report: YearlyReport, tmp_path: Path) -> None:
    path = write_report(report, "xlsx", tmp_path / "report.xlsx", _audit(url))
    book = load_workbook(path)
    table = book["2025年统计"]
    assert [cell.value for cell in table[1]] == list(EIGHT_HEADERS)
    assert [cell.value for cell in table[2]] == TABLE
    # Every column of the table is wide enough to read, not only the first six.
    assert all(table.column_dimensions[letter].width == 14 for letter in "ABCDEFGHIJ")
    months = list(book["按月"].iter_rows(values_only=True))
    assert months[0] == ("月份", *EIGHT_HEADERS)
    assert months[2] == (datetime(2025, 2, 1), *FEBRUARY)
    assert months[-1] == ("合计", *TABLE)
    columns = list(book["按栏目"].iter_rows(values_only=True))
    assert columns[0] == ("栏目", *EIGHT_HEADERS) and columns[-1] == ("合计", *TABLE)
    listing = list(book["明细"].iter_rows(values_only=True))
    language, figure = listing[0].index("language"), listing[0].index("figure")
    for position, lang in enumerate(report.languages):
        assert sum(r[figure] for r in listing[1:] if r[language] == lang) == TABLE[position], lang


def _colour(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


def _bars_at_baseline(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """How many bars of ``colour`` a row of pixels just above their common baseline crosses."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()
    assert pixels is not None
    rows = [y for y in range(height) if any(pixels[x, y] == colour for x in range(width))]
    assert rows, colour
    baseline = max(rows) - 2
    runs, inside = 0, False
    for x in range(width):
        hit = pixels[x, baseline] == colour
        runs += hit and not inside
        inside = hit
    return runs


@pytest.mark.parametrize("targets", [EIGHT, "th,vi,it,pt,ar,ru,es,de,ko,fr,ja,en"])
def test_the_chart_draws_a_bar_per_language_in_every_month(
    report: YearlyReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, targets: str
) -> None:
    configure(monkeypatch, targets)
    languages = reported_languages()
    # Every language in every month, so each month's group has a bar of each.
    full = replace(
        report,
        languages=languages,
        convention=Convention(
            "test-all", 1, {**WIDER.measure_for, **dict.fromkeys(languages[8:], "words")}
        ),
        by_month=[
            replace(row, figures={lang: 40 + 5 * i + m for i, lang in enumerate(languages)})
            for m, row in enumerate(report.by_month)
        ],
    )
    image = Image.open(write_report(full, "png", tmp_path / "chart.png", lambda: []))
    assert image.width >= 1100 + 50 * (len(languages) - 4)  # wider for each further language
    for lang in languages:
        assert _bars_at_baseline(image, _colour(LANGUAGE_COLOURS[lang])) == 12, lang


def test_a_language_taken_out_keeps_its_column_in_the_years_it_was_counted(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = settings.resolved_database_url
    load_rows(url)
    add_texts(url, [("H", "de", date(2025, 2, 10), "要闻动态", 45)])
    configure(monkeypatch, "en,ja,fr,ko")  # German was configured in 2025, and is no longer
    try:
        with transaction(url) as session:
            year_2025 = build_report(session, 2025, WIDER, NOW)
            year_2024 = build_report(session, 2024, WIDER, NOW)
    finally:
        get_settings.cache_clear()
    assert year_2025.headers == (*OFFICE_HEADERS[:4], "德文字数", *OFFICE_HEADERS[4:])
    assert year_2025.year_row.figures["de"] == 45
    assert year_2025.year_row.total == EXPECTED_2025["total"] + 45
    assert year_2024.headers == OFFICE_HEADERS  # nothing German was counted in 2024


def test_a_further_language_with_nothing_counted_has_a_column_of_zeros(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_rows(settings.resolved_database_url)
    configure(monkeypatch, "en,ja,fr,ko,pt")
    try:
        with transaction(settings.resolved_database_url) as session:
            report = build_report(session, 2025, WIDER, NOW)
    finally:
        get_settings.cache_clear()
    assert report.headers == (*OFFICE_HEADERS[:4], "葡萄牙文字数", *OFFICE_HEADERS[4:])
    assert report.year_row.figures["pt"] == 0
    assert report.year_row.total == EXPECTED_2025["total"]


def test_a_convention_without_a_measure_for_a_column_is_refused_by_name(url: str) -> None:
    # Every shipped convention measures every shipped language (below); one made for the office's
    # four alone must not add up a year that has more.
    four = Convention(
        "office-four", 1, {lang: OFFICE_V1.measure_for[lang] for lang in ("zh", *OFFICE_COLUMNS)}
    )
    with transaction(url) as session, pytest.raises(LanguagesNotCovered) as refused:
        build_report(session, 2025, four, NOW)
    assert str(refused.value).startswith(
        "2025: convention office-four v1 has no measure for de, es, ru, ar,"
    )


def test_every_shipped_convention_measures_every_shipped_language() -> None:
    for convention in CONVENTIONS.values():
        assert set(SHIPPED_TARGETS) <= set(convention.measure_for), convention.label
