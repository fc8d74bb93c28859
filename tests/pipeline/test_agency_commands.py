"""`waiwen xliff export` and `import` as the secretariat types them: versions, conflicts, names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.settings import Settings
from tests.pipeline.agency_notices import MARKED_ENGLISH, queue_drafted, queue_marked
from tests.pipeline.steps import translations
from tests.pipeline.xliff_edits import edit
from tests.translations import ENGLISH
from translators.xliff import read_xliff
from waiwen.cli import main

S4 = ENGLISH["会议通报了2024年本市领事工作情况。"]
TOOLS = Path(sys.executable).parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_export_writes_the_xliff_version_asked_for(
    settings: Settings, tmp_path: Path, version: str
) -> None:
    queue_drafted(settings, tmp_path)
    path = tmp_path / "notice-1-en.xlf"
    code, out, _ = run("xliff", "export", "1", "en", str(path), "--xliff", version)
    assert (code, out) == (0, f"{path}: 12 segment(s) of notice 1 in en (XLIFF {version})\n")
    assert read_xliff(path.read_bytes()).version == version
    code, _, err = run("xliff", "export", "1", "en", str(path), "--xliff", "2.1")
    assert code == 2 and "'2.1' is not one of '1.2', '2.0'" in err


def test_a_conflict_is_listed_on_stderr_with_exit_1_and_the_other_segments_are_taken(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    version_id = queue_drafted(settings, tmp_path)
    path = tmp_path / "notice-1-en.xlf"
    run("xliff", "export", "1", "en", str(path))
    mine = "About 120 consular representatives attended, said the reviewer."
    run("review", "edit", "1", "en", "3", mine, "--reviewer", "审校乙")
    path.write_bytes(edit(path.read_bytes(), {"s3": "The agency's 3.", "s4": S4}))

    code, out, err = run("xliff", "import", str(path), "--actor", "译文公司")

    assert code == 1
    assert out == f"{path}: notice 1 en: 1 segment(s) updated (4), 10 unchanged, 1 conflict(s)\n"
    assert err == (
        f"waiwen: {path}: conflict: trans-unit s3: segment 3 changed since the export (revision 1 "
        "exported, now 2 by 审校乙); the file's text was not taken: \"The agency's 3.\"; the "
        f"desk's stays: {mine!r}\n"
    )
    rows = translations(url, version_id, "en")
    assert (rows[3].text, rows[4].text) == (mine, S4)


def test_a_file_that_does_not_say_its_notice_is_named_on_the_command_line(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    version_id = queue_marked(settings, tmp_path)
    path = tmp_path / "guide.xlf"
    run("xliff", "export", "1", "en", str(path))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'original="[^"]*"', 'original="guide.docx"', text)
    text = re.sub(r'target-language="en" ', "", text)
    text = re.sub(
        r"\s*<context-group purpose=\"location\">.*?</context-group>", "", text, flags=re.S
    )
    path.write_bytes(edit(text.encode(), {"s2": "Read `附件1`; call 021-62172230."}))

    code, _, err = run("xliff", "import", str(path))
    assert code == 1 and "does not say which notice it is for" in err
    code, _, err = run("xliff", "import", str(path), "--notice", "1")
    assert code == 1 and "does not say its language" in err and "--lang" in err
    code, out, err = run("xliff", "import", str(path), "--notice", "1", "--lang", "en")
    assert (code, err) == (0, "")
    assert "1 segment(s) updated (2), 4 unchanged, 0 conflict(s)" in out
    rows = translations(url, version_id, "en")
    assert rows[2].text == "Read `附件1`; call 021-62172230."
    assert rows[1].text == list(MARKED_ENGLISH.values())[1]


def test_a_po_header_unit_is_said_to_be_skipped(settings: Settings, tmp_path: Path) -> None:
    queue_drafted(settings, tmp_path)
    export = tmp_path / "notice-1-en.xlf"
    run("xliff", "export", "1", "en", str(export))
    po_file, back = tmp_path / "notice-1-en.po", tmp_path / "back.xlf"
    # translate-toolkit's converters, run as the agency runs them (installed beside Python)
    for tool, *paths in (("xliff2po", export, po_file), ("po2xliff", po_file, back)):
        subprocess.run([str(TOOLS / tool), *map(str, paths)], check=True, capture_output=True)

    code, out, _ = run("xliff", "import", str(back))

    assert code == 0
    assert "0 segment(s) updated (none), 12 unchanged, 0 conflict(s)" in out
    assert f"{back}: skipped trans-unit 2: the header of a PO file, not a segment\n" in out
