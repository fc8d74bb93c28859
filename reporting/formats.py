"""The report as Markdown (to paste into the annual report), CSV and JSON, and the audit listing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any, BinaryIO

from core.clock import OFFICE_TIME_ZONE
from pipeline.counts import MEASURE_NAMES
from reporting.csvfile import UTF8, EncodedCsv
from reporting.yearly import AuditLine, ReportRow, YearlyReport

AUDIT_HEADERS = (
    "notice",
    "notice_key",
    "title",
    "column",
    "published_on",
    "language",
    "version",
    "source",
    "figure",
    *MEASURE_NAMES,
)


def _generated(report: YearlyReport) -> str:
    return report.generated_at.astimezone(OFFICE_TIME_ZONE).strftime(
        "%Y-%m-%d %H:%M (Asia/Shanghai)"
    )


def _markdown_table(
    headers_of_cells: tuple[str, ...], first_header: str | None, rows: Iterable[ReportRow]
) -> list[str]:
    headers = ([first_header] if first_header else []) + list(headers_of_cells)
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = ([row.label] if first_header else []) + [str(c) for c in row.cells()]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def to_markdown(report: YearlyReport) -> str:
    """The office's table, then the breakdowns by month and by column, with the convention used."""
    year = report.year_row
    lines = [
        f"# {report.year}年外文稿件字（词）数统计",
        "",
        f"- 计数规则 (convention): {report.convention_label}",
        f"- 统计时间 (generated): {_generated(report)}",
        "- 口径: 每篇稿件计入其外文版本首次发布的年份；更正稿以最新发布版本的字数替换原稿；撤稿不计。",
        "",
        *_markdown_table(report.headers, None, [year]),
        "",
        "外文语种版本数 (language versions): "
        + ", ".join(f"{lang} {year.language_versions[lang]}" for lang in report.languages),
        "",
        "## 按月 (by month of first publication)",
        "",
        *_markdown_table(report.headers, "月份", [*report.by_month, _total_row(year)]),
        "",
        "## 按栏目 (by column)",
        "",
        *_markdown_table(report.headers, "栏目", [*report.by_column, _total_row(year)]),
        "",
        "## 全部计量 (every measure, whichever the convention picks)",
        "",
        "| 语种 | " + " | ".join(MEASURE_NAMES) + " |",
        "|" + "---|" * (len(MEASURE_NAMES) + 1),
        *(
            f"| {lang} | "
            + " | ".join(_measure_cell(report.measures[lang][m]) for m in MEASURE_NAMES)
            + " |"
            for lang in report.languages
        ),
        "",
    ]
    return "\n".join(lines)


def _measure_cell(value: int | None) -> str:
    """A measure's sum, or "—" when some text of the year was counted before it was taken."""
    return "—" if value is None else str(value)


def _total_row(year: ReportRow) -> ReportRow:
    return ReportRow("合计", year.figures, year.articles, year.language_versions)


def to_csv(report: YearlyReport) -> str:
    """The office's table as CSV text: its headers and one line of figures."""
    out = io.BytesIO()
    write_csv(report, out)
    return out.getvalue().decode("utf-8-sig")  # the text the file holds, without its BOM


def write_csv(report: YearlyReport, out: BinaryIO, encoding: str = UTF8, name: str = "") -> None:
    """The office's table as a CSV file in ``encoding`` (UTF-8 starts with a byte-order mark)."""
    EncodedCsv(out, encoding, name or "report CSV", report.headers).writerow(
        report.year_row.cells()
    )


def _row_dict(row: ReportRow) -> dict[str, Any]:
    return {
        "label": row.label,
        **row.figures,  # a key per language column, in the table's order
        "articles": row.articles,
        "total": row.total,
        "language_versions": row.language_versions,
    }


def to_dict(report: YearlyReport) -> dict[str, Any]:
    """Every figure of the report as plain data."""
    return {
        "year": report.year,
        "convention": {
            "name": report.convention.name,
            "version": report.convention.version,
            "measure_for": dict(report.convention.measure_for),
        },
        "generated_at": report.generated_at.isoformat(),
        "table": dict(zip(report.headers, report.year_row.cells(), strict=True)),
        "whole_year": _row_dict(report.year_row),
        "by_month": [_row_dict(row) for row in report.by_month],
        "by_column": [_row_dict(row) for row in report.by_column],
        "measures": report.measures,
    }


def to_json(report: YearlyReport) -> str:
    """The report as indented JSON (UTF-8 text, not escaped)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def audit_row(line: AuditLine) -> list[Any]:
    """One audit line as typed cells under AUDIT_HEADERS: numbers, a date, and None for no notice.

    The CSV writer writes the date as YYYY-MM-DD and None as an empty field; the XLSX keeps them
    a date cell and an empty cell.
    """
    return [
        line.notice_id,
        line.notice_key,
        line.title,
        line.column,
        line.published_on,
        line.language,
        line.version,
        line.source,
        line.figure,
        *(line.measures[name] for name in MEASURE_NAMES),
    ]


def write_audit_csv(
    lines: Iterable[AuditLine], out: BinaryIO, encoding: str = UTF8, name: str = ""
) -> int:
    """Write the audit listing as CSV in ``encoding``; returns how many lines it has."""
    writer = EncodedCsv(out, encoding, name or "audit listing", AUDIT_HEADERS)
    for line in lines:
        writer.writerow(audit_row(line))
    return writer.rows - 1  # the header is not a line of the listing
