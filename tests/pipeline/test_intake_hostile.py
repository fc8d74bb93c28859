"""Queueing what a careless editor hands over: devices, huge files, one notice twice in a batch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from content.notice import IntakeRules, NoticeRefused, Problem
from core.settings import Settings
from pipeline.intake import read_notices
from tests.notices import write_notice
from tests.pipeline.test_intake import _queue

RULES = IntakeRules(columns=("要闻动态",), max_bytes=10_000)


def _refused(*paths: Path, rules: IntakeRules = RULES) -> list[Problem]:
    with pytest.raises(NoticeRefused) as caught:
        read_notices(list(paths), rules)
    return caught.value.problems


def test_a_device_is_refused_without_being_read() -> None:
    # /dev/zero never ends: reading it first and checking the size afterwards runs out of memory.
    [problem] = _refused(Path("/dev/zero"))
    assert (problem.path, problem.rule) == (
        "/dev/zero",
        "is not a regular file; queue a saved .md file",
    )


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)  # no writer: opening it to read would wait for ever
    [problem] = _refused(fifo)
    assert problem.rule.startswith("is not a regular file")


def test_an_oversized_file_is_refused_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as file:
        file.truncate(5_000_000_000)  # sparse: 5 GB that cost no disk and must never be read
    [problem] = _refused(big)
    assert problem.rule == "is too large (5000000000 bytes; the limit is 10000 bytes)"


def test_the_same_id_twice_in_one_batch_is_refused_naming_both(tmp_path: Path) -> None:
    first = write_notice(tmp_path / "a.md", id="2025-lingshi")
    second = write_notice(tmp_path / "b.md", id="2025-lingshi", title="领事工作通报会（更正）")
    [problem] = _refused(first, second)
    assert problem.path == str(second)
    assert problem.field == "id"
    assert f"has the same id '2025-lingshi' as {first} in this batch" in problem.rule


def test_the_same_title_and_date_twice_without_id_is_refused(tmp_path: Path) -> None:
    first = write_notice(tmp_path / "a.md")
    second = write_notice(tmp_path / "b.md", body="另一份正文，内容不同。\n")
    [problem] = _refused(first, second, rules=IntakeRules(columns=("要闻动态",)))
    assert problem.field == "title"
    assert str(first) in problem.rule and "title and formed_on" in problem.rule


def test_the_command_stores_nothing_of_a_batch_with_a_repeated_notice(
    settings: Settings, tmp_path: Path
) -> None:
    first = write_notice(tmp_path / "a.md", id="x-1")
    second = write_notice(tmp_path / "b.md", id="x-1", title="另一个标题")
    code, output = _queue(first, second)
    assert code == 1
    assert "b.md: id: has the same id 'x-1' as" in output
    code, output = _queue(Path("/dev/zero"))
    assert code == 1 and "/dev/zero: is not a regular file" in output
