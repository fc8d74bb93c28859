"""The office's glossary in the database: imported term lists over the starter terms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.audit import record
from store.models import GlossaryTerm
from translators.glossary import Glossary, Term


@dataclass(frozen=True)
class GlossaryImport:
    """What one import did."""

    added: int
    changed: int
    unchanged: int


def load_glossary(session: Session) -> Glossary:
    """The starter terms, each replaced by the office's own entry for the same term and language."""
    stored = {
        (row.source, row.language): Term(row.source, row.language, row.target, row.note)
        for row in session.scalars(select(GlossaryTerm))
    }
    starter = [t for t in Glossary.starter().terms() if (t.source, t.language) not in stored]
    return Glossary([*starter, *stored.values()])


def import_terms(
    session: Session, terms: Iterable[Term], origin: str, actor: str
) -> GlossaryImport:
    """Store or update terms by (source, language); one audit entry for the whole import."""
    existing = {(row.source, row.language): row for row in session.scalars(select(GlossaryTerm))}
    added = changed = unchanged = 0
    for term in terms:
        row = existing.get((term.source, term.language))
        if row is None:
            row = GlossaryTerm(
                source=term.source,
                language=term.language,
                target=term.target,
                note=term.note,
                origin=origin,
                updated_by=actor,
            )
            session.add(row)
            existing[(term.source, term.language)] = row
            added += 1
        elif (row.target, row.note) != (term.target, term.note):
            row.target, row.note, row.origin, row.updated_by = term.target, term.note, origin, actor
            changed += 1
        else:
            unchanged += 1
    record(session, actor, "glossary imported", origin=origin, added=added, changed=changed)
    return GlossaryImport(added, changed, unchanged)
