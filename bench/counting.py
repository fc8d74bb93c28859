"""Benchmark: counting throughput (MB/s) on mixed-script text, against a bare pass over the same text.

Run from the repository root:  .venv/bin/python -m bench.counting [--megabytes 10]
The corpus is deterministic: Chinese, English, Japanese, French and Korean paragraphs with numbers,
URLs, full-width punctuation and Markdown (headings, emphasis, links, tables, lists). Measured in
one run, median of 3:

- the baseline: a bare pass that splits on whitespace and counts non-space characters;
- `measure(text, markdown=False)` and `measure(text, markdown=True)` over the whole corpus;
- `measure` document by document (about 5 KB each), as the pipeline counts notices.

Figures go into bench/RESULTS.md, section "Counting".
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from bench.results import publish
from content.counting import measure

PARAGRAPHS = (
    "## 会议概况\n\n3月3日，市政府外办召开2025年领事工作通报会，各国驻沪领事机构代表约120人出席。",
    "详见[通知全文](https://wsb.sh.gov.cn/notice/{n}.html)，或致电021-{n:04d}2161咨询。",
    "The Office issued **{n}** visas in 2024, up 12.5% to 2,154,000 in total (see https://example.org/{n}).",
    "- 領事認証は{n}件、前年比１２％増。\n- 申請はオンラインで受け付けます。",
    "L'Office des affaires étrangères publie le {n}e avis : « Les demandes sont ouvertes. »",
    "서울 시청 외사과는 {n}번째 안내문을 발표했습니다. 신청은 온라인으로 가능합니다.",
    "| 事项 | 数量 |\n|---|---|\n| 领事认证 | {n}份 |\n| 邀请函 | 3200件 |",
    "> 注意：请携带护照原件和复印件（A4纸），并提前预约。",
)


def corpus(megabytes: float) -> str:
    """Deterministic mixed text of about ``megabytes`` MB in UTF-8."""
    rng = random.Random(2020)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    n = 0
    while size < target:
        paragraph = rng.choice(PARAGRAPHS).format(n=n)
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        n += 1
    return "\n\n".join(parts)


def bare_pass(text: str) -> object:
    """The baseline: what any counter must at least do."""
    return len(text.split()), sum(1 for ch in text if not ch.isspace())


def median_seconds(call: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def documents(text: str, size: int = 5_000) -> list[str]:
    """The corpus cut at paragraph ends into documents of about ``size`` characters."""
    docs, current, length = [], [], 0
    for paragraph in text.split("\n\n"):
        current.append(paragraph)
        length += len(paragraph)
        if length >= size:
            docs.append("\n\n".join(current))
            current, length = [], 0
    if current:
        docs.append("\n\n".join(current))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=10.0)
    args = parser.parse_args()
    text = corpus(args.megabytes)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    docs = documents(text)
    base = median_seconds(lambda: bare_pass(text))
    plain = median_seconds(lambda: measure(text, markdown=False))
    markdown = median_seconds(lambda: measure(text, markdown=True))
    per_doc = median_seconds(lambda: [measure(doc) for doc in docs])

    def line(name: str, seconds: float) -> tuple[str, str]:
        return (
            name,
            f"{megabytes / seconds:.1f} MB/s ({seconds:.2f} s; {seconds / base:.1f}x the baseline)",
        )

    rows = [
        (
            "corpus",
            f"{megabytes:.1f} MB of UTF-8, {len(text):,} characters, {len(docs):,} documents",
        ),
        (
            "baseline: split on whitespace + count non-space characters",
            f"{megabytes / base:.1f} MB/s ({base:.2f} s)",
        ),
        line("measure, plain text", plain),
        line("measure, Markdown (markup removed first)", markdown),
        line("measure, Markdown, document by document", per_doc),
    ]
    command = "python -m bench.counting" + (
        f" --megabytes {args.megabytes:g}" if args.megabytes != 10 else ""
    )
    publish("Counting", command, rows)


if __name__ == "__main__":
    main()
