"""Child process of the linear-work test: every text pass over one hostile notice of a given size.

Run as `python -m tests.content.linear_work SHAPE CHARS` (SHAPE "all" joins every shape); the
test counts its instructions, and timing one shape by hand shows which pass is slow.
"""

from __future__ import annotations

import contextlib
import sys

from content.images import referenced_images
from content.notice import IntakeRules, NoticeRefused, parse_notice
from content.segments import assemble, segment_notice

FRONT = """---
title: 线性测试
column: 政务公开
category: 动态类
classification: 公开
formed_on: 2026-01-05
languages: [en]
channels: [site]
approval:
  drafter: 甲
  division: 乙
  contact: 丙
  division_review: 丁
  disclosure_review: 戊
  approver: 己
  approved_on: 2026-01-06
---
"""

# Each shape repeats a unit that some pattern over Markdown text rescans from every occurrence.
SHAPES = {
    "chinese-line": "上海市人民政府外事办公室",
    "brackets": "外办[通知",
    "images": "外办![图",
    "comments": "外办<!--说明",
    "tags": '外办<span title="',
    "code-spans": "外办`a``b```<b",
    "addresses": "外办abc.def",
    "at-signs": "外办a@b",
    "heading-spaces": None,
}


def body(shape: str, chars: int) -> str:
    """A one-line body of about ``chars`` characters built from the shape's unit ("all": each)."""
    if shape == "all":
        return "\n\n".join(body(one, chars) for one in SHAPES)
    if shape == "heading-spaces":
        return "# 外办通知" + " " * chars + "尾\n\n正文。"
    unit = SHAPES[shape]
    assert unit is not None
    return unit * (chars // len(unit))


def main() -> None:
    shape, chars = sys.argv[1], int(sys.argv[2])
    text = body(shape, chars)
    rules = IntakeRules(columns=("政务公开",), max_bytes=100_000_000)
    with contextlib.suppress(NoticeRefused):  # a refusal after every pass is as good here
        parse_notice("linear.md", (FRONT + text).encode(), rules)
    referenced_images(text)
    document = segment_notice("线性测试", text)
    # Texts that enter later are fitted and read for HTML when the body is assembled.
    assemble(document.skeleton, {s.position: s.text for s in document.segments}, "zh")


if __name__ == "__main__":
    main()
