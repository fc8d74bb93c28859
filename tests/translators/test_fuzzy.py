"""Fuzzy memory matches: scores, cutoff, order, and the length window that keeps lookups fast."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from translators.fuzzy import FuzzyIndex, Suggestion

PAIRS = [
    (
        "市政府外办召开2025年领事工作通报会。",
        "The Foreign Affairs Office held its 2025 consular briefing.",
    ),
    (
        "市政府外办召开2024年领事工作通报会。",
        "The Foreign Affairs Office held its 2024 consular briefing.",
    ),
    ("各国驻沪领事机构代表出席会议。", "Representatives of consular missions attended."),
    ("请于三月一日前提交申请。", "Please apply before March 1."),
]


def test_an_exact_match_scores_100_and_comes_first() -> None:
    index = FuzzyIndex(PAIRS)
    best, *rest = index.suggest("市政府外办召开2025年领事工作通报会。")
    assert best == Suggestion(PAIRS[0][0], PAIRS[0][1], 100.0)
    assert [s.source for s in rest] == [PAIRS[1][0]]
    assert 90 < rest[0].score < 100


def test_below_the_cutoff_nothing_is_offered() -> None:
    index = FuzzyIndex(PAIRS)
    assert index.suggest("关于举办友好城市青少年夏令营的通知") == []
    assert index.suggest("各国驻沪领事机构代表出席了座谈会。", cutoff=95) == []
    offered = index.suggest("各国驻沪领事机构代表出席了座谈会。")
    assert [s.target for s in offered] == ["Representatives of consular missions attended."]
    assert offered[0].score == round(
        fuzz.ratio("各国驻沪领事机构代表出席了座谈会。", PAIRS[2][0]), 1
    )


def test_whitespace_is_normalised() -> None:
    index = FuzzyIndex(PAIRS)
    assert index.suggest("请于三月一日前 提交申请。")[0].score > 90


def test_the_length_window_loses_no_match_at_or_above_the_cutoff() -> None:
    rng = random.Random(7)
    alphabet = "市政府外办召开年领事工作通报会各国驻沪机构代表出席议请于月日前提交申"
    sources = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 40))) for _ in range(2000)
    ]
    index = FuzzyIndex((s, s.upper()) for s in sources)
    for query in sources[:50]:
        mutated = query[: len(query) // 2] + "的" + query[len(query) // 2 :]
        found = {s.source for s in index.suggest(mutated, limit=2000)}
        expected = {s for s in set(sources) if fuzz.ratio(mutated, s) >= 75}
        assert found == expected
