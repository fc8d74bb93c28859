"""Benchmark: fuzzy lookups in a 100,000-segment translation memory (goal: p95 at most 50 ms).

Run from the repository root:  .venv/bin/python -m bench.memory [--segments 100000] [--queries 1000]
The memory is seeded Chinese sentences of 8-60 characters drawn from a vocabulary of the office's
notices; queries are half near-duplicates of stored segments (a word changed, added or dropped) and
half unrelated sentences. Measured in the same run:

- the baseline: a naive full scan, `fuzz.ratio` against every stored segment, on a sample of queries;
- `FuzzyIndex.suggest` (length window, then rapidfuzz with a score cutoff) for every query.

Figures go into bench/RESULTS.md, section "Translation memory".
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from rapidfuzz import fuzz

from bench.results import publish
from translators.fuzzy import FuzzyIndex

SEED = 2026
WORDS = [
    "市政府外办",
    "领事工作",
    "通报会",
    "各国驻沪领事机构",
    "代表",
    "出席",
    "签证",
    "护照",
    "认证",
    "办理",
    "材料",
    "报送",
    "处室",
    "友好城市",
    "代表团",
    "访问",
    "会见",
    "合作",
    "交流",
    "通知",
    "公告",
    "申请",
    "截止",
    "日期",
    "地址",
    "电话",
    "咨询",
    "网站",
    "外国人",
    "来华",
    "邀请",
    "因公出国",
    "审批",
    "备案",
    "荣誉市民",
    "新闻发布会",
    "年度",
    "工作",
    "情况",
    "本市",
    "举办",
    "活动",
    "论坛",
    "博览会",
    "青年",
    "文化",
    "经济",
    "科技",
    "教育",
    "卫生",
    "旅游",
    "投资",
    "贸易",
    "港口",
    "机场",
    "入境",
    "出境",
    "居留",
    "许可",
    "手续",
    "流程",
    "窗口",
    "预约",
]
FILLERS = ["的", "和", "与", "在", "于", "将", "已", "为", "对", "等", "及", "并"]


def sentence(rng: random.Random) -> str:
    """A seeded pseudo-notice sentence of about 8-60 characters."""
    parts: list[str] = []
    while len("".join(parts)) < rng.randint(8, 60):
        parts.append(rng.choice(WORDS))
        if rng.random() < 0.4:
            parts.append(rng.choice(FILLERS))
    return "".join(parts) + "。"


def near(rng: random.Random, text: str) -> str:
    """A near-duplicate: one word changed, inserted or dropped."""
    at = rng.randrange(max(1, len(text) - 1))
    word = rng.choice(WORDS)
    edit = rng.choice(("change", "insert", "drop"))
    if edit == "change":
        return text[:at] + word + text[at + len(word) :]
    if edit == "insert":
        return text[:at] + word + text[at:]
    return text[:at] + text[at + 2 :]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    """Build the memory, time the lookups, publish the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--baseline-queries", type=int, default=20)
    args = parser.parse_args()

    rng = random.Random(SEED)
    sources = [sentence(rng) for _ in range(args.segments)]
    started = time.perf_counter()
    index = FuzzyIndex((s, f"translation {n}") for n, s in enumerate(sources))
    build = time.perf_counter() - started
    queries = [
        near(rng, rng.choice(sources)) if n % 2 == 0 else sentence(rng) for n in range(args.queries)
    ]

    def timed(lookup: object, query: str) -> float:
        start = time.perf_counter()
        lookup(query)  # type: ignore[operator]
        return (time.perf_counter() - start) * 1000

    stored = sorted(set(sources))  # the same texts, for the naive scan
    baseline = [
        timed(lambda q: [s for s in stored if fuzz.ratio(q, s) >= 75], q)
        for q in queries[: args.baseline_queries]
    ]
    found = 0
    times = []
    for query in queries:
        start = time.perf_counter()
        found += bool(index.suggest(query))
        times.append((time.perf_counter() - start) * 1000)
    median, p95 = statistics.median(times), percentile(times, 0.95)
    naive = statistics.median(baseline)
    publish(
        "Translation memory",
        f"python -m bench.memory --segments {args.segments} --queries {args.queries}",
        [
            ("memory size", f"{len(index):,} segments (built in {build:.2f} s)"),
            ("queries", f"{args.queries:,} (half near-duplicates); {found:,} got a suggestion"),
            ("fuzzy lookup, median", f"{median:.2f} ms"),
            ("fuzzy lookup, p95 (goal ≤ 50 ms)", f"{p95:.2f} ms"),
            (
                "baseline: naive full scan, median",
                f"{naive:.1f} ms ({naive / median:.0f}× the indexed median)",
            ),
        ],
    )


if __name__ == "__main__":
    main()
