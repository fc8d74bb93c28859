"""Quality checks run on every draft and every edit: one class per check, run in a fixed order."""

from __future__ import annotations

from translators.checks.base import CheckContext, Finding, QualityCheck
from translators.checks.registry import registered_checks

__all__ = [
    "CheckContext",
    "Finding",
    "QualityCheck",
    "check_by_id",
    "registered_checks",
    "run_checks",
]


def run_checks(source: str, target: str, context: CheckContext) -> list[Finding]:
    """Every check's findings, in the registry's order; an empty target stops at the first."""
    checks = registered_checks()
    if source.strip() and not target.strip():
        return checks[0].check(source, target, context)
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check.check(source, target, context))
    return findings


def check_by_id(check_id: str) -> QualityCheck:
    """The check with this id; KeyError naming the known ids otherwise."""
    checks = registered_checks()
    for check in checks:
        if check.id == check_id:
            return check
    known = ", ".join(c.id for c in checks)
    raise KeyError(f"no quality check {check_id!r}; known checks: {known}")
