"""Quality checks run on every draft and every edit: one class per check, run in a fixed order."""

from __future__ import annotations

from translators.checks.base import CheckContext, Finding, QualityCheck
from translators.checks.form_checks import (
    EmptyCheck,
    LengthRatioCheck,
    MarkupCheck,
    SameAsSourceCheck,
)
from translators.checks.kept_checks import GlossaryCheck, KeptItemsCheck
from translators.checks.language_checks import LanguageIdentityCheck, LeftoverHanCheck
from translators.checks.values_checks import DatesCheck, NumbersCheck

__all__ = [
    "ALL_CHECKS",
    "CheckContext",
    "Finding",
    "QualityCheck",
    "check_by_id",
    "run_checks",
]

ALL_CHECKS: tuple[QualityCheck, ...] = (
    EmptyCheck(),
    SameAsSourceCheck(),
    NumbersCheck(),
    DatesCheck(),
    KeptItemsCheck(),
    GlossaryCheck(),
    MarkupCheck(),
    LanguageIdentityCheck(),
    LeftoverHanCheck(),
    LengthRatioCheck(),
)


def run_checks(source: str, target: str, context: CheckContext) -> list[Finding]:
    """Every check's findings, in the order of ALL_CHECKS; an empty target stops at the first."""
    if source.strip() and not target.strip():
        return ALL_CHECKS[0].check(source, target, context)
    findings: list[Finding] = []
    for check in ALL_CHECKS:
        findings.extend(check.check(source, target, context))
    return findings


def check_by_id(check_id: str) -> QualityCheck:
    """The check with this id; KeyError naming the known ids otherwise."""
    for check in ALL_CHECKS:
        if check.id == check_id:
            return check
    known = ", ".join(c.id for c in ALL_CHECKS)
    raise KeyError(f"no quality check {check_id!r}; known checks: {known}")
