"""Drafting: segment a version, then fill every target language from memory and engines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content.segments import segment_notice
from core.failpoints import failpoint
from core.states import LanguageState, VersionState
from pipeline.batch_drafting import BatchRequest, batch_engine, draft_batch
from pipeline.engine_cache import SqlOutputCache
from pipeline.glossary import load_glossary
from pipeline.memory import SqlMemory
from pipeline.quality import findings_for
from store.audit import record
from store.claims import Claim, held
from store.db import transaction, updated_rows
from store.models import LanguageVersion, NoticeVersion, Segment, Translation
from translators.base import Engine, Throttle, UsesGlossary
from translators.chain import Draft, Request, draft_segment, local_draft
from translators.glossary import Glossary
from translators.memory import DictMemory

ACTOR = "waiwen"


@dataclass(frozen=True)
class EngineChain:
    """What drafting needs from outside: the engines in order and a throttle before each request."""

    engines: Sequence[Engine]
    throttle: Throttle | None = None
    attempts: int = 3
    backoff: Callable[[int], None] | None = None
    # How one text is sent to one engine with retries; None: `retrying_request` with the fields above.
    request: Request | None = None
    # A language's own chain instead of `engines` (e.g. Korean through a provider strong in Korean).
    by_language: Mapping[str, Sequence[Engine]] = field(default_factory=dict)
    # How one batch is sent to a batch engine; None: `translate_batch` in-process (it retries itself).
    batch_request: BatchRequest | None = None

    def for_language(self, language: str) -> Sequence[Engine]:
        """The engines, in order, that draft `language`."""
        return self.by_language.get(language, self.engines)


@dataclass(frozen=True)
class LanguageDraft:
    """The outcome of drafting one language: how many segments came from where."""

    language: str
    origins: dict[str, int]
    needs_translation: int
    state: str


def prepare_version(session: Session, version_id: int) -> list[str]:
    """Segment a queued version once; returns the target languages still to draft ([] if superseded).

    Two workers may start the same version (a hand-over and the sweep): the first statement is a
    conditional update that only one of them wins, so one segments and the other finds it done.
    """
    # First, before any read: on SQLite the update takes the write lock (the loser waits for the
    # winner's commit instead of failing on a stale snapshot); on PostgreSQL it locks the row.
    claimed = updated_rows(
        session,
        update(NoticeVersion)
        .where(NoticeVersion.id == version_id, NoticeVersion.state == VersionState.QUEUED)
        .values(state=VersionState.DRAFTING),
    )
    version = session.get_one(NoticeVersion, version_id)
    if version.state == VersionState.SUPERSEDED:
        return []
    if claimed and version.skeleton is None:
        document = segment_notice(version.title, version.body)
        session.add_all(
            Segment(version_id=version.id, position=s.position, kind=s.kind, source_text=s.text)
            for s in document.segments
        )
        # The Chinese original passed the office's approval chain before it was queued.
        approver = str(version.front_matter.get("approval", {}).get("approver", "approval record"))
        session.add(
            LanguageVersion(
                version_id=version.id,
                language="zh",
                state=LanguageState.APPROVED,
                approved_by=approver,
            )
        )
        session.add_all(
            LanguageVersion(version_id=version.id, language=lang, state=LanguageState.DRAFTING)
            for lang in version.languages
        )
        version.skeleton = document.skeleton
        version.state = VersionState.DRAFTING
        record(
            session,
            ACTOR,
            "segmented",
            notice_id=version.notice_id,
            version_id=version.id,
            segments=len(document.segments),
        )
    pending = session.scalars(
        select(LanguageVersion.language).where(
            LanguageVersion.version_id == version_id,
            LanguageVersion.state == LanguageState.DRAFTING,
        )
    )
    return sorted(pending)


def draft_language(
    database_url: str, version_id: int, language: str, chain: EngineChain
) -> LanguageDraft:
    """Draft every segment still without a translation; each is committed once it is drafted.

    With a batch engine first in the language's chain (an LLM), what the memory and the previous
    version leave goes to it in one batch (`pipeline.batch_drafting`); otherwise segment by segment.
    Of two runs drafting the same language at once (two workers), one holds the claim and drafts;
    the other leaves at once and reports the language as it stands.
    """
    with held(database_url, f"draft:{version_id}:{language}") as claim:
        if claim is None:
            return _language_summary(database_url, version_id, language)
        return _draft_claimed(database_url, version_id, language, chain, claim)


def _draft_claimed(
    database_url: str, version_id: int, language: str, chain: EngineChain, claim: Claim
) -> LanguageDraft:
    """`draft_language` while this run holds the language's claim."""
    with transaction(database_url) as session:
        segments = session.scalars(
            select(Segment)
            .where(Segment.version_id == version_id)
            .where(
                ~Segment.id.in_(
                    select(Translation.segment_id).where(Translation.language == language)
                )
            )
            .order_by(Segment.position)
        ).all()
        notice_id = session.get_one(NoticeVersion, version_id).notice_id
        glossary = load_glossary(session)
    engines = chain.for_language(language)
    for engine in engines:
        if isinstance(engine, UsesGlossary):
            engine.use_glossary(glossary)
    cache = SqlOutputCache(database_url)
    batching = batch_engine(engines, language)

    def by_segment(segment: Segment, engines: Sequence[Engine], memory: DictMemory) -> Draft:
        return draft_segment(
            segment.source_text,
            language,
            memory=memory,
            engines=engines,
            throttle=chain.throttle,
            attempts=chain.attempts,
            backoff=chain.backoff,
            glossary=glossary,
            cache=cache,
            request=chain.request,
        )

    left: list[Segment] = []
    for segment in segments:
        # Read what the database knows, then let go of the connection before any engine request:
        # a slow or rate-limited engine must not hold the connection pool.
        with transaction(database_url) as session:
            draft = _previous_translation(
                session, notice_id, version_id, segment.source_text, language
            )
            remembered = SqlMemory(session).exact(segment.source_text, language)
        if draft is None:
            memory = DictMemory()
            if remembered is not None:
                memory.add(segment.source_text, language, remembered)
            if batching is not None:
                draft = local_draft(segment.source_text, language, memory=memory, glossary=glossary)
                if draft is None:
                    left.append(segment)  # for the batch engine, below
                    continue
            else:
                draft = by_segment(segment, engines, memory)
        _store(database_url, segment, language, draft, glossary, claim)
    if batching is not None and left:
        engine, after = batching

        def fall_through(segment: Segment, failure: str) -> Draft:
            # Memory and copy rules were applied already: only the engines after the batch engine.
            rest = by_segment(segment, after, DictMemory()) if after else None
            if rest is not None and rest.text is not None:
                return rest
            more = rest.note if rest is not None else "no other engine"
            return Draft(None, "none", f"{failure}; {more}")

        outcome = draft_batch(
            database_url,
            version_id,
            language,
            left,
            engine=engine,
            glossary=glossary,
            cache=cache,
            throttle=chain.throttle,
            attempts=chain.attempts,
            fall_through=fall_through,
            send=chain.batch_request,
        )
        for segment in left:
            _store(database_url, segment, language, outcome.drafts[segment.id], glossary, claim)
    return _finish_language(database_url, version_id, language)


def _store(
    database_url: str,
    segment: Segment,
    language: str,
    draft: Draft,
    glossary: Glossary,
    claim: Claim,
) -> None:
    """Check and store one segment's draft; the crash point tests use sits right after it."""
    findings = findings_for(segment.source_text, draft.text, language, segment.kind, glossary)
    _store_draft(database_url, segment.id, language, draft, findings)
    # A lapsed claim (this run was too slow) changes nothing stored: the first draft of a
    # segment is kept whoever stores it; the renewal only keeps others from starting over.
    claim.renew_if_due()
    failpoint("draft.after-segment")


def _previous_translation(
    session: Session, notice_id: int, version_id: int, source_text: str, language: str
) -> Draft | None:
    """The newest earlier version's translation of the same sentence: unchanged segments are not sent again."""
    row = session.execute(
        select(Translation.text, Translation.origin, NoticeVersion.number)
        .join(Segment, Segment.id == Translation.segment_id)
        .join(NoticeVersion, NoticeVersion.id == Segment.version_id)
        .where(
            NoticeVersion.notice_id == notice_id,
            NoticeVersion.id != version_id,
            Segment.source_text == source_text,
            Translation.language == language,
            Translation.text.is_not(None),
        )
        .order_by(NoticeVersion.number.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    text, origin, number = row
    return Draft(text, origin, f"kept from version {number}")


def _store_draft(
    database_url: str,
    segment_id: int,
    language: str,
    draft: Draft,
    findings: list[dict[str, Any]],
) -> None:
    """Insert the draft and its quality findings unless a translation exists already (a re-run after a crash)."""
    try:
        with transaction(database_url) as session:
            session.add(
                Translation(
                    segment_id=segment_id,
                    language=language,
                    text=draft.text,
                    origin=draft.origin,
                    note=draft.note,
                    updated_by=ACTOR,
                    findings=findings,
                )
            )
    except IntegrityError:
        # Only the one clash this expects (another run stored this segment first: the first draft
        # is kept); any other broken constraint would leave the segment silently untranslated.
        with transaction(database_url) as session:
            stored = session.scalar(
                select(Translation.id).where(
                    Translation.segment_id == segment_id, Translation.language == language
                )
            )
        if stored is None:
            raise


def _finish_language(database_url: str, version_id: int, language: str) -> LanguageDraft:
    """Move the language to review once every segment has a row; the audit entry is written once."""
    with transaction(database_url) as session:
        origins, missing = _drafted(session, version_id, language)
        total = session.scalar(select(Segment.id).where(Segment.version_id == version_id).limit(1))
        moved = updated_rows(
            session,
            update(LanguageVersion)
            .where(
                LanguageVersion.version_id == version_id,
                LanguageVersion.language == language,
                LanguageVersion.state == LanguageState.DRAFTING,
            )
            .values(state=LanguageState.IN_REVIEW),
        )
        if moved and total is not None:
            version = session.get_one(NoticeVersion, version_id)
            record(
                session,
                ACTOR,
                "drafted",
                notice_id=version.notice_id,
                version_id=version_id,
                language=language,
                origins=origins,
                needs_translation=missing,
            )
        state = _state(session, version_id, language)
    return LanguageDraft(language, origins, missing, state or "unknown")


def _language_summary(database_url: str, version_id: int, language: str) -> LanguageDraft:
    """How far a language stands, without changing it (another run holds its claim)."""
    with transaction(database_url) as session:
        origins, missing = _drafted(session, version_id, language)
        state = _state(session, version_id, language)
    return LanguageDraft(language, origins, missing, state or "unknown")


def _drafted(session: Session, version_id: int, language: str) -> tuple[dict[str, int], int]:
    """The language's stored drafts: how many came from each origin, and how many have no text."""
    rows = session.execute(
        select(Translation.origin, Translation.text)
        .join(Segment, Segment.id == Translation.segment_id)
        .where(Segment.version_id == version_id, Translation.language == language)
    ).all()
    return dict(Counter(origin for origin, _ in rows)), sum(1 for _, text in rows if text is None)


def _state(session: Session, version_id: int, language: str) -> str | None:
    return session.scalar(
        select(LanguageVersion.state).where(
            LanguageVersion.version_id == version_id, LanguageVersion.language == language
        )
    )


def settle_version(session: Session, version_id: int) -> str:
    """Mark the version in review once no language is still drafting; returns its state."""
    still_drafting = (
        select(LanguageVersion.id)
        .where(
            LanguageVersion.version_id == version_id,
            LanguageVersion.state == LanguageState.DRAFTING,
        )
        .exists()
    )
    # One conditional update: of two runs settling the same version, one moves it and says so.
    moved = updated_rows(
        session,
        update(NoticeVersion)
        .where(
            NoticeVersion.id == version_id,
            NoticeVersion.state == VersionState.DRAFTING,
            ~still_drafting,
        )
        .values(state=VersionState.IN_REVIEW),
    )
    version = session.get_one(NoticeVersion, version_id)
    if moved:
        record(
            session, ACTOR, "awaiting review", notice_id=version.notice_id, version_id=version_id
        )
    return version.state


def versions_to_draft(session: Session) -> list[int]:
    """Versions queued or interrupted while drafting, most urgent first, then oldest first."""
    return list(
        session.scalars(
            select(NoticeVersion.id)
            .where(NoticeVersion.state.in_((VersionState.QUEUED, VersionState.DRAFTING)))
            .order_by(
                (NoticeVersion.urgency == "major").desc(), NoticeVersion.queued_at, NoticeVersion.id
            )
        )
    )
