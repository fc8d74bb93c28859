"""The targets this office drafts into: the languages of the table that WAIWEN_TARGET_LANGUAGES names."""

from __future__ import annotations

from core.languages import SOURCE_LANGUAGE
from core.settings import get_settings

__all__ = ["all_languages", "target_languages"]


def target_languages() -> tuple[str, ...]:
    """The configured targets (WAIWEN_TARGET_LANGUAGES, default en,ja,fr,ko), in the table's order."""
    return get_settings().target_languages


def all_languages() -> tuple[str, ...]:
    """The source first, then the configured targets."""
    return (SOURCE_LANGUAGE, *target_languages())
