"""The AI second reader: a chat model compares each segment with its translation and points at problems.

A language's segments go in as few requests as the budget allows (`budget.pack`, on structure),
each request under the engine's policy (`run.send`: retries after 429, 5xx and timeouts with the
server's Retry-After). A request the model's context cannot hold, or whose answer was cut off, is
halved; an answer that is not the JSON asked for is asked for once more, naming the fault; what is
still refused is halved down to one segment, then given up for that segment with the reason. A
failure no retry mends (a refused key, an unknown model) ends the review: every segment not yet
read fails with it. The reader never raises for the model's faults; its result says what was read.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from translators.base import SharedEngineSettings, Throttle, Usage
from translators.deeptranslator import display_url
from translators.errors import BadOutput, EngineError
from translators.glossary import Term
from translators.llm.budget import halves, pack, segment_tokens
from translators.llm.client import ChatClient, ContentFiltered, ContextTooLong
from translators.llm.engine import OpenAISettings
from translators.llm.gate import gate_for
from translators.llm.review_prompt import messages, response_format
from translators.llm.review_reply import ReadFinding, locate, read_reply
from translators.llm.run import Policy, send

__all__ = ["AIReader", "ReviewFinding", "ReviewResult", "ReviewSegment"]

log = logging.getLogger(__name__)

_POLICY = Policy()  # the engine's: three tries, one repair, halving


@dataclass(frozen=True)
class ReviewSegment:
    """One pair to read: the caller's id, the Chinese source, its translation, the glossary's terms."""

    id: str
    source: str
    target: str
    kind: str = "paragraph"
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class ReviewFinding:
    """A problem the reader found in one segment, with where it is when the excerpts were found."""

    segment_id: str
    category: str  # accuracy | omission | terminology | fluency | style
    severity: str  # the model's: minor | major (waiwen stores every one as a warning)
    explanation: str
    source_excerpt: str = ""
    target_excerpt: str = ""
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class ReviewResult:
    """What a review gave: findings of the segments read, and why the others were not read."""

    findings: tuple[ReviewFinding, ...] = ()
    read: tuple[
        str, ...
    ] = ()  # ids of the segments whose answer was used (with or without findings)
    failed: dict[str, EngineError] = field(default_factory=dict)  # id -> why it was not read
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> model entries dropped
    usage: Usage = Usage()


@dataclass
class _Run:
    reader: AIReader
    source: str
    target: str
    title: str
    column: str
    throttle: Throttle | None
    findings: list[ReviewFinding] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    failed: dict[str, EngineError] = field(default_factory=dict)
    dropped: Counter[str] = field(default_factory=Counter)
    usage: Usage = Usage()
    stopped: EngineError | None = None

    def job(
        self, segments: list[ReviewSegment], *, may_repair: bool = True, note: str = ""
    ) -> None:
        if self.stopped is not None:
            self.fail(segments, self.stopped)
            return
        reader = self.reader
        wire = {f"s{i}": segment for i, segment in enumerate(segments)}
        asked = messages(
            source=self.source,
            target=self.target,
            pairs=[(w, s.source, s.target) for w, s in wire.items()],
            title=self.title,
            column=self.column,
            terms=list(dict.fromkeys(t for s in segments for t in s.terms)),
            problems=note,
        )
        try:
            completion = send(
                reader.client,
                asked,
                response_format(reader.response_format, list(wire)),
                reader.policy,
                throttle=self.throttle,
                sleep=reader.sleep,
                rng=reader.rng,
                spend=self.spend,
            )
        except ContextTooLong as exc:
            self.split_or_fail(segments, exc, may_repair=may_repair)
            return
        except ContentFiltered as exc:
            self.split_or_fail(segments, exc, may_repair=False)
            return
        except EngineError as exc:
            self.stopped = exc
            self.fail(segments, exc)
            return
        if completion.finish_reason == "length":
            cut = BadOutput(
                reader.engine_id, "the answer was cut off at the model's output limit (length)"
            )
            self.split_or_fail(segments, cut, may_repair=may_repair)
            return
        if completion.finish_reason == "content_filter" or completion.refusal:
            refused = BadOutput(reader.engine_id, "the server's content filter refused the text")
            self.split_or_fail(segments, refused, may_repair=False)
            return
        reply = read_reply(completion.content, wire)
        if reply.general:
            log.warning("%s: review answer refused (%s)", reader.engine_id, reply.general)
            if reader.policy.repair and may_repair:
                self.job(segments, may_repair=False, note=reply.general)
                return
            error = BadOutput(reader.engine_id, f"answer refused: {reply.general}")
            self.split_or_fail(segments, error, may_repair=False)
            return
        self.dropped.update(reply.dropped)
        self.findings.extend(_placed(wire[f.wire_id], f) for f in reply.findings)
        self.read.extend(s.id for s in segments)

    def split_or_fail(
        self, segments: list[ReviewSegment], error: EngineError, *, may_repair: bool
    ) -> None:
        if len(segments) > 1 and self.reader.policy.split:
            for half in halves(segments):
                self.job(half, may_repair=may_repair)
            return
        self.fail(segments, error)

    def fail(self, segments: list[ReviewSegment], error: EngineError) -> None:
        for segment in segments:
            self.failed[segment.id] = error
        log.warning(
            "%s: review gave up %s: %s",
            self.reader.engine_id,
            ", ".join(s.id for s in segments),
            error,
        )

    def spend(self, usage: Usage) -> None:
        self.usage += usage


def _placed(segment: ReviewSegment, found: ReadFinding) -> ReviewFinding:
    """The model's finding on the caller's segment, its excerpts looked up in the exact texts."""
    return ReviewFinding(
        segment_id=segment.id,
        category=found.category,
        severity=found.severity,
        explanation=found.explanation,
        source_excerpt=found.source_excerpt,
        target_excerpt=found.target_excerpt,
        source_span=locate(segment.source, found.source_excerpt),
        target_span=locate(segment.target, found.target_excerpt),
    )


class AIReader:
    """A chat model behind the OpenAI chat-completions protocol, asked to read translations."""

    engine_id = "openai"

    def __init__(
        self,
        client: ChatClient,
        *,
        response_format: str = "json_schema",
        budget: int = 3000,
        policy: Policy = _POLICY,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        """`budget`: estimated tokens of sources and translations one request carries."""
        self.client = client
        self.response_format = response_format
        self.budget = budget
        self.policy = policy
        self.sleep = sleep
        self.rng = rng

    def __repr__(self) -> str:
        """Server and model, never the key."""
        return f"AIReader(base_url={self.client.where!r}, model={self.client.model!r})"

    @property
    def model(self) -> str:
        """The model's name as the server knows it."""
        return self.client.model

    def review(
        self,
        source: str,
        target: str,
        segments: Sequence[ReviewSegment],
        *,
        title: str = "",
        column: str = "",
        throttle: Throttle | None = None,
    ) -> ReviewResult:
        """Read every segment that has a translation; each is then read or failed with a reason."""
        wanted = [s for s in segments if s.source.strip() and s.target.strip()]
        run = _Run(self, source, target, title, column, throttle)
        groups = pack(
            wanted,
            lambda s: segment_tokens(s.source) + segment_tokens(s.target),
            self.budget,
            lambda s: s.kind == "heading",
        )
        for group in groups:
            run.job(group)
        return ReviewResult(
            tuple(run.findings), tuple(run.read), dict(run.failed), run.dropped, run.usage
        )

    @classmethod
    def from_settings(
        cls,
        settings: OpenAISettings,
        shared: SharedEngineSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> AIReader:
        """The reader on the server, model and key of engine `openai` (WAIWEN_OPENAI_*)."""
        if not settings.base_url or not settings.model:
            raise ValueError(
                "the AI second reader (WAIWEN_AI_REVIEW=openai) needs WAIWEN_OPENAI_BASE_URL and "
                "WAIWEN_OPENAI_MODEL, as engine openai does"
            )
        if urlsplit(settings.base_url).scheme not in ("http", "https"):
            raise ValueError("WAIWEN_OPENAI_BASE_URL must start with http:// or https://")
        client = ChatClient(
            cls.engine_id,
            base_url=settings.base_url,
            api_key=settings.api_key.get_secret_value(),
            model=settings.model,
            timeout=settings.timeout or shared.timeout,
            temperature=settings.temperature,
            # The same gate as the engine's: both spend the one server's requests and tokens.
            gate=gate_for(
                display_url(settings.base_url),
                settings.model,
                settings.concurrent_requests,
                settings.tokens_per_minute,
            ),
        )
        return cls(
            client,
            response_format=settings.response_format,
            budget=settings.max_batch_tokens,
            sleep=sleep,
        )
