"""Word and character measures, hand-checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from content.counting import (
    CONVENTIONS,
    DEFAULT_CONVENTION,
    RELEASED,
    Convention,
    Measures,
    find_convention,
    measure,
    plain_text,
)

OFFICE_V1 = find_convention("office-2020 v1")
OFFICE_V2 = find_convention("office-2020 v2")


@pytest.mark.parametrize(
    ("label", "text", "expected"),
    [
        # 上海市人民政府外事办公室 (12) + 发布通知 (4) = 16 Han; plus 。 = 17 characters.
        ("zh", "上海市人民政府外事办公室发布通知。", Measures(0, 16, 17, 0, 1)),
        # The3 Shanghai8 Municipal9 Foreign7 Affairs7 Office6 held4 a1 briefing.9 = 54.
        (
            "en",
            "The Shanghai Municipal Foreign Affairs Office held a briefing.",
            Measures(9, 0, 54, 0, 9),
        ),
        # L'Office des affaires étrangères de Shanghai — l'équipe d'accueil.
        # 9 tokens, the dash is not a word: 8. Characters: 8+3+8+10+2+8+1+8+10 = 58.
        (
            "fr",
            "L'Office des affaires étrangères de Shanghai — l'équipe d'accueil.",
            Measures(8, 0, 58, 0, 8),
        ),
        # Han 上海市外事弁公室(8) 査証(2) 説明(2) = 12; kana は ビザ について しました = 11;
        # punctuation 、（）。 = 4. No spaces: one token without Latin letters.
        ("ja", "上海市外事弁公室は、ビザ（査証）について説明しました。", Measures(0, 23, 27, 0, 1)),
        # 7 어절; hangul 4+6+1+2+2+4+4 = 23; plus 2025 and "." = 28; "2025년" is a Latin word.
        (
            "ko",
            "상하이시 외사판공실은 2025년 영사 업무 설명회를 개최했다.",
            Measures(1, 23, 28, 7, 7),
        ),
        # Tokens: 外办与APEC商务旅行卡 (has Latin), holders, 座谈 -> 2 Latin words;
        # Han 3+5+2 = 10; characters 12+7+2 = 21.
        ("mixed", "外办与APEC商务旅行卡 holders 座谈", Measures(2, 10, 21, 0, 3)),
        # Full-width Latin counts as Latin (NFKC), not as CJK; U+3000 is whitespace.
        ("full-width", "ＡＰＥＣ１　护照", Measures(1, 2, 7, 0, 2)),
        ("full-width punctuation", "（　）！", Measures(0, 0, 3, 0, 0)),
        # In, 2020, the, office, published, 2,153,813, words. = 7 words.
        ("numbers", "In 2020 the office published 2,153,813 words.", Measures(7, 0, 39, 0, 7)),
        # The URL is one word: https:// 8 + www.shfao.gov.cn 16 + /wsb 4 + /node1 6
        # + /index_2.html 13 + ?id=3 5 = 52 characters; Visit 5, for 3, details. 8 -> 68.
        (
            "url",
            "Visit https://www.shfao.gov.cn/wsb/node1/index_2.html?id=3 for details.",
            Measures(4, 0, 68, 0, 4),
        ),
        ("korean with hanja and latin", "서울 APEC 회의 上海", Measures(1, 6, 10, 2, 4)),
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
    assert measure(text) == Measures(9, 0, 45, 0, 9)
    assert measure(text, markdown=False).characters_no_spaces > 45


def test_chinese_markdown() -> None:
    text = "## 通知\n\n> **请于**[此处](http://a.cn/x)报名。\n\n1. 护照<br>签证\n"
    # 通知 (2) + 请于此处报名 (6) + 。 + 护照签证 (4) = 12 Han, 13 characters. <br> separates
    # 护照 from 签证: four pieces (通知, 请于此处报名。, 护照, 签证), each holding letters.
    assert measure(text) == Measures(0, 12, 13, 0, 4)


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
    m = Measures(
        latin_words=10, cjk_characters=20, characters_no_spaces=30, korean_words=40, words=50
    )
    languages = ("en", "fr", "ja", "ko", "zh")
    assert {lang: OFFICE_V1.figure(m, lang) for lang in languages} == {
        "en": 10,
        "fr": 10,
        "ja": 30,
        "ko": 40,
        "zh": 30,
    }
    # v2: one word rule for every language written with spaces.
    assert {lang: OFFICE_V2.figure(m, lang) for lang in languages} == {
        "en": 50,
        "fr": 50,
        "ja": 30,
        "ko": 50,
        "zh": 30,
    }
    with pytest.raises(KeyError, match="office-2020 v2 has no measure for language 'xx'"):
        OFFICE_V2.figure(m, "xx")


@pytest.mark.parametrize(
    ("asked", "label"),
    [
        ("office-2020", "office-2020 v2"),  # a name alone: its newest version, the default
        (DEFAULT_CONVENTION, "office-2020 v2"),
        ("office-2020 v1", "office-2020 v1"),  # the label every report printed
        ("office-2020 v2", "office-2020 v2"),
        ("  office-2020   v1 ", "office-2020 v1"),
        ("ko-characters", "ko-characters v2"),
        ("ko-characters v1", "ko-characters v1"),
    ],
)
def test_a_convention_is_chosen_by_name_or_by_its_label(asked: str, label: str) -> None:
    assert find_convention(asked).label == label


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("words-2030", "no reporting convention 'words-2030'; known: ko-characters, office-2020"),
        ("office-2020 v3", "convention office-2020 has no version 3; released: v1, v2"),
        (
            "words-2030 v1",
            "no reporting convention 'words-2030'; known: ko-characters, office-2020",
        ),
        ("office-2020v1", "no reporting convention 'office-2020v1'"),
    ],
)
def test_an_unknown_convention_or_version_is_refused_with_what_exists(
    asked: str, message: str
) -> None:
    with pytest.raises(KeyError) as refused:
        find_convention(asked)
    assert message in refused.value.args[0]


def test_released_versions_never_change() -> None:
    # A stored label names one rule for ever: the table of what each released version measures
    # for the office's languages (the further shipped ones: tests/content/test_counting_languages).
    office = ("en", "fr", "ja", "ko", "zh")
    assert {c.label: {lang: c.measure_for[lang] for lang in office} for c in RELEASED} == {
        "office-2020 v1": {
            "en": "latin_words",
            "fr": "latin_words",
            "ja": "characters_no_spaces",
            "ko": "korean_words",
            "zh": "characters_no_spaces",
        },
        "office-2020 v2": {
            "en": "words",
            "fr": "words",
            "ja": "characters_no_spaces",
            "ko": "words",
            "zh": "characters_no_spaces",
        },
        "ko-characters v1": {
            "en": "latin_words",
            "fr": "latin_words",
            "ja": "characters_no_spaces",
            "ko": "characters_no_spaces",
            "zh": "characters_no_spaces",
        },
        "ko-characters v2": {
            "en": "words",
            "fr": "words",
            "ja": "characters_no_spaces",
            "ko": "characters_no_spaces",
            "zh": "characters_no_spaces",
        },
    }


def test_convention_on_real_text() -> None:
    for office in (OFFICE_V1, OFFICE_V2):
        assert (
            office.figure(
                measure("상하이시 외사판공실은 2025년 영사 업무 설명회를 개최했다."), "ko"
            )
            == 7
        )
        assert (
            office.figure(measure("上海市外事弁公室は、ビザ（査証）について説明しました。"), "ja")
            == 27
        )
    seoul = measure("서울 APEC 회의 上海")
    assert (OFFICE_V1.figure(seoul, "ko"), OFFICE_V2.figure(seoul, "ko")) == (2, 4)


def test_convention_rejects_unknown_measure_and_is_read_only() -> None:
    with pytest.raises(ValueError):
        Convention("bad", 1, {"en": "pages"})
    with pytest.raises(TypeError):
        CONVENTIONS["office-2020"].measure_for["en"] = "cjk_characters"  # type: ignore[index]


def test_as_dict() -> None:
    assert Measures(1, 2, 3, 4, 5).as_dict() == {
        "latin_words": 1,
        "cjk_characters": 2,
        "characters_no_spaces": 3,
        "korean_words": 4,
        "words": 5,
    }


# --- Table-driven: every measure and the office-2020 figures, counted by hand -------------------

# (language, text, read as Markdown, expected measures, office-2020 v1 figure, v2 figure). Each
# count is worked out in the comment above its line; `words` counts the pieces between spaces
# that hold a letter or digit of any script (a Chinese or Japanese sentence without spaces is one).
# docs/counting.md has more, checked further below.
HAND_COUNTED = [
    # Han 根据 2 + 外国人入境出境管理条例 11 + 第十二条 4 + 办理签证须提交 7 + 护照 2 + 照片 2 = 28;
    # 《》，：、。 6 more characters: 34. One token, no Latin letter or digit.
    (
        "zh",
        "根据《外国人入境出境管理条例》第十二条，办理签证须提交：护照、照片。",
        False,
        Measures(0, 28, 34, 0, 1),
        34,
        34,
    ),
    # Characters 截至2 2023 4 年1 12 2 月1 31 2 日1 ，1 共接待外宾5 1,234 5 人次2 （1 同比2 +5.6% 5 ）1
    # 。1 = 36; Han 2+1+1+1+5+2+2 = 14; one token holding digits: one Latin word.
    (
        "zh",
        "截至2023年12月31日，共接待外宾1,234人次（同比+5.6%）。",
        False,
        Measures(1, 14, 36, 0, 1),
        36,
        36,
    ),
    # 详情请见 4, https://www.shfao.gov.cn 8+16 = 24 (the only Latin word), 网站。 3: 31; Han 6.
    ("zh", "详情请见 https://www.shfao.gov.cn 网站。", False, Measures(1, 6, 31, 0, 3), 31, 31),
    # Full-width ＷＴＯ: a Latin word, not CJK; U+3000 separates and is not counted: 3 + 6 = 9.
    ("zh", "ＷＴＯ\u3000世界贸易组织", False, Measures(1, 6, 9, 0, 2), 9, 9),
    # Heading, emphasis, quote mark and link target removed: 关于举办荣誉市民评选的通知 13 and
    # 详见附件：评选办法 9 = 22 characters, 21 Han.
    (
        "zh",
        "# 关于举办**荣誉市民**评选的通知\n\n> 详见附件：[评选办法](files/rules.pdf)",
        True,
        Measures(0, 21, 22, 0, 2),
        22,
        22,
    ),
    # &amp; is shown as &, the inline tag is removed: 领事&侨务处 6 + 电话 2 = 8; Han 7.
    ("zh", "领事&amp;侨务处 <span>电话</span>", True, Measures(0, 7, 8, 0, 2), 8, 8),
    # Dashes without spaces join words: Shanghai's, sister, cities—Osaka,, Yokohama, and,
    # Lyon—signed, 3, MoUs. = 8 words; 10+6+13+8+3+11+1+5 = 57 characters.
    (
        "en",
        "Shanghai's sister cities—Osaka, Yokohama and Lyon—signed 3 MoUs.",
        False,
        Measures(8, 0, 57, 0, 8),
        8,
        8,
    ),
    # Fees:, CNY, 1,000.50, per, page;, 3.5, pages, 3,501.75. are words, = is not: 8;
    # 5+3+8+3+5+3+5+1+9 = 42 characters.
    (
        "en",
        "Fees: CNY 1,000.50 per page; 3.5 pages = 3,501.75.",
        False,
        Measures(8, 0, 42, 0, 8),
        8,
        8,
    ),
    # Mail 4, consular@shfao.gov.cn 21, or 2, see 3, http://shfao.gov.cn/?q=visa&lang=en. 7+12+1+7+8+1
    # = 36: 5 words, 66 characters.
    (
        "en",
        "Mail consular@shfao.gov.cn or see http://shfao.gov.cn/?q=visa&lang=en.",
        False,
        Measures(5, 0, 66, 0, 5),
        5,
        5,
    ),
    # List numbers, link target and title, code backquotes removed: Read the FAQ. / Bring 2 photos.
    # = 6 words; 4+3+4+5+1+7 = 24 characters.
    (
        "en",
        '1. Read the [FAQ](https://a.cn/faq "FAQ").\n2. Bring `2` photos.',
        True,
        Measures(6, 0, 24, 0, 6),
        6,
        6,
    ),
    # Closing heading hashes and the block tag removed: Opening hours Mon–Fri = 3 words, 7+5+7 = 19.
    (
        "en",
        '## Opening hours ##\n<div align="center">Mon–Fri</div>',
        True,
        Measures(3, 0, 19, 0, 3),
        3,
        3,
    ),
    # Escaped asterisks stay, an underscore inside a word is no emphasis: Use *exactly* the
    # file_name shown. = 5 words, 3+9+3+9+6 = 30 characters.
    ("en", "Use \\*exactly\\* the file_name shown.", True, Measures(5, 0, 30, 0, 5), 5, 5),
    # Read as plain text, markup is text: ## (no letter), Visa, *rules* = 2 words, 2+4+7 = 13.
    ("en", "## Visa *rules*", False, Measures(2, 0, 13, 0, 2), 2, 2),
    # Qu’est-ce 9, que 3, l’apostille 11, ? 1 (no word; U+202F before it is a space), C’est 5, un 2,
    # certificat. 11: 6 words, 42 characters.
    (
        "fr",
        "Qu’est-ce que l’apostille\u202f? C’est un certificat.",
        False,
        Measures(6, 0, 42, 0, 6),
        6,
        6,
    ),
    # Le, «, Guide, pratique, », coûte, 12,50, €. : « » and €. hold no letter or digit: 5 words;
    # 2+1+5+8+1+5+5+2 = 29 characters (the no-break spaces are spaces).
    (
        "fr",
        "Le « Guide\u00a0pratique » coûte 12,50\u00a0€.",
        False,
        Measures(5, 0, 29, 0, 5),
        5,
        5,
    ),
    # À, l’Œuvre,, ÉTÉ, 2024, :, 1er, prix. : accented capitals and Œ are Latin letters: 6 words;
    # 1+8+3+4+1+3+5 = 25 characters.
    ("fr", "À l’Œuvre, ÉTÉ 2024 : 1er prix.", False, Measures(6, 0, 25, 0, 6), 6, 6),
    # 「ビザ申請」の受付時間は９：００～１７：００です。 : kana and kanji ビザ2 申請2 の1 受付時間4 は1
    # です2 = 12; brackets, full-width digits, colons, ～ and 。 are not CJK; 25 characters.
    (
        "ja",
        "「ビザ申請」の受付時間は９：００～１７：００です。",
        False,
        Measures(1, 12, 25, 0, 1),
        25,
        25,
    ),
    # 々 is Han, ヶ is katakana, ３ is a full-width digit (a Latin word, not CJK): 11 CJK of 12.
    ("ja", "人々は３ヶ月ごとに集まる", False, Measures(1, 11, 12, 0, 1), 12, 12),
    # Half-width katakana ｶﾀｶﾅ are kana: 4 + 表記 2 = 6.
    ("ja", "ｶﾀｶﾅ表記", False, Measures(0, 6, 6, 0, 1), 6, 6),
    # ＱＲコード (full-width QR: a Latin word; コード 3 kana), Scan, me: 3 Latin words; 5+4+2 = 11.
    ("ja", "ＱＲコード Scan me", False, Measures(3, 3, 11, 0, 3), 11, 11),
    # Heading, list marker, emphasis and link target removed: お知らせ 4, 重要：こちらをご覧ください。
    # 14 = 18 characters; kana and kanji 4 + 2+3+1+6 = 16.
    (
        "ja",
        "## お知らせ\n\n* **重要**：[こちら](https://a.jp)をご覧ください。",
        True,
        Measures(0, 16, 18, 0, 2),
        18,
        18,
    ),
    # 5 어절; hangul 4+5+2+3+5 = 19; with "." 20 characters.
    ("ko", "대한민국 총영사관은 매주 월요일 휴무입니다.", False, Measures(0, 19, 20, 5, 5), 5, 5),
    # 수수료:, 1,000원, (현금·카드, 가능) all hold hangul: 4 어절; 1,000원 is a Latin word; hangul
    # 3+1+4+2 = 10 (the middle dot is not); 4+6+6+3 = 19 characters.
    ("ko", "수수료: 1,000원 (현금·카드 가능)", False, Measures(1, 10, 19, 4, 4), 4, 4),
    # Hanja and Latin tokens are not 어절: 1 Korean word, 1 Latin word; 韓國語 and 한국어 6 CJK; 12.
    # v2 counts every piece holding a letter: 韓國語, KOREAN, 한국어 = 3.
    ("ko", "韓國語 KOREAN 한국어", False, Measures(1, 6, 12, 1, 3), 1, 3),
    # Heading mark, pipes and the spaced separator line removed: 문의처, 부서, 전화, 영사과 (4 어절)
    # and 02-000-0000 (a Latin word); hangul 3+2+2+3 = 10; 3+2+2+3+11 = 21 characters. v2: all 5.
    (
        "ko",
        "#### 문의처\n\n| 부서 | 전화 |\n| --- | --- |\n| 영사과 | 02-000-0000 |",
        True,
        Measures(1, 10, 21, 4, 5),
        4,
        5,
    ),
]


@pytest.mark.parametrize(
    ("language", "text", "markdown", "expected", "v1_figure", "v2_figure"),
    HAND_COUNTED,
    ids=[f"{row[0]}-{number}" for number, row in enumerate(HAND_COUNTED, 1)],
)
def test_hand_counted(
    language: str, text: str, markdown: bool, expected: Measures, v1_figure: int, v2_figure: int
) -> None:
    measured = measure(text, markdown=markdown)
    assert measured == expected
    assert OFFICE_V1.figure(measured, language) == v1_figure
    assert OFFICE_V2.figure(measured, language) == v2_figure


def test_hand_counted_table_covers_every_language() -> None:
    assert {row[0] for row in HAND_COUNTED} == {"zh", "en", "ja", "fr", "ko"}
    assert {row[0] for row in HAND_COUNTED if row[2]} >= {"zh", "en", "ja", "ko"}


def test_space_like_characters() -> None:
    # French no-break spaces and the ideographic space are white space: they separate tokens and
    # are never counted; a zero-width space is not white space and counts as a character.
    assert measure("a\u00a0b\u202fc\u3000d") == Measures(4, 0, 4, 0, 4)
    assert measure("a\u200bb") == Measures(1, 0, 3, 0, 1)


# --- The worked examples of docs/counting.md ----------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "counting.md"
WORKED_EXAMPLES_HEADER = (
    "| # | language | text | latin_words | cjk_characters | characters_no_spaces "
    "| korean_words | words | v1 | v2 |"
)
WORKED_EXAMPLE_CELLS = 10
MIN_WORKED_EXAMPLES = 20
_LANGUAGE_CELL = re.compile(r"(zh|en|ja|fr|ko)( \*md\*)?")
_TEXT_CELL = re.compile(r"`([^`]+)`")
_CELL_ESCAPE = re.compile(r"\\(?:(n)|(\|)|u([0-9a-fA-F]{4}))")


@dataclass(frozen=True)
class WorkedExample:
    number: int
    language: str
    text: str
    markdown: bool
    expected: Measures
    v1_figure: int
    v2_figure: int


def _unescape_cell(text: str) -> str:
    """`\\n` a line break, `\\|` a pipe, `\\uXXXX` that character (for invisible spaces)."""
    return _CELL_ESCAPE.sub(
        lambda m: "\n" if m.group(1) else "|" if m.group(2) else chr(int(m.group(3), 16)), text
    )


def parse_worked_examples(document: str) -> list[WorkedExample]:
    """The rows of the worked-examples table; AssertionError if it is missing, short or malformed."""
    lines = document.splitlines()
    if WORKED_EXAMPLES_HEADER not in lines:
        raise AssertionError(f"no worked-examples table with the header {WORKED_EXAMPLES_HEADER}")
    start = lines.index(WORKED_EXAMPLES_HEADER) + 1
    if start >= len(lines) or not lines[start].startswith("|---"):
        raise AssertionError("the worked-examples header is not followed by a separator line")
    examples = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != WORKED_EXAMPLE_CELLS:
            raise AssertionError(
                f"worked example has {len(cells)} cells, not {WORKED_EXAMPLE_CELLS}: {line}"
            )
        number, language, text, *figures = cells
        language_match = _LANGUAGE_CELL.fullmatch(language)
        text_match = _TEXT_CELL.fullmatch(text)
        if not language_match or not text_match or not all(f.isdigit() for f in figures):
            raise AssertionError(f"malformed worked example: {line}")
        if number != str(len(examples) + 1):
            raise AssertionError(f"worked example {number} should be number {len(examples) + 1}")
        examples.append(
            WorkedExample(
                number=len(examples) + 1,
                language=language_match.group(1),
                text=_unescape_cell(text_match.group(1)),
                markdown=language_match.group(2) is not None,
                expected=Measures(*(int(f) for f in figures[:5])),
                v1_figure=int(figures[5]),
                v2_figure=int(figures[6]),
            )
        )
    if len(examples) < MIN_WORKED_EXAMPLES:
        raise AssertionError(
            f"only {len(examples)} worked examples; at least {MIN_WORKED_EXAMPLES} are expected"
        )
    return examples


WORKED_EXAMPLES = parse_worked_examples(DOCS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=lambda e: f"{e.number}-{e.language}")
def test_docs_worked_example(example: WorkedExample) -> None:
    measured = measure(example.text, markdown=example.markdown)
    assert measured == example.expected, f"docs/counting.md example {example.number}"
    assert OFFICE_V1.figure(measured, example.language) == example.v1_figure, (
        f"docs/counting.md example {example.number}: office-2020 v1 figure"
    )
    assert OFFICE_V2.figure(measured, example.language) == example.v2_figure, (
        f"docs/counting.md example {example.number}: office-2020 v2 figure"
    )


def test_docs_worked_examples_cover_the_issue() -> None:
    assert len(WORKED_EXAMPLES) >= MIN_WORKED_EXAMPLES
    assert {e.language for e in WORKED_EXAMPLES} == {"zh", "en", "ja", "fr", "ko"}
    assert {e.language for e in WORKED_EXAMPLES if e.markdown} >= {"zh", "en", "ja", "ko"}
    texts = "\n".join(e.text for e in WORKED_EXAMPLES)
    # Full-width letters and digits, the ideographic and French no-break spaces, a URL, an e-mail,
    # a date, and Markdown heading, emphasis, link, image, table and list.
    for needle in ("Ａ", "１", "\u3000", "\u00a0", "\u202f", "https://", "@", "2020年1月1日"):
        assert needle in texts, needle
    for markup in ("# ", "**", "](", "![", "|---", "- ", "1. "):
        assert any(markup in e.text for e in WORKED_EXAMPLES if e.markdown), markup


def test_docs_parser_fails_loudly() -> None:
    with pytest.raises(AssertionError, match="no worked-examples table"):
        parse_worked_examples("# Counting\n\nNo table here.\n")
    row = "| {n} | zh | `护照` | 0 | 2 | 2 | 0 | 1 | 2 | 2 |"
    short = "\n".join(
        [WORKED_EXAMPLES_HEADER, "|---|---|---|---|---|---|---|---|---|---|"]
        + [row.format(n=n) for n in range(1, MIN_WORKED_EXAMPLES)]
    )
    with pytest.raises(AssertionError, match="only 19 worked examples"):
        parse_worked_examples(short)
    with pytest.raises(AssertionError, match="malformed"):
        parse_worked_examples(
            "\n".join(
                [WORKED_EXAMPLES_HEADER, "|---|", "| 1 | zh | 护照 | 0 | 2 | 2 | 0 | 1 | 2 | 2 |"]
            )
        )
    assert _unescape_cell("a\\|b\\nc\\u00a0d") == "a|b\nc\u00a0d"


# --- The v1 and v2 pieces tables of docs/counting.md ---------------------------------------------

PIECES_HEADER = "| language | piece | v1 | v2 | why |"


@dataclass(frozen=True)
class Piece:
    language: str
    text: str
    v1_figure: int
    v2_figure: int


def parse_pieces(document: str) -> list[Piece]:
    """The rows of the pieces table; AssertionError if it is missing or malformed."""
    lines = document.splitlines()
    if PIECES_HEADER not in lines:
        raise AssertionError(f"no pieces table with the header {PIECES_HEADER}")
    pieces = []
    for line in lines[lines.index(PIECES_HEADER) + 2 :]:
        if not line.startswith("|"):
            break
        language, text, v1, v2, _why = (cell.strip() for cell in line.split("|")[1:-1])
        text_match = _TEXT_CELL.fullmatch(text)
        if language not in ("en", "fr", "ko") or not text_match or not (v1 + v2).isdigit():
            raise AssertionError(f"malformed piece: {line}")
        pieces.append(Piece(language, _unescape_cell(text_match.group(1)), int(v1), int(v2)))
    return pieces


PIECES = parse_pieces(DOCS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("piece", PIECES, ids=lambda p: f"{p.language}-{p.text}")
def test_docs_piece_counts_as_the_table_says_under_each_version(piece: Piece) -> None:
    measured = measure(piece.text, markdown=False)
    assert OFFICE_V1.figure(measured, piece.language) == piece.v1_figure
    assert OFFICE_V2.figure(measured, piece.language) == piece.v2_figure


def test_docs_pieces_cover_what_v2_changed() -> None:
    by_language = {
        lang: {p.text for p in PIECES if p.language == lang} for lang in ("ko", "en", "fr")
    }
    # Numbers, Latin words, addresses and mixed pieces in Korean; words in another script in
    # English and French; punctuation alone in each.
    assert {"2025", "3월", "WeChat은", "APEC", "https://www.shfao.gov.cn", "—"} <= by_language["ko"]
    assert {"外办", "2025", "—"} <= by_language["en"]
    assert {"外办", "«", "€"} <= by_language["fr"]
    assert any(p.v1_figure != p.v2_figure for p in PIECES if p.language == "ko")


def test_excerpt_reading_only_the_lines_it_needs_cuts_as_the_whole_text_would() -> None:
    """Random Markdown (comments, fences, entities, blank lines): the cut of the whole plain text."""
    import random

    from content.counting import excerpt, plain_text

    pieces = [*"ab 中文*_`\\[]()!<>&;#\n-|:.", "&amp;", "&#x41;", "\n\n", "```\n", "<!--", "-->"]
    pieces += ["\n   \n", "> ", "# ", "1. ", "| a | b |\n|---|---|\n"]
    rng = random.Random(2026)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 120)))
        whole = " ".join(plain_text(text).split())
        for limit in (1, 2, 10, 30, 160):
            expected = whole if len(whole) <= limit else whole[: limit - 1] + "…"
            assert excerpt(text, limit) == expected, (text, limit)
