"""Quality findings in the pipeline: stored with every draft and edit, blocking approval until fixed or
overridden with a written reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.settings import Settings
from pipeline import review
from pipeline.office_settings import set_check_level
from pipeline.review import ChecksBlock, ReviewError
from pipeline.review_view import show
from store.db import transaction
from store.models import CheckOverride
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, REVIEWER, audit, draft, learn, queue, translations
from tests.translations import ENGLISH
from translators.checks.severity import SeverityRuleError

WRONG_COUNT = "About 150 representatives of consular missions in Shanghai attended."


@pytest.fixture
def drafted(settings: Settings, url: str, tmp_path: Path) -> int:
    """Notice 1 in English, every segment from a clean human translation in the memory."""
    learn(url, ENGLISH, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md", languages=["en"])).version_id
    draft(url, version_id, NO_ENGINES)
    return version_id


def edit(url: str, position: int, text: str) -> None:
    with transaction(url) as session:
        review.edit_segment(session, "1", "en", position, text, REVIEWER)


def override(url: str, position: int, check: str, reason: str) -> None:
    with transaction(url) as session:
        review.override_check(session, "1", "en", position, check, reason, REVIEWER)


def approve(url: str) -> None:
    with transaction(url) as session:
        review.approve(session, "1", "en", REVIEWER)


def test_every_draft_is_checked_and_clean_translations_have_no_finding(
    drafted: int, url: str
) -> None:
    stored = translations(url, drafted, "en")
    assert len(stored) == len(ENGLISH)
    assert {p: t.findings for p, t in stored.items()} == {p: [] for p in stored}


def test_an_edit_is_checked_again_and_its_error_blocks_approval(drafted: int, url: str) -> None:
    edit(url, 3, WRONG_COUNT)
    findings = translations(url, drafted, "en")[3].findings or []
    assert [(f["check"], f["severity"], f["message"]) for f in findings] == [
        ("numbers", "error", "the source has 120; the translation has 150"),
    ]
    with pytest.raises(ChecksBlock) as blocked:
        approve(url)
    assert str(blocked.value) == (
        "1 quality-check error(s) block approval: "
        "segment 3 [numbers] the source has 120; the translation has 150"
    )


def test_an_override_needs_a_reason_and_an_existing_error(drafted: int, url: str) -> None:
    edit(url, 3, WRONG_COUNT)
    with pytest.raises(ReviewError, match="written reason"):
        override(url, 3, "numbers", "  ")
    with pytest.raises(ReviewError, match=r"no error from check 'dates' \(its errors: numbers\)"):
        override(url, 3, "dates", "the date is right")
    with pytest.raises(ReviewError, match="no error from check 'numbers'"):
        override(url, 2, "numbers", "segment 2 has no such error")


def test_an_overridden_error_lets_the_language_be_approved_and_the_reason_is_kept(
    drafted: int, url: str
) -> None:
    edit(url, 3, WRONG_COUNT)
    override(url, 3, "numbers", "the organisers corrected the attendance to 150")
    override(url, 3, "numbers", "said twice")  # the first reason stands
    approve(url)
    with transaction(url) as session:
        [kept] = session.scalars(select(CheckOverride)).all()
        assert (kept.check_id, kept.revision, kept.created_by) == ("numbers", 2, REVIEWER)
        assert kept.reason == "the organisers corrected the attendance to 150"
    [entry] = [a for a in audit(url) if a.action == "check overridden"]
    assert entry.detail["segment"] == 3 and entry.detail["check"] == "numbers"


def test_an_override_covers_only_the_text_it_was_given_for(drafted: int, url: str) -> None:
    edit(url, 3, WRONG_COUNT)
    override(url, 3, "numbers", "attendance corrected")
    edit(url, 3, WRONG_COUNT.replace("150", "160"))
    with pytest.raises(ReviewError, match=r"segment 3 \[numbers\]"):
        approve(url)
    edit(url, 3, ENGLISH["各国驻沪领事机构代表约120人出席会议。"])
    approve(url)


def test_the_review_view_shows_findings_and_overrides(drafted: int, url: str) -> None:
    edit(url, 3, WRONG_COUNT)
    override(url, 3, "numbers", "attendance corrected")
    with transaction(url) as session:
        view = show(session, "1", "en")
    row = next(s for s in view.segments if s.position == 3)
    assert {f["check"] for f in row.findings} == {"numbers"}
    assert row.overridden == ("numbers",)


def set_level(url: str, check: str, level: str | None, column: str | None = None) -> None:
    with transaction(url) as session:
        set_check_level(session, check, level, column, "管理员", ["要闻动态", "温馨提示"])


def test_the_office_sets_a_checks_level_per_column_and_drafts_follow_at_once(
    drafted: int, url: str
) -> None:
    edit(url, 3, WRONG_COUNT)  # notice 1 is in column 要闻动态
    set_level(url, "numbers", "warning", "温馨提示")
    with pytest.raises(ChecksBlock):
        approve(url)  # another column's level does not apply
    set_level(url, "numbers", "off")
    set_level(url, "numbers", "warning", "要闻动态")  # the column's level wins over "off"
    with transaction(url) as session:
        [finding] = show(session, "1", "en").segments[3].findings
    assert (finding["severity"], finding["own_severity"]) == ("warning", "error")
    with pytest.raises(ReviewError, match=r"no error from check 'numbers' \(its errors: none\)"):
        override(url, 3, "numbers", "a warning needs no override")
    set_level(url, "numbers", None, "要闻动态")
    with transaction(url) as session:
        assert show(session, "1", "en").segments[3].findings == ()  # "off" in every column
    set_level(url, "numbers", None)
    with pytest.raises(ChecksBlock):
        approve(url)  # back to the check's own: the error blocks again
    stored = translations(url, drafted, "en")[3].findings or []
    assert [f["severity"] for f in stored] == ["error"]  # stored as the check gave it
    changes = [e.detail for e in audit(url) if e.action == "setting changed"]
    assert changes[0] == {
        "setting": "checks.levels",
        "check": "numbers",
        "level": "warning",
        "column": "温馨提示",
    }
    assert [c["level"] for c in changes] == ["warning", "off", "warning", "default", "default"]


def test_a_level_for_a_check_that_does_not_exist_is_refused(drafted: int, url: str) -> None:
    with pytest.raises(SeverityRuleError, match="no check 'numbrs'"):
        set_level(url, "numbrs", "off")
    with pytest.raises(SeverityRuleError, match="column 新闻: not one of the site's columns"):
        set_level(url, "numbers", "off", "新闻")
