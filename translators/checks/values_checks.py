"""Numbers and dates must survive translation by value.

Both checks read the two texts with `translators.checks.values.read_values` (its docstring has
the rules) and pair what they find. A value of the source must be in the translation, and a
number the translation writes in digits must be in the source. One finding names one difference,
the value as the source writes it first: "the source has 215.4万 (2,154,000); the translation has
215.4". Each difference also knows where it is in both texts (`Difference.source_span`,
`target_span`), for the desk to highlight.

Pairing, in this order: equal values; a time written as a plain number (from 9 to 11.30); a long
number written in groups; a count rendered by a word that is mostly an article (un agent for
1 名), unless the translation has a number word of its own left over; the year of a date beside
it. What is left is a difference. Besides: a list item numbered otherwise (3) → 4)), a code with
digits changed (WBMSC002-V3.2), and a numeral the source may leave out but that the translation
changed (五大洲 → six continents).

Errors mean "almost surely wrong". Two differences are warnings: a figure rounded to three or
more significant digits (21586.42万元 as RMB 215.86 million), and a year in the translation where
the source names the year by a word (今年, 上年, 全年 ...), which translators often spell out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.languages import SOURCE_LANGUAGE
from translators.checks.base import CheckContext, Finding
from translators.checks.values import (
    Code,
    Date,
    Figure,
    Mention,
    Reading,
    format_number,
    read_values,
)

__all__ = ["DatesCheck", "Difference", "NumbersCheck", "date_differences", "number_differences"]

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
Span = tuple[int, int]
Fit = Callable[[Figure, Figure], bool]  # (source figure, target figure) -> do they pair
_NUMBER_WORDS = ("word", "ordinal")  # roles of a translation's words that may replace a value


@dataclass(frozen=True)
class Difference:
    """One value that differs, with why in words and where it is in each text."""

    severity: str
    message: str
    source_span: Span | None = None
    target_span: Span | None = None


class NumbersCheck:
    """Every number of the source, by value, in the target, and no number the source lacks."""

    id = "numbers"
    name = "Numbers by value"
    description = (
        "Compares the numbers and times of day of source and target by value across scripts: "
        "Chinese numerals and measure words (三件 = three = 3), 万/亿 (215.4万 = 2.154 million = "
        "2,154,000 = 215만 4천 = 2,154 millions in French), ordinals (第四届 = fourth = 4th = IVe "
        "= 第4回 = 제4차 = vierte = четвёртое), each language's decimal and thousands signs and digits "
        "(1.234,5, 1 234,5, ٢٬١٥٤٬٠٠٠, Thai digits and Buddhist-era years), scale words "
        "(Millionen, millones, млн, مليون, triệu, ล้าน), ranges, percentages, list "
        "item numbers and codes with digits. Words like 一年来 or 统一 and enumeration markers "
        "(一是, （二）) are not counts. Dates, phone numbers and addresses are left to their checks."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """One finding for each number that differs."""
        differences = number_differences(
            read_values(source, SOURCE_LANGUAGE), read_values(target, context.language)
        )
        return [_finding(self.id, d) for d in differences]


class DatesCheck:
    """Every date of the source, by day, month and year, in the target."""

    id = "dates"
    name = "Dates by value"
    description = (
        "Compares dates by (year, month, day): 2020年1月1日 = January 1, 2020 = 1 January 2020 = "
        "1er janvier 2020 = 2020년 1월 1일 = 2020-01-01 = 1. Januar 2026 = 1 января 2026 г. = "
        "1 كانون الثاني/يناير = 1 มกราคม พ.ศ. 2569 = 01.12.2026 (day first); 二〇二二年三月 = March 2022; day ranges "
        "(10月1日至8日 = 1-8 October). A year left out where the text gives it elsewhere is no "
        "difference; a swapped day and month is an error."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """One finding for each date that differs."""
        differences = date_differences(
            read_values(source, SOURCE_LANGUAGE), read_values(target, context.language)
        )
        return [_finding(self.id, d) for d in differences]


def _finding(check_id: str, difference: Difference) -> Finding:
    """A difference as a finding, with its place in both texts (read_values keeps raw offsets)."""
    return Finding(
        check_id,
        difference.severity,
        difference.message,
        difference.source_span,
        difference.target_span,
    )


# --- Numbers ------------------------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _same(a: Figure, b: Figure) -> bool:
    return a.kind == b.kind and any(_close(x, y) for x in a.values for y in b.values)


def _span(item: Figure | Mention | Code | None) -> Span | None:
    return None if item is None else (item.start, item.end)


def _changed(
    message: str, a: Figure | None, b: Figure | None, severity: str = "error"
) -> Difference:
    return Difference(severity, message, _span(a), _span(b))


class _Pairing:
    """The figures of two texts and which of them have found their counterpart."""

    def __init__(self, source: Sequence[Figure], target: Sequence[Figure]) -> None:
        self.source, self.target = source, target
        self.source_used = [False] * len(source)
        self.target_used = [False] * len(target)

    def pair(self, i: int, j: int) -> None:
        self.source_used[i] = self.target_used[j] = True

    def free_target(self, source: Figure, fits: Fit) -> int | None:
        """The first target figure without a counterpart that `fits` this source figure."""
        return next(
            (j for j, f in enumerate(self.target) if not self.target_used[j] and fits(source, f)),
            None,
        )

    def free_source(self, target: Figure, fits: Fit) -> int | None:
        """The first source figure without a counterpart that `fits` this target figure."""
        return next(
            (i for i, f in enumerate(self.source) if not self.source_used[i] and fits(f, target)),
            None,
        )

    def missing(self) -> list[int]:
        """Required source figures without a counterpart."""
        return [i for i, f in enumerate(self.source) if f.required and not self.source_used[i]]

    def extra(self) -> list[int]:
        """Required target figures without a counterpart."""
        return [j for j, f in enumerate(self.target) if f.required and not self.target_used[j]]


def number_differences(source: Reading, target: Reading) -> list[Difference]:
    """The numbers, times, list item numbers and codes that differ between two texts."""
    differences = _marker_differences(source.figures, target.figures)
    differences += _code_differences(source.codes, target.codes)
    pairing = _Pairing(
        [f for f in source.figures if f.kind != "marker"],
        [f for f in target.figures if f.kind != "marker"],
    )
    _pair_by_value(pairing)
    _pair_other_readings(pairing)
    _pair_weak_words(pairing)
    _absorb_date_parts(pairing, source, target)
    _pair_optional(pairing)
    differences += _rounded(pairing)
    differences += _changed_soft_values(pairing)
    differences += _unpaired(pairing, source.relative_year)
    return differences


def _code_differences(source: Sequence[Code], target: Sequence[Code]) -> list[Difference]:
    """A code of the source with digits (G20, WBMSC002-V3.2) is kept as it is."""
    kept = {c.code.upper() for c in target}
    wanted = {c.code.upper() for c in source}
    left = [c for c in target if c.code.upper() not in wanted]
    differences = []
    for code in source:
        if code.code.upper() in kept:
            continue
        other = left.pop(0) if left else None
        said = f"{other.code} in its place" if other else "no such code"
        message = f"the source has the code {code.code}; the translation has {said}"
        differences.append(Difference("error", message, _span(code), _span(other)))
    return differences


def _marker_differences(source: Sequence[Figure], target: Sequence[Figure]) -> list[Difference]:
    """A list item numbered otherwise: 3) in the source, 4) in the translation."""
    first = next((f for f in source if f.kind == "marker"), None)
    other = next((f for f in target if f.kind == "marker"), None)
    if first is None or other is None or _close(first.values[0], other.values[0]):
        return []
    message = (
        f"the source numbers this item {_shown(first)}; the translation numbers it {_shown(other)}"
    )
    return [_changed(message, first, other)]


def _same_as_required(a: Figure, b: Figure) -> bool:
    return b.required and _same(a, b)


def _same_as_optional(a: Figure, b: Figure) -> bool:
    return not b.required and b.role != "weak" and _same(a, b)


def _same_as_weak(a: Figure, b: Figure) -> bool:
    return b.role == "weak" and _same(a, b)


def _both_optional(a: Figure, b: Figure) -> bool:
    return not a.required and not b.required and _same(a, b)


def _optional_same_as(a: Figure, b: Figure) -> bool:
    return not a.required and _same(a, b)


def _pair_by_value(pairing: _Pairing) -> None:
    """A required source figure takes a target figure of its value, a required one first; a
    required target figure left over may stand for an optional source figure (一年来 → 1年間)."""
    for i, figure in enumerate(pairing.source):
        if not figure.required:
            continue
        j = pairing.free_target(figure, _same_as_required)
        if j is None:
            j = pairing.free_target(figure, _same_as_optional)
        if j is not None:
            pairing.pair(i, j)
    for j in pairing.extra():
        found = pairing.free_source(pairing.target[j], _optional_same_as)
        if found is not None:
            pairing.pair(found, j)


def _pair_other_readings(pairing: _Pairing) -> None:
    """Second readings of what is left: a time as a number (from 9 to 11.30), and a long number
    split into groups (22161272 as 22 16 12 72)."""
    for i in pairing.missing():
        j = pairing.free_target(pairing.source[i], _either_reads_as)
        if j is not None:
            pairing.pair(i, j)
        else:
            _pair_split_digits(pairing, i)
    for j in pairing.extra():
        found = pairing.free_source(pairing.target[j], _either_reads_as)
        if found is not None:
            pairing.pair(found, j)


def _either_reads_as(a: Figure, b: Figure) -> bool:
    if a.kind == "time" and b.kind == "number":
        return _clock_reads_as(a, b)
    if a.kind == "number" and b.kind == "time":
        return _clock_reads_as(b, a)
    return False


def _clock_reads_as(time: Figure, number: Figure) -> bool:
    """Is `number` this time written as a plain number: 9 for 9:00, 11.30 for 11:30, 24 for 24 h?"""
    if time.clock is None:
        return False
    hour, minute = time.clock
    readings = {hour + minute / 100, hour % 12 + minute / 100}
    if minute == 0 and hour < 12:
        readings.add(hour + 12)
    return any(_close(v, r) for v in number.values for r in readings)


def _digits_of(figure: Figure) -> str:
    return "".join(ch for ch in figure.text if ch.isdigit())


def _pair_split_digits(pairing: _Pairing, i: int) -> None:
    """A long source number whose digits the target writes in groups, one after the other."""
    digits = _digits_of(pairing.source[i])
    if len(digits) < 5 or not pairing.source[i].text.strip().isdigit():
        return
    run: list[int] = []
    written = ""
    for j in pairing.extra():
        figure = pairing.target[j]
        if figure.scale or not figure.text.strip().isdigit():
            run, written = [], ""
            continue
        if run and figure.start - pairing.target[run[-1]].end > 2:
            run, written = [], ""
        run.append(j)
        written += _digits_of(figure)
        while run and not digits.startswith(written):
            written = written[len(_digits_of(pairing.target[run.pop(0)])) :]
        if written == digits:
            pairing.source_used[i] = True
            for k in run:
                pairing.target_used[k] = True
            return


def _pair_weak_words(pairing: _Pairing) -> None:
    """A count left may be a word that is mostly an article (un, one, 한), unless the translation
    has a number word of its own left over: then the number was changed (1 名 → trois agents,
    where "un guichet" is an article)."""
    if any(f.role == "word" and not pairing.target_used[j] for j, f in enumerate(pairing.target)):
        return
    for i in pairing.missing():
        if not pairing.source[i].measure:
            continue  # 附件 1 is a label: "un résumé" is no rendering of it
        j = pairing.free_target(pairing.source[i], _same_as_weak)
        if j is not None:
            pairing.pair(i, j)


def _absorb_date_parts(pairing: _Pairing, source: Reading, target: Reading) -> None:
    """A number that is the year of a date on the other side (2022 beside March) is that date's
    part; so is a part of a date the dates check reports, so one difference gives one finding."""
    left_source, left_target = _unpaired_dates(source.dates, target.dates)
    for j in pairing.extra():
        if _is_date_part(pairing.target[j], source.dates, left_source):
            pairing.target_used[j] = True
    for i in pairing.missing():
        if _is_date_part(pairing.source[i], target.dates, left_target):
            pairing.source_used[i] = True


def _is_date_part(figure: Figure, dates: Sequence[Mention], unpaired: Sequence[Mention]) -> bool:
    if figure.kind != "number":
        return False
    years = {m.date[0] for m in dates}
    parts = {part for m in unpaired for part in m.date}
    return any(v == int(v) and (int(v) in years or int(v) in parts) for v in figure.values)


def _pair_optional(pairing: _Pairing) -> None:
    """Optional values that agree (首次 and "first") pair up, so neither looks changed."""
    for i, figure in enumerate(pairing.source):
        if not figure.required and not pairing.source_used[i]:
            j = pairing.free_target(figure, _both_optional)
            if j is not None:
                pairing.pair(i, j)


def _rounded(pairing: _Pairing) -> list[Difference]:
    """Warnings for a figure rounded to three or more significant digits, in either direction."""
    differences = []
    for i in pairing.missing():
        a = pairing.source[i]
        for j in pairing.extra():
            b = pairing.target[j]
            if a.kind != "number" or b.kind != "number" or pairing.target_used[j]:
                continue
            gap = abs(a.values[0] - b.values[0])
            if b.digits >= 3 and gap <= b.step / 2 * (1 + 1e-9):
                said = f"the translation rounds it to {_shown(b)}"
            elif a.digits >= 3 and gap <= a.step / 2 * (1 + 1e-9):
                said = f"the translation has {_shown(b)}, more precise than the source"
            else:
                continue
            pairing.pair(i, j)
            differences.append(_changed(f"the source has {_shown(a)}; {said}", a, b, "warning"))
            break
    return differences


def _changed_soft_values(pairing: _Pairing) -> list[Difference]:
    """A numeral the source uses without counting (五大洲, 三公, 一季度) may be left out, but a
    number word left over in the translation where it went is a changed value (six continents)."""
    differences = []
    for i, a in enumerate(pairing.source):
        if a.role != "soft" or pairing.source_used[i]:
            continue
        j = pairing.free_target(a, _word_in_place)
        if j is not None:
            pairing.pair(i, j)
            b = pairing.target[j]
            differences.append(
                _changed(f"the source has {_shown(a)}; the translation has {_shown(b)}", a, b)
            )
    return differences


def _word_in_place(a: Figure, b: Figure) -> bool:
    """A number word of the target that may stand where the source's value went: "four" for 三."""
    return b.role in _NUMBER_WORDS and a.kind == b.kind and not _same(a, b)


def _soft_in_place(a: Figure, b: Figure) -> bool:
    return a.role == "soft" and a.kind == b.kind and not _looks_like_year(b)


def _unpaired(pairing: _Pairing, relative_year: bool) -> list[Difference]:
    """The differences left, a missing value paired with the value written in its place."""
    differences = []
    extra = pairing.extra()
    for i in pairing.missing():
        a = pairing.source[i]
        j = next((j for j in extra if pairing.target[j].kind == a.kind), None)
        if j is None:
            j = pairing.free_target(a, _word_in_place)
        else:
            extra.remove(j)
        if j is None:
            nothing = "no time of day" if a.kind == "time" else "no number"
            message = f"the source has {_shown(a)}; the translation has {nothing} of that value"
            differences.append(_changed(message, a, None))
            continue
        pairing.target_used[j] = True
        b = pairing.target[j]
        message = f"the source has {_shown(a)}; the translation has {_shown(b)}{_factor(a, b)}"
        differences.append(_changed(message, a, b))
    for j in extra:
        differences.append(_extra(pairing, j, relative_year))
    return differences


def _extra(pairing: _Pairing, j: int, relative_year: bool) -> Difference:
    """A number of the translation that the source does not have."""
    b = pairing.target[j]
    i = pairing.free_source(b, _soft_in_place)
    if i is not None:  # 一季度 → 3분기
        pairing.source_used[i] = True
        a = pairing.source[i]
        return _changed(f"the source has {_shown(a)}; the translation has {_shown(b)}", a, b)
    if relative_year and _looks_like_year(b):
        message = (
            f"the translation has the year {b.text.strip()}; the source names the year only "
            "by a word (今年, 上年 ...)"
        )
        return _changed(message, None, b, "warning")
    return _changed(f"the translation has {_shown(b)}, which is not in the source", None, b)


def _looks_like_year(figure: Figure) -> bool:
    text = figure.text.strip()
    return (
        figure.kind == "number" and len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100
    )


def _factor(a: Figure, b: Figure) -> str:
    """Why two values differ when one is the other times a power of ten: a lost or added scale."""
    big, small = max(a.values[0], b.values[0]), min(a.values[0], b.values[0])
    if small <= 0:
        return ""
    ratio = big / small
    power = round(ratio)
    if power < 1000 or not _close(ratio, power) or str(power).rstrip("0") != "1":
        return ""
    if a.values[0] > b.values[0]:
        lost = f"the scale {a.scale} is lost" if a.scale else "a scale is lost"
        return f": {power:,} times too small ({lost})"
    return f": {power:,} times too large"


def _shown(figure: Figure) -> str:
    """A figure as written, with its value when that reads differently: 215.4万 (2,154,000)."""
    text = " ".join(figure.text.split())
    if figure.kind == "time" and figure.clock:
        hour, minute = figure.clock
        value = f"{hour}:{minute:02d}"
    else:
        value = format_number(figure.values[0])
    return text if text == value else f"{text} ({value})"


# --- Dates --------------------------------------------------------------------------------------


def _date_fits(a: Date, b: Date, strict: bool) -> bool:
    """The same date; unless `strict`, a year left out on one side is no difference."""
    if strict:
        return a == b
    return a[1:] == b[1:] and (a[0] is None or b[0] is None or a[0] == b[0])


def _unpaired_dates(
    source: Sequence[Mention], target: Sequence[Mention]
) -> tuple[list[Mention], list[Mention]]:
    """The dates of each side without a counterpart: same dates first, then with a year left out."""
    left_source, left_target = list(source), list(target)
    for strict in (True, False):
        for mention in list(left_source):
            match = next((m for m in left_target if _date_fits(mention.date, m.date, strict)), None)
            if match is not None:
                left_source.remove(mention)
                left_target.remove(match)
    return left_source, left_target


def date_differences(source: Reading, target: Reading) -> list[Difference]:
    """The dates that differ between two texts, a changed date as one difference."""
    left_source, left_target = _unpaired_dates(source.dates, target.dates)
    differences = []
    for mention in left_source:
        if not left_target:
            message = f"the source has {_shown_date(mention)}; the translation has no such date"
            differences.append(Difference("error", message, _span(mention)))
            continue
        other = left_target.pop(0)
        year, month, day = mention.date
        swapped = day is not None and (year, day, month) == other.date
        hint = ": day and month swapped?" if swapped else ""
        message = (
            f"the source has {_shown_date(mention)}; the translation has {_shown_date(other)}{hint}"
        )
        differences.append(Difference("error", message, _span(mention), _span(other)))
    for other in left_target:
        message = f"the translation has {_shown_date(other)}, a date the source does not have"
        differences.append(Difference("error", message, None, _span(other)))
    return differences


def _show_date(date: Date) -> str:
    year, month, day = date
    shown = _MONTHS[month - 1] if 1 <= month <= 12 else f"month {month}"
    if day is not None:
        shown = f"{day} {shown}"
    return f"{shown} {year}" if year else shown


def _shown_date(mention: Mention) -> str:
    return f"{' '.join(mention.text.split())} ({_show_date(mention.date)})"
