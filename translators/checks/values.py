"""Dates and numbers of a text by value, whatever the script: 215.4万 = 2.154 million = 2,154,000."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from translators.kept import EMAIL, PHONE, URL

__all__ = ["Date", "dates_and_numbers", "format_number", "without_kept"]

Date = tuple[int | None, int, int]  # (year or None, month, day)

_CODE = re.compile(r"`+[^`]*`+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")

_MONTHS_EN = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTHS_FR = {
    name: number
    for number, name in enumerate(
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        start=1,
    )
}
_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_NUMERAL = "〇零一二两三四五六七八九十百千万亿"

_EN_MONTH = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_FR_MONTH = "|".join(_MONTHS_FR)
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er)?"
_CN_NUM = rf"(\d{{1,2}}|[{_CN_NUMERAL}]{{1,3}})"

# Each pattern yields (year, month, day) through its converter; the first match at a place wins.
_DATE_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Date]]] = []


def _date(pattern: str, convert: Callable[[re.Match[str]], Date]) -> None:
    _DATE_PATTERNS.append((re.compile(pattern, re.IGNORECASE), convert))


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else int(_chinese_number(text))


_date(
    rf"(?:(\d{{4}}|[{_CN_NUMERAL}]{{4}})\s*年\s*)?{_CN_NUM}\s*月\s*{_CN_NUM}\s*[日号]",
    lambda m: (_year(m.group(1)), _int(m.group(2)) or 0, _int(m.group(3)) or 0),
)
_date(
    r"(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일",
    lambda m: (_year(m.group(1)), int(m.group(2)), int(m.group(3))),
)
_date(
    r"(\d{4})-(\d{1,2})-(\d{1,2})\b", lambda m: (int(m.group(1)), int(m.group(2)), int(m.group(3)))
)
_date(
    rf"\b({_EN_MONTH})\.?\s+{_DAY}\b(?:,?\s+(\d{{4}}))?",
    lambda m: (_year(m.group(3)), _MONTHS_EN[m.group(1).lower()], int(m.group(2))),
)
_date(
    rf"\b{_DAY}\s+({_EN_MONTH}|{_FR_MONTH})\b\.?(?:,?\s+(\d{{4}}))?",
    lambda m: (
        _year(m.group(3)),
        _MONTHS_EN.get(m.group(2).lower()) or _MONTHS_FR[m.group(2).lower()],
        int(m.group(1)),
    ),
)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))  # 二〇二五 is written digit by digit


def _chinese_number(text: str) -> float:
    """Value of a Chinese numeral: 三, 十二, 两千三百, 一万二千, 三亿五千万."""
    total = section = 0.0
    digit = None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit if digit is not None else 1) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total = (total + section) * _CN_BIG[ch] if ch == "亿" else total + section * _CN_BIG[ch]
            section, digit = 0.0, None
    return total + section + (digit or 0)


def without_kept(text: str) -> str:
    """The text without code, link targets, HTML tags, URLs, e-mail addresses and phone numbers."""
    for pattern in (_CODE, _LINK_TARGET, _TAG, URL, EMAIL, PHONE):
        text = pattern.sub(" ", text)
    return text


def find_dates(text: str) -> tuple[list[Date], str]:
    """Every date in the text, and the text with the dates blanked out (so numbers skip them)."""
    found: list[tuple[int, Date]] = []
    for pattern, convert in _DATE_PATTERNS:

        def take(match: re.Match[str], convert: Callable[[re.Match[str]], Date] = convert) -> str:
            found.append((match.start(), convert(match)))
            return " " * len(match.group(0))

        text = pattern.sub(take, text)
    return [date for _, date in sorted(found, key=lambda pair: pair[0])], text


# Arabic numbers with a multiplier word or character after them.
_SCALE = {
    "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3, "만": 1e4, "억": 1e8, "천": 1e3,
    "thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
    "mille": 1e3, "milliard": 1e9, "milliards": 1e9,
}  # fmt: skip
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "un": 1, "une": 1, "deux": 2, "trois": 3,
    "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
}  # fmt: skip
# Words that are also common non-numeric words in one of the languages are left out: "six" is
# French and English, but "one" in "one of the" is too common; it is accepted, not required.
_OPTIONAL_WORDS = {"one", "un", "une"}
_CN_CLASSIFIERS = "个名人位项次家国座所批届场条种类份件天周年月岁倍点"


def _number_pattern(decimal: str, group: str) -> re.Pattern[str]:
    scale = "|".join(sorted((re.escape(k) for k in _SCALE), key=len, reverse=True))
    return re.compile(
        rf"(?<![\d.,])(\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{re.escape(decimal)}(\d+))?(?!\d)"
        rf"(?:\s?(?:{scale})\b|\s?[万萬亿億千만억천])?"
    )


_NUMBER_DOT = _number_pattern(".", "[,\u00a0\u202f]")
_NUMBER_COMMA = _number_pattern(",", "[.\u00a0\u202f ]")  # French: 2 154 000,5
_CN_RUN = re.compile(
    rf"百分之([{_CN_NUMERAL}]+)|([{_CN_NUMERAL}]+)(?=[{_CN_CLASSIFIERS}])|([{_CN_NUMERAL}]*[十百千万亿][{_CN_NUMERAL}]*)"
)
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)


def find_numbers(text: str, language: str) -> tuple[list[float], set[float]]:
    """(values required to match, values that may appear without counterpart) of a date-free text."""
    pattern = _NUMBER_COMMA if language == "fr" else _NUMBER_DOT
    values: list[float] = []
    optional: set[float] = set()
    consumed = [False] * len(text)
    for match in pattern.finditer(text):
        whole = re.sub(r"\D", "", match.group(1))
        value = float(whole + ("." + match.group(2) if match.group(2) else ""))
        tail = match.group(0)[
            len(match.group(1)) + (len(match.group(2)) + 1 if match.group(2) else 0) :
        ]
        scale = tail.strip()
        value *= _SCALE.get(scale.lower(), 1.0) if scale else 1.0
        # 215万4千 / 215만 4천: the second part adds to the first.
        if values and match.start() > 0 and _joins_previous(text, match.start(), consumed):
            values[-1] += value
        else:
            values.append(value)
        consumed[match.start() : match.end()] = [True] * (match.end() - match.start())
    if language in ("zh", "ja"):
        for match in _CN_RUN.finditer(text):
            run = next(g for g in match.groups() if g)
            if run in ("万", "亿", "千", "百", "十") or any(consumed[match.start() : match.end()]):
                continue
            values.append(_chinese_number(run))
    if language in ("en", "fr"):
        for match in _WORD.finditer(text):
            word = match.group(1).lower()
            (optional.add if word in _OPTIONAL_WORDS else values.append)(float(_WORDS[word]))  # type: ignore[func-returns-value]
    return values, optional


def _joins_previous(text: str, start: int, consumed: list[bool]) -> bool:
    """Is this number the second part of 215万4千 (right after a 万/만 of the previous one)?"""
    before = text[:start].rstrip()
    return bool(before) and before[-1] in "万萬만亿億억" and consumed[len(before) - 1]


def dates_and_numbers(text: str, language: str) -> tuple[list[Date], list[float], set[float]]:
    """Dates, required numbers and optional numbers of a text in `language` (zh for the source)."""
    normalised = unicodedata.normalize("NFKC", without_kept(text))
    dates, rest = find_dates(normalised)
    numbers, optional = find_numbers(rest, language)
    return dates, numbers, optional


def format_number(value: float) -> str:
    """A value as the messages show it: 2,154,000 or 5.6."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6g}"
