"""`waiwen check` on aligned files: findings with line and check id, exit status 1 on an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.settings import get_settings
from waiwen.cli import main

SOURCE = "领事认证文书5.6万份。\n\n2020年1月1日起施行。\n"


def run(tmp_path: Path, target: str, *extra: str) -> tuple[int, str, str]:
    (tmp_path / "zh.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "en.txt").write_text(target, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), "--lang", "en", *extra]
    )
    return result.exit_code, result.stdout, result.stderr


def test_a_clean_translation_exits_0(tmp_path: Path) -> None:
    code, out, err = run(
        tmp_path, "56,000 consular legalization documents.\n\nEffective January 1, 2020.\n"
    )
    assert (code, out) == (0, "")
    assert "0 error(s), 0 warning(s)" in err


def test_an_error_is_listed_with_file_line_and_check_and_exits_1(tmp_path: Path) -> None:
    code, out, _ = run(
        tmp_path, "56,000 consular legalization documents.\n\nEffective 2 January 2020.\n"
    )
    assert code == 1
    assert (
        out == f"{tmp_path / 'en.txt'}:3: error dates: the source has 2020年1月1日 (1 Jan 2020); "
        "the translation has 2 January 2020 (2 Jan 2020)\n"
    )


def test_json_output_and_a_custom_glossary(tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "source,language,target\n领事认证,en,consular authentication\n", encoding="utf-8"
    )
    code, out, _ = run(
        tmp_path,
        "56,000 consular legalization documents.\n\nEffective January 1, 2020.\n",
        "--json",
        "--glossary",
        str(terms),
    )
    assert code == 1
    assert json.loads(out) == [
        {
            "line": 1,
            "check_id": "glossary",
            "severity": "error",
            "message": (
                "领事认证 must be translated as 'consular authentication'; the translation has "
                "'consular legalization' instead"
            ),
        }
    ]


def test_files_of_different_lengths_are_refused_with_both_names(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "only one line\n")
    assert code == 2
    assert "zh.txt has 3 lines but" in err and "en.txt has 1" in err


def test_the_language_is_one_of_the_configured_targets_read_when_the_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "zh.txt").write_text("请携带护照原件。\n", encoding="utf-8")
    (tmp_path / "de.txt").write_text("Bitte bringen Sie den Originalpass mit.\n", encoding="utf-8")
    args = ["check", str(tmp_path / "zh.txt"), str(tmp_path / "de.txt"), "--lang", "de"]
    monkeypatch.delenv("WAIWEN_TARGET_LANGUAGES", raising=False)
    get_settings.cache_clear()
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2
    assert (
        "Invalid value for '--lang': de is not among the configured target languages "
        "(WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko)" in refused.stderr
    )
    unknown = CliRunner().invoke(main, [*args[:-1], "xx"])
    assert unknown.exit_code == 2
    assert "xx is not a target language; choose from en, ja, fr, ko" in unknown.stderr
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", "en,de")
    get_settings.cache_clear()
    try:
        accepted = CliRunner().invoke(main, args)
    finally:
        get_settings.cache_clear()
    assert accepted.exit_code in (0, 1), accepted.output  # checked: findings or none, not refused
    assert "error(s)" in accepted.stderr
