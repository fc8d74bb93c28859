"""Reading a model's answer: the JSON asked for, each id once, placeholders kept, the right script.

Any fault in the ids (one missing, one extra, one twice, no list at all) distrusts the whole answer:
a model that merged two segments into one entry leaves an id out, and the entry next to it then
holds two translations. A fault in one entry's text (empty, the Chinese back, a placeholder lost,
the wrong script) refuses that entry alone. Entries in another order are taken by their id.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.languages import language
from translators.checks.scripts import HAN, HANGUL, KANA, LATIN, reads_as_japanese
from translators.errors import BadOutput
from translators.output import checked_output

__all__ = ["ReplyCheck", "check_reply", "placeholder_problem", "script_problem"]

# The placeholders of translators.protect, as tolerantly as its restore reads them.
_PLACEHOLDER = re.compile(r"[{｛]\s*(\d+)\s*[}｝]")
# Some servers wrap JSON in a Markdown code fence even in JSON mode.
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


@dataclass(frozen=True)
class ReplyCheck:
    """The entries of an answer that may be used, and what is wrong with the others."""

    texts: dict[str, str] = field(default_factory=dict)  # wire id -> translation
    problems: dict[str, str] = field(default_factory=dict)  # wire id -> what is wrong
    general: str = ""  # a fault of the whole answer (not JSON, ids wrong): every entry refused

    def problem(self, wire_id: str) -> str:
        """What is wrong with one entry: its own fault, or the whole answer's."""
        own = self.problems.get(wire_id, "")
        return self.general or own


def _entries(content: str | None) -> list[object] | str:
    """The list under "translations", or what is wrong with the answer."""
    if content is None or not content.strip():
        return "the answer was empty"
    fenced = _FENCE.match(content)
    try:
        data = json.loads(fenced.group(1) if fenced else content)
    except json.JSONDecodeError as exc:
        return f"the answer is not valid JSON ({exc.msg} at character {exc.pos})"
    if not isinstance(data, dict) or not isinstance(data.get("translations"), list):
        return 'the answer has no "translations" list'
    entries: list[object] = data["translations"]
    return entries


def check_reply(content: str | None, sent: Mapping[str, str], target: str) -> ReplyCheck:
    """Check an answer to the segments `sent` (wire id -> text sent) for language `target`."""
    entries = _entries(content)
    if isinstance(entries, str):
        return ReplyCheck(problems=dict.fromkeys(sent, "no usable answer"), general=entries)
    answered: dict[str, object] = {}
    counts: Counter[str] = Counter()
    shapeless = 0
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            shapeless += 1
            continue
        counts[entry["id"]] += 1
        answered[entry["id"]] = entry.get("text")
    missing = [i for i in sent if i not in counts]
    extra = [i for i in counts if i not in sent]
    twice = [i for i, n in counts.items() if n > 1 and i in sent]
    # Counted, not named: a repair request numbers its segments afresh.
    faults = [
        f"{len(found)} {what}"
        for found, what in (
            (missing, "ids missing"),
            (extra, "ids not asked for"),
            (twice, "ids given more than once"),
            (range(shapeless), "entries without an id"),
        )
        if found
    ]
    if faults:
        return ReplyCheck(
            problems=dict.fromkeys(sent, "no usable answer"), general="; ".join(faults)
        )
    texts: dict[str, str] = {}
    problems: dict[str, str] = {}
    for wire_id, text in sent.items():
        problem = _text_problem(answered[wire_id], text, target)
        if problem is None:
            texts[wire_id] = str(answered[wire_id])
        else:
            problems[wire_id] = problem
    return ReplyCheck(texts, problems)


def _text_problem(answer: object, text: str, target: str) -> str | None:
    try:
        checked_output("", answer, text, target)
    except BadOutput as exc:
        return exc.message
    assert isinstance(answer, str)  # checked_output refuses anything else
    return placeholder_problem(text, answer) or script_problem(answer, target)


def placeholder_problem(sent: str, answer: str) -> str | None:
    """What the answer did to the placeholders of the text sent: lost, repeated or invented ones."""
    expected = Counter(_PLACEHOLDER.findall(sent))
    found = Counter(_PLACEHOLDER.findall(answer))
    if found == expected:
        return None
    problems = []
    lost = sorted(set(expected) - set(found), key=int)
    repeated = sorted(
        (n for n in found if found[n] > expected.get(n, 0) and n in expected), key=int
    )
    invented = sorted(set(found) - set(expected), key=int)
    if lost:
        problems.append("lost " + ", ".join(f"{{{n}}}" for n in lost))
    if repeated:
        problems.append("repeated " + ", ".join(f"{{{n}}}" for n in repeated))
    if invented:
        problems.append("invented " + ", ".join(f"{{{n}}}" for n in invented))
    return "placeholders " + "; ".join(problems)


def script_problem(answer: str, target: str) -> str | None:
    """Whether the answer is plainly in another script than `target` writes (still Chinese, say).

    Cheap on purpose: it tells scripts apart, not languages (French for English passes; the
    quality checks' language identification sees that later).
    """
    han, kana = len(HAN.findall(answer)), len(KANA.findall(answer))
    hangul, latin = len(HANGUL.findall(answer)), len(LATIN.findall(answer))
    script = language(target).script
    name = language(target).english_name
    if script == "Latn" and han + kana + hangul > latin:
        most = max(("Han", han), ("kana", kana), ("Hangul", hangul), key=lambda pair: pair[1])[0]
        return f"not in {name}: mostly {most} characters"
    if script == "Kore" and han + kana > hangul:
        return f"not in {name}: more Han or kana than Hangul"
    if script == "Jpan":
        if hangul > han + kana:
            return f"not in {name}: mostly Hangul"
        if han and not kana and not reads_as_japanese(answer):
            return f"not in {name}: Chinese characters Japanese does not write, and no kana"
    letters = sum(ch.isalpha() for ch in answer)
    if script not in ("Latn", "Kore", "Jpan", "Hans") and han * 2 > letters:
        return f"not in {name}: mostly Han characters"
    return None
