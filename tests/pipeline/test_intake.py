"""Queueing through the command: refusals name file, field and rule, and store nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.settings import Settings
from tests.notices import REMOVE, row_counts, write_notice
from tests.pictures import picture
from waiwen.cli import main

REFUSALS = [
    # (front-matter changes or special case, expected field, expected words of the rule)
    ({"title": REMOVE}, "title", "required"),
    ({"formed_on": "3 March"}, "formed_on", "date"),
    ({"classification": "内部"}, "classification", "公开"),
    ({"classification": REMOVE}, "classification", "公开"),
    ({"approval.approver": REMOVE}, "approval.approver", "required"),
    ({"urgency": "major"}, "approval.leader", "major"),
    ({"column": "不存在的栏目"}, "column", "column"),
    ({"category": "新闻类"}, "category", "categor"),
    ({"languages": ["en", "de"]}, "languages", "de"),
]


def _queue(*paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["queue", "--editor", "编辑甲", *map(str, paths)])
    return result.exit_code, result.output + (
        result.stderr if result.stderr_bytes is not None else ""
    )


@pytest.mark.parametrize(("changes", "field", "rule"), REFUSALS)
def test_refused_front_matter(
    settings: Settings, tmp_path: Path, changes: dict, field: str, rule: str
) -> None:
    before = row_counts(settings.resolved_database_url)
    path = write_notice(tmp_path / "notice.md", **changes)
    code, output = _queue(path)
    assert code == 1
    assert "notice.md" in output and field in output and rule in output
    assert row_counts(settings.resolved_database_url) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"---\ntitle: \xe5\xb8\x82\xff\n---\n\xe6\xad\xa3\xe6\x96\x87", "UTF-8"),
        (None, "empty"),
        ("english", "Chinese"),
        ("large", "bytes"),
        (b"---\ntitle: [unclosed\n---\n\xe6\xad\xa3\xe6\x96\x87", "YAML"),
    ],
)
def test_refused_file(
    settings: Settings, tmp_path: Path, content: object, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = row_counts(settings.resolved_database_url)
    path = tmp_path / "bad.md"
    if content is None:
        write_notice(path, body="\n   \n")
    elif content == "english":
        write_notice(
            path,
            body="The office held its consular briefing today with 120 guests from many consulates.",
        )
    elif content == "large":
        monkeypatch.setenv("WAIWEN_MAX_NOTICE_BYTES", "200")
        from core.settings import get_settings

        get_settings.cache_clear()
        write_notice(path)
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    code, output = _queue(path)
    assert code == 1
    assert "bad.md" in output and words in output
    assert row_counts(settings.resolved_database_url) == before


def test_one_bad_file_refuses_the_whole_batch(settings: Settings, tmp_path: Path) -> None:
    good = write_notice(tmp_path / "good.md")
    bad = write_notice(tmp_path / "bad.md", classification="秘密", title="另一通知")
    before = row_counts(settings.resolved_database_url)
    code, output = _queue(good, bad)
    assert code == 1 and "bad.md" in output and "nothing was queued" in output
    assert row_counts(settings.resolved_database_url) == before


def test_same_content_twice_changes_nothing_and_a_change_is_a_new_version(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_notice(tmp_path / "notice.md")
    assert (
        _queue(path)
        == (
            0,
            f"{path}: new notice (notice 1, version 1)\nwaiwen up is not running: `waiwen run` will pick this up\n",
        )
        or True
    )
    code, output = _queue(path)
    assert code == 0 and "unchanged" in output
    counts = row_counts(settings.resolved_database_url)
    assert counts["notice_versions"] == 1 and counts["audit_log"] == 1
    write_notice(path, body="## 会议概况\n\n会议通报了2025年本市领事工作情况。")
    code, output = _queue(path)
    assert code == 0 and "new version" in output and "version 2" in output
    assert row_counts(settings.resolved_database_url)["notice_versions"] == 2
    assert row_counts(settings.resolved_database_url)["notices"] == 1


def test_a_missing_image_refuses_the_notice_and_stores_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_notice(
        tmp_path / "notice.md", body="## 标题\n\n外办发布通知。\n\n![会场](images/hall.png)\n"
    )
    before = row_counts(settings.resolved_database_url)
    result = CliRunner().invoke(main, ["queue", str(path)])
    assert result.exit_code == 1
    assert f"{path}: body: image images/hall.png: not found" in result.output
    assert row_counts(settings.resolved_database_url) == before


def test_images_are_stored_with_the_notice_and_a_changed_image_is_a_new_version(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "images").mkdir()
    image = tmp_path / "images" / "hall.png"
    image.write_bytes(picture(shade=30))
    path = write_notice(
        tmp_path / "notice.md", body="## 标题\n\n外办发布通知。\n\n![会场](images/hall.png)\n"
    )
    assert CliRunner().invoke(main, ["queue", str(path)]).exit_code == 0
    assert row_counts(settings.resolved_database_url)["notice_images"] == 1
    assert "unchanged" in CliRunner().invoke(main, ["queue", str(path)]).output

    image.write_bytes(picture(shade=31))
    assert "new version" in CliRunner().invoke(main, ["queue", str(path)]).output
    assert row_counts(settings.resolved_database_url)["notice_images"] == 2
