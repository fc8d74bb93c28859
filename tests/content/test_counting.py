"""Word and character measures, hand-checked."""

from __future__ import annotations

import pytest

from content.counting import (
    CONVENTIONS,
    DEFAULT_CONVENTION,
    Convention,
    Measures,
    measure,
    plain_text,
)


@pytest.mark.parametrize(
    ("label", "text", "expected"),
    [
        # 上海市人民政府外事办公室 (12) + 发布通知 (4) = 16 Han; plus 。 = 17 characters.
        ("zh", "上海市人民政府外事办公室发布通知。", Measures(0, 16, 17, 0)),
        # The3 Shanghai8 Municipal9 Foreign7 Affairs7 Office6 held4 a1 briefing.9 = 54.
        (
            "en",
            "The Shanghai Municipal Foreign Affairs Office held a briefing.",
            Measures(9, 0, 54, 0),
        ),
        # L'Office des affaires étrangères de Shanghai — l'équipe d'accueil.
        # 9 tokens, the dash is not a word: 8. Characters: 8+3+8+10+2+8+1+8+10 = 58.
        (
            "fr",
            "L'Office des affaires étrangères de Shanghai — l'équipe d'accueil.",
            Measures(8, 0, 58, 0),
        ),
        # Han 上海市外事弁公室(8) 査証(2) 説明(2) = 12; kana は ビザ について しました = 11;
        # punctuation 、（）。 = 4. No spaces: one token without Latin letters.
        ("ja", "上海市外事弁公室は、ビザ（査証）について説明しました。", Measures(0, 23, 27, 0)),
        # 7 어절; hangul 4+6+1+2+2+4+4 = 23; plus 2025 and "." = 28; "2025년" is a Latin word.
        ("ko", "상하이시 외사판공실은 2025년 영사 업무 설명회를 개최했다.", Measures(1, 23, 28, 7)),
        # Tokens: 外办与APEC商务旅行卡 (has Latin), holders, 座谈 -> 2 Latin words;
        # Han 3+5+2 = 10; characters 12+7+2 = 21.
        ("mixed", "外办与APEC商务旅行卡 holders 座谈", Measures(2, 10, 21, 0)),
        # Full-width Latin counts as Latin (NFKC), not as CJK; U+3000 is whitespace.
        ("full-width", "ＡＰＥＣ１　护照", Measures(1, 2, 7, 0)),
        ("full-width punctuation", "（　）！", Measures(0, 0, 3, 0)),
        # In, 2020, the, office, published, 2,153,813, words. = 7 words.
        ("numbers", "In 2020 the office published 2,153,813 words.", Measures(7, 0, 39, 0)),
        # The URL is one word: https:// 8 + www.shfao.gov.cn 16 + /wsb 4 + /node1 6
        # + /index_2.html 13 + ?id=3 5 = 52 characters; Visit 5, for 3, details. 8 -> 68.
        (
            "url",
            "Visit https://www.shfao.gov.cn/wsb/node1/index_2.html?id=3 for details.",
            Measures(4, 0, 68, 0),
        ),
        ("korean with hanja and latin", "서울 APEC 회의 上海", Measures(1, 6, 10, 2)),
    ],
)
def test_plain_text_measures(label: str, text: str, expected: Measures) -> None:
    assert measure(text, markdown=False) == expected, label
    # None of these contain Markdown, so stripping markup changes nothing.
    assert measure(text) == expected, label


def test_markdown_markup_not_counted() -> None:
    text = (
        "## Consular *legalization*\n\n"
        '- See [the guide](https://example.com/guide "Guide") ![logo](logo.png)\n\n'
        "| Item | Fee |\n|---|:---:|\n| Visa | 100 |\n"
    )
    # Consular legalization See the guide Item Fee Visa 100 -> 9 words;
    # 8+12+3+3+5+4+3+4+3 = 45 characters.
    assert measure(text) == Measures(9, 0, 45, 0)
    assert measure(text, markdown=False).characters_no_spaces > 45


def test_chinese_markdown() -> None:
    text = "## 通知\n\n> **请于**[此处](http://a.cn/x)报名。\n\n1. 护照<br>签证\n"
    # 通知 (2) + 请于此处报名 (6) + 。 + 护照签证 (4) = 12 Han, 13 characters.
    assert measure(text) == Measures(0, 12, 13, 0)


@pytest.mark.parametrize(
    ("markdown_text", "plain"),
    [
        ("# 标题 #", "标题"),
        ("**粗体** _斜体_ ~~删除~~ `code`", "粗体 斜体 删除 code"),
        ('[链接文字](https://a.cn "t")', "链接文字"),
        ("![图片](a.png)后文", "后文"),
        ("<https://a.cn/x>", "https://a.cn/x"),
        ("- 项目\n* 项目\n12. 项目", "项目\n项目\n项目"),
        ("> 引用", "引用"),
        ("| 甲 | 乙 |\n|---|---|", "  甲   乙  "),
        ("```js\nlet a = 1;\n```", "let a = 1;"),
        ('<p class="x">段落</p><!-- 注释 -->', " 段落 "),
        ("snake_case \\*星号\\* &amp;", "snake_case *星号* &"),
        ("---", ""),
    ],
)
def test_plain_text(markdown_text: str, plain: str) -> None:
    assert plain_text(markdown_text) == plain


def test_office_2020_convention() -> None:
    office = CONVENTIONS[DEFAULT_CONVENTION]
    assert (office.name, office.version) == ("office-2020", 1)
    m = Measures(latin_words=10, cjk_characters=20, characters_no_spaces=30, korean_words=40)
    assert {lang: office.figure(m, lang) for lang in ("en", "fr", "ja", "ko", "zh")} == {
        "en": 10,
        "fr": 10,
        "ja": 30,
        "ko": 40,
        "zh": 30,
    }
    with pytest.raises(KeyError):
        office.figure(m, "de")


def test_convention_on_real_text() -> None:
    office = CONVENTIONS["office-2020"]
    assert (
        office.figure(measure("상하이시 외사판공실은 2025년 영사 업무 설명회를 개최했다."), "ko")
        == 7
    )
    assert (
        office.figure(measure("上海市外事弁公室は、ビザ（査証）について説明しました。"), "ja") == 27
    )


def test_convention_rejects_unknown_measure_and_is_read_only() -> None:
    with pytest.raises(ValueError):
        Convention("bad", 1, {"en": "pages"})
    with pytest.raises(TypeError):
        CONVENTIONS["office-2020"].measure_for["en"] = "cjk_characters"  # type: ignore[index]


def test_as_dict() -> None:
    assert Measures(1, 2, 3, 4).as_dict() == {
        "latin_words": 1,
        "cjk_characters": 2,
        "characters_no_spaces": 3,
        "korean_words": 4,
    }
