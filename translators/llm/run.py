"""One batch through the model: retry what is transient, repair once, split, then give segments up.

In that order, for each request: a transient failure (429, 5xx, timeout, refused connection) is
tried again after waiting (the server's Retry-After, at least waiwen's backoff), up to the
attempts allowed; a request the model's context cannot hold, or whose answer was cut off, is split
in halves; an answer with faults (not JSON, ids wrong, a placeholder lost, the wrong script) is
asked for once more, for the refused segments only, naming what was wrong; what is still refused is
split in halves down to single segments, and a single segment still refused is given up with the
reason. Only the segments the content filter refuses are lost to it: the request is halved until
they are alone. A failure no retry mends (a refused key, an unknown model) ends the batch, and
every segment not yet translated fails with it, without sending anything more.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from translators.base import MemoryExample, Throttle, Usage
from translators.chain import backoff_delay, gave_up
from translators.errors import BadOutput, EngineError, RateLimited
from translators.glossary import Term
from translators.llm.budget import estimate_tokens, halves, pack, segment_tokens
from translators.llm.client import (
    ChatClient,
    Completion,
    ContentFiltered,
    ContextTooLong,
    RetryAfter,
)
from translators.llm.prompt import messages, response_format
from translators.llm.reply import check_reply

__all__ = ["BatchRun", "Policy", "Progress", "Setting", "Unit", "send"]

log = logging.getLogger(__name__)

_NEIGHBOURS = 2  # segments on either side of a request sent as context when a batch is cut


# Told after every request: the units it translated (key -> text) and what it cost.
Progress = Callable[[Mapping[tuple[str, int], str], Usage], None]


@dataclass(frozen=True)
class Unit:
    """What one entry of a request carries: a segment, or one piece of a segment too long for one."""

    key: tuple[str, int]  # (segment id, piece number)
    text: str
    kind: str = ""
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Policy:
    """How hard a batch is tried: the chain's single `translate` tries once, with nothing more."""

    attempts: int = 3  # tries of one request for transient failures
    repair: bool = True  # one more request naming what was wrong with an answer
    split: bool = True  # halve a request that failed, down to single segments
    max_wait: float = 60.0  # longest Retry-After waited for; a longer one ends the batch


@dataclass(frozen=True)
class Setting:
    """What every request of a batch shares: languages, the notice around it, how to answer."""

    source: str
    target: str
    budget: int  # estimated tokens of segments one request may carry
    response_format: str = "json_schema"
    title: str = ""
    column: str = ""
    context: tuple[str, ...] = ()
    examples: tuple[MemoryExample, ...] = ()


@dataclass
class BatchRun:
    """The requests of one batch and their outcome, unit by unit."""

    client: ChatClient
    setting: Setting
    policy: Policy = Policy()
    throttle: Throttle | None = None
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random | None = None
    progress: Progress | None = None
    texts: dict[tuple[str, int], str] = field(init=False, default_factory=dict)
    failed: dict[tuple[str, int], EngineError] = field(init=False, default_factory=dict)
    usage: Usage = field(init=False, default=Usage())
    stopped: EngineError | None = field(init=False, default=None)  # what ended the batch
    _order: dict[tuple[str, int], int] = field(init=False, default_factory=dict)
    _units: list[Unit] = field(init=False, default_factory=list)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    @property
    def engine_id(self) -> str:
        """The engine the requests are made for."""
        return self.client.engine_id

    def run(self, units: Sequence[Unit]) -> None:
        """Translate every unit or record why not; afterwards each key is in `texts` or `failed`."""
        self._units = list(units)
        self._order = {unit.key: i for i, unit in enumerate(self._units)}
        groups = pack(
            self._units,
            lambda unit: segment_tokens(unit.text),
            self.setting.budget,
            lambda unit: unit.kind == "heading",
        )
        # Requests of one batch go at once, as many as the server's gate lets in (gate.py).
        gate = self.client.gate
        workers = min(len(groups), gate.concurrent if gate is not None else 1)
        if workers <= 1:
            for group in groups:
                self._job(group)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="waiwen-llm") as pool:
                for future in [pool.submit(self._job, group) for group in groups]:
                    future.result()
        left = [unit.key for unit in self._units if unit.key not in self.texts]
        assert all(key in self.failed for key in left), "a unit was neither translated nor failed"

    def _job(self, units: list[Unit], *, may_repair: bool = True, note: str = "") -> None:
        """One request for `units`; `note` says what was wrong with the answer it repairs."""
        if self.stopped is not None:
            self._fail(units, self.stopped)
            return
        try:
            wire, completion = self._request(units, note)
        except ContextTooLong as exc:
            self._split_or_fail(units, exc, may_repair=may_repair)
            return
        except ContentFiltered as exc:
            # Asking again would be refused again: halve until the refused segments are alone.
            self._split_or_fail(units, exc, may_repair=False)
            return
        except EngineError as exc:
            self.stopped = exc
            self._fail(units, exc)
            return
        if completion.finish_reason == "length":
            cut = BadOutput(
                self.engine_id, "the answer was cut off at the model's output limit (length)"
            )
            self._split_or_fail(units, cut, may_repair=may_repair)
            return
        if completion.finish_reason == "content_filter" or completion.refusal:
            # Asking again would be refused again: halve until the refused segments are alone.
            refused = BadOutput(self.engine_id, "the server's content filter refused the text")
            self._split_or_fail(units, refused, may_repair=False)
            return
        checked = check_reply(
            completion.content, {w: unit.text for w, unit in wire.items()}, self.setting.target
        )
        self._answered({wire[wire_id].key: text for wire_id, text in checked.texts.items()})
        bad = [(wire[w], checked.problem(w)) for w in wire if w not in checked.texts]
        if not bad:
            return
        log.warning(
            "%s: answer for %s refused (%s)",
            self.engine_id,
            ", ".join(_label(unit.key) for unit, _ in bad),
            checked.general or "; ".join(dict.fromkeys(problem for _, problem in bad)),
        )
        if self.policy.repair and may_repair:
            # The repair numbers its segments afresh: s0 is the first refused one.
            note = "; ".join(f"s{i}: {problem}" for i, (_, problem) in enumerate(bad))
            self._job([unit for unit, _ in bad], may_repair=False, note=note)
            return
        errors = {
            unit.key: BadOutput(self.engine_id, f"answer refused: {problem}")
            for unit, problem in bad
        }
        self._split_or_fail([unit for unit, _ in bad], errors, may_repair=False)

    def _split_or_fail(
        self,
        units: list[Unit],
        error: EngineError | Mapping[tuple[str, int], EngineError],
        *,
        may_repair: bool,
    ) -> None:
        """Halve and send each half (which may still be repaired, or not), or give a single unit up."""
        if len(units) > 1 and self.policy.split:
            for half in halves(units):
                self._job(half, may_repair=may_repair)
            return
        self._fail(units, error)

    def _fail(
        self, units: list[Unit], error: EngineError | Mapping[tuple[str, int], EngineError]
    ) -> None:
        for unit in units:
            self.failed[unit.key] = error[unit.key] if isinstance(error, Mapping) else error
        log.warning(
            "%s: gave up %s: %s",
            self.engine_id,
            ", ".join(_label(unit.key) for unit in units),
            error if not isinstance(error, Mapping) else "answers refused",
        )

    def _request(self, units: list[Unit], note: str) -> tuple[dict[str, Unit], Completion]:
        """Send one request, retrying transient failures; the wire ids and the answer."""
        wire = {f"s{i}": unit for i, unit in enumerate(units)}
        setting = self.setting
        asked = messages(
            source=setting.source,
            target=setting.target,
            segments=[(wire_id, unit.text) for wire_id, unit in wire.items()],
            title=setting.title,
            column=setting.column,
            context=self._context(units),
            terms=list(dict.fromkeys(t for unit in units for t in unit.terms)),
            examples=setting.examples,
            problems=note,
        )
        shape = response_format(setting.response_format, list(wire))
        completion = send(
            self.client,
            asked,
            shape,
            self.policy,
            throttle=self.throttle,
            sleep=self.sleep,
            rng=self.rng,
            spend=self._spend,
        )
        return wire, completion

    def _spend(self, usage: Usage) -> None:
        with self._lock:
            self.usage += usage
            if self.progress is not None:
                self.progress({}, usage)

    def _answered(self, texts: dict[tuple[str, int], str]) -> None:
        with self._lock:
            self.texts.update(texts)
            if self.progress is not None and texts:
                self.progress(texts, Usage())

    def _context(self, units: list[Unit]) -> list[str]:
        """The batch's context, and the units just outside this request when the batch was cut."""
        positions = sorted(self._order[unit.key] for unit in units)
        first, last = positions[0], positions[-1]
        inside = {unit.key for unit in units}
        before = [u.text for u in self._units[max(0, first - _NEIGHBOURS) : first]]
        after = [
            u.text for u in self._units[last + 1 : last + 1 + _NEIGHBOURS] if u.key not in inside
        ]
        # The context may take a quarter of the budget; the nearest segments come first.
        room = self.setting.budget // 4
        kept: list[str] = []
        for text in [*reversed(before), *after, *self.setting.context]:
            room -= estimate_tokens(text)
            if room < 0:
                break
            kept.append(text)
        return (
            [t for t in before if t in kept]
            + [t for t in self.setting.context if t in kept]
            + [t for t in after if t in kept]
        )


def _label(key: tuple[str, int]) -> str:
    segment, piece = key
    return segment if piece == 0 else f"{segment} (piece {piece + 1})"


def send(
    client: ChatClient,
    asked: Sequence[Mapping[str, str]],
    shape: Mapping[str, Any],
    policy: Policy,
    *,
    throttle: Throttle | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    spend: Callable[[Usage], None] = lambda _usage: None,
) -> Completion:
    """One request, tried again after a transient failure; `spend` hears of every request and token.

    Shared by the engine's batches and the AI second reader, so both keep one retry policy.
    """
    attempts = max(1, policy.attempts)
    for attempt in range(1, attempts + 1):
        if throttle is not None:
            throttle(client.engine_id)
        spend(Usage(requests=1))
        try:
            completion = client.complete(asked, shape)
        except EngineError as exc:
            if not exc.transient or attempt == attempts:
                raise gave_up(exc, attempt) from None
            sleep(_wait(client.engine_id, exc, attempt, policy, rng))
            continue
        spend(Usage(completion.prompt_tokens, completion.completion_tokens))
        return completion
    raise AssertionError("unreachable: attempts >= 1 and every try returns or raises")


def _wait(
    engine_id: str, exc: EngineError, attempt: int, policy: Policy, rng: random.Random | None
) -> float:
    """Seconds before the next try: the server's Retry-After, and never less than the backoff."""
    wait = backoff_delay(attempt, rng)
    asked = exc.retry_after if isinstance(exc, RetryAfter) else None
    if asked is None:
        return wait
    if asked > policy.max_wait:
        raise RateLimited(
            engine_id, f"{exc.message}, longer than the {policy.max_wait:g} s a batch waits"
        ) from None
    return max(wait, asked)
