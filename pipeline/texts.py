"""A language's text (title and body) assembled from its segments, as published, previewed and counted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.segments import assemble
from store.models import Segment, Translation


def language_texts(session: Session, version_id: int, language: str) -> dict[int, str]:
    """Position -> text of a version in one language (the Chinese source for zh; "" where none)."""
    if language == "zh":
        sources = select(Segment.position, Segment.source_text).where(
            Segment.version_id == version_id
        )
        return {position: text for position, text in session.execute(sources)}
    query = (
        select(Segment.position, Translation.text)
        .join(Translation, Translation.segment_id == Segment.id)
        .where(Segment.version_id == version_id, Translation.language == language)
    )
    return {position: text or "" for position, text in session.execute(query)}


def assembled_body(skeleton: str, texts: dict[int, str], language: str) -> str:
    """The body's Markdown from the texts (position 0, the title, stays out)."""
    return assemble(skeleton, {p: t for p, t in texts.items() if p != 0}, language)


def approved_text(skeleton: str, texts: dict[int, str], language: str) -> str:
    """Title and body as they will be published: what the word count is taken from."""
    return f"{texts.get(0, '')}\n\n{assembled_body(skeleton, texts, language)}"
