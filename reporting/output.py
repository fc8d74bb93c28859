"""Writing the report in the format asked for, each file whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from reporting.yearly import AuditLine, YearlyReport

TEXT_FORMATS = ("md", "csv", "json")
FILE_FORMATS = ("xlsx", "png")
FORMATS = TEXT_FORMATS + FILE_FORMATS


def render_text(report: YearlyReport, fmt: str) -> str:
    """The report as Markdown, CSV or JSON text."""
    from reporting import formats

    if fmt == "md":
        return formats.to_markdown(report)
    if fmt == "csv":
        return formats.to_csv(report)
    if fmt == "json":
        return formats.to_json(report)
    raise ValueError(f"{fmt!r} is not a text format ({', '.join(TEXT_FORMATS)})")


def write_report(
    report: YearlyReport, fmt: str, path: Path, audit: Callable[[], Iterable[AuditLine]]
) -> Path:
    """Write one format to ``path`` (beside it first, then renamed, so no half file is left)."""
    with _aside(path) as temporary:
        if fmt in TEXT_FORMATS:
            temporary.write_text(render_text(report, fmt), encoding="utf-8")
        elif fmt == "xlsx":
            from reporting.xlsx import write_xlsx

            write_xlsx(report, audit(), temporary)
        elif fmt == "png":
            from reporting.chart import write_png

            write_png(report, temporary)
        else:
            raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
    return path


def write_audit(lines: Iterable[AuditLine], path: Path) -> int:
    """Write the audit listing CSV; returns its number of lines."""
    from reporting.formats import write_audit_csv

    with _aside(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as out:
        return write_audit_csv(lines, out)


def write_whole(path: Path, data: bytes) -> Path:
    """Write bytes to ``path`` whole or not at all (beside it first, then renamed)."""
    with _aside(path) as temporary:
        temporary.write_bytes(data)
    return path


class _aside:
    """A temporary file beside ``path`` that replaces it on success and vanishes on failure."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=self.path.suffix
        )
        os.close(handle)
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            os.replace(self.temporary, self.path)
        else:
            self.temporary.unlink(missing_ok=True)
