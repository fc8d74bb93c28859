"""The language table: written once, read everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.languages import (
    DEFAULT_TARGETS,
    LANGUAGES,
    OFFICE_COLUMNS,
    SHIPPED_TARGETS,
    SOURCE_LANGUAGE,
    order_of,
)
from core.languages import language as language_of
from core.settings import Settings, get_settings
from core.targets import all_languages, target_languages

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "content",
    "desk",
    "flows",
    "pipeline",
    "publishers",
    "reporting",
    "store",
    "translators",
    "waiwen",
    "bench",
)
# A run of quoted codes, as a tuple, list or set literal holds them (not a dict's key: value).
CODE = r"""["'](?:zh|en|ja|fr|ko|de|es|ru|ar)["']"""
RUN = re.compile(rf"(?<!:)(?<!: ){CODE}(?:\s*,\s*{CODE}(?!\s*:))+")


def lists_the_targets(line: str) -> bool:
    """Whether ``line`` writes out every target language in one literal."""
    return any(
        set(DEFAULT_TARGETS) <= set(re.findall(r"\w+", run.group())) for run in RUN.finditer(line)
    )


def test_the_office_order_source_first() -> None:
    assert SOURCE_LANGUAGE == "zh" and next(iter(LANGUAGES)) == "zh"
    assert DEFAULT_TARGETS == (
        "en",
        "ja",
        "fr",
        "ko",
    )  # the office's table: 英文, 日文, 法文, 韩文
    assert [LANGUAGES[c].report_label for c in DEFAULT_TARGETS] == [
        "英文字数",
        "日文字数",
        "法文字数",
        "韩文字数",
    ]


def test_each_entry_knows_its_script_direction_and_joiner() -> None:
    assert {c: LANGUAGES[c].joiner for c in (SOURCE_LANGUAGE, *DEFAULT_TARGETS)} == {
        "zh": "",
        "ja": "",
        "en": " ",
        "fr": " ",
        "ko": " ",
    }
    assert all(LANGUAGES[c].direction == "ltr" for c in (SOURCE_LANGUAGE, *DEFAULT_TARGETS))
    assert LANGUAGES["ko"].script == "Kore" and LANGUAGES["ja"].own_name == "日本語"


def test_unknown_codes_are_named_and_sort_last() -> None:
    with pytest.raises(KeyError, match="unknown language 'xx'; known: zh, en, ja, fr, ko, de, es"):
        language_of("xx")
    assert sorted(["ko", "xx", "zh", "fr"], key=order_of) == ["zh", "fr", "ko", "xx"]


def test_no_other_module_lists_the_languages() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if lists_the_targets(line)
    ]
    assert found == []


def test_the_grep_itself_finds_a_list() -> None:
    assert lists_the_targets('TARGETS = ("en", "ja", "fr", "ko")')
    assert lists_the_targets("order = ['zh', 'en', 'ja', 'fr', 'ko']")
    assert not lists_the_targets('if language in ("en", "fr"):')  # a rule about two, not the list
    assert not lists_the_targets(
        'codes = {"zh": "zh", "en": "en", "ja": "jp", "fr": "fra", "ko": "kor"}'
    )


def test_the_shipped_targets_follow_the_office_four() -> None:
    assert SHIPPED_TARGETS[:4] == OFFICE_COLUMNS
    assert {"de", "es", "ru", "ar", "pt", "it", "vi", "th"} <= set(SHIPPED_TARGETS)
    assert LANGUAGES["ar"].direction == "rtl" and LANGUAGES["ar"].native_digits
    assert LANGUAGES["th"].joiner == "" and LANGUAGES["ru"].script == "Cyrl"
    assert [LANGUAGES[c].report_label for c in ("de", "es", "ru", "ar")] == [
        "德文字数",
        "西班牙文字数",
        "俄文字数",
        "阿拉伯文字数",
    ]
    assert LANGUAGES["ja"].code_for("baidu") == "jp" and LANGUAGES["de"].code_for("baidu") == "de"


def test_the_configured_targets_keep_the_table_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", "ar, en,de")
    get_settings.cache_clear()
    try:
        assert target_languages() == ("en", "de", "ar")
        assert all_languages() == ("zh", "en", "de", "ar")
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("en,xx", "names xx, not a target waiwen ships"),
        ("zh", "names zh, not a target waiwen ships"),
        ("", "names no language"),
    ],
)
def test_a_target_waiwen_does_not_ship_is_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings(target_languages=value)
