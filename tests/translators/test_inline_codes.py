"""Markdown spans as inline codes: cut once, numbered, and put back exactly or refused by code."""

from __future__ import annotations

import pytest

from translators.inline_codes import (
    Boundary,
    CodeMismatch,
    Content,
    Paired,
    Standalone,
    code_table,
    flatten,
    markdown_of,
    parse_markdown,
    restore,
    target_content,
)

LINK = '[办事指南](https://www.shanghai.gov.cn/a?x=1&y=2 "指南")'


@pytest.mark.parametrize(
    ("markdown", "content", "flat"),
    [
        ("特此通知。", ("特此通知。",), "特此通知。"),
        (
            f"详见{LINK}。",
            (
                "详见",
                Paired(
                    "1",
                    "link",
                    ("办事指南",),
                    "[",
                    '](https://www.shanghai.gov.cn/a?x=1&y=2 "指南")',
                ),
                "。",
            ),
            "详见办事指南。",
        ),
        (
            "**[嵌套](u)**与*斜体*、~~删除~~",
            (
                Paired("1", "bold", (Paired("2", "link", ("嵌套",), "[", "](u)"),), "**", "**"),
                "与",
                Paired("3", "italic", ("斜体",), "*", "*"),
                "、",
                Paired("4", "strike", ("删除",), "~~", "~~"),
            ),
            "嵌套与斜体、删除",
        ),
        (
            "看`附件1`和![二维码](qr.png)，电话021-62172230，网址 https://wsb.sh.gov.cn/ 。",
            (
                "看",
                Standalone("1", "code", "`附件1`"),
                "和",
                Standalone("2", "image", "![二维码](qr.png)"),
                "，电话",
                Standalone("3", "phone", "021-62172230"),
                "，网址 ",
                Standalone("4", "url", "https://wsb.sh.gov.cn/"),
                " 。",
            ),
            "看`附件1`和![二维码](qr.png)，电话021-62172230，网址 https://wsb.sh.gov.cn/ 。",
        ),
        (
            "写信 info@wsb.sh.gov.cn、<br>、共{1}人",
            (
                "写信 ",
                Standalone("1", "email", "info@wsb.sh.gov.cn"),
                "、",
                Standalone("2", "tag", "<br>"),
                "、共",
                Standalone("3", "placeholder", "{1}"),
                "人",
            ),
            "写信 info@wsb.sh.gov.cn、<br>、共{1}人",
        ),
    ],
    ids=["plain", "link", "nested", "standalone", "email-tag-brace"],
)
def test_markdown_is_cut_into_codes_and_put_back_exactly(
    markdown: str, content: tuple[object, ...], flat: str
) -> None:
    assert parse_markdown(markdown) == content
    assert markdown_of(parse_markdown(markdown)) == markdown
    assert flatten(parse_markdown(markdown)) == flat
    assert restore(parse_markdown(markdown), code_table(parse_markdown(markdown))) == markdown


def test_a_target_takes_the_numbers_of_the_source_codes_with_the_same_markup() -> None:
    source = parse_markdown("详见[指南](https://a.cn)和**重点**、**次点**。")
    target = target_content(
        "See **second**, **key**, the [guide](https://a.cn/en) and [it](https://a.cn).", source
    )
    ids = [piece.id for piece in target if isinstance(piece, Paired)]
    assert ids == ["2", "3", "4", "1"]  # the English link is the target's own, numbered after
    table = code_table(source, target)
    assert (table["4"].close, table["4"].in_source) == ("](https://a.cn/en)", False)
    assert restore(target, table).startswith(
        "See **second**, **key**, the [guide](https://a.cn/en)"
    )


SOURCE = parse_markdown("详见[指南](https://a.cn)，电话021-62172230。")
TABLE = code_table(SOURCE)


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (
            ("See the ", Paired("1", "", ("guide",)), "."),
            "inline code 2: missing: the phone 021-62172230",
        ),
        (
            (Paired("1", "", ("a",)), Standalone("2", ""), Standalone("3", "")),
            "inline code 3: the stored text has no such code (an extra code)",
        ),
        (
            (Paired("1", "", ("a",), close="](https://evil.example)"), Standalone("2", "")),
            "inline code 1: altered: the file has '](https://evil.example)' where the link",
        ),
        (
            (Paired("1", "", ("a",)), Standalone("2", "", "021-00000000")),
            "inline code 2: altered: the file has '021-00000000'",
        ),
        ((Standalone("1", ""), Standalone("2", "")), "inline code 1: it stands alone in the file"),
        (
            (Paired("1", "", ("a",)), Paired("2", "", ("b",))),
            "inline code 2: it wraps text in the file",
        ),
        (
            (Paired("1", "", ("a",)), Standalone("2", ""), Standalone("2", "")),
            "inline code 2: appears twice",
        ),
        ((Boundary("1", False), "a", Standalone("2", "")), "inline code 1: its end comes before"),
        ((Boundary("1", True), "a", Standalone("2", "")), "inline code 1: starts but never ends"),
    ],
    ids=[
        "missing",
        "extra",
        "altered-link",
        "altered-ph",
        "shape",
        "shape-2",
        "twice",
        "end",
        "open",
    ],
)
def test_a_code_that_does_not_fit_is_named_with_the_rule(content: Content, rule: str) -> None:
    with pytest.raises(CodeMismatch) as refused:
        restore(content, TABLE)
    assert str(refused.value).startswith(rule)


def test_codes_without_their_markup_and_split_in_two_are_restored_from_the_table() -> None:
    content = ("见", Boundary("1", True), "指南", Boundary("1", False), "，", Standalone("2", ""))
    assert restore(content, TABLE) == "见[指南](https://a.cn)，021-62172230"
