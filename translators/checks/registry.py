"""Quality checks by stable id: the built-in ones in their fixed order, then installed ones."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import cast

from translators.checks.advisory import ADVISORY_CHECKS
from translators.checks.base import QualityCheck, broken_rules

__all__ = [
    "BUILTIN_CHECKS",
    "ENTRY_POINT_GROUP",
    "CheckPluginError",
    "levelled_checks",
    "registered_checks",
]

ENTRY_POINT_GROUP = "waiwen.checks"

# id -> "module:class", in the order findings are reported. Imported on first use, so importing
# the checks package does not load langdetect. Adding a check: one class, one line here.
BUILTIN_CHECKS: dict[str, str] = {
    "empty": "translators.checks.form_checks:EmptyCheck",
    "same-as-source": "translators.checks.form_checks:SameAsSourceCheck",
    "numbers": "translators.checks.values_checks:NumbersCheck",
    "dates": "translators.checks.values_checks:DatesCheck",
    "kept": "translators.checks.kept_checks:KeptItemsCheck",
    "glossary": "translators.checks.kept_checks:GlossaryCheck",
    "markup": "translators.checks.form_checks:MarkupCheck",
    "language": "translators.checks.language_checks:LanguageIdentityCheck",
    "leftover-han": "translators.checks.language_checks:LeftoverHanCheck",
    "length": "translators.checks.form_checks:LengthRatioCheck",
}

_FACTORY_RULE = "an entry point names a check class or a zero-argument function returning a check"


class CheckPluginError(Exception):
    """An installed check cannot be used; the message names its entry point and the rule broken."""


def _refused(point: EntryPoint, rule: str) -> CheckPluginError:
    package = f"{point.dist.name} {point.dist.version}" if point.dist else "an unknown package"
    return CheckPluginError(
        f"quality check entry point '{point.name} = {point.value}' (group {ENTRY_POINT_GROUP},"
        f" installed by {package}) breaks waiwen's rule for checks: {rule}."
        " Fix that package or uninstall it."
    )


def _builtin(check_id: str) -> QualityCheck:
    module_name, _, attribute = BUILTIN_CHECKS[check_id].partition(":")
    check: QualityCheck = getattr(importlib.import_module(module_name), attribute)()
    return check


def _installed(point: EntryPoint, taken: set[str]) -> QualityCheck:
    """The check an entry point names, or CheckPluginError saying which rule it breaks."""
    if point.name in BUILTIN_CHECKS:
        raise _refused(point, f"a built-in check's id cannot be taken over ({point.name!r})")
    if point.name in taken:
        raise _refused(point, f"one entry point per check id ({point.name!r} is installed twice)")
    try:
        factory = point.load()
    except Exception as error:
        raise _refused(point, f"the entry point loads ({type(error).__name__}: {error})") from error
    if not callable(factory):
        raise _refused(point, f"{_FACTORY_RULE} (found {type(factory).__name__})")
    try:
        check = factory()
    except Exception as error:
        raise _refused(
            point, f"{_FACTORY_RULE} (calling it failed: {type(error).__name__}: {error})"
        ) from error
    broken = broken_rules(check)
    if broken:
        raise _refused(point, "; ".join(broken))
    if check.id != point.name:
        raise _refused(point, f"the entry point's name is the check's id (the id is {check.id!r})")
    return cast(QualityCheck, check)


@cache
def registered_checks() -> tuple[QualityCheck, ...]:
    """Every check in the order findings are reported: built-ins, then installed ones by name.

    Loaded once per process, since run_checks consults it for every segment: a newly installed
    check is found after a restart (tests call `registered_checks.cache_clear()`).
    """
    checks = [_builtin(check_id) for check_id in BUILTIN_CHECKS]
    taken: set[str] = set()
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        checks.append(_installed(point, taken))
        taken.add(point.name)
    return tuple(checks)


def levelled_checks() -> tuple[QualityCheck, ...]:
    """Every check the office may set a level for: the registered ones, then the advisory ones
    (the AI second reader), whose findings are stored by the pipeline rather than run per pair."""
    return (*registered_checks(), *ADVISORY_CHECKS)
