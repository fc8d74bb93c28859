"""Each engine's code for a language, from the one language table (core/languages.py)."""

from __future__ import annotations

from core.languages import LANGUAGES, SOURCE_LANGUAGE

__all__ = ["joiner", "provider_code", "translates"]


def provider_code(engine_id: str, code: str) -> str:
    """The code engine ``engine_id`` knows waiwen's language ``code`` by; "" if it has none."""
    entry = LANGUAGES.get(code)
    return entry.code_for(engine_id) if entry is not None else ""


def translates(engine_id: str, source: str, target: str) -> bool:
    """Whether ``engine_id`` drafts ``source`` (the Chinese source) into the shipped ``target``."""
    return (
        source == SOURCE_LANGUAGE
        and target != source
        and bool(provider_code(engine_id, source))
        and bool(provider_code(engine_id, target))
    )


def joiner(code: str) -> str:
    """What joins the answers of a text sent in pieces: nothing in ja, th or zh, else a space."""
    entry = LANGUAGES.get(code)
    return entry.joiner if entry is not None else " "
