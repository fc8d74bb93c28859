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
        (row.source, row.language): _term(row) for row in session.scalars(select(GlossaryTerm))
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
            row = GlossaryTerm(source=term.source, language=term.language)
            _fill(row, term, origin, actor)
            session.add(row)
            existing[(term.source, term.language)] = row
            added += 1
        elif _term(row) != term:
            _fill(row, term, origin, actor)
            changed += 1
        else:
            unchanged += 1
    record(session, actor, "glossary imported", origin=origin, added=added, changed=changed)
    return GlossaryImport(added, changed, unchanged)


def _term(row: GlossaryTerm) -> Term:
    """A stored row as a term (rows from before migration 0009 hold no variants, and are required)."""
    return Term(
        row.source, row.language, row.target, row.note, tuple(row.variants or ()), row.strength
    )


def _fill(row: GlossaryTerm, term: Term, origin: str, actor: str) -> None:
    """Write the term into the row, with who imported it from where."""
    row.target, row.note, row.variants, row.strength = (
        term.target,
        term.note,
        list(term.variants),
        term.strength,
    )
    row.origin, row.updated_by = origin, actor
