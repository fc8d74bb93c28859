"""Reading the second reader's answer strictly: known ids, categories and severities, excerpts found.

A fault of the whole answer (not JSON, no "findings" list) refuses it, to be asked again once. A
fault of one entry (an id not asked for, a category or severity outside the lists, a field that is
not text) drops that entry alone, counted by reason: the reader's other findings still stand.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from translators.checks.base import Span
from translators.llm.review_prompt import CATEGORIES, MODEL_SEVERITIES

__all__ = ["ReadFinding", "ReviewReply", "locate", "read_reply"]

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_TEXT_FIELDS = ("source_excerpt", "target_excerpt", "explanation")


@dataclass(frozen=True)
class ReadFinding:
    """One finding as the model gave it, for the segment sent under `wire_id`."""

    wire_id: str
    category: str
    severity: str  # the model's: minor | major
    explanation: str
    source_excerpt: str
    target_excerpt: str


@dataclass(frozen=True)
class ReviewReply:
    """The usable findings of an answer, what was dropped and why, or what is wrong with it all."""

    findings: tuple[ReadFinding, ...] = ()
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> entries dropped for it
    general: str = ""  # the whole answer refused: not JSON, no findings list


def read_reply(content: str | None, wire_ids: Mapping[str, object]) -> ReviewReply:
    """The answer to a request whose segments went out under `wire_ids`."""
    if content is None or not content.strip():
        return ReviewReply(general="the answer was empty")
    fenced = _FENCE.match(content)
    try:
        data = json.loads(fenced.group(1) if fenced else content)
    except json.JSONDecodeError as exc:
        return ReviewReply(
            general=f"the answer is not valid JSON ({exc.msg} at character {exc.pos})"
        )
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        return ReviewReply(general='the answer has no "findings" list')
    found: list[ReadFinding] = []
    dropped: Counter[str] = Counter()
    for entry in data["findings"]:
        reason = _entry_problem(entry, wire_ids)
        if reason:
            dropped[reason] += 1
            continue
        assert isinstance(entry, dict)  # _entry_problem refuses anything else
        found.append(
            ReadFinding(
                wire_id=entry["id"],
                category=entry["category"],
                severity=entry["severity"],
                explanation=" ".join(entry["explanation"].split()),
                source_excerpt=entry["source_excerpt"],
                target_excerpt=entry["target_excerpt"],
            )
        )
    return ReviewReply(tuple(found), dropped)


def _entry_problem(entry: object, wire_ids: Mapping[str, object]) -> str:
    if not isinstance(entry, dict):
        return "not an object"
    if entry.get("id") not in wire_ids:
        return "unknown id"
    if entry.get("category") not in CATEGORIES:
        return "unknown category"
    if entry.get("severity") not in MODEL_SEVERITIES:
        return "unknown severity"
    if not all(isinstance(entry.get(name, ""), str) for name in _TEXT_FIELDS):
        return "a field that is not text"
    for name in _TEXT_FIELDS:
        entry.setdefault(name, "")
    if not entry["explanation"].strip():
        return "no explanation"
    return ""


def locate(text: str, excerpt: str) -> Span | None:
    """Where `excerpt` stands in `text`, by exact search (its first place); None when not there."""
    if not excerpt:
        return None
    start = text.find(excerpt)
    return None if start < 0 else (start, start + len(excerpt))
