"""Whole-notice batches: a language's segments that need an engine go to a batch engine (an LLM) at once.

The segments the memory, the previous version, the copy rule or the glossary fill are drafted
first, as segment by segment. What is left goes to the first engine of the language's chain that
supports the pair, when it translates batches (`translators.base.TranslatesBatches`): one call for
the language, which the engine cuts into requests itself. Each text is masked as for any engine, and
the engine-output cache is asked first and filled with each answer before anything is stored, so a
re-run after a crash sends nothing the cache holds. A segment the batch fails goes on to the engines
after the batch engine, one by one, and else needs translation with the reason as its note.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.failpoints import failpoint
from core.languages import SOURCE_LANGUAGE
from pipeline.engine_cache import SqlOutputCache
from pipeline.memory import fuzzy_suggestions
from store.db import transaction
from store.models import LanguageVersion, Notice, NoticeVersion, Segment
from translators.base import (
    Batch,
    BatchProgress,
    BatchResult,
    BatchSegment,
    Engine,
    MemoryExample,
    Throttle,
    TranslatesBatches,
    Usage,
)
from translators.chain import Draft
from translators.glossary import Glossary
from translators.protect import Masked, PlaceholderLost, mask, unmask

__all__ = [
    "MAX_EXAMPLES",
    "BatchOutcome",
    "BatchRequest",
    "batch_engine",
    "direct_batch_request",
    "draft_batch",
    "record_usage",
]

MAX_EXAMPLES = 3  # memory examples a batch carries: a few, the closest
_CONTEXT_NEIGHBOURS = 2  # source segments on either side of a sent one, given for understanding

# What drafting does with a segment the batch did not translate: the rest of the chain, one by one.
FallThrough = Callable[[Segment, str], Draft]
# Sends one batch to one batch engine with the throttle, attempts and progress given; the flows make
# it a task.
BatchRequest = Callable[
    [TranslatesBatches, Batch, Throttle | None, int, BatchProgress | None], BatchResult
]


def direct_batch_request(
    engine: TranslatesBatches,
    batch: Batch,
    throttle: Throttle | None,
    attempts: int,
    progress: BatchProgress | None = None,
) -> BatchResult:
    """`translate_batch` in this process: the engine retries, repairs and splits itself."""
    return engine.translate_batch(batch, throttle=throttle, attempts=attempts, progress=progress)


@dataclass(frozen=True)
class BatchOutcome:
    """The drafts of the batch's segments (segment id -> draft) and what the requests cost."""

    drafts: dict[int, Draft]
    usage: Usage


def batch_engine(engines: Sequence[Engine], language: str) -> tuple[Engine, list[Engine]] | None:
    """The batch engine drafting `language` and the engines after it, or None: segment by segment.

    Only the first engine supporting the pair counts: an engine before it in the chain is meant to
    be asked first, and that is done segment by segment.
    """
    usable = [engine for engine in engines if engine.supports(SOURCE_LANGUAGE, language)]
    if not usable or not isinstance(usable[0], TranslatesBatches):
        return None
    return usable[0], usable[1:]


def draft_batch(
    database_url: str,
    version_id: int,
    language: str,
    segments: Sequence[Segment],
    *,
    engine: Engine,
    glossary: Glossary,
    cache: SqlOutputCache,
    throttle: Throttle | None,
    attempts: int,
    fall_through: FallThrough,
    send: BatchRequest | None = None,
) -> BatchOutcome:
    """Draft `segments` (all needing an engine) through `engine` in one batch, the cache first."""
    assert isinstance(engine, TranslatesBatches)
    masked = {segment.id: mask(segment.source_text, language, glossary) for segment in segments}
    drafts: dict[int, Draft] = {}
    to_send: list[Segment] = []
    for segment in segments:
        output = cache.get(engine.id, language, masked[segment.id].text)
        if output is None:
            to_send.append(segment)
            continue
        draft = _restored(engine.id, output, masked[segment.id], "from the engine cache")
        drafts[segment.id] = draft or fall_through(segment, "the cached answer lost a placeholder")
    if not to_send:
        return BatchOutcome(drafts, Usage())
    # A text sent once for all segments that mask to it ("咨询电话为{1}。" with different numbers):
    # the cache would have answered the others segment by segment, so the batch does the same.
    first: dict[str, Segment] = {}
    for segment in to_send:
        first.setdefault(masked[segment.id].text, segment)
    unique = list(first.values())
    batch = _batch(database_url, version_id, language, unique, masked, glossary)
    kept = _Keeper(database_url, version_id, language, engine.id, cache, masked)
    result = (send or direct_batch_request)(engine, batch, throttle, attempts, kept)
    # The cost is kept before anything else can fail: it was paid, whatever happens next.
    record_usage(database_url, version_id, language, result.usage - kept.usage)
    for segment in to_send:
        key = str(first[masked[segment.id].text].id)
        text = result.texts.get(key)
        if text is None:
            failure = result.failed.get(key)
            drafts[segment.id] = fall_through(
                segment, str(failure) if failure else f"{engine.id}: no answer for the segment"
            )
            continue
        # Kept before it is stored: a crash after this point costs no new request.
        if key not in kept.answered:
            cache.put(engine.id, language, masked[segment.id].text, text)
        draft = _restored(engine.id, text, masked[segment.id], "")
        drafts[segment.id] = draft or fall_through(
            segment, f"{engine.id}: the answer lost a placeholder of the protected markup"
        )
    return BatchOutcome(drafts, result.usage)


class _Keeper:
    """Keeps each request's answers in the cache and its cost in the usage as soon as it is paid.

    A batch cut into several requests can be killed half-way: what was answered before is then not
    asked for again (`draft_batch` asks the cache first), and the tokens spent stay counted.
    """

    def __init__(
        self,
        database_url: str,
        version_id: int,
        language: str,
        engine_id: str,
        cache: SqlOutputCache,
        masked: dict[int, Masked],
    ) -> None:
        self.database_url, self.version_id, self.language = database_url, version_id, language
        self.engine_id, self.cache, self.masked = engine_id, cache, masked
        self.answered: set[str] = set()
        self.usage = Usage()

    def __call__(self, texts: Mapping[str, str], usage: Usage) -> None:
        """One request's answers (batch id -> text) and cost."""
        if usage != Usage():
            record_usage(self.database_url, self.version_id, self.language, usage)
            self.usage += usage
        for key, text in texts.items():
            self.cache.put(self.engine_id, self.language, self.masked[int(key)].text, text)
            self.answered.add(key)
        if texts:
            failpoint("draft.after-request")


def _restored(engine_id: str, output: str, masked: Masked, note: str) -> Draft | None:
    try:
        return Draft(unmask(output, masked), f"engine:{engine_id}", note)
    except PlaceholderLost:
        return None


def _batch(
    database_url: str,
    version_id: int,
    language: str,
    segments: Sequence[Segment],
    masked: dict[int, Masked],
    glossary: Glossary,
) -> Batch:
    """The batch: masked texts with their glossary entries, the notice around them, memory examples."""
    with transaction(database_url) as session:
        version = session.get_one(NoticeVersion, version_id)
        column = session.get_one(Notice, version.notice_id).column
        title = version.title
        sources = list(
            session.scalars(
                select(Segment.source_text)
                .where(Segment.version_id == version_id)
                .order_by(Segment.position)
            )
        )
        examples = _examples(session, segments, language)
    return Batch(
        SOURCE_LANGUAGE,
        language,
        tuple(
            BatchSegment(
                str(segment.id),
                masked[segment.id].text,
                segment.kind,
                tuple(glossary.hits(segment.source_text, language)),
            )
            for segment in segments
        ),
        title=title,
        column=column,
        context=_context(sources, [segment.position for segment in segments]),
        examples=examples,
    )


def _context(sources: list[str], sent: list[int]) -> tuple[str, ...]:
    """Source segments next to the sent ones that are not sent themselves (drafted from memory)."""
    sent_positions = set(sent)
    near = sorted(
        {
            position
            for p in sent
            for position in range(p - _CONTEXT_NEIGHBOURS, p + _CONTEXT_NEIGHBOURS + 1)
            if 0 <= position < len(sources) and position not in sent_positions
        }
    )
    return tuple(sources[position] for position in near)


def _examples(
    session: Session, segments: Sequence[Segment], language: str
) -> tuple[MemoryExample, ...]:
    """The closest memory matches of the batch's segments, at most MAX_EXAMPLES, each once."""
    found: dict[str, tuple[float, str]] = {}
    for segment in segments:
        for suggestion in fuzzy_suggestions(session, segment.source_text, language, limit=1):
            best = found.get(suggestion.source)
            if best is None or suggestion.score > best[0]:
                found[suggestion.source] = (suggestion.score, suggestion.target)
    ranked = sorted(found.items(), key=lambda item: -item[1][0])[:MAX_EXAMPLES]
    return tuple(MemoryExample(source, target) for source, (_, target) in ranked)


def record_usage(database_url: str, version_id: int, language: str, usage: Usage) -> None:
    """Add what a drafting run sent to the language's stored usage (a re-run adds only its own)."""
    if usage == Usage():
        return
    with transaction(database_url) as session:
        session.execute(
            update(LanguageVersion)
            .where(LanguageVersion.version_id == version_id, LanguageVersion.language == language)
            .values(
                prompt_tokens=LanguageVersion.prompt_tokens + usage.prompt_tokens,
                completion_tokens=LanguageVersion.completion_tokens + usage.completion_tokens,
                engine_requests=LanguageVersion.engine_requests + usage.requests,
            )
        )
