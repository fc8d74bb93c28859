"""The targets this office drafts into: the languages of the table that WAIWEN_TARGET_LANGUAGES names."""

from __future__ import annotations

from core.languages import SHIPPED_TARGETS, SOURCE_LANGUAGE
from core.settings import get_settings

__all__ = ["all_languages", "target_languages", "why_not_configured"]


def target_languages() -> tuple[str, ...]:
    """The configured targets (WAIWEN_TARGET_LANGUAGES, default en,ja,fr,ko), in the table's order."""
    return get_settings().target_languages


def all_languages() -> tuple[str, ...]:
    """The source first, then the configured targets."""
    return (SOURCE_LANGUAGE, *target_languages())


def why_not_configured(code: str, configured: tuple[str, ...] | None = None) -> str:
    """Why ``code`` takes no new work ("" when it is a configured target): the rule it breaks.

    A shipped language left out of the configuration (or taken out of it) keeps its history, so
    the rule names the setting; a code the table does not know names the configured choices.
    """
    if configured is None:
        configured = target_languages()
    if code in configured:
        return ""
    if code in SHIPPED_TARGETS:
        return (
            f"{code} is not among the configured target languages "
            f"(WAIWEN_TARGET_LANGUAGES={','.join(configured)})"
        )
    return f"{code} is not a target language; choose from {', '.join(configured)}"
