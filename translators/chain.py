"""Draft one segment: translation memory first, then each engine in order.

Only text reaches an engine: inline Markdown, URLs, e-mail addresses, phone numbers and glossary
terms are masked by placeholders first and restored in the answer (`translators.protect`). What an
engine answered is kept by the exact text sent, so no text is ever paid for twice.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.languages import SOURCE_LANGUAGE
from translators.base import Engine, Throttle
from translators.cache import OutputCache
from translators.errors import BadOutput, EngineError
from translators.glossary import Glossary
from translators.memory import TranslationMemory
from translators.protect import PlaceholderLost, mask, unmask

__all__ = [
    "Draft",
    "Request",
    "backoff_delay",
    "checked_call",
    "default_backoff",
    "draft_segment",
    "gave_up",
    "local_draft",
    "retrying_request",
]

# Sends one text to one engine, retrying transient failures as it sees fit; raises the last
# EngineError when it gives up. Drafting uses `retrying_request`; the flows use Prefect task retries.
Request = Callable[[Engine, str, str], str]

log = logging.getLogger(__name__)

_BACKOFF_BASE = 0.5
_BACKOFF_CAP = 8.0


@dataclass(frozen=True)
class Draft:
    """A proposed translation of one segment and where it came from."""

    text: str | None  # None: a person must translate it
    origin: str  # "memory" | "copy" | "glossary" | f"engine:{id}" | "none"
    note: str = ""  # why it needs translation; never holds a secret


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed try `attempt` (1-based): exponential, jittered, capped."""
    ceiling = min(_BACKOFF_CAP, _BACKOFF_BASE * 2.0 ** (max(attempt, 1) - 1))
    # "Equal jitter": at least half the ceiling so retries really back off, the
    # rest random so parallel workers hitting one server do not retry in step.
    uniform = rng.uniform if rng is not None else random.uniform
    return ceiling / 2 + uniform(0, ceiling / 2)


def default_backoff(attempt: int) -> None:
    """Sleep for `backoff_delay(attempt)` seconds."""
    time.sleep(backoff_delay(attempt))


def _has_words(text: str) -> bool:
    # Han characters are letters to str.isalpha (category Lo), as are kana and
    # Latin; digits, punctuation, dashes and spaces are not.
    return any(ch.isalpha() for ch in text)


def gave_up(exc: EngineError, attempts: int) -> EngineError:
    """The failure to report after the last try: a transient one says how often it was tried."""
    if exc.transient and attempts > 1:
        return type(exc)(exc.engine_id, f"{exc.message} (after {attempts} tries)")
    return exc


def retrying_request(
    throttle: Throttle | None = None,
    attempts: int = 3,
    backoff: Callable[[int], None] | None = None,
) -> Request:
    """A `Request` that retries transient failures in-process with jittered exponential backoff."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    wait = backoff or default_backoff

    def request(engine: Engine, text: str, target: str) -> str:
        for attempt in range(1, attempts + 1):
            if throttle is not None:
                throttle(engine.id)
            try:
                return checked_call(engine, text, target)
            except EngineError as exc:
                if not exc.transient or attempt == attempts:
                    raise gave_up(exc, attempts) from None
            wait(attempt)
        raise AssertionError("unreachable: attempts >= 1 and every try returns or raises")

    return request


def local_draft(
    text: str, target: str, *, memory: TranslationMemory, glossary: Glossary | None = None
) -> Draft | None:
    """The draft needing no engine (memory, a copy, glossary terms only), or None: an engine must."""
    remembered = memory.exact(text, target)
    if remembered is not None:
        return Draft(remembered, "memory")
    if not _has_words(text):
        return Draft(text, "copy")  # "2025", "——": nothing to translate
    masked = mask(text, target, glossary)
    if not _has_words(masked.text):
        # Only glossary terms and kept items (a table cell "领事认证", an HTML tag): nothing to send.
        origin = "glossary" if "term" in masked.roles else "copy"
        return Draft(unmask(masked.text, masked), origin)
    return None


def draft_segment(
    text: str,
    target: str,
    *,
    memory: TranslationMemory,
    engines: Sequence[Engine],
    throttle: Throttle | None = None,
    attempts: int = 3,
    backoff: Callable[[int], None] | None = None,
    glossary: Glossary | None = None,
    cache: OutputCache | None = None,
    request: Request | None = None,
) -> Draft:
    """Draft `text` (Chinese) in `target`: memory, then copy, then engines in order."""
    send = request or retrying_request(throttle, attempts, backoff)
    local = local_draft(text, target, memory=memory, glossary=glossary)
    if local is not None:
        return local
    masked = mask(text, target, glossary)
    failures: list[str] = []
    tried = 0
    for engine in engines:
        if not engine.supports(SOURCE_LANGUAGE, target):
            continue
        tried += 1
        output = cache.get(engine.id, target, masked.text) if cache is not None else None
        note = "from the engine cache" if output is not None else ""
        if output is None:
            try:
                output = send(engine, masked.text, target)
            except EngineError as exc:
                failures.append(str(exc))
                continue
            if cache is not None:
                # Kept before anything else can fail: a crash after this point costs no new request.
                cache.put(engine.id, target, masked.text, output)
        try:
            return Draft(unmask(output, masked), f"engine:{engine.id}", note)
        except PlaceholderLost as exc:
            failures.append(f"{engine.id}: {exc}")

    if tried == 0:
        note = (
            f"no engine supports {SOURCE_LANGUAGE}→{target}"
            if engines
            else "no translation engine configured"
        )
    else:
        note = "; ".join(failures) + ("; no other engine" if tried == 1 else "")
    return Draft(None, "none", note)


def checked_call(engine: Engine, text: str, target: str) -> str:
    """One request to one engine; anything but a usable text becomes an `EngineError`."""
    try:
        output = engine.translate(text, SOURCE_LANGUAGE, target)
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 - a plug-in engine broke its contract
        # Only the type is logged: the message of a foreign exception may hold a key.
        log.warning("engine %s raised %s instead of an EngineError", engine.id, type(exc).__name__)
        raise EngineError(engine.id, f"unexpected {type(exc).__name__}") from None
    # Plug-in engines may not check their output; an empty draft is no draft.
    if not isinstance(output, str) or not output.strip():
        raise BadOutput(engine.id, "empty translation")
    return output
