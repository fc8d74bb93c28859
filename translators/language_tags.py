"""BCP 47 language tags as translation files carry them: validity, canonical form and script.

Validity is langcodes' (the IANA subtag registry and CLDR's validity data that the
language-data package ships): every language, script, region and variant subtag must be
registered, so `zz`, `jp` or `en-GB-oxenfree` are refused, and `english` does not parse.
"""

from __future__ import annotations

import re
from functools import lru_cache

from langcodes import Language
from langcodes.tag_parser import LanguageTagError

__all__ = [
    "canonical_tag",
    "language_of",
    "script_fits",
    "script_name",
    "script_of",
    "tag_problem",
]

# BCP 47's alphabet: ASCII letters and digits in subtags of 1 to 8, joined by hyphens.
_WELL_FORMED_CHARACTERS = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*")
# ISO 15924 codes that stand for a writing system made of others: Japanese (Jpan) is Han with
# hiragana and katakana, Korean (Kore) is hangul with Han. A tag that names one of the parts is
# still written in the whole (ko-Hang is Korean in hangul).
_SCRIPT_PARTS = {
    "Jpan": frozenset({"Jpan", "Hani", "Hira", "Kana", "Hrkt"}),
    "Kore": frozenset({"Kore", "Hang", "Hani"}),
    "Hrkt": frozenset({"Hrkt", "Hira", "Kana"}),
}


@lru_cache(maxsize=4096)
def tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not a valid BCP 47 language tag, or None when it is one."""
    if not tag:
        return "is empty; a BCP 47 language tag is required"
    if not _WELL_FORMED_CHARACTERS.fullmatch(tag):
        if "_" in tag:
            return (
                f"{tag!r} separates subtags with '_'; BCP 47 uses '-' ({tag.replace('_', '-')!r})"
            )
        return (
            f"{tag!r} is not a BCP 47 language tag: subtags of 1 to 8 ASCII letters or digits"
            " joined by '-'"
        )
    try:
        parsed = Language.get(tag)
    except LanguageTagError as error:
        return f"{tag!r} is not a BCP 47 language tag ({error})"
    if parsed.is_valid():
        return None
    problems = _unregistered_subtags(parsed) or ["a variant or extension subtag is repeated"]
    return f"{tag!r} is not valid BCP 47: " + "; ".join(problems)


def _unregistered_subtags(parsed: Language) -> list[str]:
    """The subtags of ``parsed`` that the IANA registry does not hold, each with its kind."""
    problems = []
    if parsed.language and not Language.make(language=parsed.language).is_valid():
        problems.append(f"language subtag {parsed.language!r} is not in the IANA registry")
    if parsed.extlangs and len(parsed.extlangs) > 1:
        problems.append("more than one extended language subtag")
    if parsed.script and not Language.make(script=parsed.script).is_valid():
        problems.append(f"script subtag {parsed.script!r} is not in the IANA registry")
    if parsed.territory and not Language.make(territory=parsed.territory).is_valid():
        problems.append(f"region subtag {parsed.territory!r} is not in the IANA registry")
    for variant in parsed.variants or ():
        if not Language.make(variants=[variant]).is_valid():
            problems.append(f"variant subtag {variant!r} is not in the IANA registry")
    return problems


@lru_cache(maxsize=4096)
def canonical_tag(tag: str) -> str:
    """A valid tag in BCP 47's usual case and shortest registered form: ZH-hant-tw -> zh-Hant-TW."""
    return str(Language.get(tag).to_tag())


@lru_cache(maxsize=4096)
def language_of(tag: str) -> str:
    """The language of a valid tag (zh-CN -> zh, en-GB -> en; x-private tags stay whole)."""
    return str(Language.get(tag).language or canonical_tag(tag)).lower()


@lru_cache(maxsize=4096)
def script_of(tag: str) -> str:
    """The script a valid tag is written in: named (zh-Hant) or most likely (zh-TW: Hant)."""
    parsed = Language.get(tag)
    return str(parsed.script or parsed.maximize().script or "")


def script_fits(script: str, wanted: str) -> bool:
    """True when text in ``script`` is text in ``wanted`` (Hang is Kore; Hant is not Hans)."""
    return script in _SCRIPT_PARTS.get(wanted, frozenset({wanted}))


@lru_cache(maxsize=256)
def script_name(script: str) -> str:
    """The English name of an ISO 15924 code: Hant -> Traditional, Latn -> Latin."""
    return str(Language.make(script=script).script_name()) if script else "no script"
