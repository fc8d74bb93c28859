"""Markdown body to segments and skeleton, and assembly back."""

from __future__ import annotations

import pytest

from content.segments import Segment, assemble, segment_notice, sentence_joiner, split_sentences


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
        sentence_joiner("de")


def test_segments_never_empty_and_whitespace_stripped() -> None:
    doc = segment_notice("", "  ——  \n\n   \n\n|  | 　 |\n|---|---|\n")
    assert [s.text for s in doc.segments] == ["——"]
    assert all(s.text and s.text == s.text.strip() for s in doc.segments)


def test_placeholder_characters_in_body_rejected() -> None:
    with pytest.raises(ValueError):
        segment_notice("", "私用区\ue000字符")
