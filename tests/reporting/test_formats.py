"""Every output format carries the same figures: Markdown, CSV, JSON, XLSX (openpyxl) and the PNG chart."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from content.counting import find_convention
from core.settings import Settings
from reporting.chart import LANGUAGE_COLOURS
from reporting.formats import AUDIT_HEADERS, to_csv, to_json, to_markdown, write_audit_csv
from reporting.output import write_report
from reporting.yearly import YearlyReport, audit_lines, build_report
from store.db import transaction
from tests.reporting.ledger import EXPECTED_2025, OFFICE_HEADERS, load_rows

OFFICE = find_convention("office-2020 v1")  # the ledger's hand-worked figures
NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
TABLE = [
    EXPECTED_2025["en"],
    EXPECTED_2025["ja"],
    EXPECTED_2025["fr"],
    EXPECTED_2025["ko"],
    EXPECTED_2025["articles"],
    EXPECTED_2025["total"],
]


@pytest.fixture
def url(settings: Settings) -> str:
    load_rows(settings.resolved_database_url)
    return settings.resolved_database_url


@pytest.fixture
def report(url: str) -> YearlyReport:
    with transaction(url) as session:
        return build_report(session, 2025, OFFICE, NOW)


def _audit(url: str):  # type: ignore[no-untyped-def]
    def lines():  # type: ignore[no-untyped-def]
        with transaction(url) as session:
            yield from audit_lines(session, 2025, OFFICE)

    return lines


def test_markdown_has_the_office_table_and_the_convention(report: YearlyReport) -> None:
    text = to_markdown(report)
    lines = text.splitlines()
    header = "| " + " | ".join(OFFICE_HEADERS) + " |"
    at = lines.index(header)
    assert lines[at + 2] == "| " + " | ".join(map(str, TABLE)) + " |"
    assert (
        "office-2020 v1 (en: latin_words, ja: characters_no_spaces, fr: latin_words, ko: korean_words)"
        in text
    )
    assert "| 2025-03 | 200 | 480 | 230 | 110 | 1 | 1020 |" in lines
    assert "| 政务公开 | 280 | 480 | 230 | 110 | 2 | 1100 |" in lines
    assert f"| 合计 | {' | '.join(map(str, TABLE))} |" in lines
    assert "2026-01-05 09:00 (Asia/Shanghai)" in text


def test_csv_is_the_office_table(report: YearlyReport) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert rows == [list(OFFICE_HEADERS), [str(cell) for cell in TABLE]]


def test_json_carries_every_figure(report: YearlyReport) -> None:
    data = json.loads(to_json(report))
    assert data["table"] == dict(zip(OFFICE_HEADERS, TABLE, strict=True))
    assert data["convention"]["name"] == "office-2020" and data["year"] == 2025
    assert sum(month["total"] for month in data["by_month"]) == EXPECTED_2025["total"]
    assert data["whole_year"]["language_versions"] == EXPECTED_2025["language_versions"]


def test_audit_csv_adds_up(url: str, report: YearlyReport) -> None:
    out = io.BytesIO()
    written = write_audit_csv(_audit(url)(), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert list(rows[0]) == list(AUDIT_HEADERS) and written == len(rows) == 9
    for position, lang in enumerate(("en", "ja", "fr", "ko")):
        assert sum(int(r["figure"]) for r in rows if r["language"] == lang) == TABLE[position]


def test_xlsx_opens_with_the_same_numbers(url: str, report: YearlyReport, tmp_path: Path) -> None:
    path = write_report(report, "xlsx", tmp_path / "report.xlsx", _audit(url))
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["2025年统计", "按月", "按栏目", "明细", "说明"]
    table = list(book["2025年统计"].iter_rows(values_only=True))
    assert table == [OFFICE_HEADERS, tuple(TABLE)]
    months = list(book["按月"].iter_rows(values_only=True))
    assert months[0] == ("月份", *OFFICE_HEADERS)
    assert months[3] == (datetime(2025, 3, 1), 200, 480, 230, 110, 1, 1020)  # a month cell
    assert months[-1] == ("合计", *TABLE)
    listing = list(book["明细"].iter_rows(values_only=True))
    assert listing[0] == AUDIT_HEADERS and len(listing) == 10
    figure = AUDIT_HEADERS.index("figure")
    assert sum(row[figure] for row in listing[1:]) == EXPECTED_2025["total"]
    assert "office-2020 v1" in str(list(book["说明"].iter_rows(values_only=True))[0][1])


def _runs(row: list[tuple[int, ...]], colour: tuple[int, int, int]) -> int:
    """Separate stretches of ``colour`` along one row of pixels."""
    runs, inside = 0, False
    for pixel in row:
        hit = pixel[:3] == colour
        runs += hit and not inside
        inside = hit
    return runs


def test_png_is_a_chart_with_one_bar_group_per_month(
    report: YearlyReport, tmp_path: Path, settings: Settings
) -> None:
    # Every language in every month, so each month's group has all four bars.
    from dataclasses import replace

    full = replace(
        report,
        by_month=[
            replace(row, figures={"en": 100 + m, "ja": 50 + m, "fr": 80, "ko": 30}, articles=1)
            for m, row in enumerate(report.by_month)
        ],
    )
    path = write_report(full, "png", tmp_path / "chart.png", lambda: [])
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(path).convert("RGB")
    width, height = image.size
    assert width >= 800 and height >= 400
    pixels = image.load()
    for lang in full.languages:
        hex_colour = LANGUAGE_COLOURS[lang]
        colour = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        rows_with_colour = [
            y for y in range(height) if any(pixels[x, y] == colour for x in range(0, width, 1))
        ]
        assert rows_with_colour, lang
        # Just above the bars' common baseline every bar of the language is crossed once.
        baseline = max(rows_with_colour) - 2
        row = [pixels[x, baseline] for x in range(width)]
        assert _runs(row, colour) == 12, lang
