"""Markdown to safe HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.render import markdown_to_html


def test_table_renders() -> None:
    html = markdown_to_html("| 事项 | 费用 |\n|:---|---:|\n| 护照 | 免费 |\n")
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert '<th align="left">事项</th>' in html
    assert '<td align="right">免费</td>' in html


def test_basic_blocks_render() -> None:
    html = markdown_to_html("## 标题\n\n**重要**，见[通知](/notice/1.html)。\n\n1. 一\n2. 二\n")
    assert "<h2>标题</h2>" in html
    assert "<strong>重要</strong>" in html
    assert '<a href="/notice/1.html" rel="noopener noreferrer">通知</a>' in html
    assert "<ol>\n<li>一</li>" in html


@pytest.mark.parametrize(
    ("markdown_text", "forbidden"),
    [
        ("正文\n\n<script>alert('x')</script>\n", ["<script", "alert"]),
        ("正文<script>alert(1)</script>结束", ["<script", "alert"]),
        ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"]),
        ('<p onclick="steal()">点击</p>', ["onclick", "steal"]),
        ("[点我](javascript:alert(1))", ["javascript:", "alert"]),
        ('<a href="javascript:alert(1)">点我</a>', ["javascript:", "alert"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil"]),
        ("<style>body{display:none}</style>", ["<style", "display"]),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', ["data:"]),
    ],
)
def test_dangerous_html_never_survives(markdown_text: str, forbidden: list[str]) -> None:
    html = markdown_to_html(markdown_text)
    for token in forbidden:
        assert token not in html, (token, html)


def test_allowed_schemes_kept() -> None:
    html = markdown_to_html(
        "[电话](tel:+862122161272) [邮件](mailto:wsb@shfao.gov.cn) "
        '![图](https://www.shfao.gov.cn/a.png "图")'
    )
    assert 'href="tel:+862122161272"' in html
    assert 'href="mailto:wsb@shfao.gov.cn"' in html
    assert '<img alt="图" src="https://www.shfao.gov.cn/a.png" title="图">' in html


def test_nothing_of_one_text_reaches_the_next() -> None:
    # One converter is reused per thread: a reference defined in one notice, or a stashed raw
    # block, must not show in the next one rendered.
    first = markdown_to_html("[the notice][ref]\n\n[ref]: https://wsb.example.gov.cn/\n")
    second = markdown_to_html("[the notice][ref]\n")
    assert 'href="https://wsb.example.gov.cn/"' in first
    assert "href" not in second and second == "<p>[the notice][ref]</p>"


# -- the shortcut for plain text gives Python-Markdown's own output --------------------------

_PIECES = [
    *"ab 中文，。*_`\\[]()!<>&;#\n-|:.",
    "  \n",
    "**",
    "&amp;",
    "&#x41;",
    "<b>",
    "<!-- x -->",
    "](https://example.org/a)",
    "![图](a.png)",
    "<https://example.org>",
    "<a@b.cn>",
    "\n\n",
    "| 事项 | 费用 |\n|---|---:|\n| 护照 | 免费 |\n",
    "```\ncode *x*\n```\n",
    "1. ",
    "> ",
]


def _texts() -> list[str]:
    import random

    rng = random.Random(2026)
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]
    assert texts, f"no seed reports under {seeds}"
    texts += ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))) for _ in range(4000)]
    return texts


def test_shortcut_is_installed_over_the_known_patterns() -> None:
    from content import render

    assert isinstance(render._converter().treeprocessors["inline"], render._PlainTextInline)


def test_shortcut_renders_what_python_markdown_renders() -> None:
    """Seed reports and random mixes of every inline marker: the same HTML with and without it."""
    import markdown

    from content import render

    fast = render._converter()
    stock = markdown.Markdown(
        extensions=render._EXTENSIONS, extension_configs=render._EXTENSION_CONFIGS
    )
    assert not isinstance(stock.treeprocessors["inline"], render._PlainTextInline)
    differ = []
    for text in _texts():
        ours, theirs = fast.convert(text), stock.convert(text)
        fast.reset()
        stock.reset()
        if ours != theirs:
            differ.append(text)
    assert differ == []


def test_shortcut_stays_out_when_another_pattern_is_registered() -> None:
    """A pattern it does not know (here ~~strike~~) may match text it would skip: no shortcut."""
    import markdown
    from markdown.extensions import Extension
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    from content import render

    class Strike(Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
            md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "del", 75)

    converter = markdown.Markdown(extensions=[Strike(), render._PlainTextShortcut()])
    assert not isinstance(converter.treeprocessors["inline"], render._PlainTextInline)
    assert converter.convert("a ~~b~~") == "<p>a <del>b</del></p>"


def test_block_level_answers_are_python_markdowns() -> None:
    """The converter asks a set whether a tag is block-level; Python-Markdown asks its list."""
    from xml.etree import ElementTree

    import markdown

    from content import render

    stock = markdown.Markdown(
        extensions=render._EXTENSIONS, extension_configs=render._EXTENSION_CONFIGS
    )
    tags: list[object] = [*stock.block_level_elements, "P", "Div/", "span", "", "x/", None, 3]
    tags.append(ElementTree.Comment)
    fast = render._converter()
    assert [fast.is_block_level(tag) for tag in tags] == [stock.is_block_level(tag) for tag in tags]
    assert fast.is_block_level("table") and not fast.is_block_level("em")
