"""The translation memory in the database: imported TMX pairs and pairs learned on approval."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Refused
from core.languages import SHIPPED_TARGETS, SOURCE_LANGUAGE
from core.targets import target_languages, why_not_configured
from store.models import MemoryUnit
from translators.fuzzy import FuzzyIndex, Suggestion
from translators.memory import normalise_source
from translators.tmx import Skip, TmxReading, TmxUnit


def source_key(text: str) -> str:
    """Index key of a source segment: a hash of its normalised text."""
    return hashlib.sha256(normalise_source(text).encode("utf-8")).hexdigest()


class SqlMemory:
    """Exact-match lookups against the memory table, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def exact(self, source_text: str, target: str) -> str | None:
        """The stored human translation of exactly this source text, if any."""
        return self.session.scalar(
            select(MemoryUnit.target_text).where(
                MemoryUnit.source_key == source_key(source_text),
                MemoryUnit.target_language == target,
            )
        )


def remember(session: Session, source: str, target_language: str, target: str, origin: str) -> bool:
    """Store or replace one pair; returns True when something changed."""
    key = source_key(source)
    unit = session.scalars(
        select(MemoryUnit).where(
            MemoryUnit.source_key == key, MemoryUnit.target_language == target_language
        )
    ).one_or_none()
    if unit is None:
        session.add(
            MemoryUnit(
                source_key=key,
                target_language=target_language,
                source_text=normalise_source(source),
                target_text=target,
                origin=origin,
            )
        )
        session.flush()
        return True
    if unit.target_text == target:
        return False
    unit.target_text, unit.origin = target, origin
    return True


@dataclass(frozen=True)
class MemoryImport:
    """What one TMX file gave the memory, and what was left out of it and why."""

    stored: int  # pairs added or changed
    unchanged: int  # pairs the memory held already
    skipped: list[tuple[Skip, int]]  # each kind left out, with how many, most first


class NothingToImport(Refused):
    """A TMX file with no pair waiwen's memory can take: no Chinese source, or no target of waiwen's."""


def import_units(session: Session, units: Iterable[TmxUnit], origin: str) -> tuple[int, int]:
    """Load TMX units with Chinese source; returns (pairs stored or changed, pairs already there)."""
    return _load(session, units, origin, Counter())


def import_tmx(session: Session, reading: TmxReading, origin: str) -> MemoryImport:
    """Load one TMX file as it is read; NothingToImport (the session then rolls back) if it gives nothing."""
    skipped: Counter[Skip] = Counter()
    changed, unchanged = _load(session, reading, origin, skipped)
    skipped.update(reading.skipped)
    if changed + unchanged == 0:
        raise NothingToImport(reading.path, rule=_why_nothing(reading, skipped))
    return MemoryImport(changed, unchanged, _ranked(skipped))


def _load(
    session: Session, units: Iterable[TmxUnit], origin: str, skipped: Counter[Skip]
) -> tuple[int, int]:
    changed = unchanged = 0
    # Read once per file, when it is loaded: the configuration of this run, not of the import.
    targets = target_languages()
    for unit in units:
        if unit.source_lang != SOURCE_LANGUAGE:
            # The memory drafts from Chinese: a pair translated the other way round is not turned.
            source = unit.source_tag or unit.source_lang
            skipped[Skip("unit", f"its source is {source}, not Chinese")] += 1
            continue
        for language, text in unit.targets.items():
            tag = unit.target_tags.get(language, language)
            if language not in targets:
                skipped[Skip(f"{tag} variant", _why_left_out(language, targets))] += 1
                continue
            if not text.strip():
                skipped[Skip(f"{tag} variant", "its <seg> is empty")] += 1
                continue
            if remember(session, unit.source, language, text, origin):
                changed += 1
            else:
                unchanged += 1
    return changed, unchanged


def _why_left_out(language: str, targets: tuple[str, ...]) -> str:
    """Why a translation into ``language`` is not taken: not configured, or not a language at all."""
    if language in SHIPPED_TARGETS:
        return why_not_configured(language, targets)
    return f"waiwen does not translate into {language}"


def _ranked(skipped: Counter[Skip]) -> list[tuple[Skip, int]]:
    """Most frequent first; equal counts in alphabetical order, so a summary reads the same each time."""
    return sorted(skipped.items(), key=lambda item: (-item[1], item[0].what, item[0].why))


def _why_nothing(reading: TmxReading, skipped: Counter[Skip]) -> str:
    """The refusal of a file that gave nothing: what it holds, and why none of it was taken."""
    if reading.units_read == 0:
        return "holds no <tu>: there is nothing to import"
    reasons = "; ".join(f"{count} {skip.what}(s): {skip.why}" for skip, count in _ranked(skipped))
    found = ", ".join(f"{tag} ({count})" for tag, count in sorted(reading.tags.items()))
    return (
        f"no pair for waiwen's memory, which takes a Simplified Chinese source and a translation"
        f" into {', '.join(target_languages())}; left out: {reasons}."
        f" Languages in the file (<tuv> each): {found or 'none'}"
    )


_indexes: dict[tuple[str, str], tuple[tuple[object, ...], FuzzyIndex]] = {}
_indexes_lock = threading.Lock()


def fuzzy_index(session: Session, language: str) -> FuzzyIndex:
    """The fuzzy index of one language, rebuilt only when that language's memory changed."""
    bind = str(getattr(session.get_bind(), "url", ""))
    # Rows are added (count, newest id) or their target replaced in place (total target length):
    # one cheap aggregate tells whether the index of this process is still the memory.
    version = tuple(
        session.execute(
            select(
                func.count(), func.max(MemoryUnit.id), func.sum(func.length(MemoryUnit.target_text))
            ).where(MemoryUnit.target_language == language)
        ).one()
    )
    with _indexes_lock:
        cached = _indexes.get((bind, language))
        if cached is not None and cached[0] == version:
            return cached[1]
    pairs = (
        session.execute(
            select(MemoryUnit.source_text, MemoryUnit.target_text).where(
                MemoryUnit.target_language == language
            )
        )
        .tuples()
        .all()
    )
    index = FuzzyIndex(pairs)
    with _indexes_lock:
        _indexes[(bind, language)] = (version, index)
    return index


def fuzzy_suggestions(
    session: Session, text: str, language: str, limit: int = 3
) -> list[Suggestion]:
    """Approved translations of similar sentences (75% and above), best first."""
    return fuzzy_index(session, language).suggest(text, limit=limit)


def export_units(session: Session, languages: Iterable[str] | None = None) -> list[TmxUnit]:
    """The memory as TMX units: one per source text, with every (chosen) target language."""
    wanted = set(languages) if languages is not None else None
    by_source: dict[str, dict[str, str]] = {}
    rows = session.execute(
        select(MemoryUnit.source_text, MemoryUnit.target_language, MemoryUnit.target_text).order_by(
            MemoryUnit.source_text, MemoryUnit.target_language
        )
    )
    for source, language, target in rows:
        if wanted is None or language in wanted:
            by_source.setdefault(source, {})[language] = target
    return [
        TmxUnit(source=source, source_lang="zh", targets=targets)
        for source, targets in by_source.items()
    ]
