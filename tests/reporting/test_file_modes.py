"""Exported files get the mode the umask gives any new file (0644 under 022), and stay atomic."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from content.counting import CONVENTIONS
from core.settings import Settings
from reporting.output import write_report, write_whole
from reporting.yearly import AuditLine, load_report
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, draft, learn, queue
from tests.reporting.ledger import load_rows
from tests.translations import ENGLISH
from waiwen.cli import main

UMASKS = [
    pytest.param((0o022, 0o644), id="umask-022"),
    pytest.param((0o027, 0o640), id="umask-027"),
]


@pytest.fixture(params=UMASKS)
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The process's umask for one test (restored after); yields the mode a new file should get."""
    mask, mode = request.param
    before = os.umask(mask)
    try:
        yield mode
    finally:
        os.umask(before)


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + result.stderr


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_report_format_and_the_audit_listing_honour_the_umask(
    settings: Settings, tmp_path: Path, umask: int
) -> None:
    load_rows(settings.resolved_database_url)
    out = tmp_path / "reports"
    for fmt in ("md", "csv", "json", "xlsx", "png"):
        run("report", "--year", "2025", "--format", fmt, "--output", str(out / f"r.{fmt}"))
    run("report", "--year", "2025", "--format", "xlsx", "--output", str(out / "again.xlsx"))
    run("report", "--year", "2025", "--audit", str(out / "audit.csv"), "--encoding", "gb18030")

    modes = {path.name: mode_of(path) for path in out.iterdir()}

    assert modes == dict.fromkeys(
        ["r.md", "r.csv", "r.json", "r.xlsx", "r.png", "again.xlsx", "audit.csv"], umask
    )


def test_the_memory_and_an_agency_xliff_are_exported_with_the_umask_mode(
    settings: Settings, tmp_path: Path, umask: int
) -> None:
    url = settings.resolved_database_url
    learn(url, ENGLISH, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md", languages=["en"])).version_id
    draft(url, version_id, NO_ENGINES)

    run("memory", "export", str(tmp_path / "out" / "memory.tmx"))
    run("xliff", "export", "1", "en", str(tmp_path / "out" / "notice-1-en.xlf"))

    assert {p.name: mode_of(p) for p in (tmp_path / "out").iterdir()} == {
        "memory.tmx": umask,
        "notice-1-en.xlf": umask,
    }


def test_a_replaced_file_takes_the_new_files_mode_not_the_old_one(
    tmp_path: Path, umask: int
) -> None:
    path = tmp_path / "memory.tmx"
    path.write_bytes(b"old")
    path.chmod(0o600)

    write_whole(path, b"new")

    assert (path.read_bytes(), mode_of(path)) == (b"new", umask)


def test_a_failed_write_leaves_the_previous_file_and_nothing_beside_it(
    settings: Settings, tmp_path: Path
) -> None:
    load_rows(settings.resolved_database_url)
    path = tmp_path / "out" / "report.xlsx"
    write_whole(path, b"last year's workbook")

    def broken_listing() -> Iterator[AuditLine]:
        raise OSError("the database went away")
        yield  # a generator, as the real listing is

    now = datetime(2026, 1, 5, tzinfo=UTC)
    report, _ = load_report(settings.resolved_database_url, 2025, CONVENTIONS["office-2020"], now)
    with pytest.raises(OSError, match="went away"):
        write_report(report, "xlsx", path, broken_listing)

    assert [p.name for p in path.parent.iterdir()] == ["report.xlsx"]
    assert path.read_bytes() == b"last year's workbook"
