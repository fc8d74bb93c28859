"""The translation commands as reviewers and the secretariat type them: glossary, memory, xliff, review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.settings import Settings
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, draft, learn, queue
from tests.translations import ENGLISH
from translators.tmx import read_tmx
from translators.xliff import read_xliff
from waiwen.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def drafted(settings: Settings, url: str, tmp_path: Path) -> int:
    """Notice 1 in English from the memory, segment 3 missing."""
    learn(url, {s: t for s, t in ENGLISH.items() if "120" not in s}, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md", languages=["en"])).version_id
    draft(url, version_id, NO_ENGINES)
    return version_id


def test_glossary_import_and_list(settings: Settings, tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "source,language,target\n出入境管理局,fr,direction de la gestion des entrées et sorties\n",
        encoding="utf-8",
    )
    code, out, _ = run("glossary", "import", str(terms), "--actor", "秘书处")
    assert code == 0 and "1 term(s) added, 0 changed, 0 unchanged" in out
    code, out, _ = run("glossary", "list", "--lang", "fr")
    assert "fr  出入境管理局  →  direction de la gestion des entrées et sorties\n" in out
    assert "fr  领事认证  →  légalisation consulaire" in out  # a starter term
    code, out, _ = run("glossary", "list", "--json")
    assert len(json.loads(out)) == 49  # twelve starter terms in each language and the office's own


def test_a_bad_glossary_file_is_refused_with_its_line(settings: Settings, tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("source,language,target\n领事认证,xx,?\n", encoding="utf-8")
    code, _, err = run("glossary", "import", str(terms))
    assert code == 1 and "terms.csv: line 2: field language is 'xx'" in err


def test_memory_export_writes_tmx(drafted: int, tmp_path: Path) -> None:
    code, out, _ = run("memory", "export", str(tmp_path / "out.tmx"), "--lang", "en")
    assert code == 0 and "11 source segment(s), 11 pair(s)" in out
    units = read_tmx((tmp_path / "out.tmx").read_bytes())
    assert {u.source: u.targets["en"] for u in units} == {
        s: t for s, t in ENGLISH.items() if "120" not in s
    }


def test_review_show_override_and_xliff_round_trip(drafted: int, tmp_path: Path) -> None:
    code, out, _ = run("review", "show", "1", "en")
    assert code == 0 and "memory 100%" in out and "** needs translation **" in out
    code, _, _ = run(
        "review",
        "edit",
        "1",
        "en",
        "3",
        "About 150 representatives attended.",
        "--reviewer",
        "译审甲",
    )
    code, out, _ = run("review", "show", "1", "en")
    assert "! error [numbers] the source has 120; the translation has 150" in out
    code, _, err = run("review", "approve", "1", "en", "--reviewer", "译审甲")
    assert code == 1 and "segment 3 [numbers]" in err
    code, out, _ = run(
        "review",
        "override",
        "1",
        "en",
        "3",
        "numbers",
        "--reason",
        "corrected",
        "--reviewer",
        "译审甲",
    )
    assert code == 0 and "numbers on segment 3 of notice 1 in en accepted" in out
    code, out, _ = run("review", "show", "1", "en", "--json")
    row = next(s for s in json.loads(out)["segments"] if s["position"] == 3)
    assert row["overridden"] == ["numbers"]

    path = tmp_path / "notice-1-en.xlf"
    code, out, _ = run("xliff", "export", "1", "en", str(path))
    assert code == 0 and "12 segment(s)" in out
    data = path.read_text(encoding="utf-8").replace(
        "About 150 representatives attended.", ENGLISH["各国驻沪领事机构代表约120人出席会议。"]
    )
    path.write_text(data, encoding="utf-8")
    code, out, _ = run("xliff", "import", str(path), "--actor", "译文公司")
    assert code == 0 and "1 segment(s) updated (3), 11 unchanged" in out
    assert read_xliff(path.read_bytes()).units[3].state == "translated"
    code, out, _ = run("review", "approve", "1", "en", "--reviewer", "译审甲")
    assert code == 0, out


def test_checks_list_and_set_levels(settings: Settings) -> None:
    code, out, _ = run("checks", "set", "length", "off", "--actor", "秘书处")
    assert (code, out) == (0, "length: its findings in every column are not shown\n")
    code, out, _ = run("checks", "set", "numbers", "warning", "--column", "温馨提示")
    assert out == "numbers: its findings in column 温馨提示 are warnings, which do not block\n"
    code, out, _ = run("checks", "list")
    assert "numbers  Numbers by value  [温馨提示: warning]\n" in out
    assert "length  Length ratio  [every column: off]\n" in out
    assert "empty  Empty translation  [its own levels]\n" in out
    code, out, _ = run("checks", "set", "length", "default")
    assert out == "length: the level set in every column is removed\n"
    listed = {c["id"]: c["levels"] for c in json.loads(run("checks", "list", "--json")[1])}
    assert listed["length"] == {} and listed["numbers"] == {"温馨提示": "warning"}
