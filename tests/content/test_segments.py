"""Markdown body to segments and skeleton, and assembly back."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from content.notice import without_front_matter
from content.render import markdown_to_html
from content.segments import (
    _ONE,
    _RUN,
    Segment,
    SegmentedDocument,
    assemble,
    fit_text,
    segment_notice,
    sentence_joiner,
    split_sentences,
)
from tests.notices import BODY as NOTICE_BODY


def texts(body: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in segment_notice("", body).segments]


def round_trip(body: str, language: str = "zh") -> str:
    doc = segment_notice("标题", body)
    return assemble(doc.skeleton, {s.position: s.text for s in doc.segments}, language)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("他说：“你好！”然后离开。", ["他说：“你好！”", "然后离开。"]),
        ("请注意（详见附件。）其他。", ["请注意（详见附件。）", "其他。"]),
        ("真的吗？！当然。", ["真的吗？！", "当然。"]),
        ("Really?! Yes. No!", ["Really?!", "Yes. No!"]),
        ("一、范围；二、时间；三、地点。", ["一、范围；二、时间；三、地点。"]),
        ("没有句号的结尾", ["没有句号的结尾"]),
        ("第一句。  第二句。  ", ["第一句。", "第二句。"]),
        ("——", ["——"]),
        ("**请注意！**以下事项。", ["**请注意！**", "以下事项。"]),
        ("`a?b!`不拆分。", ["`a?b!`不拆分。"]),
    ],
)
def test_sentence_split(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_links_and_urls_not_split() -> None:
    body = "详见[《通知》。请阅读！](https://www.shfao.gov.cn/a?id=1)后办理。访问https://a.cn/b?c=1！完成。"
    assert texts(body) == [
        ("paragraph", "详见[《通知》。请阅读！](https://www.shfao.gov.cn/a?id=1)后办理。"),
        ("paragraph", "访问https://a.cn/b?c=1！"),
        ("paragraph", "完成。"),
    ]


def test_title_heading_paragraph_positions() -> None:
    doc = segment_notice("  市政府外办召开通报会  ", "## 一、概况\n\n会议召开。代表出席。\n")
    assert doc.segments == (
        Segment(0, "title", "市政府外办召开通报会"),
        Segment(1, "heading", "一、概况"),
        Segment(2, "paragraph", "会议召开。"),
        Segment(3, "paragraph", "代表出席。"),
    )
    assert doc.skeleton == "## \ue0001\ue001\n\n\ue0002\ue001\ue0003\ue001\n"


def test_heading_not_split_and_closing_hashes_kept() -> None:
    doc = segment_notice("", "### 注意！请阅读。 ###")
    assert [s.text for s in doc.segments] == ["注意！请阅读。"]
    assert doc.skeleton == "### \ue0001\ue001 ###"


def test_lists_nested_and_numbered() -> None:
    body = "- 第一项。第二句。\n  - 子项\n1. 编号项\n- [x] 已完成\n-\n"
    doc = segment_notice("", body)
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("list_item", "第一项。"),
        ("list_item", "第二句。"),
        ("list_item", "子项"),
        ("list_item", "编号项"),
        ("list_item", "已完成"),
    ]
    assert doc.skeleton == (
        "- \ue0001\ue001\ue0002\ue001\n  - \ue0003\ue001\n1. \ue0004\ue001\n"
        "- [x] \ue0005\ue001\n-\n"
    )


def test_quote() -> None:
    doc = segment_notice("", "> 引用一。引用二。\n> 续行。\n>\n> - 列表\n")
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("quote", "引用一。"),
        ("quote", "引用二。"),
        ("quote", "续行。"),
        ("quote", "列表"),
    ]
    assert doc.skeleton == "> \ue0001\ue001\ue0002\ue001\ue0003\ue001\n>\n> - \ue0004\ue001\n"


def test_table_cell_by_cell() -> None:
    body = "| 事项 | 费用。说明 |\n|:---|---:|\n| 护照 |  |\n| 签证 | 免费 |\n"
    doc = segment_notice("", body)
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("table_cell", "事项"),
        ("table_cell", "费用。说明"),
        ("table_cell", "护照"),
        ("table_cell", "签证"),
        ("table_cell", "免费"),
    ]
    assert doc.skeleton == (
        "| \ue0001\ue001 | \ue0002\ue001 |\n|:---|---:|\n"
        "| \ue0003\ue001 |  |\n| \ue0004\ue001 | \ue0005\ue001 |\n"
    )


def test_verbatim_blocks_have_no_segments() -> None:
    body = (
        "```python\nprint('不翻译。')\n\n# 不是标题\n```\n\n"
        '<div class="note">\n内嵌HTML。\n</div>\n\n'
        "---\n\n"
        "    缩进代码。\n\n"
        "<!-- 注释。\n多行 -->\n\n"
        "[1]: https://www.shfao.gov.cn\n"
    )
    doc = segment_notice("", body)
    assert doc.segments == ()
    assert doc.skeleton == body


def test_setext_heading() -> None:
    doc = segment_notice("", "通知标题\n====\n\n正文。")
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("heading", "通知标题"),
        ("paragraph", "正文。"),
    ]
    assert doc.skeleton == "\ue0001\ue001\n====\n\n\ue0002\ue001"


@pytest.mark.parametrize(
    ("body", "normalised"),
    [
        # Lines of a paragraph are joined: nothing between CJK, a space between Latin words.
        ("第一行\n第二行。\n\n第三段。", "第一行第二行。\n\n第三段。"),
        ("访问 APEC\nBusiness Travel Card 页面。", "访问 APEC Business Travel Card 页面。"),
        # Whitespace between sentences and at line ends goes; the ideographic indent goes.
        ("第一句。 第二句。  \n", "第一句。第二句。\n"),
        ("\u3000\u3000为进一步做好工作。", "为进一步做好工作。"),
        # Hard line breaks are kept.
        ("地址：中山东一路33号  \n电话：12345。", "地址：中山东一路33号  \n电话：12345。"),
        ("- 第一项\n  续行。\n- 第二项", "- 第一项续行。\n- 第二项"),
        ("> 地址：中山东一路33号  \n> 电话：12345。", "> 地址：中山东一路33号  \n> 电话：12345。"),
        ("| 甲 | 乙 |\n|---|---|\n一行没有竖线", "| 甲 | 乙 |\n|---|---|\n一行没有竖线"),
        ("> 引用\n> 续行。", "> 引用续行。"),
        # Everything structural is verbatim.
        (
            "## 标题 ##\n\n| 甲 | 乙 |\n|---|---|\n| 一 |  |\n\n```\n代码\n```\n",
            "## 标题 ##\n\n| 甲 | 乙 |\n|---|---|\n| 一 |  |\n\n```\n代码\n```\n",
        ),
        ("第一段。\r\n\r\n第二段。\r\n", "第一段。\n\n第二段。\n"),
    ],
)
def test_round_trip_equals_normalised_body(body: str, normalised: str) -> None:
    assert round_trip(body) == normalised


def test_round_trip_of_a_full_notice() -> None:
    body = (
        "## 一、会议概况\n\n"
        "3月3日，市政府外办召开2025年领事工作通报会。各国驻沪领馆代表出席会议！\n\n"
        "- 介绍[APEC商务旅行卡](https://www.shfao.gov.cn/apec)办理情况。\n"
        "- 通报领事认证工作？\n\n"
        "> 会议强调：“做好服务。”\n\n"
        "| 事项 | 数量 |\n|---|---|\n| 认证 | 2,154 |\n\n"
        "```\nno segments here\n```\n"
    )
    assert round_trip(body) == body


def test_assemble_in_english_joins_with_spaces() -> None:
    doc = segment_notice("通报会", "会议召开。代表出席。\n\n| 事项 | 费用 |\n|---|---|\n")
    english = {
        0: "Briefing",
        1: "The meeting was held.",
        2: "Delegates attended.",
        3: "Item",
        4: "Fee",
    }
    assert assemble(doc.skeleton, english, "en") == (
        "The meeting was held. Delegates attended.\n\n| Item | Fee |\n|---|---|\n"
    )
    japanese = {1: "会議が開催された。", 2: "代表が出席した。", 3: "事項", 4: "費用"}
    assert assemble(doc.skeleton, japanese, "ja").startswith("会議が開催された。代表が出席した。\n")


def test_assemble_missing_position_raises_key_error() -> None:
    doc = segment_notice("", "一。二。")
    with pytest.raises(KeyError):
        assemble(doc.skeleton, {1: "One."}, "en")


@pytest.mark.parametrize(
    ("language", "joiner"), [("en", " "), ("fr", " "), ("ko", " "), ("zh", ""), ("ja", "")]
)
def test_sentence_joiner(language: str, joiner: str) -> None:
    assert sentence_joiner(language) == joiner


def test_sentence_joiner_unknown_language() -> None:
    with pytest.raises(ValueError):
        sentence_joiner("xx")


def test_segments_never_empty_and_whitespace_stripped() -> None:
    doc = segment_notice("", "  ——  \n\n   \n\n|  | 　 |\n|---|---|\n")
    assert [s.text for s in doc.segments] == ["——"]
    assert all(s.text and s.text == s.text.strip() for s in doc.segments)


def test_placeholder_characters_in_body_rejected() -> None:
    with pytest.raises(ValueError):
        segment_notice("", "私用区\ue000字符")


# --- A text keeps its place whatever it holds -------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[2] / "content" / "samples"
TABLE_BODY = (
    "## 会议概况\n\n"
    "3月3日，市政府外办召开会议。各国代表出席。\n\n"
    "| 事项 | 数量 |\n|---|---|\n| 领事认证 | 5.6万份 |\n| 外国人来华邀请 | 3200件 |\n\n"
    "- 第一项。\n- 第二项。\n\n"
    "> 会议强调：做好服务。\n"
)
HOSTILE_EDIT = (
    "<script>alert(1)</script> 5.6 | thousand\n\n"
    '# <img src=x onerror="alert(2)"> <!-- c -->\n- item\n> quote\n1. one\n---\n```'
)


class Tree(HTMLParser):
    """The elements of rendered HTML (tag names in order) and the text of each table cell."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.texts: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def plain_fill(skeleton: str, texts: dict[int, str], joiner: str) -> str:
    """Assembly as it was before texts were fitted: every text pasted in as it is."""
    return _RUN.sub(lambda run: joiner.join(texts[int(n)] for n in _ONE.findall(run[0])), skeleton)


def english(body: str, edits: dict[str, str]) -> tuple[SegmentedDocument, dict[int, str]]:
    """The document, and texts where the segments named by their Chinese text are edited."""
    doc = segment_notice("标题", body)
    texts = {s.position: edits.get(s.text, f"T{s.position}") for s in doc.segments}
    assert set(edits) <= {s.text for s in doc.segments}, "an edit names no segment"
    return doc, texts


def rendered(body: str, edits: dict[str, str]) -> Tree:
    doc, texts = english(body, edits)
    return Tree(markdown_to_html(assemble(doc.skeleton, texts, "en")))


def test_source_texts_assemble_as_they_are() -> None:
    """Fitting changes nothing in a text segmented from a notice: the Chinese body stays."""
    bodies = [without_front_matter(p.read_text("utf-8")) for p in sorted(SAMPLES.glob("*.md"))]
    bodies += [NOTICE_BODY, TABLE_BODY, "- 1. 第一项\n- - 子项\n> - 1. 引用\n- # 标题\n"]
    for body in bodies:
        doc = segment_notice("标题", body)
        texts = {s.position: s.text for s in doc.segments if s.position}
        assert assemble(doc.skeleton, texts, "zh") == plain_fill(doc.skeleton, texts, "")
        for segment in doc.segments:
            assert fit_text(segment.text, segment.kind) == segment.text


def test_marks_that_open_a_list_item_or_quote_stay_in_the_skeleton() -> None:
    doc = segment_notice("", "- 1. 第一项\n- - 子项\n> - 1. 引用\n- # 标题\n- ***\n")
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("list_item", "第一项"),
        ("list_item", "子项"),
        ("quote", "引用"),
        ("list_item", "标题"),
    ]
    assert doc.skeleton == (
        "- 1. \ue0001\ue001\n- - \ue0002\ue001\n> - 1. \ue0003\ue001\n- # \ue0004\ue001\n- ***\n"
    )


def test_a_cell_edit_with_pipes_and_blank_lines_keeps_the_table() -> None:
    before = rendered(TABLE_BODY, {})
    after = rendered(TABLE_BODY, {"5.6万份": HOSTILE_EDIT})
    assert after.tags == before.tags  # the same elements: no cell, row or block more or less
    assert [len(row) for row in after.rows] == [2, 2, 2]
    assert after.rows[1][1] == (
        "<script>alert(1)</script> 5.6 | thousand "
        '# <img src=x onerror="alert(2)"> <!-- c --> - item > quote 1. one --- ```'
    )
    assert "script" not in after.tags and "img" not in after.tags


@pytest.mark.parametrize(
    "chinese", ["3月3日，市政府外办召开会议。", "第一项。", "会议强调：做好服务。", "会议概况"]
)
def test_a_paragraph_list_quote_or_heading_edit_stays_one_text(chinese: str) -> None:
    before = rendered(TABLE_BODY, {})
    after = rendered(TABLE_BODY, {chinese: HOSTILE_EDIT})
    assert after.tags == before.tags
    shown = " ".join(after.texts)
    assert "<script>alert(1)</script> 5.6 | thousand # <img" in shown


@pytest.mark.parametrize(
    "edit",
    ["# 标题", "## 标题", "#标题", "> 引用", "- 项", "* 项", "+ 项", "1. 项", "2025. 年",
     "---", "***", "___", "```", "~~~", "[1]: https://a.cn", "|---|---|", "<div>"],
)  # fmt: skip
def test_a_text_that_starts_like_a_block_is_shown_as_typed(edit: str) -> None:
    body = "第一段。\n\n第二段。\n"
    before = rendered(body, {})
    after = rendered(body, {"第二段。": edit})
    assert after.tags == before.tags
    assert after.texts[-1].strip() == edit


def test_a_setext_underline_after_a_hard_break_stays_text() -> None:
    body = "地址：中山东一路33号  \n电话：12345。\n"
    for edit in ("===", "---", "--"):
        after = rendered(body, {"电话：12345。": edit})
        assert after.tags == ["p", "br"], edit


def test_a_heading_keeps_its_trailing_hash_and_its_level() -> None:
    assert rendered("## 标题\n", {"标题": "C#"}).texts == ["C#"]
    assert rendered("##标题\n", {"标题": "#x"}).tags == ["h2"]
    assert rendered("## 标题 ##\n", {"标题": "x #"}).texts == ["x #"]


def test_inline_markdown_in_a_text_keeps_working() -> None:
    edit = "See [the notice](https://a.cn/x), **this** and *that*, `a<b>`, ![map](m.png) <https://b.cn>."
    tree = rendered("会议召开。\n", {"会议召开。": edit})
    assert tree.tags == ["p", "a", "strong", "em", "code", "img", "a"]
    assert "a<b>" in tree.texts


def test_engine_output_with_tags_is_text() -> None:
    doc, texts = english(
        "会议于3月3日召开。\n", {"会议于3月3日召开。": "The meeting <took> place."}
    )
    assert assemble(doc.skeleton, texts, "en") == "The meeting &lt;took> place.\n"


def test_code_in_a_cell_keeps_its_pipe_and_lone_backticks_turn_to_text() -> None:
    body = "| 甲 | 乙 |\n|---|---|\n| 一 | 二 |\n"
    assert rendered(body, {"一": "`a|b`"}).rows[1] == ["a|b", "T4"]
    assert rendered(body, {"一": "`a | b"}).rows[1] == ["`a | b", "T4"]
    assert rendered(body, {"一": "end\\"}).rows[1] == ["end\\", "T4"]


def test_a_missing_translation_leaves_no_indentation() -> None:
    doc = segment_notice("", "一。二。三。四。五。\n")
    texts = {1: "", 2: "", 3: "", 4: "", 5: "Five."}
    assert assemble(doc.skeleton, texts, "en") == "Five.\n"


@pytest.mark.parametrize(
    ("line", "skeleton"),
    [
        ("### 注意！ ###", "### \ue0001\ue001 ###"),
        ("## C#", "## \ue0001\ue001"),
        ("#x # ", "#\ue0001\ue001 # "),
        ("# 标题\t##\t", "# \ue0001\ue001\t##\t"),
        ("####### 七", "######\ue0001\ue001"),
        ("# " + " " * 5000 + "尾", "# " + " " * 5000 + "\ue0001\ue001"),
    ],
)
def test_heading_marks_text_and_closing_hashes(line: str, skeleton: str) -> None:
    assert segment_notice("", line).skeleton == skeleton


@pytest.mark.parametrize("edit", ["--", "---", "- -", "* *", "1. 项", "> 引用", "# 标题", "```"])
@pytest.mark.parametrize(
    "body", ["- 第一项\n- 第二项\n", "1. 第一项\n2. 第二项\n", "> - 第一项\n> - 第二项\n"]
)
def test_a_list_item_edit_stays_one_item(body: str, edit: str) -> None:
    before = rendered(body, {})
    after = rendered(body, {"第二项": edit})
    assert after.tags == before.tags
    assert [text.strip() for text in after.texts if text.strip()][-1] == edit
