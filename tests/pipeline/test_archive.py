"""Loading an earlier year's published translations reproduces that year's report; bad manifests load nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.settings import Settings
from store.db import transaction
from store.models import CountedText
from tests.notices import row_counts
from waiwen.cli import main

# Hand-counted: en 6 words; fr 8 words (l'Office is one token); ja 14 characters without
# spaces (。 included); ko 3 space-separated words holding Hangul (a bare "2020" is not a Korean
# word, see docs/counting.md). Markdown markup is not counted.
TEXTS = {
    "2020-visa/en.md": "# Visa *rules* for [2020](https://example.org/x)\n\nApply online.\n",
    "2020-visa/fr.txt": "L'Office publie aujourd'hui les règles des visas 2020.\n",
    "2020-visa/ja.md": "## 査証の規則\n\n2020年に申請。\n",
    "2020-consuls/ko.txt": "영사 기관 명단 2020\n",
    "2020-consuls/en.txt": "Consular posts in Shanghai.\n",
}
MANIFEST = """key,language,published_on,file,title,column
2020-visa,en,2020-03-02,2020-visa/en.md,签证规则,政务公开
2020-visa,fr,2020-03-05,2020-visa/fr.txt,签证规则,政务公开
2020-visa,ja,2020-04-01,2020-visa/ja.md,签证规则,政务公开
2020-consuls,ko,2020-12-31,2020-consuls/ko.txt,领事机构名录,要闻动态
2020-consuls,en,2021-01-04,2020-consuls/en.txt,领事机构名录,要闻动态
"""
# en: visa 6 ("Visa rules for 2020 Apply online.") + consuls 4 = 10; fr 8; ja 14 ("査証の規則" 5 +
# "2020年に申請。" 9); ko 3; two articles, both in 2020 (consuls first went out on 31 December).
TABLE_2020 = ["10", "14", "8", "3", "2", "35"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    for name, text in TEXTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    manifest = folder / "2020.csv"
    manifest.write_text(MANIFEST, encoding="utf-8")
    return manifest


def _report(*args: str, convention: str = "office-2020 v1") -> list[list[str]]:
    # The office's 2020 report was counted under office-2020 v1: its label chooses it again.
    result = CliRunner().invoke(
        main, ["report", "--format", "csv", "--convention", convention, *args]
    )
    assert result.exit_code == 0, result.output
    # The CSV starts with a UTF-8 byte-order mark, as Excel and WPS read it.
    return list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))


def test_an_archive_reproduces_its_years_report(settings: Settings, archive: Path) -> None:
    result = CliRunner().invoke(main, ["archive", "import", str(archive), "--by", "秘书处"])
    assert result.exit_code == 0, result.output
    assert "5 text(s) added, 0 updated, 0 unchanged (years 2020)" in result.output
    table = _report("--year", "2020")
    assert table == [
        ["英文字数", "日文字数", "法文字数", "韩文字数", "外文稿件篇数", "外文总字词数"],
        TABLE_2020,
    ]
    assert _report("--year", "2021")[1] == ["0", "0", "0", "0", "0", "0"]
    # Under office-2020 v2 (the default) the bare "2020" is a Korean word too: ko 4.
    assert _report("--year", "2020", convention="office-2020")[1] == [
        "10",
        "14",
        "8",
        "4",
        "2",
        "36",
    ]

    again = CliRunner().invoke(main, ["archive", "import", str(archive)])
    assert "0 text(s) added, 0 updated, 5 unchanged" in again.output
    assert _report("--year", "2020")[1] == TABLE_2020


def test_a_corrected_archive_file_replaces_its_figures(settings: Settings, archive: Path) -> None:
    CliRunner().invoke(main, ["archive", "import", str(archive)])
    (archive.parent / "2020-consuls/en.txt").write_text("Consular posts.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["archive", "import", str(archive)])
    assert "0 text(s) added, 1 updated, 4 unchanged" in result.output
    assert _report("--year", "2020")[1] == ["8", "14", "8", "3", "2", "33"]


def test_the_audit_listing_names_the_archived_files(
    settings: Settings, archive: Path, tmp_path: Path
) -> None:
    CliRunner().invoke(main, ["archive", "import", str(archive)])
    audit = tmp_path / "audit.csv"
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--year",
            "2020",
            "--format",
            "json",
            "--convention",
            "office-2020 v1",
            "--audit",
            str(audit),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(audit.open(encoding="utf-8")))
    assert len(rows) == 5
    assert {r["notice_key"] for r in rows} == {"archive:2020-visa", "archive:2020-consuls"}
    assert {r["published_on"] for r in rows if r["notice_key"] == "archive:2020-consuls"} == {
        "2020-12-31"
    }
    assert any(r["source"].endswith("2020-visa/fr.txt") for r in rows)
    assert sum(int(r["figure"]) for r in rows) == 35
    with transaction(settings.resolved_database_url) as session:
        leads = session.execute(select(CountedText.notice_key).where(CountedText.lead)).scalars()
        assert sorted(leads) == ["archive:2020-consuls", "archive:2020-visa"]


@pytest.mark.parametrize(
    ("line", "field", "rule"),
    [
        ("x,de,2020-01-01,2020-visa/en.md,t,c", "language", "'de' is not one of en, ja, fr, ko"),
        (
            "x,en,2020-13-01,2020-visa/en.md,t,c",
            "published_on",
            "'2020-13-01' is not a date (YYYY-MM-DD)",
        ),
        ("x,en,2020-01-01,missing.md,t,c", "file", "missing.md: cannot be read"),
        (
            "x,en,2020-01-01,2020.csv,t,c",
            "file",
            "2020.csv: must be Markdown (.md) or plain text (.txt)",
        ),
        ("x,en,,2020-visa/en.md,t,c", "published_on", "is required"),
        (
            "2020-visa,en,2020-01-01,2020-visa/en.md,t,c",
            "language",
            "en of '2020-visa' is listed twice (first on line 2)",
        ),
        (
            "2020-visa,ko,2020-03-02,2020-consuls/ko.txt,签证规则,回应关切",
            "column",
            "title and column of '2020-visa' differ from line 2",
        ),
    ],
)
def test_a_bad_line_refuses_the_whole_manifest(
    settings: Settings, archive: Path, line: str, field: str, rule: str
) -> None:
    archive.write_text(MANIFEST + line + "\n", encoding="utf-8")
    before = row_counts(settings.resolved_database_url)
    result = CliRunner().invoke(main, ["archive", "import", str(archive)])
    assert result.exit_code == 1
    assert f"refused, nothing was loaded from {archive}" in result.output
    assert f"{archive}: line 7: {field}: {rule}" in result.output
    assert row_counts(settings.resolved_database_url) == before


def test_a_manifest_without_the_required_header_is_refused(
    settings: Settings, archive: Path
) -> None:
    archive.write_text("key,lang,date,file\nx,en,2020-01-01,a.md\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["archive", "import", str(archive)])
    assert result.exit_code == 1
    assert (
        f"{archive}: header: must name the fields key, language, published_on, file"
        in result.output
    )
