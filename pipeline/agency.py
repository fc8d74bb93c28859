"""One notice's language out to a translation agency as XLIFF, and its answer back in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.states import LanguageState
from pipeline.glossary import load_glossary
from pipeline.lookups import NotFound, current_language, find_notice
from pipeline.review import EditConflict, ReviewError, change_state, save_text
from pipeline.review_view import show
from store.audit import record
from store.models import Segment, Translation
from translators.xliff import XliffDocument, XliffError, XliffUnit, write_xliff

PEOPLE = ("human", "agency")
# States in which a language takes an agency's translation (it goes back to review).
TAKES_AGENCY_TEXT = (LanguageState.IN_REVIEW, LanguageState.REJECTED)


@dataclass(frozen=True)
class AgencyImport:
    """What an import changed."""

    notice_id: int
    language: str
    updated: list[int]
    unchanged: int


def _original(key: str, version: int) -> str:
    return f"{key}#version={version}"


def _state(origin: str, text: str | None, approved: bool) -> str:
    if approved:
        return "final"
    if text is None:
        return "needs-translation"
    return "translated" if origin in PEOPLE else "needs-review-translation"


def export_xliff(session: Session, notice: str, language: str) -> tuple[bytes, int]:
    """The current version's segments in `language` as XLIFF 1.2; (document, number of units)."""
    view = show(session, notice, language)
    key = find_notice(session, str(view.notice_id)).key
    approved = view.state in (LanguageState.APPROVED, LanguageState.PUBLISHED)
    units = [
        XliffUnit(
            f"s{segment.position}",
            segment.source,
            segment.text,
            _state(segment.origin, segment.text, approved),
            segment.kind,
        )
        for segment in view.segments
    ]
    return write_xliff(units, original=_original(key, view.version), target_language=language), len(
        units
    )


def import_xliff(
    session: Session, document: XliffDocument, actor: str, *, path: str
) -> AgencyImport:
    """Take the agency's texts for exactly the segments whose text changed; all or nothing."""
    key, _, number = document.original.rpartition("#version=")
    if not key or not number.isdigit():
        raise XliffError(
            path, rule=f"<file original={document.original!r}> was not written by waiwen"
        )
    language = document.target_language.split("-")[0].lower()
    try:
        version, lang = current_language(session, key, language)
    except NotFound as error:
        raise XliffError(path, rule=str(error)) from None
    if version.number != int(number):
        raise XliffError(
            path,
            rule=f"the file is for version {number} of notice {version.notice_id}, but version "
            f"{version.number} is current; export it again and send the agency the new file",
        )
    if lang.state not in TAKES_AGENCY_TEXT:
        raise XliffError(
            path,
            rule=f"{language} of notice {version.notice_id} is {lang.state}; only a language in "
            "review takes an agency's translation",
        )
    stored = {
        f"s{segment.position}": (segment, translation)
        for segment, translation in session.execute(
            select(Segment, Translation)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Segment.version_id == version.id, Translation.language == language)
        )
    }
    changes: list[tuple[Segment, Translation, str]] = []
    for unit in document.units:
        if unit.id not in stored:
            raise XliffError(
                path, f"trans-unit {unit.id}", f"no such segment in notice {version.notice_id}"
            )
        segment, translation = stored[unit.id]
        if unit.source != segment.source_text:
            raise XliffError(
                path,
                f"trans-unit {unit.id}",
                "the source text differs from the notice's; sources must come back unchanged",
            )
        if unit.target is not None and unit.target != translation.text:
            changes.append((segment, translation, unit.target))
    glossary = load_glossary(session)
    if changes:
        try:
            # A new text goes back to review; the conditional update also holds the language
            # against a concurrent approval until the import commits.
            change_state(session, version, lang, TAKES_AGENCY_TEXT, LanguageState.IN_REVIEW)
        except ReviewError as error:
            raise XliffError(path, rule=str(error)) from None
    for segment, translation, text in changes:
        before = translation.text
        try:
            # Swapped on the revision compared above: a reviewer's save since then is kept.
            save_text(
                session,
                translation,
                segment,
                text,
                expected_revision=translation.revision,
                origin="agency",
                actor=actor,
                glossary=glossary,
            )
        except EditConflict as conflict:
            raise XliffError(
                path,
                f"trans-unit s{segment.position}",
                f"{conflict.by} saved segment {segment.position} while the file was imported "
                f"(now: {conflict.theirs!r}); nothing of the file was taken: import it again",
            ) from None
        record(
            session,
            actor,
            "edited",
            notice_id=version.notice_id,
            version_id=version.id,
            language=language,
            segment=segment.position,
            before=before,
            after=text,
            via=f"xliff:{path.rsplit('/', 1)[-1]}",
        )
    return AgencyImport(
        version.notice_id,
        language,
        [segment.position for segment, _, _ in changes],
        len(document.units) - len(changes),
    )
