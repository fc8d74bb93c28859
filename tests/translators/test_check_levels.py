"""The office's levels for the checks' findings: per check, per column, and the checks' own."""

from __future__ import annotations

import pytest

from translators.checks.severity import SeverityRuleError, SeverityRules, refuse_unknown

NUMBERS = {"check": "numbers", "severity": "error", "message": "the source has 120"}
TERM = {"check": "glossary", "severity": "warning", "message": "preferably translated as"}

RULES = SeverityRules(
    checks={"numbers": "warning", "length": "off"},
    columns={"温馨提示": {"numbers": "error", "glossary": "error"}},
)


@pytest.mark.parametrize(
    ("check", "column", "own", "level"),
    [
        ("numbers", "要闻动态", "error", "warning"),  # the level for every column
        ("numbers", "温馨提示", "error", "error"),  # the column's level wins
        ("glossary", "温馨提示", "warning", "error"),  # a warning made an error in one column
        ("glossary", "要闻动态", "warning", "warning"),  # nothing set: the check's own
        ("dates", "温馨提示", "error", "error"),
        ("length", "要闻动态", "warning", "off"),
    ],
)
def test_a_findings_level_is_the_columns_then_every_columns_then_its_own(
    check: str, column: str, own: str, level: str
) -> None:
    assert RULES.level(check, column, own) == level


def test_applied_levels_say_the_checks_own_and_off_hides_a_finding() -> None:
    length = {"check": "length", "severity": "warning", "message": "short"}
    shown = RULES.applied([NUMBERS, TERM, length], "要闻动态")
    assert shown == [{**NUMBERS, "severity": "warning", "own_severity": "error"}, TERM]
    assert NUMBERS["severity"] == "error"  # the stored row is not changed


def test_no_levels_leave_every_finding_as_the_check_gave_it() -> None:
    assert SeverityRules().applied([NUMBERS, TERM], "温馨提示") == [NUMBERS, TERM]


def test_setting_default_removes_a_level_and_an_empty_column_goes() -> None:
    rules = RULES.with_level("numbers", None, "温馨提示").with_level("glossary", None, "温馨提示")
    assert rules.to_json() == {"checks": {"length": "off", "numbers": "warning"}, "columns": {}}
    assert SeverityRules.from_json(RULES.to_json()) == RULES


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        (
            {"checks": {"numbers": "fatal"}},
            "every column: check numbers: level 'fatal' is not one of",
        ),
        ({"columns": {"温馨提示": {"dates": 1}}}, "column 温馨提示: check dates: level 1"),
        ({"columns": {"温馨提示": "off"}}, "column 温馨提示: levels are a table"),
    ],
)
def test_stored_levels_that_are_not_levels_are_refused_naming_where(
    stored: dict[str, object], message: str
) -> None:
    with pytest.raises(SeverityRuleError, match=message):
        SeverityRules.from_json(stored)


def test_a_level_is_one_of_error_warning_off() -> None:
    with pytest.raises(SeverityRuleError, match="check numbers: level 'block' is not one of"):
        RULES.with_level("numbers", "block", None)


def test_a_level_for_an_unknown_check_or_column_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(SeverityRuleError, match=r"no check 'numbrs' \(checks: dates, numbers\)"):
        refuse_unknown("numbrs", None, ["numbers", "dates"], ["要闻动态"])
    with pytest.raises(
        SeverityRuleError, match=r"column 新闻: not one of the site's columns \(要闻动态\)"
    ):
        refuse_unknown("numbers", "新闻", ["numbers"], ["要闻动态"])
    refuse_unknown("numbers", "要闻动态", ["numbers"], ["要闻动态"])
