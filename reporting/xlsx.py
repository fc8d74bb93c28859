"""The report as an XLSX workbook for the office's spreadsheets (openpyxl), every cell typed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.clock import OFFICE_TIME_ZONE
from reporting.formats import AUDIT_HEADERS, audit_row
from reporting.yearly import AuditLine, ReportRow, YearlyReport

_BOLD = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Wide enough that a spreadsheet shows the date rather than ####.
_DATE_WIDTH = 12


def _append(sheet: Worksheet, values: Sequence[Any], formats: dict[int, str] | None = None) -> None:
    """Append one row: numbers and dates as such, text always as text, never as a formula."""
    sheet.append(list(values))
    for position, cell in enumerate(sheet[sheet.max_row]):
        if isinstance(values[position], str):
            # openpyxl would read a leading "=" as a formula; a title is text.
            cell.data_type = "s"
        elif formats and position in formats:
            cell.number_format = formats[position]


def _header(sheet: Worksheet, headers: Iterable[str]) -> None:
    _append(sheet, list(headers))
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"


def _month(row: ReportRow) -> date:
    """A month's row label (YYYY-MM) as the first day of the month, shown as YYYY-MM."""
    return date.fromisoformat(f"{row.label}-01")


def _breakdown(
    sheet: Worksheet,
    headers: tuple[str, ...],
    first: str,
    labels: list[Any],
    rows: list[ReportRow],
    total: ReportRow,
    label_format: str | None = None,
) -> None:
    _header(sheet, [first, *headers])
    formats = {0: label_format} if label_format else None
    for label, row in zip(labels, rows, strict=True):
        _append(sheet, [label, *row.cells()], formats)
    _append(sheet, ["合计", *total.cells()])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD


def _office_time(moment: datetime) -> datetime:
    """A moment as the office's wall-clock time: a spreadsheet cell holds no time zone."""
    return moment.astimezone(OFFICE_TIME_ZONE).replace(tzinfo=None)


def write_xlsx(report: YearlyReport, audit: Iterable[AuditLine], path: Path) -> None:
    """Sheets: the office's table, by month, by column, the audit listing, and how it was counted."""
    book = Workbook()
    table = book.active
    assert table is not None
    table.title = f"{report.year}年统计"
    _header(table, report.headers)
    _append(table, report.year_row.cells())
    for position in range(1, len(report.headers) + 1):
        table.column_dimensions[get_column_letter(position)].width = 14

    by_month = book.create_sheet("按月")
    months = [_month(row) for row in report.by_month]
    _breakdown(
        by_month, report.headers, "月份", months, report.by_month, report.year_row, MONTH_FORMAT
    )
    by_month.column_dimensions["A"].width = _DATE_WIDTH
    by_column = book.create_sheet("按栏目")
    labels = [row.label for row in report.by_column]
    _breakdown(by_column, report.headers, "栏目", labels, report.by_column, report.year_row)

    listing = book.create_sheet("明细")
    _header(listing, AUDIT_HEADERS)
    published_on = AUDIT_HEADERS.index("published_on")
    for line in audit:
        _append(listing, audit_row(line), {published_on: DATE_FORMAT})
    listing.column_dimensions[get_column_letter(published_on + 1)].width = _DATE_WIDTH

    about = book.create_sheet("说明")
    _append(about, ["计数规则 convention", report.convention_label])
    _append(
        about,
        ["统计时间 generated (Asia/Shanghai)", _office_time(report.generated_at)],
        {1: DATETIME_FORMAT},
    )
    _append(about, ["年份 year", report.year])
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
