"""The report as an XLSX workbook for the office's spreadsheets (openpyxl)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from reporting.formats import AUDIT_HEADERS, audit_row
from reporting.yearly import TABLE_HEADERS, AuditLine, ReportRow, YearlyReport

_BOLD = Font(bold=True)


def _header(sheet: Worksheet, headers: Iterable[str]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"


def _breakdown(sheet: Worksheet, first: str, rows: list[ReportRow], total: ReportRow) -> None:
    _header(sheet, [first, *TABLE_HEADERS])
    for row in rows:
        sheet.append([row.label, *row.cells()])
    sheet.append(["合计", *total.cells()])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD


def write_xlsx(report: YearlyReport, audit: Iterable[AuditLine], path: Path) -> None:
    """Sheets: the office's table, by month, by column, the audit listing, and how it was counted."""
    book = Workbook()
    table = book.active
    assert table is not None
    table.title = f"{report.year}年统计"
    _header(table, TABLE_HEADERS)
    table.append(report.year_row.cells())
    for letter in "ABCDEF":
        table.column_dimensions[letter].width = 14

    _breakdown(book.create_sheet("按月"), "月份", report.by_month, report.year_row)
    _breakdown(book.create_sheet("按栏目"), "栏目", report.by_column, report.year_row)

    listing = book.create_sheet("明细")
    _header(listing, AUDIT_HEADERS)
    for line in audit:
        listing.append(audit_row(line))

    about = book.create_sheet("说明")
    about.append(["计数规则 convention", report.convention_label])
    about.append(["统计时间 generated", report.generated_at.isoformat()])
    about.append(["年份 year", report.year])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 90
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
