"""Draft one segment: translation memory first, then each engine in order."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from translators.base import SOURCE_LANGUAGE, Engine, Throttle
from translators.errors import BadOutput, EngineError
from translators.memory import TranslationMemory

__all__ = ["Draft", "backoff_delay", "default_backoff", "draft_segment"]

log = logging.getLogger(__name__)

_BACKOFF_BASE = 0.5
_BACKOFF_CAP = 8.0


@dataclass(frozen=True)
class Draft:
    """A proposed translation of one segment and where it came from."""

    text: str | None  # None: a person must translate it
    origin: str  # "memory" | "copy" | f"engine:{id}" | "none"
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


def draft_segment(
    text: str,
    target: str,
    *,
    memory: TranslationMemory,
    engines: Sequence[Engine],
    throttle: Throttle | None = None,
    attempts: int = 3,
    backoff: Callable[[int], None] | None = None,
) -> Draft:
    """Draft `text` (Chinese) in `target`: memory, then copy, then engines in order."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    remembered = memory.exact(text, target)
    if remembered is not None:
        return Draft(remembered, "memory")
    if not _has_words(text):
        return Draft(text, "copy")  # "2025", "——": nothing to translate

    failures: list[str] = []
    tried = 0
    for engine in engines:
        if not engine.supports(SOURCE_LANGUAGE, target):
            continue
        tried += 1
        output, failure = _translate_with_retries(
            engine, text, target, throttle, attempts, backoff or default_backoff
        )
        if output is not None:
            return Draft(output, f"engine:{engine.id}")
        failures.append(failure)

    if tried == 0:
        note = (
            f"no engine supports {SOURCE_LANGUAGE}→{target}"
            if engines
            else "no translation engine configured"
        )
    else:
        note = "; ".join(failures) + ("; no other engine" if tried == 1 else "")
    return Draft(None, "none", note)


def _translate_with_retries(
    engine: Engine,
    text: str,
    target: str,
    throttle: Throttle | None,
    attempts: int,
    backoff: Callable[[int], None],
) -> tuple[str | None, str]:
    """(translation, "") on success, else (None, why) once the engine is given up."""
    for attempt in range(1, attempts + 1):
        if throttle is not None:
            throttle(engine.id)
        try:
            return _call(engine, text, target), ""
        except EngineError as exc:
            if not exc.transient:
                return None, str(exc)
            if attempt == attempts:
                return None, str(exc) + (f" (after {attempts} tries)" if attempts > 1 else "")
        backoff(attempt)
    raise AssertionError("unreachable: attempts >= 1 and every try returns or backs off")


def _call(engine: Engine, text: str, target: str) -> str:
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
