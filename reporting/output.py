"""Writing the report in the format asked for, each file whole or not at all."""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reporting.csvfile import UTF8
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


def render_bytes(report: YearlyReport, fmt: str, encoding: str = UTF8, name: str = "") -> bytes:
    """A text format as the bytes of its file: CSV in ``encoding`` (with its BOM), others UTF-8."""
    if fmt != "csv":
        return render_text(report, fmt).encode("utf-8")
    from reporting.formats import write_csv

    out = io.BytesIO()
    write_csv(report, out, encoding, name)
    return out.getvalue()


def write_report(
    report: YearlyReport,
    fmt: str,
    path: Path,
    audit: Callable[[], Iterable[AuditLine]],
    encoding: str = UTF8,
) -> Path:
    """Write one format to ``path`` (beside it first, then renamed, so no half file is left).

    ``encoding`` is the CSV's (utf-8 with a byte-order mark, or gb18030); Markdown and JSON are
    always UTF-8.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
    with written_whole(path) as temporary:
        if fmt in TEXT_FORMATS:
            temporary.write_bytes(render_bytes(report, fmt, encoding, str(path)))
        elif fmt == "xlsx":
            from reporting.xlsx import write_xlsx

            write_xlsx(report, audit(), temporary)
        else:
            from reporting.chart import write_png

            write_png(report, temporary)
    return path


def write_audit(lines: Iterable[AuditLine], path: Path, encoding: str = UTF8) -> int:
    """Write the audit listing CSV in ``encoding``; returns its number of lines."""
    from reporting.formats import write_audit_csv

    with written_whole(path) as temporary, temporary.open("wb") as out:
        return write_audit_csv(lines, out, encoding, str(path))


def write_whole(path: Path, data: bytes) -> Path:
    """Write bytes to ``path`` whole or not at all (beside it first, then renamed)."""
    with written_whole(path) as temporary:
        temporary.write_bytes(data)
    return path


# A file the office exports goes to shared folders, an agency's account or the web server, so it
# gets the mode any program's new file gets: 0666 less the umask (0644 under umask 022), or what a
# default ACL of the folder says. The temporary file is created with mode 0666 and the kernel
# applies the umask (or the ACL) itself: no reading of the umask, which os.umask can only do by
# changing it, for the whole process and every thread, for a moment. tempfile.mkstemp would
# force 0600.
_NEW_FILE_MODE = 0o666
_ATTEMPTS = 100


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """A new temporary file beside ``path`` that replaces it on success and vanishes on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _new_file_beside(path)
    try:
        yield temporary
        _flush_to_disk(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _new_file_beside(path: Path) -> Path:
    """Create an empty file of a name no other writer holds, in the folder of ``path``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_ATTEMPTS):
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(4)}{path.suffix}")
        try:
            os.close(os.open(candidate, flags, _NEW_FILE_MODE))
        except FileExistsError:
            continue  # another writer's temporary file: draw another name
        return candidate
    raise FileExistsError(f"{path.parent}: no free name for a temporary file beside {path.name}")


def _flush_to_disk(path: Path) -> None:
    """Have the file's bytes on disk before the rename, so a power cut leaves old or new whole."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
