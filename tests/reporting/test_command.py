"""`waiwen report` and `waiwen count` as the secretariat uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from core.settings import Settings
from tests.reporting.ledger import load_rows
from waiwen.cli import main


@pytest.fixture
def ledger(settings: Settings) -> None:
    load_rows(settings.resolved_database_url)


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_markdown_to_standard_output_by_default(ledger: None) -> None:
    # office-2020 v2 is the default: en, fr and ko count every word (tests/reporting/ledger.py).
    code, out, _ = run("report", "--year", "2025")
    assert code == 0
    assert "| 401 | 780 | 291 | 213 | 4 | 1685 |" in out
    assert "计数规则 (convention): office-2020 v2" in out


def test_the_old_figures_come_back_by_the_label_the_old_report_printed(ledger: None) -> None:
    code, out, _ = run("report", "--year", "2025", "--convention", "office-2020 v1")
    assert code == 0
    assert "| 400 | 780 | 290 | 200 | 4 | 1670 |" in out
    assert "计数规则 (convention): office-2020 v1" in out
    code, _, err = run("report", "--year", "2025", "--convention", "office-2020 v3")
    assert (code, err) == (1, "waiwen: convention office-2020 has no version 3; released: v1, v2\n")


def test_files_are_written_where_asked_and_binary_formats_get_a_default_name(
    ledger: None, tmp_path: Path
) -> None:
    code, _, err = run("report", "--year", "2025", "--format", "xlsx")
    assert code == 0 and "wrote report-2025.xlsx" in err
    sheet = load_workbook(tmp_path / "report-2025.xlsx")["2025年统计"]
    assert [c.value for c in sheet[2]] == [401, 780, 291, 213, 4, 1685]
    code, _, _ = run("report", "--year", "2025", "--format", "png", "--output", "out/chart.png")
    assert code == 0 and (tmp_path / "out" / "chart.png").read_bytes()[:4] == b"\x89PNG"
    code, _, _ = run("report", "--year", "2025", "--format", "json", "--output", "r.json")
    assert (
        json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["table"]["外文稿件篇数"] == 4
    )


def test_the_convention_is_chosen_by_name_and_an_unknown_one_is_refused(ledger: None) -> None:
    code, out, _ = run(
        "report", "--year", "2025", "--format", "json", "--convention", "ko-characters"
    )
    assert code == 0 and json.loads(out)["table"]["韩文字数"] == 920
    code, _, err = run("report", "--year", "2025", "--convention", "words-2030")
    assert code == 1
    assert "no reporting convention 'words-2030'; known: ko-characters, office-2020" in err


def test_an_empty_year_says_so(settings: Settings) -> None:
    code, out, err = run("report", "--year", "2019", "--format", "csv")
    assert code == 0 and out.splitlines()[1] == "0,0,0,0,0,0"
    assert "nothing was counted for 2019" in err


def test_count_prints_every_measure_and_the_figure(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "en.md").write_text(
        "---\ntitle: not counted\n---\n# Visa *rules*\n\nSee [the page](https://example.org/a b).\n",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text("# Visa *rules*\n", encoding="utf-8")
    code, out, _ = run("count", "en.md", "en.txt", "--lang", "en", "--json")
    assert code == 0
    data = json.loads(out)
    markdown, plain = data["files"]
    # Markdown: "Visa rules See the page." = 5 words; front matter and link target not counted.
    assert markdown["read_as"] == "markdown" and markdown["latin_words"] == 5
    assert markdown["figure"] == 5 and markdown["characters_no_spaces"] == 20
    # Plain text keeps every character: "#", "Visa", "*rules*" -> 2 words holding a letter.
    assert plain["read_as"] == "plain text" and plain["latin_words"] == 2
    assert plain["characters_no_spaces"] == 12
    assert data["total"]["latin_words"] == 7 and data["convention"] == "office-2020 v2"
    assert data["total"]["words"] == 7 and data["total"]["figure"] == 7
    code, out, _ = run("count", "-", "--lang", "ko", input="서울 시청 **안내** 2025 APEC\n")
    assert code == 0 and out.splitlines()[1].endswith("\t5")
    assert "figure = words for ko under office-2020 v2" in out
    code, out, _ = run(
        "count", "-", "--lang", "ko", "--convention", "office-2020 v1", input="서울 시청 2025\n"
    )
    assert code == 0 and out.splitlines()[1].endswith("\t2")
    assert "figure = korean_words for ko under office-2020 v1" in out


def test_count_refuses_what_it_cannot_read(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    code, _, err = run("count", "latin1.txt", "--lang", "fr")
    assert code == 1 and "latin1.txt: is not UTF-8 text" in err
    code, _, err = run("count", "missing.txt", "--lang", "fr")
    assert code == 1 and "missing.txt: cannot be read" in err
    code, _, err = run("count", "-", "--lang", "xx", input="x")
    assert code == 1 and "--lang xx: convention office-2020 counts only" in err
