"""One notice's language out to a translation agency as XLIFF, and its answer back in.

Export: the current version's segments, ids ``s0``, ``s1``… by position, each with its waiwen
reference (notice, version, language, segment and the revision of its translation), its notes
(the segment's kind, the draft's note, the reviewer's accepted findings, the glossary's terms) and
its inline Markdown as codes.

Import: the units are matched to segments by their reference, else by their id in a file waiwen
wrote, else by their source text; every unit must match a segment and keep its source. A file
that breaks a rule (a changed source, an unknown unit, a missing or altered inline code, a file for
another version) is refused whole and changes nothing. A segment whose translation changed since
it was exported, and whose text the file would change too, is a **conflict**: it is kept as the
desk has it and reported, and the file's other segments are taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.states import LanguageState
from pipeline.glossary import load_glossary
from pipeline.lookups import NotFound, current_language, find_notice
from pipeline.review import EditConflict, ReviewError, change_state, save_text
from pipeline.review_view import SegmentView, show
from store.audit import record
from store.models import CheckOverride, Segment, Translation
from translators.glossary import Glossary, Term
from translators.inline_codes import (
    CodeMismatch,
    CodeSpec,
    Content,
    code_table,
    codes_in,
    flatten,
    has_codes,
    parse_markdown,
    restore,
    target_content,
)
from translators.xliff import (
    ExportUnit,
    Reference,
    XliffDocument,
    XliffError,
    XliffFile,
    XliffNote,
    XliffUnit,
    write_xliff,
)

PEOPLE = ("human", "agency")
# States in which a language takes an agency's translation (it goes back to review).
TAKES_AGENCY_TEXT = (LanguageState.IN_REVIEW, LanguageState.REJECTED)
# The revision a unit is taken to be exported from when its file does not say: the first draft.
# Every later revision is an edit, so a file without references never overwrites one unseen.
FIRST_REVISION = 1
_WAIWEN_ORIGINAL = re.compile(r"(?P<key>.+)#version=(?P<number>\d+)")
_WAIWEN_ID = re.compile(r"s(\d+)")


@dataclass(frozen=True)
class Conflict:
    """A segment changed since the export that the file changes too: the desk's text stays."""

    position: int
    unit: str
    exported: int
    revision: int
    by: str
    desk: str | None
    file: str

    def __str__(self) -> str:
        return (
            f"{self.unit}: segment {self.position} changed since the export (revision "
            f"{self.exported} exported, now {self.revision} by {self.by}); the file's text was not "
            f"taken: {self.file!r}; the desk's stays: {self.desk!r}"
        )


@dataclass(frozen=True)
class AgencyImport:
    """What an import changed, what it left because of a conflict, and what it passed over."""

    notice_id: int
    language: str
    updated: list[int]
    unchanged: int
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _original(key: str, version: int) -> str:
    return f"{key}#version={version}"


def _state(origin: str, text: str | None, approved: bool) -> str:
    if approved:
        return "final"
    if text is None:
        return "needs-translation"
    return "translated" if origin in PEOPLE else "needs-review-translation"


def _term_note(term: Term) -> XliffNote:
    text = f"glossary: {term.source} → {term.target}"
    if term.variants:
        text += f" (also: {', '.join(term.variants)})"
    if term.strength != "required":
        text += f"; {term.strength}"
    return XliffNote(text, "glossary", "source")


def _notes(
    segment: SegmentView, language: str, glossary: Glossary, accepted: list[XliffNote]
) -> tuple[XliffNote, ...]:
    notes = [XliffNote(f"kind: {segment.kind}", "kind")]
    if segment.note:
        notes.append(XliffNote(f"draft: {segment.note}", "draft", "target"))
    notes.extend(accepted)
    notes.extend(_term_note(term) for term in glossary.hits(segment.source, language))
    return tuple(notes)


def _accepted(session: Session, version_id: int, language: str) -> dict[int, list[XliffNote]]:
    """The reviewers' written reasons for the findings they accepted on the current texts."""
    notes: dict[int, list[XliffNote]] = {}
    for position, check, reason, by in session.execute(
        select(
            Segment.position, CheckOverride.check_id, CheckOverride.reason, CheckOverride.created_by
        )
        .join(Translation, Translation.segment_id == Segment.id)
        .join(CheckOverride, CheckOverride.translation_id == Translation.id)
        .where(
            Segment.version_id == version_id,
            Translation.language == language,
            CheckOverride.revision == Translation.revision,
        )
        .order_by(Segment.position, CheckOverride.id)
    ):
        text = f"reviewer {by} accepted the {check} finding: {reason}"
        notes.setdefault(position, []).append(XliffNote(text, "reviewer", "target"))
    return notes


def export_xliff(
    session: Session, notice: str, language: str, *, version: str = "1.2"
) -> tuple[bytes, int]:
    """The current version's segments in `language` as XLIFF 1.2 or 2.0; (document, units)."""
    view = show(session, notice, language)
    key = find_notice(session, str(view.notice_id)).key
    approved = view.state in (LanguageState.APPROVED, LanguageState.PUBLISHED)
    glossary = load_glossary(session)
    accepted = _accepted(session, view.version_id, language)
    units = [
        ExportUnit(
            f"s{segment.position}",
            segment.source,
            segment.text,
            _state(segment.origin, segment.text, approved),
            _notes(segment, language, glossary, accepted.get(segment.position, [])),
            Reference(view.notice_id, view.version, language, segment.position, segment.revision),
        )
        for segment in view.segments
    ]
    data = write_xliff(
        units, original=_original(key, view.version), target_language=language, version=version
    )
    return data, len(units)


class _Stored:
    """One segment and its translation as stored, with their inline codes worked out once."""

    def __init__(self, segment: Segment, translation: Translation) -> None:
        self.segment, self.translation = segment, translation
        self.text: str | None = translation.text
        self.revision: int = translation.revision

    @cached_property
    def source(self) -> Content:
        return parse_markdown(self.segment.source_text)

    @cached_property
    def target(self) -> Content | None:
        return None if self.text is None else target_content(self.text, self.source)

    @cached_property
    def table(self) -> dict[str, CodeSpec]:
        return code_table(self.source, self.target)

    @cached_property
    def flat_source(self) -> str:
        return flatten(self.source)

    @cached_property
    def flat_target(self) -> str | None:
        return None if self.target is None else flatten(self.target)

    def source_differs(self, source: Content) -> str | None:
        """None when a file's source is this segment's, else what differs ("": the text)."""
        if not has_codes(source):
            return None if flatten(source) == self.flat_source else ""
        try:
            restored = restore(source, code_table(self.source))
        except CodeMismatch as mismatch:
            return str(mismatch)
        return None if restored == self.segment.source_text else ""

    def text_of(self, target: Content) -> str:
        """The Markdown a file's target stands for; CodeMismatch if its codes do not fit."""
        if has_codes(target):
            return restore(target, self.table)
        plain = flatten(target)
        if self.text is not None and plain in (self.text, self.flat_target):
            return self.text  # as exported, or as a tool without inline codes shows it
        # A target without codes is Markdown as typed: the source's markup must be in it.
        typed = {code.id for code in codes_in(target_content(plain, self.source))}
        for spec in self.table.values():
            if spec.in_source and spec.id not in typed:
                raise CodeMismatch(
                    spec.id,
                    f"missing: the {spec.describe()} of the source is not in the target, which has "
                    "no inline codes (the tool that wrote the file may have dropped them)",
                )
        return plain


class _BySource:
    """Segments by their text as a tool without inline codes shows it, indexed on first need."""

    def __init__(self, stored: dict[int, _Stored]) -> None:
        self.stored = stored

    @cached_property
    def index(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for position, row in sorted(self.stored.items()):
            found.setdefault(row.flat_source, []).append(position)
        return found

    def positions(self, source_text: str) -> list[int]:
        """The segments whose source shows as ``source_text``."""
        return self.index.get(source_text, [])


@dataclass(frozen=True)
class _Proposal:
    where: str
    text: str | None  # None: codes that do not fit a target changed since the export
    shown: str
    exported: int


class _Import:
    """One file's import: identify the notice language, match units, decide, then write."""

    def __init__(self, session: Session, document: XliffDocument, path: str) -> None:
        self.session, self.document, self.path = session, document, path

    def where(self, file: XliffFile, unit: XliffUnit) -> str:
        name = "trans-unit" if self.document.version.startswith("1") else "unit"
        if len(self.document.files) > 1:
            return f"<file original={file.original!r}> {name} {unit.id}"
        return f"{name} {unit.id}"

    def refuse(self, field: str = "", rule: str = "") -> XliffError:
        return XliffError(self.path, field, rule)

    def identify(
        self, units: list[tuple[XliffFile, XliffUnit]], notice: str | None, language: str | None
    ) -> tuple[int, int | None, str]:
        """The notice, version (None: the file does not say) and language the file is for."""
        named_notices: dict[str, str] = {}  # as the file names it (key or number) -> where
        versions: dict[int, str] = {}
        languages: dict[str, str] = {}
        for file in self.document.files:
            said = _WAIWEN_ORIGINAL.fullmatch(file.original)
            if said:
                where = f"<file original={file.original!r}>"
                named_notices.setdefault(said["key"], where)
                versions.setdefault(int(said["number"]), where)
            if file.target_language:
                code = file.target_language.replace("_", "-").split("-")[0].lower()
                languages.setdefault(code, f"<file target-language={file.target_language!r}>")
        for file, unit in units:
            for reference in unit.references:
                where = f"the waiwen reference of {self.where(file, unit)}"
                named_notices.setdefault(str(reference.notice_id), where)
                versions.setdefault(reference.version, where)
                languages.setdefault(reference.language, where)
        if notice is not None:
            named_notices.setdefault(notice, "--notice")
        if language is not None:
            languages.setdefault(language, "--lang")
        notices: dict[int, str] = {}
        for named, where in named_notices.items():  # one lookup per notice named, not per unit
            notices.setdefault(self.notice_id(named), where)
        if len(notices) > 1:
            named = ", ".join(f"notice {n} ({where})" for n, where in notices.items())
            raise self.refuse(rule=f"the file is for more than one notice: {named}")
        if not notices:
            raise self.refuse(
                rule="the file does not say which notice it is for (no waiwen <file original> and "
                "no waiwen reference in its units); name it with --notice"
            )
        if len(versions) > 1:
            named = ", ".join(f"version {v} ({where})" for v, where in versions.items())
            raise self.refuse(rule=f"the file is for more than one version: {named}")
        if len(languages) > 1:
            named = ", ".join(f"{code} ({where})" for code, where in languages.items())
            raise self.refuse(rule=f"the file is for more than one language: {named}")
        if not languages:
            raise self.refuse(
                rule="the file does not say its language (no target-language and no waiwen "
                "reference); name it with --lang"
            )
        return next(iter(notices)), next(iter(versions), None), next(iter(languages))

    def notice_id(self, reference: str) -> int:
        try:
            return find_notice(self.session, reference).id
        except NotFound as error:
            raise self.refuse(rule=str(error)) from None


def _positions(
    run: _Import,
    file: XliffFile,
    unit: XliffUnit,
    stored: dict[int, _Stored],
    by_source: _BySource,
    notice_id: int,
) -> list[int]:
    """The segment a unit is (several: a source text found more than once, the file not saying)."""
    where = run.where(file, unit)
    claims: list[tuple[str, int]] = []
    said = _WAIWEN_ID.fullmatch(unit.id)
    if said and _WAIWEN_ORIGINAL.fullmatch(file.original):
        claims.append(("its id", int(said[1])))
    claims.extend(("its waiwen reference", reference.position) for reference in unit.references)
    for _, position in claims:
        if position not in stored:
            raise run.refuse(where, f"no such segment in notice {notice_id}")
    if len({position for _, position in claims}) > 1:
        named = " but ".join(f"{what} names segment {position}" for what, position in claims)
        raise run.refuse(where, named)
    if claims:
        return [claims[0][1]]
    found = by_source.positions(unit.source_text)
    if not found:
        raise run.refuse(
            where, f"its source matches no segment of notice {notice_id}: {unit.source_text!r}"
        )
    return found


def import_xliff(
    session: Session,
    document: XliffDocument,
    actor: str,
    *,
    path: str,
    notice: str | None = None,
    language: str | None = None,
) -> AgencyImport:
    """Take the agency's texts for exactly the segments whose text changed.

    A refusal changes nothing; a conflict keeps that one segment as the desk has it.
    ``notice`` and ``language`` name what the file does not say itself (or must agree with it).
    """
    run = _Import(session, document, path)
    units: list[tuple[XliffFile, XliffUnit]] = []
    skipped: list[str] = []
    for file in document.files:
        for unit in file.units:
            if unit.is_po_header:
                skipped.append(f"{run.where(file, unit)}: the header of a PO file, not a segment")
            else:
                units.append((file, unit))
    notice_id, number, code = run.identify(units, notice, language)
    try:
        version, lang = current_language(session, str(notice_id), code)
    except NotFound as error:
        raise run.refuse(rule=str(error)) from None
    if number is not None and version.number != number:
        raise run.refuse(
            rule=f"the file is for version {number} of notice {version.notice_id}, but version "
            f"{version.number} is current; export it again and send the agency the new file",
        )
    if lang.state not in TAKES_AGENCY_TEXT:
        raise run.refuse(
            rule=f"{code} of notice {version.notice_id} is {lang.state}; only a language in "
            "review takes an agency's translation",
        )
    stored = {
        segment.position: _Stored(segment, translation)
        for segment, translation in session.execute(
            select(Segment, Translation)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Segment.version_id == version.id, Translation.language == code)
        )
    }
    covered, proposals = _proposals(run, units, stored, version.notice_id)
    changes, conflicts = _decide(run, stored, proposals)

    glossary = load_glossary(session)
    if changes:
        try:
            # A new text goes back to review; the conditional update also holds the language
            # against a concurrent approval until the import commits.
            change_state(session, version, lang, TAKES_AGENCY_TEXT, LanguageState.IN_REVIEW)
        except ReviewError as error:
            raise run.refuse(rule=str(error)) from None
    for row, text, where in changes:
        segment, translation = row.segment, row.translation
        try:
            # Swapped on the revision compared above: a reviewer's save since then is kept.
            save_text(
                session,
                translation,
                segment,
                text,
                expected_revision=row.revision,
                origin="agency",
                actor=actor,
                glossary=glossary,
            )
        except EditConflict as conflict:
            raise run.refuse(
                where,
                f"{conflict.by} saved segment {segment.position} while the file was imported "
                f"(now: {conflict.theirs!r}); nothing of the file was taken: import it again",
            ) from None
        record(
            session,
            actor,
            "edited",
            notice_id=version.notice_id,
            version_id=version.id,
            language=code,
            segment=segment.position,
            before=row.text,
            after=text,
            via=f"xliff:{path.rsplit('/', 1)[-1]}",
        )
    updated = sorted(row.segment.position for row, _, _ in changes)
    return AgencyImport(
        version.notice_id,
        code,
        updated,
        len(covered) - len(updated) - len(conflicts),
        conflicts,
        skipped,
    )


def _proposals(
    run: _Import,
    units: list[tuple[XliffFile, XliffUnit]],
    stored: dict[int, _Stored],
    notice_id: int,
) -> tuple[set[int], dict[int, list[_Proposal]]]:
    """The segments the file covers, and the texts its units give them; refusals on the way."""
    by_source = _BySource(stored)
    covered: set[int] = set()
    proposals: dict[int, list[_Proposal]] = {}
    for file, unit in units:
        where = run.where(file, unit)
        positions = _positions(run, file, unit, stored, by_source, notice_id)
        for position in positions:
            differs = stored[position].source_differs(unit.source)
            if differs is not None:
                detail = f" ({differs})" if differs else ""
                raise run.refuse(
                    where,
                    f"the source text differs from the notice's{detail}; sources must come back "
                    "unchanged",
                )
        covered.update(positions)
        if len(positions) > 1:
            _unchanged_everywhere(run, where, unit, [stored[p] for p in positions])
            continue
        row = stored[positions[0]]
        if unit.target is None:
            continue
        exported = unit.references[0].revision if unit.references else FIRST_REVISION
        text: str | None
        try:
            text = row.text_of(unit.target)
        except CodeMismatch as error:
            if exported == row.revision:
                raise run.refuse(where, str(error)) from None
            # Codes that fit the text as exported, not the one the desk has saved since.
            text = None
        proposals.setdefault(positions[0], []).append(
            _Proposal(where, text, flatten(unit.target), exported)
        )
    return covered, proposals


def _decide(
    run: _Import, stored: dict[int, _Stored], proposals: dict[int, list[_Proposal]]
) -> tuple[list[tuple[_Stored, str, str]], list[Conflict]]:
    """Per segment: a change (row, new text, the unit giving it), a conflict, or nothing."""
    changes: list[tuple[_Stored, str, str]] = []
    conflicts: list[Conflict] = []
    for position, offered in sorted(proposals.items()):
        row = stored[position]
        changed = [p for p in offered if p.text is None or p.text != row.text]
        if not changed:
            continue
        stale = [p for p in changed if p.exported != row.revision]
        if stale:
            # The last: po2xliff -t writes the agency's units after its copy of the export.
            shown = stale[-1]
            conflicts.append(
                Conflict(
                    position,
                    shown.where,
                    shown.exported,
                    row.revision,
                    row.translation.updated_by,
                    row.text,
                    shown.text if shown.text is not None else shown.shown,
                )
            )
        elif len({p.text for p in changed}) > 1:
            named = " and ".join(p.where for p in changed)
            raise run.refuse(rule=f"{named} give segment {position} different texts")
        else:
            changes.append((row, str(changed[0].text), changed[0].where))
    return changes, conflicts


def _unchanged_everywhere(run: _Import, where: str, unit: XliffUnit, rows: list[_Stored]) -> None:
    """A unit that could be any of several segments may only leave them all as they are."""
    for row in rows:
        if unit.target is None:
            return
        try:
            same = row.text_of(unit.target) == row.text
        except CodeMismatch:
            same = False
        if not same:
            named = ", ".join(str(r.segment.position) for r in rows)
            raise run.refuse(
                where,
                f"its source is that of segments {named} and the file does not say which it is "
                "(no waiwen reference); export the file again and send the agency the new one",
            )
