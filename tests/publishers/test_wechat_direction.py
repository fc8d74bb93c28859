"""WeChat articles carry their language's direction: Arabic in a dir="rtl" section, the rest as before."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from core.languages import LANGUAGES
from publishers.wechat.content import wechat_html

ARABIC = (
    "## لمحة\n\nللاستفسار اتصلوا على +86 21 6232 1234 قبل 2025-03-03.\n\n"
    "- أولا: Shanghai Foreign Affairs Office\n\n> ملاحظة\n\n| البند | العدد |\n|---|---|\n| التصديق | 56,000 |\n"
)


class Outline(HTMLParser):
    """The elements of an article in order, and the text of each styled span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.spans: list[str] = []
        self._span = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._span = tag == "span"

    def handle_endtag(self, tag: str) -> None:
        self._span = False

    def handle_data(self, data: str) -> None:
        if self._span:
            self.spans.append(data)


def outline(markup: str) -> Outline:
    parser = Outline()
    parser.feed(markup)
    parser.close()
    return parser


def test_an_arabic_article_is_one_right_to_left_section_with_its_runs_isolated() -> None:
    article = wechat_html(ARABIC, {}, "ar")
    found = outline(article)
    tag, attrs = found.tags[0]
    assert tag == "section" and attrs["dir"] == "rtl" and attrs["lang"] == "ar"
    assert "direction:rtl" in attrs["style"]
    assert article.endswith("</section>") and article.count("<section") == 1
    assert {"+86 21 6232 1234", "2025-03-03", "Shanghai Foreign Affairs Office", "56,000"} <= set(
        found.spans
    )
    styles = {tag: attrs.get("style", "") for tag, attrs in found.tags}
    assert "padding-right:24px" in styles["ul"] and "border-right" in styles["blockquote"]
    assert "text-align:right" in styles["td"]


@pytest.mark.parametrize("code", [c for c, lang in LANGUAGES.items() if lang.direction == "ltr"])
def test_a_left_to_right_article_is_unwrapped_and_unchanged(code: str) -> None:
    body = "## Title\n\nOn 3 March 2025, call +86 21 6232 1234.\n\n- one\n"
    article = wechat_html(body, {}, code)
    assert not article.startswith("<section") and "<span" not in article
    assert re.search(r'<ul style="margin:0 0 12px;padding-left:24px;">', article)


def test_every_right_to_left_language_of_the_table_gets_the_section() -> None:
    rtl = [code for code, lang in LANGUAGES.items() if lang.direction == "rtl"]
    assert rtl  # the table ships Arabic
    for code in rtl:
        assert wechat_html("نص", {}, code).startswith(
            f'<section dir="rtl" lang="{LANGUAGES[code].bcp47}"'
        )
