"""Finding a notice, its current version and one language of it, with errors that say what is missing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.states import VersionState
from store.models import LanguageVersion, Notice, NoticeVersion

# Ids and positions are INTEGER columns (32 bits on PostgreSQL): a larger number names nothing.
LARGEST_ID = 2**31 - 1


class NotFound(Exception):
    """A notice, version or language that is not there; the message names what was asked for."""


class NoSuchNotice(NotFound):
    """No notice has this number or key."""

    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"no notice {reference!r}")


class NotDraftedYet(NotFound):
    """The notice is queued but its languages are not drafted yet, so there is nothing to review."""

    def __init__(self, notice_id: int) -> None:
        self.notice_id = notice_id
        super().__init__(f"notice {notice_id} is queued and not drafted yet")


def find_notice(session: Session, notice: str) -> Notice:
    """A notice by its number or its key; NoSuchNotice when there is none."""
    query = select(Notice).where(Notice.key == notice)
    # isdigit() alone takes "²", which int() refuses; a number past the column's range is no id.
    if notice.isascii() and notice.isdigit() and int(notice) <= LARGEST_ID:
        query = select(Notice).where((Notice.id == int(notice)) | (Notice.key == notice))
    found = session.scalars(query).first()
    if found is None:
        raise NoSuchNotice(notice)
    return found


def current_language(
    session: Session, notice: str, language: str
) -> tuple[NoticeVersion, LanguageVersion]:
    """The newest non-superseded version of a notice (id or key) in one language."""
    found = find_notice(session, notice)
    version = session.scalars(
        select(NoticeVersion)
        .where(NoticeVersion.notice_id == found.id, NoticeVersion.state != VersionState.SUPERSEDED)
        .order_by(NoticeVersion.number.desc())
        .limit(1)
    ).one_or_none()
    if version is None:
        raise NotFound(f"notice {found.id} has no current version")
    lang = session.scalars(
        select(LanguageVersion).where(
            LanguageVersion.version_id == version.id, LanguageVersion.language == language
        )
    ).one_or_none()
    if lang is None:
        if version.skeleton is None:
            raise NotDraftedYet(found.id)
        wanted = ", ".join(version.languages)
        raise NotFound(f"notice {found.id} has no {language} version (its languages: {wanted})")
    return version, lang
