"""Flow: the yearly foreign-language word-count report, as files and as Prefect artifacts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from content.counting import find_convention
from core.clock import OFFICE_TIME_ZONE, office_today
from core.settings import get_settings
from pipeline.schedules import office_calendar
from reporting.formats import to_markdown
from reporting.output import FORMATS, write_audit, write_report
from reporting.yearly import YearlyReport, load_report
from store.db import transaction


@task(name="write-report-files")
def write_files(year: int, convention_name: str, folder: str) -> tuple[YearlyReport, list[str]]:
    """Build the report and write every format and the audit listing into ``folder``."""
    settings = get_settings()
    report, audit = load_report(
        settings.resolved_database_url,
        year,
        find_convention(convention_name),
        datetime.now(OFFICE_TIME_ZONE),
    )
    out = Path(folder)
    written = [
        str(write_report(report, fmt, out / f"report-{year}.{fmt}", audit)) for fmt in FORMATS
    ]
    audit_path = out / f"audit-{year}.csv"
    write_audit(audit(), audit_path)
    return report, [*written, str(audit_path)]


@flow(name="yearly-report", log_prints=True)
def yearly_report(
    year: int | None = None,
    convention: str | None = None,
    output_dir: str | None = None,
    first_working_days: int = 0,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Write the year's report (default: the year before ``as_of``) and leave its table and text as
    artifacts.

    With ``first_working_days`` N > 0 (the schedule's setting) the run only reports on the first N
    working days of January and does nothing on other days. ``as_of`` is the day the run takes as
    today (default: today in Shanghai), for re-running a missed schedule.
    """
    logger = get_run_logger()
    settings = get_settings()
    today = as_of or office_today()
    if first_working_days > 0:
        with transaction(settings.resolved_database_url) as session:
            index = office_calendar(settings, session).working_day_of_month(today)
        if today.month != 1 or index is None or index > first_working_days:
            logger.info(
                "%s is not one of the first %d working days of January: nothing to do",
                today,
                first_working_days,
            )
            return {"skipped": str(today)}
    year = year or today.year - 1
    folder = Path(output_dir) if output_dir else settings.resolved_reports_dir / str(year)
    report, files = write_files(year, convention or settings.report_convention, str(folder))
    cells = dict(zip(report.headers, report.year_row.cells(), strict=True))
    create_table_artifact(
        key=f"yearly-report-{year}",
        table=[
            {"月份": row.label, **dict(zip(report.headers, row.cells(), strict=True))}
            for row in report.by_month
        ]
        + [{"月份": "合计", **cells}],
        description=f"{year}: {report.convention_label}",
    )
    create_markdown_artifact(
        key=f"yearly-report-{year}-text",
        markdown=to_markdown(report),
        description=f"The {year} report to paste into the annual report",
    )
    print(f"{year}: " + ", ".join(f"{k} {v}" for k, v in cells.items()))
    for path in files:
        print(f"wrote {path}")
    return {"year": year, "table": cells, "files": files, "convention": report.convention_label}
