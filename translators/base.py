"""The engine plug-in point: what the chain and the registry expect of an engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from translators.errors import EngineError
    from translators.glossary import Glossary, Term

__all__ = [
    "Batch",
    "BatchProgress",
    "BatchResult",
    "BatchSegment",
    "Engine",
    "EngineFactory",
    "MemoryExample",
    "SharedEngineSettings",
    "Throttle",
    "TranslatesBatches",
    "Usage",
    "UsesGlossary",
]


@runtime_checkable
class Engine(Protocol):
    """A machine-translation provider that translates one plain-text segment at a time."""

    id: str
    label: str

    def supports(self, source: str, target: str) -> bool:
        """Whether this engine can translate from `source` to `target` (waiwen codes)."""
        ...

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one plain-text segment; raise only `EngineError` subclasses."""
        ...


@runtime_checkable
class UsesGlossary(Protocol):
    """An engine that can send the office glossary to its provider (DeepL)."""

    def use_glossary(self, glossary: Glossary) -> None:
        """Apply these terms to every later request."""
        ...


# Told after each request of a batch: the ids it translated (id -> text) and what it cost.
BatchProgress = Callable[[Mapping[str, str], "Usage"], None]

# Called with the engine id before every request to the provider; the
# orchestrator injects its rate limiter here so engines stay ignorant of it.
Throttle = Callable[[str], None]


@dataclass(frozen=True)
class SharedEngineSettings:
    """What every engine is given alike, whatever its provider."""

    timeout: float = 30.0  # seconds before one request is given up (WAIWEN_ENGINE_TIMEOUT)


@runtime_checkable
class EngineFactory(Protocol):
    """What an engine id names in the registry: a built-in engine class or an entry point's object.

    It may also carry `settings_model`: a `core.settings.PluginSettings` subclass with an env prefix
    of its own, holding the engine's own fields (URL, keys as `SecretStr`, region). Without one,
    the engine has no settings beyond the shared ones and `from_settings` is given None.
    """

    def from_settings(self, settings: Any, shared: SharedEngineSettings) -> Engine:
        """The engine, from an instance of its `settings_model` (or None) and the shared settings."""
        ...


@dataclass(frozen=True)
class BatchSegment:
    """One segment of a batch: the caller's id and the text as `translators.protect.mask` left it."""

    id: str
    text: str  # placeholders such as {1} must come back unchanged
    kind: str = ""  # the content kind (title, heading, paragraph, list_item, table_cell), if known
    terms: tuple[Term, ...] = ()  # glossary entries found in this segment's Chinese source


@dataclass(frozen=True)
class MemoryExample:
    """An approved translation from the memory, shown to the engine as an example."""

    source: str
    target: str


@dataclass(frozen=True)
class Batch:
    """Several segments of one notice for one language, with what the engine may know around them."""

    source: str
    target: str
    segments: tuple[BatchSegment, ...]
    title: str = ""  # the notice's title
    column: str = ""  # the website column (栏目) it is published in
    context: tuple[str, ...] = ()  # surrounding source segments, for understanding only
    examples: tuple[MemoryExample, ...] = ()  # a few close translation-memory matches

    def __post_init__(self) -> None:
        """Every id given, none twice."""
        ids = [segment.id for segment in self.segments]
        if any(not i for i in ids):
            raise ValueError("every segment of a batch needs an id")
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"segment ids given more than once in a batch: {', '.join(repeated)}")

    @property
    def ids(self) -> tuple[str, ...]:
        """The segments' ids, in order."""
        return tuple(segment.id for segment in self.segments)

    @property
    def terms(self) -> tuple[Term, ...]:
        """The glossary entries of all segments, each once, in order of first occurrence."""
        return tuple(dict.fromkeys(t for segment in self.segments for t in segment.terms))


@dataclass(frozen=True)
class Usage:
    """What a batch cost: tokens as the provider counted them, and HTTP requests sent."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0

    def __add__(self, other: Usage) -> Usage:
        """Both together."""
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.requests + other.requests,
        )

    def __sub__(self, other: Usage) -> Usage:
        """What is left of this once `other` is taken out."""
        return Usage(
            self.prompt_tokens - other.prompt_tokens,
            self.completion_tokens - other.completion_tokens,
            self.requests - other.requests,
        )


@dataclass(frozen=True)
class BatchResult:
    """Each id of a batch is either translated (`texts`) or failed, with the reason (`failed`)."""

    texts: Mapping[str, str]  # id -> translation, placeholders as they were sent
    failed: Mapping[str, EngineError] = field(default_factory=dict)  # id -> why it has none
    usage: Usage = Usage()

    def __post_init__(self) -> None:
        """No id both translated and failed."""
        both = sorted(set(self.texts) & set(self.failed))
        if both:
            raise ValueError(f"ids both translated and failed: {', '.join(both)}")

    @property
    def complete(self) -> bool:
        """Whether no segment failed (with `unanswered` empty: every id has its translation)."""
        return not self.failed

    def unanswered(self, batch: Batch) -> list[str]:
        """Ids of `batch` this result says nothing about (always empty for a result kept to contract)."""
        return [i for i in batch.ids if i not in self.texts and i not in self.failed]


@runtime_checkable
class TranslatesBatches(Protocol):
    """An engine that translates many segments in one request, with the notice around them (LLMs).

    It is an `Engine` as well: `translate` is a batch of one without retries, so the chain can use
    it like any other engine.
    """

    def translate_batch(
        self,
        batch: Batch,
        *,
        throttle: Throttle | None = None,
        attempts: int = 3,
        progress: BatchProgress | None = None,
    ) -> BatchResult:
        """Translate every segment or say why not, id by id; raise only for a pair it cannot do.

        `throttle` is called with the engine id before every request; a transient failure (429,
        5xx, timeout) is tried at most `attempts` times. Never a result that leaves an id out.
        `progress` hears after each request which ids it translated and what it cost, so a caller
        can keep answers that were paid for before the whole batch is done.
        """
        ...
