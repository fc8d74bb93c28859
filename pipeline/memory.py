"""The translation memory in the database: imported TMX pairs and pairs learned on approval."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import MemoryUnit
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
