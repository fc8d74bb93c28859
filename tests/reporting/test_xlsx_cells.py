"""The XLSX holds typed cells: dates are date cells with a date format, numbers are numbers, text is text."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import pytest
from defusedxml import ElementTree
from openpyxl import load_workbook

from content.counting import CONVENTIONS
from core.settings import Settings
from pipeline.counts import MEASURE_NAMES, reported_languages
from reporting.formats import AUDIT_HEADERS
from reporting.output import write_report
from reporting.yearly import AuditLine, ReportRow, YearlyReport, audit_lines, build_report
from store.db import transaction
from tests.reporting.ledger import load_rows

OFFICE = CONVENTIONS["office-2020"]
NOW = datetime(2026, 1, 5, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Excel's built-in date formats (ECMA-376 part 1, 18.8.30); waiwen's own have ids from 164 on.
BUILT_IN_DATE_FORMATS = {
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    22: "m/d/yy h:mm",
}


@pytest.fixture
def workbook(settings: Settings, tmp_path: Path) -> Path:
    url = settings.resolved_database_url
    load_rows(url)
    with transaction(url) as session:
        report = build_report(session, 2025, OFFICE, NOW)

    def audit() -> list[AuditLine]:
        with transaction(url) as session:
            return list(audit_lines(session, 2025, OFFICE))

    return write_report(report, "xlsx", tmp_path / "report.xlsx", audit)


class SheetXml:
    """One sheet of an XLSX file read from its XML, not through openpyxl: what Excel reads."""

    def __init__(self, path: Path, sheet: str) -> None:
        with zipfile.ZipFile(path) as package:
            book = ElementTree.fromstring(package.read("xl/workbook.xml"))
            links = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
            styles = ElementTree.fromstring(package.read("xl/styles.xml"))
            [rid] = [
                s.get(f"{RELATIONSHIPS}id")
                for s in book.iter(f"{MAIN}sheet")
                if s.get("name") == sheet
            ]
            [target] = [
                r.get("Target")
                for r in links.iter(f"{PACKAGE_RELATIONSHIPS}Relationship")
                if r.get("Id") == rid
            ]
            name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            self.root = ElementTree.fromstring(package.read(str(PurePosixPath(name))))
        formats = {
            int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")
        }
        [cell_styles] = styles.iter(f"{MAIN}cellXfs")
        self.number_formats = [
            formats.get(
                int(xf.get("numFmtId", "0")),
                BUILT_IN_DATE_FORMATS.get(int(xf.get("numFmtId", "0"))),
            )
            for xf in cell_styles.iter(f"{MAIN}xf")
        ]

    def cell(self, reference: str) -> tuple[str | None, str | None, str | None, bool]:
        """(type attribute, number format, stored value, holds a formula) of one cell."""
        [found] = [c for c in self.root.iter(f"{MAIN}c") if c.get("r") == reference]
        value = found.find(f"{MAIN}v")
        number_format = self.number_formats[int(found.get("s", "0"))]
        formula = found.find(f"{MAIN}f") is not None
        return found.get("t"), number_format, None if value is None else value.text, formula


def _column(header: str) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[AUDIT_HEADERS.index(header)]


def test_published_on_is_a_date_cell_with_a_date_format(workbook: Path) -> None:
    listing = load_workbook(workbook)["明细"]
    published_on = AUDIT_HEADERS.index("published_on")
    cells = [row[published_on] for row in listing.iter_rows(min_row=2)]

    assert [cell.is_date for cell in cells] == [True] * 9
    assert cells[0].value == datetime(2025, 1, 6) and cells[-1].value == datetime(2025, 12, 31)
    assert {cell.number_format for cell in cells} == {"yyyy-mm-dd"}

    # The same as Excel sees it: a serial day number, not a string, styled with a date format.
    sheet = SheetXml(workbook, "明细")
    kind, number_format, value, _ = sheet.cell(f"{_column('published_on')}2")
    assert kind in (None, "n") and number_format == "yyyy-mm-dd"
    assert value is not None and float(value) == (date(2025, 1, 6) - date(1899, 12, 30)).days


def test_numbers_are_number_cells_and_a_missing_notice_number_is_an_empty_cell(
    workbook: Path,
) -> None:
    listing = load_workbook(workbook)["明细"]
    for row in listing.iter_rows(min_row=2):
        for header in ("version", "figure", *MEASURE_NAMES):
            cell = row[AUDIT_HEADERS.index(header)]
            assert cell.data_type == "n" and type(cell.value) is int, (header, cell.value)
        assert row[AUDIT_HEADERS.index("notice")].value is None  # archived rows have no number

    sheet = SheetXml(workbook, "明细")
    kind, _, value, _ = sheet.cell(f"{_column('figure')}2")
    assert kind in (None, "n") and value == "121"


def test_months_and_the_generation_time_are_dates_too(workbook: Path) -> None:
    book = load_workbook(workbook)
    months = book["按月"]
    assert [months.cell(row, 1).value for row in (2, 13)] == [
        datetime(2025, 1, 1),
        datetime(2025, 12, 1),
    ]
    assert months.cell(2, 1).number_format == "yyyy-mm" and months.cell(14, 1).value == "合计"
    generated = book["说明"].cell(2, 2)
    assert generated.is_date and generated.value == datetime(2026, 1, 5, 9, 30)  # Shanghai time
    assert generated.number_format == "yyyy-mm-dd hh:mm"
    kind, number_format, _, _ = SheetXml(workbook, "按月").cell("A2")
    assert kind in (None, "n") and number_format == "yyyy-mm"
    assert [c.value for c in book["2025年统计"][2]] == [401, 780, 291, 213, 4, 1685]


@pytest.mark.parametrize("title", ["=1+1", '=HYPERLINK("http://example.org")', "#N/A", "+86"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, title: str) -> None:
    zero = dict.fromkeys(reported_languages(), 0)
    months = [ReportRow(f"2025-{m:02d}", zero, 0, zero) for m in range(1, 13)]
    report = YearlyReport(2025, OFFICE, NOW, ReportRow("2025", zero, 0, zero), months, [])
    line = AuditLine(
        None,
        "archive:x",
        title,
        "要闻动态",
        date(2025, 5, 1),
        "en",
        1,
        "m.csv",
        1,
        dict.fromkeys(MEASURE_NAMES, 1),
    )
    path = write_report(report, "xlsx", tmp_path / "r.xlsx", lambda: [line])

    cell = load_workbook(path)["明细"].cell(2, AUDIT_HEADERS.index("title") + 1)
    assert (cell.value, cell.data_type) == (title, "s")
    kind, _, _, formula = SheetXml(path, "明细").cell(f"{_column('title')}2")
    assert kind in ("s", "inlineStr") and not formula
