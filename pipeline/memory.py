"""The translation memory in the database: imported TMX pairs and pairs learned on approval."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import MemoryUnit
from translators.fuzzy import FuzzyIndex, Suggestion
from translators.memory import normalise_source
from translators.tmx import TmxUnit


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


def import_units(session: Session, units: Iterable[TmxUnit], origin: str) -> tuple[int, int]:
    """Load TMX units with Chinese source; returns (pairs stored or changed, pairs already there)."""
    changed = unchanged = 0
    for unit in units:
        if unit.source_lang != "zh":
            continue
        for language, text in unit.targets.items():
            if language == "zh" or not text.strip():
                continue
            if remember(session, unit.source, language, text, origin):
                changed += 1
            else:
                unchanged += 1
    return changed, unchanged


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
    pairs = session.execute(
        select(MemoryUnit.source_text, MemoryUnit.target_text).where(
            MemoryUnit.target_language == language
        )
    ).all()
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
