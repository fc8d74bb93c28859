"""How much a check's findings count, as the office sets it: per check, and per website column.

Each check judges its own findings (an error means "almost surely wrong"; the glossary check
takes each term's strength). The office may change that: a level for a check in every column,
and a level for a check in one column, which wins. A level is one of

- ``error``: the finding blocks approval until fixed or overridden with a reason;
- ``warning``: it is shown and does not block;
- ``off``: it is not shown at all.

An advisory check's findings (the AI second reader, `advisory.py`) are at most warnings: a level
of error for one is refused when set and, should a stored setting say so, read as warning.

Findings are stored as the checks gave them; the levels are applied when they are read, so a
changed setting holds for every draft at once and a setting put back restores the checks' own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from translators.checks.advisory import AI_REVIEW, HIGHEST_LEVEL

__all__ = ["ADVISORY_LEVELS", "LEVELS", "SeverityRuleError", "SeverityRules", "refuse_unknown"]

LEVELS = ("error", "warning", "off")
# Checks whose findings never block, with the levels they may be given.
ADVISORY_LEVELS: dict[str, tuple[str, ...]] = {AI_REVIEW: (HIGHEST_LEVEL, "off")}


class SeverityRuleError(ValueError):
    """A level setting that cannot be taken; the message names the check, the column and the rule."""


@dataclass(frozen=True)
class SeverityRules:
    """The office's levels: ``checks`` in every column, ``columns`` for one column (these win)."""

    checks: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def level(self, check_id: str, column: str, own: str) -> str:
        """The level a finding of ``check_id`` in ``column`` has; ``own`` is the check's own."""
        in_column = self.columns.get(column, {})
        level = in_column.get(check_id) or self.checks.get(check_id) or own
        if check_id in ADVISORY_LEVELS and level not in ADVISORY_LEVELS[check_id]:
            return HIGHEST_LEVEL  # an advisory finding never blocks, whatever was stored
        return level

    def applied(self, rows: Iterable[dict[str, Any]], column: str) -> list[dict[str, Any]]:
        """Stored findings at the office's levels; ``off`` ones left out.

        A finding whose level the office changed keeps the check's own as ``own_severity``, so a
        reviewer can be told the level is the office's.
        """
        shown = []
        for row in rows:
            level = self.level(row["check"], column, row["severity"])
            if level == "off":
                continue
            if level != row["severity"]:
                row = {**row, "severity": level, "own_severity": row["severity"]}
            shown.append(row)
        return shown

    def with_level(self, check_id: str, level: str | None, column: str | None) -> SeverityRules:
        """These rules with one level set (None: the check's own, or the every-column level)."""
        if level is not None and level not in LEVELS:
            raise SeverityRuleError(
                f"check {check_id}: level {level!r} is not one of {', '.join(LEVELS)}"
            )
        allowed = ADVISORY_LEVELS.get(check_id)
        if level is not None and allowed is not None and level not in allowed:
            raise SeverityRuleError(
                f"check {check_id}: level {level!r} is not allowed: its findings only advise "
                f"and never block approval (levels: {', '.join(allowed)})"
            )
        checks = dict(self.checks)
        columns = {name: dict(levels) for name, levels in self.columns.items()}
        target = checks if column is None else columns.setdefault(column, {})
        if level is None:
            target.pop(check_id, None)
        else:
            target[check_id] = level
        return SeverityRules(checks, {name: lv for name, lv in columns.items() if lv})

    def to_json(self) -> dict[str, Any]:
        """The rules as stored: {"checks": {id: level}, "columns": {column: {id: level}}}."""
        return {
            "checks": dict(sorted(self.checks.items())),
            "columns": {
                name: dict(sorted(levels.items())) for name, levels in sorted(self.columns.items())
            },
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> SeverityRules:
        """Rules as stored; a level that is not one of LEVELS is refused, naming where it stands."""
        if not value:
            return cls()
        checks = _levels(value.get("checks") or {}, "every column")
        columns = {
            str(name): _levels(levels, f"column {name}")
            for name, levels in (value.get("columns") or {}).items()
        }
        return cls(checks, columns)


def refuse_unknown(
    check_id: str, column: str | None, known_checks: Iterable[str], known_columns: Iterable[str]
) -> None:
    """SeverityRuleError when a level would be set for a check or a column that does not exist."""
    checks, columns = sorted(known_checks), sorted(known_columns)
    if column is not None and column not in columns:
        raise SeverityRuleError(
            f"column {column}: not one of the site's columns ({', '.join(columns)})"
        )
    if check_id not in checks:
        raise SeverityRuleError(f"no check {check_id!r} (checks: {', '.join(checks)})")


def _levels(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise SeverityRuleError(f"{where}: levels are a table of check id = level")
    levels = {}
    for check_id, level in value.items():
        if level not in LEVELS:
            raise SeverityRuleError(
                f"{where}: check {check_id}: level {level!r} is not one of {', '.join(LEVELS)}"
            )
        levels[str(check_id)] = str(level)
    return levels
