"""Numbers and dates must survive translation by value."""

from __future__ import annotations

from collections import Counter

from translators.checks.base import CheckContext, Finding
from translators.checks.values import Date, dates_and_numbers, format_number

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _show_date(date: Date) -> str:
    year, month, day = date
    shown = f"{day} {_MONTHS[month - 1]}" if 1 <= month <= 12 else f"month {month} day {day}"
    return f"{shown} {year}" if year else shown


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


class NumbersCheck:
    """Every number of the source, by value, in the target, and no number the source lacks."""

    id = "numbers"
    name = "Numbers by value"
    description = (
        "Compares the numbers of source and target by value across scripts: Chinese numerals and "
        "万/亿 (215.4万 = 2.154 million = 2,154,000 = 215만 4천), thousands separators of each "
        "language, percentages and amounts. Dates, phone numbers and addresses are left to their checks."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """Missing and unexpected values."""
        _, wanted, _ = dates_and_numbers(source, "zh")
        _, found, optional = dates_and_numbers(target, context.language)
        missing = _difference(wanted, found)
        unexpected = [v for v in _difference(found, wanted) if v not in optional]
        findings = []
        if missing:
            findings.append(
                Finding(self.id, "error", "missing in the translation: " + _values(missing))
            )
        if unexpected:
            findings.append(Finding(self.id, "error", "not in the source: " + _values(unexpected)))
        return findings


class DatesCheck:
    """Every date of the source, by day, month and year, in the target."""

    id = "dates"
    name = "Dates by value"
    description = (
        "Compares dates by (year, month, day): 2020年1月1日 = January 1, 2020 = 1 January 2020 = "
        "1er janvier 2020 = 2020년 1월 1일 = 2020-01-01; a swapped day and month is an error."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """Missing and unexpected dates."""
        wanted, _, _ = dates_and_numbers(source, "zh")
        found, _, _ = dates_and_numbers(target, context.language)
        missing = list((Counter(wanted) - Counter(found)).elements())
        unexpected = list((Counter(found) - Counter(wanted)).elements())
        if not missing and not unexpected:
            return []
        parts = []
        if missing:
            parts.append("missing " + ", ".join(_show_date(d) for d in missing))
        if unexpected:
            parts.append("not in the source " + ", ".join(_show_date(d) for d in unexpected))
        swapped = [d for d in missing if (d[0], d[2], d[1]) in unexpected]
        hint = " (day and month swapped?)" if swapped else ""
        return [Finding(self.id, "error", "; ".join(parts) + hint)]


def _difference(left: list[float], right: list[float]) -> list[float]:
    """Values of `left` without a counterpart in `right` (each counterpart used once)."""
    pool = list(right)
    rest = []
    for value in left:
        match = next((i for i, other in enumerate(pool) if _close(value, other)), None)
        if match is None:
            rest.append(value)
        else:
            pool.pop(match)
    return rest


def _values(values: list[float]) -> str:
    return ", ".join(format_number(v) for v in values)
