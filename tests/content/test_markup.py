"""Raw HTML found as Python-Markdown would pass it through; look-alikes left alone; linear work."""

from __future__ import annotations

import random

import markdown
import pytest

from content.markup import (
    MAX_LINES_REPORTED,
    RawHtml,
    code_spans,
    escape_raw_html,
    find_raw_html,
    raw_html_rules,
    read,
)

EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


def constructs(text: str) -> list[str]:
    return [found.construct for found in find_raw_html(text)]


def passed_through(text: str) -> list[str]:
    """The raw HTML Python-Markdown keeps for the page (fenced code is stashed too: left out)."""
    md = markdown.Markdown(extensions=EXTENSIONS)
    md.convert(text)
    return [
        str(block)
        for block in md.htmlStash.rawHtmlBlocks
        if str(block).lstrip().startswith("<") and not str(block).startswith("<pre><code")
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("会议召开。<script>alert(1)</script>", ["<script>", "</script>"]),
        ("<script>alert(1)</script>", ["<script>", "</script>"]),
        ('出席会议。<img src=x onerror="alert(2)">', ["<img>"]),
        ("出席会议。<IMG SRC=x ONERROR=alert(2)>", ["<img>"]),
        ("正文<!-- 注释 -->结束", ["<!-- -->"]),
        ("<!-- 未闭合的注释", ["<!-- -->"]),
        ("正文</div>", ["</div>"]),
        ("<span>电话</span>：22161272", ["<span>", "</span>"]),
        ("地址<br>电话", ["<br>"]),
        ("<div", ["<div>"]),  # a block-level tag opening a line, closed or not
        ("   <table>", ["<table>"]),
        ('<iframe src="https://evil.example/"></iframe>', ["<iframe>", "</iframe>"]),
        ("文本<img\nsrc=x onerror=alert(1)>", ["<img>"]),  # a tag across a line break
        ('<a title="<b>" href=x>', ["<a>", "<b>"]),  # a quoted value may hold "<" and ">"
        ("\\<b>粗体</b>", ["<b>", "</b>"]),  # "<" has no backslash escape in Markdown
        ("<!DOCTYPE html>", ["<!DOCTYPE>"]),
        ("<![CDATA[x]]>", ["<![CDATA[ ]]>"]),
        ("<?php echo 1; ?>", ["<?php ?>"]),
        ("a <b `<i>` c>", ["<b>"]),  # Python-Markdown hides the code span before it reads tags
        ("x <a [y<5](u) >", ["<a>"]),  # ... and the link
        ("`未配对的反引号 <b>粗</b>", ["<b>", "</b>"]),  # unsure code spans: read as text
        ("- 项目<em>一</em>", ["<em>", "</em>"]),
        ("| 事项 | <b>费用</b> |\n|---|---|\n", ["<b>", "</b>"]),
        ("> 引用<span>", ["<span>"]),
        ("[1]: <b> 多余", ["<b>"]),  # not a reference definition: Python-Markdown reads a tag
        ("  ```\n<b>\n  ```", ["<b>"]),  # an indented fence is no fence to Python-Markdown
        ("```\n<b>\n````", ["<b>"]),  # nor one closed by a longer fence
        ("- 项目\n\n    <b>x</b>", ["<b>", "</b>"]),  # indented in a list: a paragraph
    ],
)
def test_raw_html_is_found(text: str, found: list[str]) -> None:
    assert constructs(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "3 < 5，且 7 > 6。",
        "依据<<中华人民共和国护照法>>办理。",
        "依据《中华人民共和国护照法》办理。",
        "当x<y时。",
        "第3<4条",
        "访问<https://www.shfao.gov.cn/wsb/index.html>。",
        "邮箱<wsb@shfao.gov.cn>。",
        "写作`<b>`即为粗体。",
        "写作``<b>`</b>``即为粗体。",
        "```\n<div>代码</div>\n```",
        "~~~html\n<script>alert(1)</script>\n~~~",
        "    <b>缩进代码</b>",
        "段落。\n\n    <b>缩进代码</b>",
        '[通知](<images/a b.png>)与![图](<images/hall.png> "会场")',
        "[1]: <images/hall.png>",
        '[1]: <images/hall.png> "会场"',
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "a <b@example.org> 与 a <b",
    ],
)
def test_look_alikes_are_no_html(text: str) -> None:
    assert find_raw_html(text) == []
    assert passed_through(text) == []


def test_lines_count_from_the_first_line() -> None:
    text = "## 标题\n\n第一段。\n\n第二段<b>粗</b>。\n\n<div>\n块\n</div>\n"
    assert find_raw_html(text) == [
        RawHtml(5, text.index("<b>"), "<b>"),
        RawHtml(5, text.index("</b>"), "</b>"),
        RawHtml(7, text.index("<div>"), "<div>"),
        RawHtml(9, text.index("</div>"), "</div>"),
    ]


def test_one_rule_per_line_naming_line_and_what() -> None:
    rules = raw_html_rules("正文。\n<span>a</span><br>\n\n<!-- c -->\n")
    assert rules == [
        "line 2: raw HTML (<span>) is not allowed in a notice; write Markdown "
        "(images as ![alt](file.png), links as [text](url))",
        "line 4: raw HTML (<!-- -->) is not allowed in a notice; write Markdown "
        "(images as ![alt](file.png), links as [text](url))",
    ]


def test_the_first_lines_are_named_and_the_rest_counted() -> None:
    text = "\n\n".join(f"第{n}段<b>。" for n in range(1, 16))
    rules = raw_html_rules(text)
    assert len(rules) == MAX_LINES_REPORTED + 1
    assert rules[0].startswith("line 1: raw HTML (<b>)")
    assert rules[-1] == "lines 21-29: raw HTML on 5 more lines is not allowed either"


def test_every_tag_python_markdown_passes_through_is_found() -> None:
    """Random hostile strings: whatever Python-Markdown keeps as HTML, this reading finds."""
    atoms = [
        "<", ">", "/", "a", "div", "script", " ", "\n", "\n\n", "`", "``", "```", "\\", "[", "]",
        "(", ")", '"', "'", "=", "@", "!", "--", "?", "中", "- ", "> ", "# ", "    ", "|", "---",
        "http://x", "<https://x.cn>", "](<x>)", "<a ", "</a>", "&lt;", "~~~", "\t", "，",
    ]  # fmt: skip
    chance = random.Random(20250303)
    for _ in range(400):
        text = "".join(chance.choice(atoms) for _ in range(chance.randint(1, 25)))
        if passed_through(text):
            assert find_raw_html(text), text


def test_code_spans_pair_runs_of_one_length_on_one_line() -> None:
    assert code_spans("a `b` c ``d`e`` f") == [(2, 5), (8, 15)]
    assert code_spans("no ticks") == []
    assert code_spans("one ` lone") is None
    assert code_spans("`a\nb`") is None
    assert code_spans("\\`a`") is None


def test_escapes_only_inside_the_texts_given() -> None:
    text = "<b>骨架</b> 文本<i>x</i>"
    start = text.index("文本")
    assert escape_raw_html(text, [(start, len(text))]) == "<b>骨架</b> 文本&lt;i>x&lt;/i>"
    assert escape_raw_html(text, []) == text


def test_a_lt_that_a_later_escape_would_free_is_escaped_too() -> None:
    # "<a " stops at "<b>"; once that is "&lt;b>", "<a &lt;b>" would be a tag.
    text = "x <a <b> y"
    assert escape_raw_html(text, [(0, len(text))]) == "x &lt;a &lt;b> y"
    # Not so when the "<" that stops it stays: "x<y <5" has no HTML at all.
    assert escape_raw_html("x<y <5", [(0, 6)]) == "x<y <5"


def test_autolinks_and_code_stay_as_they_are() -> None:
    text = "见<https://a.cn/x>与`<b>`。"
    assert escape_raw_html(text, [(0, len(text))]) == text


SHAPES = {
    "unclosed tags": "外办<span a=",
    "quotes": '外办<a b="',
    "single quotes": "外办<a b='",
    "comments": "外办<!--说明",
    "backtick runs": "外办`a``b```",
    "link addresses": "外办[a](<b",
    "references": "[1]: <a\n",
    "fences": "```x\n<b>\n",
    "autolinks": "<https://a.cn/x",
    "brackets": "外办[[[",
    "blocked tags": "<a <b <c ",
    "indented": "    <b>\n\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_ten_times_the_text_takes_about_ten_times_the_steps(shape: str) -> None:
    unit = SHAPES[shape]

    def steps(chars: int) -> int:
        text = unit * (chars // len(unit))
        return read(text, [(0, len(text))]).steps

    small, large = steps(4_000), steps(40_000)
    assert small > 0
    # Linear work gives a ratio near 10; work that rescans from every unit gives near 100.
    assert large / small < 12, f"{shape}: {large:,} steps for 10x the text of {small:,}"
