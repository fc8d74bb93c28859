"""The outside package's quality check: found through its entry point, keeping the contract, used
by the pipeline like a built-in one."""

from __future__ import annotations

from pathlib import Path

from waiwen_outside_example.check import ExclamationCheck

from core.settings import Settings
from tests.notices import write_notice
from tests.pipeline.steps import draft, engine_chain, learn, queue, segments, translations
from tests.standins.libretranslate import LibreTranslateStandIn
from tests.translations import ENGLISH
from translators.checks import registered_checks
from translators.checks.registry import BUILTIN_CHECKS
from translators.checks.testing import CheckContract

ROOT = Path(__file__).resolve().parents[2]
WAIWEN_PACKAGES = (
    "core",
    "content",
    "translators",
    "store",
    "publishers",
    "pipeline",
    "reporting",
    "desk",
    "flows",
    "waiwen",
)


def test_the_check_is_found_through_its_entry_point_only() -> None:
    checks = registered_checks()
    assert [c.id for c in checks[len(BUILTIN_CHECKS) :]] == ["outside-exclamation"]
    assert type(checks[-1]).__module__ == "waiwen_outside_example.check"
    naming = [
        str(path.relative_to(ROOT))
        for package in WAIWEN_PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file()
        and path.suffix != ".pyc"
        and any(
            name in path.read_text(encoding="utf-8", errors="replace")
            for name in ("outside-exclamation", "waiwen_outside_example")
        )
    ]
    assert naming == []


class TestExclamationCheck(CheckContract):
    check = ExclamationCheck()
    good = [
        ("请于3月1日前提交申请。", "Please apply by March 1.", "en"),
        ("祝大家节日愉快！", "We wish you a happy holiday!", "en"),
        ("祝大家节日愉快！", "즐거운 연휴 보내시기 바랍니다!", "ko"),
        ("详见![示意图](map.png)。", "See ![the map](map.png).", "fr"),
    ]
    bad = [
        ("请于3月1日前提交申请。", "Apply by March 1!", "en"),
        ("请于3月1日前提交申请。", "Déposez votre demande avant le 1er mars !", "fr"),
        ("请于3月1日前提交申请。", "3月1日までに申請してください！", "ja"),
    ]


def test_a_draft_that_gains_an_exclamation_mark_is_stored_with_the_warning(
    settings: Settings, libretranslate: LibreTranslateStandIn, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    heading = "会议概况"
    learn(url, {source: text for source, text in ENGLISH.items() if source != heading}, "en")
    libretranslate.phrasebook[(heading, "en")] = "Overview of the meeting!"
    notice = write_notice(tmp_path / "notice.md", languages=["en"])
    version_id = queue(settings, notice).version_id
    draft(url, version_id, engine_chain(libretranslate.url))
    [position] = [p for p, source in segments(url, version_id).items() if source == heading]
    stored = translations(url, version_id, "en")
    assert stored[position].text == "Overview of the meeting!"
    assert stored[position].findings == [
        {
            "check": "outside-exclamation",
            "severity": "warning",
            "message": "an exclamation mark the Chinese source does not have",
        }
    ]
    assert all(t.findings == [] for p, t in stored.items() if p != position)
