"""Dates, times and numbers of a text by value, whatever the script: 215.4万 = 2.154 million = 2,154,000.

`read_values(text, language)` lists every value of a text with its place in it. A value is
*required* when a translation must carry it, and *optional* when a translation may carry it or
leave it out. The rules, in the order they are applied:

- Never numbers: code, link targets, HTML tags, URLs, e-mail addresses and phone numbers (other
  checks keep those), and codes that start with Latin letters (G20, COVID-19, 코로나19,
  WBMSC002-V3. 2), which are compared as written.
- The marker a list item starts with (3), （三）, 三、, III., Third,, 셋째,) is compared with the
  translation's marker when both have one.
- Dates are read first, by (year, month, day), in each language's forms, ranges included
  (10月1日至8日 = 1-8 October = du 1er au 8 octobre = 10월 1~8일); 二〇二二年三月 is March 2022;
  令和4年 is 2022.
- Times of day (9:00, 下午5时, 5 p.m., 17 h, 午後5時, 오후 5시, noon) are compared on a 12-hour
  clock.
- Numbers in digits are required, in each language's notation: 1,234.5 (zh en ja ko ar th), 1 234,5
  and 38,6 % (fr, de ...: the comma is the decimal sign, so 2,154 millions is 2.154 million),
  Arabic-Indic and Thai digits read as digits (`notations.NATIVE_DIGITS`), a Thai year of the
  Buddhist era as the Common Era's too (2569 is 2026),
  full-width digits, scales (215.4万, 215万4千, 215만 4천, 2.154 million, 2,154 millions); a
  year is a number (2022, never 2,022).
- Chinese numerals in the source are required when they count: before a measure word (三件,
  十二个, 二十五名, 两种), with a unit (一百零五, 三千), as an ordinal (第四届), as a year
  (二〇二〇年), a percentage (百分之五) or a decimal (三十八点六), or as the start of a range
  whose end counts (三至五个工作日). 一 counts only after a counting word (共, 其中, 合计 ...) or
  when the same sentence counts with the same measure word (2件为…，一件为…): elsewhere it is
  mostly an article ("一个重要平台", an important platform).
- Optional in the source: the words of `NOT_COUNTS` (一年来, 进一步, 统一, 十分, 百姓 ...),
  enumeration markers inside a sentence (二是, （三）, ①), approximations (数十, 几百, 三四个,
  上百), fractions (三分之一), 成 (三成: 30%), decades (80年代: the 1980s), a numeral that sums
  up names before it (中日韩三国), 首 (首届: the 1st), and a bare numeral without a measure word
  (三公, 五大洲). Of these, the "soft" ones (a bare numeral, 首, 一 before a measure word, the
  values of NOT_COUNTS but 1) may be left out but not changed: a number word left over in the
  translation in their place is a changed value (五大洲 → six continents).
- In a translation, numbers in digits are required (4th, 4e, 第4回, 제4차 too), and so are Roman
  ordinals in French (IVe, XIIe). Numbers in words are optional: they stand for the source's
  value, but an extra one is no error (one..ninety, hundred, thousand, first..tenth, firstly,
  twice, un..quatre-vingt-dix, cent, mille, premier..dixième, premièrement, 一つ, 하나, 한/두/세/네
  with a counter, 첫째, 네 번째, Chinese numerals in Japanese). one, un, une and 한 are "weak":
  mostly articles, they stand for a count only when no other number word is left over.
- The further targets (de es pt it ru ar vi th) are read by their `notations.Notation`: scale
  words, month names in every form dates use, date patterns, times of day and number words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from translators.checks.notations import (
    BUDDHIST_ERA_OFFSET,
    NATIVE_DIGITS,
    NOTATIONS,
    Notation,
    alternatives,
)
from translators.kept import EMAIL, PHONE, URL

__all__ = [
    "NOT_COUNTS",
    "Code",
    "Date",
    "Figure",
    "Mention",
    "Reading",
    "format_number",
    "read_values",
    "without_kept",
]

Date = tuple[int | None, int, int | None]  # (year or None, month, day or None)


@dataclass(frozen=True)
class Figure:
    """A number or a time of day as the text writes it, with what it may mean."""

    values: tuple[float, ...]  # readings (French 2.154 may be 2.154 or 2154); a time: minutes
    text: str  # as written
    start: int
    end: int
    required: bool  # False: a translation may carry it or not (一年来, "one", "first")
    kind: str = "number"  # "number", "time" (of day, on a 12-hour clock), "marker" (of a list item)
    measure: str = ""  # the source's measure word after it (件 of 3件): the figure counts
    # Of an optional figure: "soft" (the source's: may be left out, not changed: 五大洲, 三公),
    # "word" (the translation's number word, that may stand where a value went: "six"), "weak"
    # (the translation's word that is mostly an article: one, un, une, 한).
    role: str = ""
    scale: str = ""  # the scale as written after it (万, million), to explain a lost scale
    step: float = 0.0  # the value of its last written digit (0.01 million = 10,000)
    digits: int = 0  # significant digits written
    clock: tuple[int, int] | None = None  # a time's (hour, minute) as written


@dataclass(frozen=True)
class Mention:
    """A date as the text writes it."""

    date: Date
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Code:
    """A code with digits, kept as it is written (G20, WBMSC002-V3. 2 is WBMSC002-V3.2)."""

    code: str  # without spaces
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """Every value of one text."""

    figures: tuple[Figure, ...]
    dates: tuple[Mention, ...]
    relative_year: bool  # the text names a year by a word (今年, 上年): a year in digits beside it
    codes: tuple[Code, ...] = ()  # codes with digits: G20, WBMSC002-V3.2


_CODE = re.compile(r"`+[^`]*`+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
# Letters right before digits make a code (G20, COVID-19, WBMSC002-V3), except the currency and
# "No." prefixes of amounts (RMB100, No.5, FY2025).
_CODE_LETTERS = re.compile(r"[A-Za-z]+-?$")
_CODE_TAIL = re.compile(r"\.\s?")
_QUARTER = re.compile(r"[QH][1-4]")
_CODE_TOKEN = re.compile(r"[A-Za-z]+-?\d[A-Za-z0-9]*(?:(?:[-/]|\.\s?)[A-Za-z0-9]+)*")
_BLANK = "\x00"  # what a taken span becomes: no digit, no space, no letter
_KO_NAMES = re.compile(r"코로나\s?-?19")  # COVID-19 in Hangul
_CODE_END = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")
_NOT_CODE = re.compile(r"(?:RMB|CNY|USD|EUR|JPY|KRW|HKD|GBP|US|HK|FY|No|NO|Nos|Art|art)\.?-?$")


def _code_at(text: str, start: int) -> re.Match[str] | None:
    """The code that the digits at `start` belong to, when it starts with Latin letters (G20)."""
    before = text[max(0, start - 12) : start]
    letters = _CODE_LETTERS.search(before)
    if not letters or _NOT_CODE.search(before):
        return None
    first = start - len(before) + letters.start()
    if first and text[first - 1].isascii() and text[first - 1].isalnum():
        return None
    return _CODE_TOKEN.match(text, first)


def without_kept(text: str) -> str:
    """The text without code, link targets, HTML tags, URLs, e-mail addresses and phone numbers."""
    for pattern in (_CODE, _LINK_TARGET, _TAG, URL, EMAIL, PHONE):
        text = pattern.sub(" ", text)
    return text


# One character for one: full-width digits, letters and the signs numbers use (not the Chinese
# comma, which separates clauses, never thousands), superscript ordinal letters, wave dashes.
_NORMAL = str.maketrans(
    {
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)},
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)},
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)},
        **{ch: chr(ord(ch) - 0xFEE0) for ch in "％．／：～－＋（）"},
        "\u3000": " ",
        "\u301c": "~",
        "\u2212": "-",
        "\u1d49": "e",
        "\u02b3": "r",
        **NATIVE_DIGITS,  # ٢٬١٥٤٫٥ is 2,154.5; ๒๕๖๙ is 2569
        # Bidirectional marks and isolates (in Arabic around numbers) are spaces to the reading.
        **dict.fromkeys(
            "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", " "
        ),
    }
)


def format_number(value: float) -> str:
    """A value as the messages show it: 2022, 13,568,723 or 5.6 (a four-digit year is no 2,022)."""
    value = float(f"{value:.12g}")
    if value == int(value):
        return f"{int(value)}" if abs(value) < 10_000 else f"{int(value):,}"
    return f"{value:,.10g}" if abs(value) >= 10_000 else f"{value:.10g}"


def _always(_: re.Match[str]) -> bool:
    return True


def _not_after(
    characters: str, handle: Callable[[re.Match[str]], bool]
) -> Callable[[re.Match[str]], bool]:
    def checked(match: re.Match[str]) -> bool:
        start = match.start()
        return not (start and match.string[start - 1] in characters) and handle(match)

    return checked


_DIGITS = tuple("0123456789")


_alternatives = alternatives


class _Scan:
    """One text being read: the normalised text, with taken spans blanked, and what was found."""

    def __init__(self, original: str, language: str) -> None:
        self.original = original
        self.language = language
        self.text = original.translate(_NORMAL)
        self.has_digit = any(digit in self.text for digit in _DIGITS)
        self.figures: list[Figure] = []
        self.dates: list[Mention] = []
        self.measures: set[str] = set()  # measure words counted in digits or numerals (zh)
        self.codes: list[Code] = []

    def take(
        self,
        pattern: re.Pattern[str],
        handle: Callable[[re.Match[str]], bool],
        needs: tuple[str, ...] = (),
        not_after: str = "",
    ) -> None:
        """Call `handle` on every match; the matches it accepts are blanked for later passes.

        `needs`: strings one of which a match contains, to skip the pass cheaply when none is there.
        `not_after`: characters a match may not follow (a lookbehind would make the search slow).
        """
        if needs and not any(part in self.text for part in needs):
            return
        if not_after:
            handle = _not_after(not_after, handle)

        def replace(match: re.Match[str]) -> str:
            return _BLANK * len(match.group()) if handle(match) else match.group()

        self.text = pattern.sub(replace, self.text)

    def blank(self, pattern: re.Pattern[str], needs: tuple[str, ...] = ()) -> None:
        """Blank every match of the pattern."""
        self.take(pattern, _always, needs)

    def add(
        self,
        start: int,
        end: int,
        values: Iterable[float],
        required: bool,
        *,
        kind: str = "number",
        role: str = "",
        measure: str = "",
        digits: int = 0,
        clock: tuple[int, int] | None = None,
    ) -> None:
        """Record a figure found at [start, end) of the text."""
        text = self.original[start:end]
        self.figures.append(
            Figure(
                tuple(values),
                text,
                start,
                end,
                required,
                kind=kind,
                role=role,
                measure=measure,
                digits=digits,
                clock=clock,
            )
        )

    def korean_covid(self, match: re.Match[str]) -> bool:
        """코로나19 is the code COVID-19 in Korean."""
        self.codes.append(Code("COVID-19", match.start(), match.end()))
        return True

    def date(self, start: int, end: int, date: Date) -> None:
        """Record a date found at [start, end) of the text."""
        self.dates.append(Mention(date, self.original[start:end], start, end))


# --- Chinese numerals -------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)
_CN_RUN = re.compile(f"[{_CN_CHARS}]+")
_CN_NUMERAL_CHARS = tuple(_CN_CHARS)


def _split_numerals(run: str) -> list[tuple[int, int, float, bool]]:
    """(start, end, value, has a unit) of each numeral of a run: 十四五 is 十四 and 五."""
    pieces = []
    at = 0
    while at < len(run):
        found = _one_numeral(run, at)
        if found is None:
            at += 1  # a scale alone (万人) is no numeral
            continue
        end, value, unit = found
        pieces.append((at, end, value, unit))
        at = end
    return pieces


def _one_numeral(run: str, at: int) -> tuple[int, float, bool] | None:
    """(end, value, has a unit) of the well-formed numeral at `at`: 两千三百, 一百零五, 三亿五千万."""
    if run[at] in _CN_BIG:
        return None
    total = section = 0
    digit: int | None = None
    last_unit = last_big = 10**16
    unit = False
    end = at
    while end < len(run):
        ch = run[end]
        if ch in _CN_DIGITS:
            if digit is not None:
                break  # two digits in a row: the next numeral starts here
            if not (ch in "〇零" and unit):  # 一百零五: after a unit, the zero only holds a place
                digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            size = _CN_UNITS[ch]
            if size >= last_unit:
                break
            section += (1 if digit is None else digit) * size
            digit, last_unit, unit = None, size, True
        else:
            size = _CN_BIG[ch]
            if size == last_big:
                break
            if size > last_big:
                total = (total + section + (digit or 0)) * size  # 三万亿
            else:
                total += (section + (digit or 0)) * size
            section, digit, last_unit, last_big, unit = 0, None, 10**16, size, True
        end += 1
    return end, float(total + section + (digit or 0)), unit


def _chinese_value(text: str) -> float:
    """The value of one Chinese numeral, or of digits written one by one (二〇二二)."""
    if text.isdigit():
        return float(text)
    if not any(ch in _CN_UNITS or ch in _CN_BIG for ch in text) and len(text) > 1:
        return float("".join(str(_CN_DIGITS[ch]) for ch in text))
    found = _one_numeral(text, 0)
    return found[1] if found else 0.0


def _month_day(text: str) -> int:
    return int(text) if text.isdigit() else int(_chinese_value(text))


# Words whose numerals are not counts, with the values a translation may still show for them
# (この1年間 for 一年来, "14th" for 十四五); none is required. A word only counts as itself when no
# numeral stands right before it (二〇二一年来 is a year; 十万一千 is a number).
NOT_COUNTS: dict[str, tuple[float, ...]] = {
    "一年来": (1,), "一年以来": (1,), "进一步": (), "统一": (), "一站式": (1,), "一件事": (1,),
    "一起": (), "一致": (), "一律": (), "一般": (), "一些": (), "唯一": (1,), "万一": (),
    "一带一路": (1,), "一体化": (), "一方面": (1,), "一直": (), "一定": (), "一切": (), "一样": (),
    "一同": (), "一再": (), "一旦": (), "一度": (1,), "一线": (1,), "一流": (1,), "一系列": (),
    "一道": (), "一并": (), "一贯": (), "一向": (), "一举": (), "一网通办": (1,), "一网统管": (1,),
    "一门式": (1,), "一窗通办": (1,), "一次性": (1,), "一揽子": (), "一对一": (1,), "一刀切": (),
    "一把手": (), "一览": (), "一下": (), "一番": (), "一时": (), "一经": (), "一概": (), "同一": (1,),
    "逐一": (1,), "之一": (1,), "第一时间": (1,), "一国两制": (1, 2), "一行": (), "一心一意": (),
    "十分": (), "百姓": (), "千方百计": (), "万众": (), "百花": (), "百货": (), "百科": (), "百度": (),
    "十字": (), "万物": (), "千家万户": (), "四面八方": (4, 8), "五湖四海": (5, 4), "百年": (100,),
    "三公": (3,), "两会": (2,), "两岸": (2,), "十三五": (13, 5), "十四五": (14, 5), "十五五": (15, 5),
    "千万": (), "十一": (11,), "五一": (5, 1), "第三方": (3,), "一年一度": (1,), "一次次": (),
    "三农": (3,), "五四": (5, 4), "长三角": (3,), "珠三角": (3,),
}  # fmt: skip
# Words of NOT_COUNTS whose 一 is a span of time a translation may not change (over the past
# two years); the other 一 of the list are often no number at all (统一, 唯一).
_SOFT_ONES = frozenset({"一年来", "一年以来"})
# Where a word of NOT_COUNTS is one only in context: 十分钟 is ten minutes, 一千万 a number.
_NOT_COUNT_CONTEXT = {
    "十分": "(?!钟)",
    "千万": "(?=[不别要])",
    "十一": "(?=假期|长假|黄金周|小长假|国庆)",
    "五一": "(?=假期|劳动节|国际劳动节|长假|小长假)",
}
_NOT_COUNT = re.compile(_alternatives(NOT_COUNTS))
_NOT_COUNT_AFTER = {word: re.compile(context) for word, context in _NOT_COUNT_CONTEXT.items()}
_NUMERAL_BEFORE = frozenset(_CN_CHARS + "0123456789几数第")
_CN_SMALL = "一二三四五六七八九十"
_CN_ENUMERATION = re.compile(
    rf"(?:^|(?<=[\s，。；：、#{_BLANK}]))(?:[(]([{_CN_SMALL}]{{1,3}})[)]|([{_CN_SMALL}]{{1,3}})(?=、|是|要|来[，、])"
    rf"|其([{_CN_SMALL}]{{1,2}})(?=[，、：是])|第([{_CN_SMALL}]{{1,3}})(?=[，、：]))"
)
_FIRST = re.compile("首(?=届|次|批|个|家|位|台|座|部|款|场|期|轮|站|创)")
_CN_PERCENT = re.compile(f"百分之([{_CN_CHARS}]+(?:点[〇零一二三四五六七八九]+)?)")
_CN_FRACTION = re.compile(rf"([{_CN_CHARS}]+|\d+)分之([{_CN_CHARS}]+|\d+)")
_CN_DECIMAL = re.compile(f"([{_CN_CHARS}]+)点([〇零一二三四五六七八九]+)")
_CN_TENTHS = re.compile(
    "(?<![一二三四五六七八九十])([一二两三四五六七八九])成(?![立为功员果绩就本交长熟])"
)
_PERCENT_WORD = re.compile("百分之")
# 80年代, 20世纪90年代: a decade, "the 1980s"
_CN_DECADE = re.compile(rf"(?:(\d{{2}}|[{_CN_CHARS}]+)世纪)?(\d{{2}}|[{_CN_CHARS}]+)年代")
_MEASURE = re.compile(
    r"\s*[多余来]?\s*(人次|个月|周年|年度|季度|小时|分钟|工作日|个|件|篇|条|项|次|名|家|人|份|批|场|期"
    r"|所|座|位|种|类|天|日|周|月|年|届|张|套|本|部|台|辆|架|艘|处|块|元|岁|倍|轮|章|节|款|页|字|词|国"
    r"|省|市|区|县|支|队|组|起|例|宗|封|对|秒|米|公里|吨|票|回|遍|层|栋|任|号|点|分|股|只|枚|道|门|届)"
)
_COLLECTIVE = frozenset("国方省市地区")
_NOT_A_LIST = frozenset("有为是达共计约近各这那每其了个的和与")
_COUNT_CUE = re.compile(r"(?:共计|合计|累计|总计|其中|仅有|只有|另有|共|仅|计)\s*$")
_RANGE_SIGN = re.compile(r"\s*(?:至|到|~|-|–|—|或)\s*")
_RELATIVE_YEAR = re.compile(
    "今年|本年|去年|上年|明年|次年|当年|同年|前一年|上一年|全年|年内|年度|本届"
)
_YEAR_AFTER = re.compile(r"\s*年")


@dataclass
class _Piece:
    """A Chinese numeral of the source while its rules are applied."""

    start: int
    end: int
    value: float
    required: bool
    measure: str
    one_waits: bool = False  # 一 before a measure word: a count if the sentence counts that way
    role: str = ""


def _chinese_numerals(scan: _Scan, rules: bool) -> None:
    """Chinese numerals left in the text; with `rules` (the source) decide which are required."""
    text = scan.text
    pieces: list[_Piece] = []
    for run in _CN_RUN.finditer(text):
        word = run.group()
        if not any(ch in _CN_UNITS or ch in _CN_BIG for ch in word) and len(word) > 1:
            pieces.extend(_digit_by_digit(text, run, rules))
            continue
        for begin, finish, value, unit in _split_numerals(word):
            start, end = run.start() + begin, run.start() + finish
            if value == 0 and not unit:
                continue  # 零距离
            if rules:
                pieces.append(_classify(text, start, end, value, unit))
            else:  # Chinese numerals in Japanese: words, 一 mostly of 一部, 一層, 統一
                pieces.append(
                    _Piece(start, end, value, False, "", role="weak" if value == 1 else "word")
                )
    if rules:
        _settle(text, pieces, scan.measures)
    for piece in pieces:
        start = piece.start - 1 if piece.start and text[piece.start - 1] == "第" else piece.start
        role = "" if piece.required else piece.role
        scan.add(
            start,
            piece.end,
            (piece.value,),
            piece.required,
            role=role,
            measure=piece.measure,
            digits=_significant(piece.value),
        )


def _digit_by_digit(text: str, run: re.Match[str], rules: bool) -> list[_Piece]:
    """二〇二〇年 is the year 2020; 三四个 is "three or four", neither value required."""
    word = run.group()
    if len(word) == 4 and _YEAR_AFTER.match(text, run.end()):
        return [_Piece(run.start(), run.end(), _chinese_value(word), rules, "年")]
    if "〇" in word or len(word) > 2:
        return [_Piece(run.start(), run.end(), _chinese_value(word), False, "")]
    return [
        _Piece(run.start() + i, run.start() + i + 1, float(_CN_DIGITS[ch]), False, "")
        for i, ch in enumerate(word)
    ]


def _classify(text: str, start: int, end: int, value: float, unit: bool) -> _Piece:
    """A source numeral's first ruling, from what stands right before and after it."""
    before = text[start - 1] if start else ""
    measure_match = _MEASURE.match(text, end)
    measure = measure_match.group(1) if measure_match else ""
    rough = (
        (before and before in "数几")
        or (before and before in "上成" and text[start] in "百千万")
        or text.startswith("几", end)
    )
    if rough:  # 数十, 几百, 十几个, 上百, 成千上万
        return _Piece(start, end, value, False, measure)
    if before == "第" or unit:
        return _Piece(start, end, value, True, measure)
    if not measure:  # 五大洲, 三公: may be left out, not changed
        return _Piece(start, end, value, False, "", role="soft" if value != 1 else "")
    if (
        measure in _COLLECTIVE
        and (_is_han(before) or before == _BLANK)
        and before not in _NOT_A_LIST
    ):
        # 中日韩三国, 三省一市: the number sums up names before it, and often goes
        return _Piece(start, end, value, False, measure, role="soft")
    if value == 1:
        cue = bool(_COUNT_CUE.search(text, max(0, start - 4), start))
        return _Piece(start, end, value, cue, measure, one_waits=not cue, role="soft")
    return _Piece(start, end, value, True, measure)


def _settle(text: str, pieces: list[_Piece], counted: set[str]) -> None:
    """一 counts where the sentence counts with its measure word; a range's start counts with its end."""
    counted |= {p.measure for p in pieces if p.required and p.measure}
    for piece in pieces:
        if piece.one_waits and piece.measure in counted:
            piece.required = True
    for piece, after in zip(pieces, pieces[1:], strict=False):
        sign = _RANGE_SIGN.match(text, piece.end)
        if (
            not piece.required
            and after.required
            and after.measure
            and sign
            and sign.end() == after.start
        ):
            piece.required = True


def _is_han(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _significant(value: float) -> int:
    return len(f"{value:.15g}".replace(".", "").replace("-", "").strip("0")) or 1


def _source_words(scan: _Scan) -> None:
    """Words of the source whose numerals are not counts, markers, 首, fractions, 成, percentages."""

    def not_count(match: re.Match[str]) -> bool:
        word, start = match.group(), match.start()
        if start and scan.text[start - 1] in _NUMERAL_BEFORE:
            return False
        context = _NOT_COUNT_AFTER.get(word)
        if context and not context.match(scan.text, match.end()):
            return False
        for value in NOT_COUNTS[word]:
            soft = value != 1 or word in _SOFT_ONES
            scan.add(match.start(), match.end(), (value,), False, role="soft" if soft else "")
        return True

    def marker(match: re.Match[str]) -> bool:
        index = next(i for i in range(1, 5) if match.group(i))
        scan.add(match.start(index), match.end(index), (_chinese_value(match.group(index)),), False)
        return True

    def first(match: re.Match[str]) -> bool:
        scan.add(match.start(), match.end(), (1,), False, role="soft")
        return True

    def percent(match: re.Match[str]) -> bool:
        scan.add(match.start(), match.end(), (_cn_decimal(match.group(1)),), True)
        return True

    def fraction(match: re.Match[str]) -> bool:
        whole, part = _chinese_value(match.group(1)), _chinese_value(match.group(2))
        for value in (part / whole if whole else part, part, whole):
            scan.add(match.start(), match.end(), (value,), False)
        return True

    def decimal(match: re.Match[str]) -> bool:
        value = _cn_decimal(match.group())
        scan.add(match.start(), match.end(), (value,), True, digits=_significant(value))
        return True

    def tenths(match: re.Match[str]) -> bool:
        value = _chinese_value(match.group(1))
        scan.add(match.start(), match.end(), (value,), False)
        scan.add(match.start(), match.end(), (value * 10,), False)
        return True

    def decade(match: re.Match[str]) -> bool:
        century = _chinese_value(match.group(1)) if match.group(1) else 20
        years = _chinese_value(match.group(2))
        for value in (years, (century - 1) * 100 + years):
            scan.add(match.start(), match.end(), (value,), False)
        return True

    scan.take(_CN_DECADE, decade, ("年代",))
    scan.take(_CN_PERCENT, percent, ("百分之",))
    scan.blank(_PERCENT_WORD, ("百分之",))
    scan.take(_CN_FRACTION, fraction, ("分之",))
    scan.take(_NOT_COUNT, not_count, _CN_NUMERAL_CHARS)
    scan.take(_CN_ENUMERATION, marker, tuple(_CN_SMALL))
    scan.take(_FIRST, first, ("首",))
    scan.take(_CN_DECIMAL, decimal, ("点",))
    scan.take(_CN_TENTHS, tenths, ("成",))


def _cn_decimal(text: str) -> float:
    """三十八点六 = 38.6; 五 = 5."""
    whole, _, part = text.partition("点")
    value = _chinese_value(whole)
    if part:
        value += float("0." + "".join(str(_CN_DIGITS[ch]) for ch in part))
    return value


# --- Dates --------------------------------------------------------------------------------------

_CJK_YEAR = r"(\d{4}|[〇零一二三四五六七八九]{4}|(?:令和|平成|昭和)\s*(?:元|\d{1,2}))"
_CJK_MD = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_CJK_TO = r"\s*(?:至|到|~|-|–|—|から|부터|에서)\s*"
# One pattern, its forms tried in this order at each place: a day range (10月1日至8日: groups
# 3, 4), a full date (group 5), a month range (1至3月: group 6), a month (3月); the year is group 1
# and the (first) month group 2.
_CJK_DATE = re.compile(
    rf"(?=[\d〇零一二三四五六七八九十令平昭])(?:{_CJK_YEAR}\s*[年년]\s*)?{_CJK_MD}\s*"
    rf"(?:[月월]\s*{_CJK_MD}\s*[日号일]?{_CJK_TO}{_CJK_MD}\s*[日号일]"
    rf"|[月월]\s*{_CJK_MD}\s*[日号일]"
    rf"|[月월]?{_CJK_TO}{_CJK_MD}\s*[月월](?!\s*\d{{1,2}}\s*[日号일])"
    rf"|[月월])"
)
_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925}
_ERA_YEAR = re.compile(r"(令和|平成|昭和)\s*(元|\d{1,2})\s*年")
_ISO_DATE = re.compile(r"(\d{4})(?:[-/]|\.\s?)(\d{1,2})(?:[-/]|\.\s?)(\d{1,2})(?!\d)")
_DMY_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")
_NUMBER_CHARS = "0123456789."

_EN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_FR_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("janvier", "janv."),
            ("février", "fevrier", "févr.", "fév."),
            ("mars",),
            ("avril", "avr."),
            ("mai",),
            ("juin",),
            ("juillet", "juil."),
            ("août", "aout"),
            ("septembre", "sept."),
            ("octobre", "oct."),
            ("novembre", "nov."),
            ("décembre", "decembre", "déc."),
        ],
        start=1,
    )
    for name in names
}
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_EN_FULL_MONTH = r"\b(?P<m1>" + "|".join(n for n in _EN_MONTHS if len(n) > 3 or n == "May") + r")\b"
_EN_TO = r"\s*(?:-|–|—|to|and|through|until|till)\s*"


def _en(name: str) -> str:
    """An English month (m1, m2), day (d1, d2) or trailing year (y) as a named group."""
    if name.startswith("m"):
        return rf"(?P<{name}>{_EN_MONTH})\b\.?"
    if name.startswith("d"):
        return rf"(?P<{name}>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    return r"(?:,?\s+(?P<y>\d{4})(?!\d))?"


_EN_DATES = [
    re.compile(rf"\b{_en('m1')}\s+{_en('d1')}{_EN_TO}(?:{_en('m2')}\s+)?{_en('d2')}{_en('y')}"),
    re.compile(
        rf"\b(?:the\s+)?{_en('d1')}{_EN_TO}(?:the\s+)?{_en('d2')}(?:\s+of)?\s+{_en('m2')}{_en('y')}"
    ),
    re.compile(rf"\b{_en('m1')}\s+(?:the\s+)?{_en('d1')}{_en('y')}"),
    re.compile(rf"\b(?:the\s+)?{_en('d1')}(?:\s+of)?\s+{_en('m1')}{_en('y')}"),
    re.compile(rf"\b{_en('m1')}(?:\s+of)?,?\s+(?P<y>\d{{4}})(?!\d)"),
    re.compile(_EN_FULL_MONTH),
]
_FR_MONTH = "|".join(re.escape(n) for n in sorted(_FR_MONTHS, key=len, reverse=True))


def _fr(name: str) -> str:
    """A French month (m1, m2), day (d1, d2) or trailing year (y) as a named group."""
    if name.startswith("m"):
        return rf"(?P<{name}>{_FR_MONTH})(?!\w)"
    if name.startswith("d"):
        return rf"(?P<{name}>\d{{1,2}})(?:er|re)?(?!\d)"
    return r"(?:\s+(?P<y>\d{4})(?!\d))?"


_FR_DATES = [
    re.compile(
        rf"\b{_fr('d1')}\s*(?:-|–|au|et)\s*(?:le\s+)?{_fr('d2')}\s+{_fr('m2')}{_fr('y')}", re.I
    ),
    re.compile(rf"\b{_fr('d1')}\s+{_fr('m1')}{_fr('y')}", re.I),
    re.compile(rf"\b{_fr('m1')}\s+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(rf"\b{_fr('m1')}", re.I),
]


_EN_ANY_MONTH = re.compile(_EN_MONTH)
_FR_ANY_MONTH = re.compile(_FR_MONTH, re.I)


def _year_of(text: str | None) -> int | None:
    if not text:
        return None
    era = re.match(r"(令和|平成|昭和)\s*(元|\d{1,2})", text)
    if era:
        return _ERA_START[era.group(1)] + (1 if era.group(2) == "元" else int(era.group(2)))
    return int(_chinese_value(text))


def _valid(month: int, day: int | None) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= 31)


def _cjk_dates(scan: _Scan) -> None:
    """年月日 dates of Chinese, Japanese and Korean, with day and month ranges."""

    def read(m: re.Match[str]) -> bool:
        if m.start() and scan.text[m.start() - 1].isdigit():
            return False
        year, month = _year_of(m.group(1)), _month_day(m.group(2))
        if m.group(3):  # 10月1日至8日
            first, last = _month_day(m.group(3)), _month_day(m.group(4))
            if not (_valid(month, first) and _valid(month, last)):
                return False
            first_end = m.end(3) + (m.string[m.end(3) : m.end(3) + 1] in ("日", "号", "일"))
            scan.date(m.start(), first_end, (year, month, first))
            scan.date(m.start(4), m.end(), (year, month, last))
        elif m.group(5):  # 2020年1月1日
            day = _month_day(m.group(5))
            if not _valid(month, day):
                return False
            scan.date(m.start(), m.end(), (year, month, day))
        elif m.group(6):  # 1至3月
            last = _month_day(m.group(6))
            if not (_valid(month, None) and _valid(last, None)):
                return False
            scan.date(m.start(), m.start(6), (year, month, None))
            scan.date(m.start(6), m.end(), (year, last, None))
        elif _valid(month, None):  # 2022年3月, 3月
            scan.date(m.start(), m.end(), (year, month, None))
        else:
            return False
        return True

    scan.take(_CJK_DATE, read, ("月", "월"))


def _numeric_dates(scan: _Scan) -> None:
    """2020-01-01, 2020.11.17, 2020/4/26 everywhere; 17/11/2020 in English and French."""

    def iso(m: re.Match[str]) -> bool:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not _valid(month, day):
            return False
        scan.date(m.start(), m.end(), (_era_year(scan.language, year), month, day))
        return True

    def day_first(m: re.Match[str]) -> bool:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if month > 12 >= day:
            day, month = month, day  # 11/17/2020 can only be month first
        if not _valid(month, day):
            return False
        scan.date(m.start(), m.end(), (_era_year(scan.language, year), month, day))
        return True

    scan.take(_ISO_DATE, iso, ("-", "/", "."), _NUMBER_CHARS)
    if scan.language in ("en", "fr") or scan.language in NOTATIONS:
        scan.take(_DMY_DATE, day_first, ("/", "."), _NUMBER_CHARS)


def _word_dates(scan: _Scan, patterns: list[re.Pattern[str]], months: dict[str, int]) -> None:
    """English or French dates written with month names, day ranges included."""
    lowered = {name.lower(): number for name, number in months.items()}
    if not (_EN_ANY_MONTH if scan.language == "en" else _FR_ANY_MONTH).search(scan.text):
        return
    read = _month_name_reader(scan, lambda name: lowered[name.lower()], int)
    for pattern in patterns:
        scan.take(pattern, read)


def _month_name_reader(
    scan: _Scan, month_of: Callable[[str], int], year_of: Callable[[str], int]
) -> Callable[[re.Match[str]], bool]:
    """Reads a month-name date match (groups m1, m2, d1, d2, y) into the scan's dates."""

    def read(m: re.Match[str]) -> bool:
        found = m.groupdict()
        last = month_of(found.get("m2") or found["m1"])
        first = month_of(found["m1"]) if found.get("m1") else last
        year = year_of(found["y"]) if found.get("y") else None
        if not found.get("d1"):
            scan.date(m.start(), m.end(), (year, first, None))
            return True
        day = int(found["d1"])
        if not found.get("d2"):
            if not _valid(first, day):
                return False
            scan.date(m.start(), m.end(), (year, first, day))
            return True
        until = int(found["d2"])
        if not (_valid(first, day) and _valid(last, until)):
            return False
        scan.date(m.start(), m.end("d1"), (year, first, day))
        scan.date(m.start("d2"), m.end(), (year, last, until))
        return True

    return read


def _era_year(language: str, year: int) -> int:
    """A year as the Common Era counts it: Thai 2569 (Buddhist era) is 2026."""
    notation = NOTATIONS.get(language)
    if notation and notation.buddhist_era and year >= 2400:
        return year - BUDDHIST_ERA_OFFSET
    if notation and notation.buddhist_era and year < 100:  # 1 ธ.ค. 69: 2569
        return 2500 + year - BUDDHIST_ERA_OFFSET
    return year


def _notation_dates(scan: _Scan, notation: Notation) -> None:
    """Dates of a further language (notations.py), day ranges included."""
    if not notation.month_cue.search(scan.text):
        return
    months, language = notation.months, scan.language
    read = _month_name_reader(
        scan,
        lambda name: months[" ".join(name.lower().split())],
        lambda year: _era_year(language, int(year)),
    )
    for pattern in notation.dates:
        scan.take(pattern, read)


def _dates(scan: _Scan) -> None:
    """Every date of the text, in the forms of its language."""
    if scan.has_digit:
        _numeric_dates(scan)
    if scan.language == "en":
        _word_dates(scan, _EN_DATES, _EN_MONTHS)
    elif scan.language == "fr":
        _word_dates(scan, _FR_DATES, _FR_MONTHS)
    elif scan.language in NOTATIONS:
        _notation_dates(scan, NOTATIONS[scan.language])
    else:
        _cjk_dates(scan)
        if scan.language == "ja":

            def era(m: re.Match[str]) -> bool:
                year = _year_of(m.group(1) + m.group(2))
                scan.add(m.start(), m.end(), (float(year or 0),), True, digits=4)
                return True

            scan.take(_ERA_YEAR, era, tuple(_ERA_START))


# --- Times of day -------------------------------------------------------------------------------

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?![\d:])(?:\s*(?:a\.m\.|am|p\.m\.|pm)(?![A-Za-z]))?")
_EN_TIME = re.compile(
    r"(?<![\d.,])(\d{1,2})(?:[.:](\d{2}))?\s*(?:a\.m\.|am|p\.m\.|pm|o'clock)(?![A-Za-z])"
)
_FR_TIME = re.compile(r"(?<![\d,.])(\d{1,2})\s?(?:h|heures?)(?:\s?(\d{2}))?(?![\wÀ-ÿ])")
_CN_HOUR = r"(\d{1,2}|[零一二两三四五六七八九十]{1,3})"
_ZH_TIME = re.compile(
    rf"(?:(?:上午|下午|中午|晚上|早上|凌晨|午前|午後)\s*{_CN_HOUR}\s*[时時点](?:\s*{_CN_HOUR}\s*分|(半))?"
    rf"|(?<!\d)(\d{{1,2}})\s*[时時](?!间|間|期|代|候|刻|段|效|限|点)(?:\s*{_CN_HOUR}\s*分|(半))?"
    rf"|{_CN_HOUR}\s*[时時点](?:\s*{_CN_HOUR}\s*分|(半)))"
)
_KO_TIME = re.compile(
    r"(?:(?:오전|오후|낮|밤|새벽)\s*)?(?<!\d)(\d{1,2})\s*시(?![간민장청정설대작행도기])(?:\s*(\d{1,2})\s*분|\s*(반))?"
)


_NOON = {
    "en": re.compile(r"\b(?:noon|midday|midnight)\b", re.I),
    "fr": re.compile(r"\b(?:midi|minuit)\b", re.I),
    "ja": re.compile("正午|午前0時"),
    "ko": re.compile("정오|자정"),
}


def _times(scan: _Scan) -> None:
    """Times of day of the text, as minutes on a 12-hour clock (17:00 = 5 p.m. = 下午5时)."""
    if scan.language in _NOON:
        for match in _NOON[scan.language].finditer(scan.text):  # noon and midnight: 12 o'clock
            scan.add(
                match.start(), match.end(), (0,), False, kind="time", role="word", clock=(12, 0)
            )
    if scan.has_digit:
        scan.take(_CLOCK, _clock_reader(scan, ((1, 2, 0),)), (":",), _NUMBER_CHARS + ":")
    if scan.language == "en" and scan.has_digit:
        scan.take(_EN_TIME, _clock_reader(scan, ((1, 2, 0),)), ("am", "pm", "a.m", "p.m", "o'c"))
    elif scan.language == "fr" and scan.has_digit:
        scan.take(_FR_TIME, _clock_reader(scan, ((1, 2, 0),)), ("h",))
    elif scan.language == "ko" and scan.has_digit:
        scan.take(_KO_TIME, _clock_reader(scan, ((1, 2, 3),)), ("시",))
    elif scan.language in NOTATIONS and scan.has_digit:
        notation = NOTATIONS[scan.language]
        if notation.times:
            scan.take(notation.times, _clock_reader(scan, ((1, 2, 0),)), notation.time_cues)
    elif scan.language in ("zh", "ja"):
        forms = ((1, 2, 3), (4, 5, 6), (7, 8, 9))
        scan.take(_ZH_TIME, _clock_reader(scan, forms), ("时", "時", "点"))


def _clock_reader(
    scan: _Scan, forms: tuple[tuple[int, int, int], ...]
) -> Callable[[re.Match[str]], bool]:
    """A reader of a time pattern whose forms each have (hour, minute, half-hour) groups (0: none)."""

    def read(m: re.Match[str]) -> bool:
        for hour_group, minute_group, half_group in forms:
            if not m.group(hour_group):
                continue
            hour = _month_day(m.group(hour_group))
            minute = _month_day(m.group(minute_group)) if m.group(minute_group) else 0
            if half_group and m.group(half_group):
                minute = 30
            if hour > 24 or minute > 59:
                return False
            values = ((hour % 12) * 60 + minute,)
            scan.add(m.start(), m.end(), values, True, kind="time", clock=(hour, minute))
            return True
        return False

    return read


# --- Numbers in digits --------------------------------------------------------------------------

# Numbers in digits; `_digit_numbers` skips one that follows a digit and a point (1.2.3).
_DOT_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:([.])(\d+))?(?!\d)")
_EN_NUMBER = re.compile(r"(\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+|\d+)(?:([.,])(\d+))?(?!\d)")
_FR_NUMBER = re.compile(r"(\d{1,3}(?:[ \u00a0\u202f\u2009.]\d{3})+|\d+)(?:([,.])(\d+))?(?!\d)")
# The further decimal-comma languages also take 2,154,000 (two comma groups cannot be a decimal),
# as engines and Latin American Spanish write it.
_COMMA_OR_FR_NUMBER = re.compile(
    r"(\d{1,3}(?:,\d{3}){2,}(?![\d,])|\d{1,3}(?:[ \u00a0\u202f\u2009.]\d{3})+|\d+)"
    r"(?:([,.])(\d+))?(?!\d)"
)
# Languages that write a decimal comma (38,6 %) and group thousands with spaces or points.
_DECIMAL_COMMA = frozenset({"fr", "de", "es", "it", "pt", "ru", "nl", "pl", "tr", "vi", "id"})
_CJK_SCALES = {
    "千万": 10**7, "百万": 10**6, "十万": 10**5, "万亿": 10**12, "万億": 10**12, "千亿": 10**11,
    "百亿": 10**10, "十亿": 10**9, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12,
    "千": 10**3,
}  # fmt: skip
_KO_SCALES = {"천만": 10**7, "백만": 10**6, "십만": 10**5, "천억": 10**11, "백억": 10**10, "십억": 10**9, "만": 10**4, "억": 10**8, "조": 10**12, "천": 10**3}  # fmt: skip
_EN_SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "bn": 10**9,
}
# The French billion is a million millions (German's too: notations.py).
_FR_SCALES = {"mille": 10**3, "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9, "billion": 10**12, "billions": 10**12}  # fmt: skip
_SCALES_OF = {
    "zh": _CJK_SCALES,
    "ja": _CJK_SCALES,
    "ko": _KO_SCALES,
    "en": _EN_SCALES,
    "fr": _FR_SCALES,
}
_SCALE_AFTER = {
    "zh": re.compile(r"\s?(千万|百万|十万|万亿|千亿|百亿|十亿|万|萬|亿|億|千(?![克米瓦帕卡]))"),
    "ja": re.compile(r"\s?(千万|百万|十万|万億|万|萬|億|亿|兆|千(?![キメワ]))"),
    "ko": re.compile(r"\s?(천만|백만|십만|천억|백억|십억|만|억|조|천)"),
    "en": re.compile(r"\s?(thousand|million|billion|trillion|bn)s?\b", re.I),
    "fr": re.compile(r"\s?(mille|millions?|milliards?|billions?)\b", re.I),
}
_BIG_SCALE = 1e4  # after 万/만 and up, the next number may add to it: 215万4千, 2억 1586만 4200
_LEAD = r"^\s*(?:#+\s*)?(?:[-*+•]\s+)?"
_CN_ORDINAL = "[一二三四五六七八九十]{1,3}"
_LEADING_MARKERS = {
    "any": re.compile(_LEAD + r"(?:\((\d{1,2})\)|(\d{1,2})[.)、](?!\d))"),
    "cjk": re.compile(
        _LEAD + rf"(?:\(({_CN_ORDINAL})\)|({_CN_ORDINAL})[、.]|第({_CN_ORDINAL})[，、,に]"
        rf"|其({_CN_ORDINAL})[，、]|({_CN_ORDINAL})是)"
    ),
    "roman": re.compile(_LEAD + r"([IVX]{1,5})[.)]\s"),
    "ko": re.compile(r"^\s*(첫째|둘째|셋째|넷째|다섯째|여섯째|일곱째|여덟째|아홉째|열째)\s*[,，]"),
}
_KO_ORDINAL_MARKERS = {w: i for i, w in enumerate(["첫째", "둘째", "셋째", "넷째", "다섯째", "여섯째", "일곱째", "여덟째", "아홉째", "열째"], start=1)}  # fmt: skip
_PAREN_MARKER = re.compile(r"\((\d{1,2})\)")
_CIRCLED = re.compile("[\u2460-\u2473\u2474-\u2487]")
_FR_ROMAN = re.compile(r"\b(X{0,3}(?:IX|IV|V?I{0,3}))(?:e|er|re|ère|ème|es)\b")
_ROMAN = {"I": 1, "V": 5, "X": 10}
# A Roman ordinal standing alone (la IV edición, il XII Congresso); a lone I is mostly a letter.
_ROMAN_ORDINAL = re.compile(
    r"(?<![\w.])(?=[IVX]{2}|[VX](?![\w.]))X{0,3}(?:IX|IV|V?I{0,3})(?![\w.])"
)


def _leading_marker(scan: _Scan) -> None:
    """The marker a list item starts with (3), （三）, 三、, III., Third,): compared when both sides
    have one, so a renumbered item is found; mid-text markers are optional numbers."""
    families = ["any"]
    if scan.language in ("zh", "ja"):
        families.append("cjk")
    elif scan.language in ("en", "fr"):
        families += ["roman", scan.language]
    elif scan.language == "ko":
        families.append("ko")
    for family in families:
        pattern = _LEADING_MARKERS.get(family) or _WORD_MARKERS[family]
        match = pattern.match(scan.text)
        if not match:
            continue
        group = next(i for i in range(1, (match.lastindex or 1) + 1) if match.group(i))
        if _starts_a_date(scan, match.start(group)):
            return  # 1. Januar 2026, 1.º de enero: a day, not an item number
        value = _marker_value(match.group(group), family)
        if value:
            scan.add(match.start(group), match.end(group), (value,), False, kind="marker")
            scan.text = _BLANK * match.end() + scan.text[match.end() :]
        return


def _starts_a_date(scan: _Scan, start: int) -> bool:
    """Whether a date of a further language (notations.py) starts at `start`."""
    notation = NOTATIONS.get(scan.language)
    return notation is not None and any(p.match(scan.text, start) for p in notation.dates)


def _marker_value(text: str, family: str) -> float:
    if text.isdigit():
        return float(text)
    if family == "cjk":
        return _chinese_value(text)
    if family == "roman":
        return float(_roman_value(text))
    if family == "ko":
        return float(_KO_ORDINAL_MARKERS[text])
    return float((_EN_WORDS | _FR_WORDS).get(text.lower(), 0))


def _markers(scan: _Scan) -> None:
    """List and enumeration markers: 1. at the start, (2), ①: optional on either side."""

    def marker(match: re.Match[str]) -> bool:
        start = match.start()
        if start and match.string[start - 1].isalnum():
            return False  # Article 20(1): an item number, not a marker
        scan.add(match.start(1), match.end(1), (float(match.group(1)),), False)
        return True

    def circled(match: re.Match[str]) -> bool:
        code = ord(match.group())
        scan.add(
            match.start(),
            match.end(),
            (float(code - (0x245F if code < 0x2474 else 0x2473)),),
            False,
        )
        return True

    if scan.has_digit:
        scan.take(_PAREN_MARKER, marker, ("(",))
    if scan.language == "zh":
        scan.take(_CIRCLED, circled)


def _digit_numbers(scan: _Scan) -> None:
    """Numbers in digits, in the language's notation, with their scales; required, then blanked."""
    if not scan.has_digit:
        return
    text, language = scan.text, scan.language
    written = NOTATIONS.get(language)
    scales = written.scales if written else _SCALES_OF.get(language, {})
    scale_after = written.scale_after if written else _SCALE_AFTER.get(language)
    found: list[Figure] = []
    last_scale = 0  # the scale of the figure before: 215万 may go on with 4千
    code_end = code_until = -1
    notation = _EN_NUMBER if language == "en" else _DOT_NUMBER
    if language in _DECIMAL_COMMA:
        notation = _COMMA_OR_FR_NUMBER if written else _FR_NUMBER
    for match in notation.finditer(text):
        start = match.start()
        if start and (text[start - 1] in ".," and text[start - 2 : start - 1].isdigit()):
            continue
        if start < code_until:
            continue  # the rest of a code: the 3 of WBMSC002-V3
        code = _code_at(text, start) if start and text[start - 1] in _CODE_END else None
        if code:
            scan.codes.append(Code("".join(code.group().split()), code.start(), code.end()))
            code_until = code.end()
            if _QUARTER.fullmatch(code.group()):  # Q3 is the third quarter, H1 the first half
                scan.add(code.start(), code.end(), (float(code.group()[1]),), False, role="ordinal")
        if code or (code_end >= 0 and _CODE_TAIL.fullmatch(text, code_end, start)):
            code_end = match.end()  # and WBMSC002-V3. 2 goes on with its ". 2"
            continue
        end, scale_word, scale = match.end(), "", 1
        scale_match = scale_after.match(text, end) if scale_after else None
        if scale_match and language == "ko" and text[:start].rstrip().endswith("제"):
            scale_match = None  # 제20조 is article 20, not 20 trillion
        if scale_match:
            scale_word, end = scale_match.group(1), scale_match.end()
            scale = scales[scale_word.lower()]
        values, step, digits = _digit_readings(match, language, scale)
        if written and written.buddhist_era and not scale_word:
            values = _buddhist_readings(match, values)
        measure = ""
        if language == "zh" and (counted := _MEASURE.match(text, end)):
            measure = counted.group(1)
            scan.measures.add(measure)
        before = found[-1] if found else None
        if (
            before
            and last_scale >= _BIG_SCALE
            and values[0] < last_scale
            and not text[before.end : match.start()].strip()
        ):
            # 215万4千, 2억 1586만 4200: one number in parts
            values = (before.values[0] + values[0],)
            found[-1] = Figure(
                values,
                scan.original[before.start : end],
                before.start,
                end,
                True,
                scale=before.scale,
                step=step,
                digits=before.digits,
                measure=measure,
            )
            last_scale = min(last_scale, scale)
            continue
        found.append(
            Figure(
                values,
                scan.original[start:end],
                start,
                end,
                True,
                scale=scale_word,
                step=step,
                digits=digits,
                measure=measure,
            )
        )
        last_scale = scale
    scan.figures.extend(found)
    chars = list(scan.text)
    for figure in found:
        chars[figure.start : figure.end] = _BLANK * (figure.end - figure.start)
    scan.text = "".join(chars)


_NOT_DIGITS = str.maketrans("", "", " .,\u00a0\u202f\u2009")


def _digit_readings(
    match: re.Match[str], language: str, scale: int
) -> tuple[tuple[float, ...], float, int]:
    """The values a number in digits may have, the value of its last digit, its significant digits."""
    whole, fraction = match.group(1), match.group(3) or ""
    plain = whole.translate(_NOT_DIGITS) if len(whole) > 3 else whole
    digits = len((plain + fraction).lstrip("0")) or 1
    step = scale / 10 ** len(fraction)
    value = int(plain + fraction) * scale / 10 ** len(fraction)  # exact: 21586.42万 = 215,864,200
    if (
        language in _DECIMAL_COMMA
        and not fraction
        and len(whole) <= 7
        and whole.count(".") == 1 == len(whole) - len(plain)
    ):
        # French 2.154: 2154 grouped with a dot, or 2.154 with an English decimal point
        return (value, int(plain) * scale / 1000), step, digits
    return (value,), step, digits


def _buddhist_readings(match: re.Match[str], values: tuple[float, ...]) -> tuple[float, ...]:
    """A Thai year of the Buddhist era (2569) may be the Common Era's (2026) as well."""
    if match.group(3) or not match.group(1).isdigit() or len(match.group(1)) != 4:
        return values
    year = int(match.group(1))
    return (*values, float(year - BUDDHIST_ERA_OFFSET)) if 2400 <= year <= 2700 else values


def _roman_value(numeral: str) -> int:
    """IV = 4, XII = 12 (the letters I, V and X)."""
    total = 0
    for ch, after in zip(numeral, numeral[1:] + " ", strict=True):
        value = _ROMAN[ch]
        total += -value if after in _ROMAN and _ROMAN[after] > value else value
    return total


def _roman_ordinals(scan: _Scan) -> None:
    """French Roman ordinals: IVe, XIIe, Ier (required, like digits)."""

    def roman(match: re.Match[str]) -> bool:
        numeral = match.group(1)
        if not numeral:
            return False
        scan.add(match.start(), match.end(), (float(_roman_value(numeral)),), True)
        return True

    scan.take(_FR_ROMAN, roman)


# --- Numbers in words ---------------------------------------------------------------------------

_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_CARDINALS = {w: i for i, w in enumerate(_EN_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(_EN_TENS)
}
_EN_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}  # fmt: skip
_EN_ORDINALS = {
    _EN_IRREGULAR.get(w) or (w[:-1] + "ieth" if w.endswith("y") else w + "th"): v
    for w, v in _EN_CARDINALS.items()
    if v
}
_EN_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_EN_WORDS: dict[str, float] = dict(
    _EN_CARDINALS
    | _EN_MULTIPLIERS
    | _EN_ORDINALS
    | {w + "ly": v for w, v in _EN_ORDINALS.items() if v <= 10}
    | {w + "th": v for w, v in _EN_MULTIPLIERS.items()}
    | {"once": 1, "single": 1, "twice": 2, "double": 2, "both": 2, "thrice": 3, "triple": 3}
    | {"dozen": 12, "decade": 10, "century": 100, "centenary": 100}
)
_FR_CARDINALS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "nonante": 90, "quatre-vingt": 80, "quatre-vingts": 80,
}  # fmt: skip
_FR_MULTIPLIERS = {"cent": 100, "cents": 100, "mille": 1000, "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9}  # fmt: skip


def _fr_ordinal(word: str) -> str:
    """trois → troisième, quatre → quatrième, cinq → cinquième, neuf → neuvième, un → unième."""
    stem = {"cinq": "cinqu", "neuf": "neuv", "une": "un"}.get(word, word)
    return (stem[:-1] if stem.endswith("e") else stem) + "ième"


_FR_ORDINALS = {
    _fr_ordinal(w): v
    for w, v in (_FR_CARDINALS | _FR_MULTIPLIERS).items()
    if v and not (w.endswith("s") and w[:-1] in _FR_CARDINALS | _FR_MULTIPLIERS)  # vingts, cents
} | {
    "premier": 1, "première": 1, "premiers": 1, "premières": 1,
    "second": 2, "seconde": 2, "seconds": 2, "secondes": 2,
}  # fmt: skip
_FR_WORDS: dict[str, float] = dict(
    _FR_CARDINALS
    | _FR_MULTIPLIERS
    | _FR_ORDINALS
    | {
        w + "ment": v
        for w, v in _FR_ORDINALS.items()
        if v <= 10 and w.endswith(("ième", "ère", "onde"))
    }
    | {"double": 2, "triple": 3, "douzaine": 12, "décennie": 10, "centenaire": 100}
)
_MULTIPLIER_WORDS = {**_EN_MULTIPLIERS, **_FR_MULTIPLIERS}
# A list item that starts with an ordinal word: "Fourth, ...", "Troisièmement, ..."
_WORD_MARKERS = {
    "en": re.compile(
        r"^\s*("
        + "|".join(w.capitalize() for w, v in _EN_ORDINALS.items() if v <= 10)
        + r")(?:ly)?\s*[,:]"
    ),
    "fr": re.compile(
        r"^\s*("
        + "|".join(
            w.capitalize()
            for w, v in _FR_WORDS.items()
            if v <= 10 and w.endswith(("ment", "ième", "ier", "ière"))
        )
        + r")\s*[,:]"
    ),
}


def _word_pattern(words: Iterable[str], joiners: str) -> re.Pattern[str]:
    """Runs of number words (of lowercased text) joined by `joiners`: one hundred and five."""
    word = _alternatives(words)
    return re.compile(rf"\b(?:{word})(?:(?:{joiners})(?:{word}))*\b")


# "and" joins after hundred or thousand (one hundred and five), "et" before un and onze (vingt et
# un): "two and three" are two numbers.
_EN_WORD = _word_pattern(_EN_WORDS, r"-|(?:(?<=hundred)|(?<=thousand))\s+and\s+|\s+")
_FR_WORD = _word_pattern(_FR_WORDS, r"-et-|\s+et\s+(?=un|onze)|-|\s+")
_EN_TOKEN = _word_pattern(_EN_WORDS, "(?!)")
_FR_TOKEN = _word_pattern(_FR_WORDS, "(?!)")
_KO_NATIVE = {
    "한": 1, "첫": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
    "열": 10, "열한": 11, "열두": 12, "스무": 20, "하나": 1, "둘": 2, "셋": 3, "넷": 4,
}  # fmt: skip
_KO_WORD = re.compile(
    r"(?<![가-힣])(열한|열두|다섯|여섯|일곱|여덟|아홉|스무|한|첫|두|세|네|열)"
    r"(?=\s?(?:번째|째|명|개|건|번|가지|곳|차례|해|분|편|권|장|대|살|달|주|시간|개월|회|차))"
    r"|(?<![가-힣])(하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|열)(?=째|[이가은는을를의도와과]?(?![가-힣]))"
)
_JA_WORDS = {"ひとつ": 1, "ふたつ": 2, "みっつ": 3, "よっつ": 4, "いつつ": 5, "むっつ": 6, "ななつ": 7, "やっつ": 8, "ここのつ": 9, "とお": 10}  # fmt: skip
_JA_WORD = re.compile("|".join(_JA_WORDS))


def _number_words(scan: _Scan) -> None:
    """Numbers written as words: optional, each standing for the source's value."""
    language = scan.language
    if language in ("en", "fr"):
        run, token, words = (
            (_EN_WORD, _EN_TOKEN, _EN_WORDS)
            if language == "en"
            else (_FR_WORD, _FR_TOKEN, _FR_WORDS)
        )
        lowered = scan.text.lower()
        if len(lowered) != len(scan.text):
            return  # a letter whose lower case is longer (İ): leave the words alone
        for match in run.finditer(lowered):
            names = [t.group() for t in token.finditer(match.group())]
            role = _word_role(names)
            for value in _combine([(name, words[name]) for name in names]):
                scan.add(match.start(), match.end(), (value,), False, role=role)
    elif language == "ko":
        for match in _KO_WORD.finditer(scan.text):
            word = match.group(1) or match.group(2)
            ordinal = match.group(2) is None and scan.text[match.end() :].lstrip().startswith(
                ("번째", "째")
            )
            ordinal = ordinal or (
                match.group(2) is not None and scan.text.startswith("째", match.end())
            )
            role = "weak" if word == "한" else "ordinal" if ordinal or word == "첫" else "word"
            scan.add(match.start(), match.end(), (float(_KO_NATIVE[word]),), False, role=role)
    elif language == "ja":
        for match in _JA_WORD.finditer(scan.text):
            scan.add(
                match.start(), match.end(), (float(_JA_WORDS[match.group()]),), False, role="word"
            )
    elif language in NOTATIONS:
        _notation_words(scan, NOTATIONS[language])


def _notation_words(scan: _Scan, notation: Notation) -> None:
    """Number words of a further language (notations.py): optional, like English ones."""
    if notation.word_run is None or notation.word_token is None:
        return
    lowered = scan.text.lower()
    if len(lowered) != len(scan.text):
        return  # a letter whose lower case is longer (İ): leave the words alone
    for match in notation.word_run.finditer(lowered):
        names = [t.group() for t in notation.word_token.finditer(match.group())]
        names = [" ".join(name.split()) for name in names]
        if len(names) == 1 and names[0] in notation.weak:
            role = "weak"
        else:
            role = "ordinal" if names[-1] in notation.ordinals else "word"
        pairs = [(name, notation.words[name]) for name in names if name in notation.words]
        for value in _combine(pairs, notation.multipliers):
            scan.add(match.start(), match.end(), (value,), False, role=role)
    if notation.romans:
        for match in _ROMAN_ORDINAL.finditer(scan.text):
            value = float(_roman_value(match.group()))
            scan.add(match.start(), match.end(), (value,), False, role="ordinal")
    if notation.duals is not None:
        for match in notation.duals.finditer(scan.text):
            scan.add(match.start(), match.end(), (2.0,), False, role="weak")


_ORDINAL_WORDS = (
    frozenset(_EN_ORDINALS)
    | frozenset(_FR_ORDINALS)
    | frozenset(w + "ly" for w in _EN_ORDINALS)
    | frozenset(w for w in _FR_WORDS if w.endswith("ment"))
)


def _word_role(names: list[str]) -> str:
    """weak for one, un, une (mostly articles); none for both; ordinal or word otherwise."""
    if names in (["one"], ["un"], ["une"]):
        return "weak"
    if names == ["both"]:
        return ""
    return "ordinal" if names[-1] in _ORDINAL_WORDS else "word"


def _combine(
    words: list[tuple[str, float]], multipliers: Mapping[str, int] | None = None
) -> list[float]:
    """The numbers of a run of number words: one hundred and five, quatre-vingt-dix; three five → 3, 5."""
    numbers: list[float] = []
    total = current = 0.0
    multiplying = _MULTIPLIER_WORDS if multipliers is None else multipliers
    for name, value in words:
        multiplier = multiplying.get(name) or multiplying.get(name.removesuffix("th"))
        if multiplier == 100:
            current = (current or 1) * 100
        elif multiplier:
            total, current = total + (current or 1) * multiplier, 0.0
        elif _adds_to(current, value):
            current += value
        else:
            numbers.append(total + current)
            total, current = 0.0, value
    return [*numbers, total + current]


def _adds_to(current: float, value: float) -> bool:
    """Can a word of `value` follow a number of `current`: twenty-five, cent cinq, soixante-dix."""
    rest = current % 100
    return (
        current == 0
        or rest == 0
        or (rest % 10 == 0 and rest >= 20 and value < 10)
        or (rest in (60, 80) and value < 20)
    )


# --- Reading a text -----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def read_values(text: str, language: str) -> Reading:
    """Every date, time and number of a text in `language` (zh for the source), with its place."""
    scan = _Scan(text, language)
    scan.blank(_CODE, ("`",))
    scan.blank(_LINK_TARGET, ("](",))
    scan.blank(_TAG, ("<",))
    scan.blank(URL, ("http", "www."))
    scan.blank(EMAIL, ("@",))
    if language == "ko" and "코로나" in scan.text:
        scan.take(_KO_NAMES, scan.korean_covid)
    if sum(map(scan.text.count, _DIGITS)) >= 10:  # a phone number has ten digits or more
        scan.blank(PHONE)

    _leading_marker(scan)
    _dates(scan)
    _times(scan)
    if language == "zh":
        _source_words(scan)
    _markers(scan)
    _digit_numbers(scan)
    if language == "fr":
        _roman_ordinals(scan)
    if language in ("zh", "ja") and _CN_RUN.search(scan.text):
        _chinese_numerals(scan, rules=language == "zh")
    _number_words(scan)
    figures = tuple(sorted(scan.figures, key=lambda f: (f.start, f.end)))
    dates = tuple(sorted(scan.dates, key=lambda d: d.start))
    relative = language == "zh" and bool(_RELATIVE_YEAR.search(scan.text))
    return Reading(figures, dates, relative, tuple(scan.codes))
