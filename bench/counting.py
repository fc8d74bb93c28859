"""Benchmark: counting throughput (MB/s) on mixed-script text, against a bare pass over the same text.

Run from the repository root:  .venv/bin/python -m bench.counting [--megabytes 10] [--repeat 5]
The corpus is deterministic (seeded): documents of about 5 KB, each mostly in one of Chinese,
English, Japanese, French or Korean, with numbers, dates, URLs, e-mail addresses, full-width and
French punctuation, other scripts quoted inline, and Markdown (headings, emphasis, code, links,
autolinks, images, tables, lists, quotes). Measured in one run, median of ``--repeat``:

- the baseline: a bare pass over the whole corpus, ``len(text.split())`` plus
  ``sum(not c.isspace() for c in text)``;
- ``measure(text, markdown=False)`` and ``measure(text, markdown=True)`` over the whole corpus;
- ``measure`` document by document (Markdown and plain), as the pipeline counts language versions.

Each figure is printed as MB/s of UTF-8 and as its time over the baseline's time.
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

SEED = 2020
DOCUMENT_BYTES = 5_000


def pool(words: str) -> tuple[str, ...]:
    """A pool of words written as one string, space-separated."""
    return tuple(words.split())


# Word and phrase pools; sentences are drawn from them with the seeded generator.
ZH = pool(
    "市政府外办 领事工作 通报会 各国驻沪领事机构 代表 出席 签证 护照 认证 办理 材料 报送 处室 "
    "外籍人士 来华 工作许可 居留 申请 受理 窗口 预约 咨询 服务 指南 政策 解读 友好城市 交流 合作 "
    "项目 国际会议 进博会 营商环境 便利化 措施 实施 公告 通知 要求 按照 规定 相关 部门 协调 落实"
)
EN = pool(
    "the Office issued visas consular officers attended briefing residence permits applications "
    "foreign nationals Shanghai municipal government sister cities exchange programme according "
    "to regulations applicants must submit their passport originals and copies appointment online "
    "service window business environment international conference delegation visited cooperation "
    "agreement signed during meeting with representatives from consulates in this year report"
)
JA = pool(
    "上海市 外事弁公室 は 領事 業務 について 説明会 を 開催 しました 申請 は オンライン で "
    "受け付けます パスポート の 原本 と コピー を ご持参 ください 予約 が 必要 です 国際 交流 "
    "友好都市 協力 プロジェクト 代表団 が 訪問 し 会議 に 出席 しました ビザ 査証 手続き 窓口"
)
FR = pool(
    "l'Office des affaires étrangères de Shanghai publie un avis les demandes sont ouvertes aux "
    "ressortissants étrangers qui doivent présenter leur passeport original et une copie sur "
    "rendez-vous la délégation a visité l'exposition internationale coopération échanges villes "
    "jumelées réunion consulaire permis de séjour à été reçu"
)
KO = pool(
    "상하이시 외사판공실은 영사 업무 설명회를 개최했습니다 신청은 온라인으로 가능합니다 여권 원본과 "
    "사본을 지참하시기 바랍니다 예약이 필요합니다 국제 교류 자매도시 협력 프로젝트 대표단이 "
    "방문하여 회의에 참석했습니다 비자 체류 허가 창구 안내 공지"
)
POOLS = {"zh": ZH, "en": EN, "ja": JA, "fr": FR, "ko": KO}
LANGUAGES = tuple(POOLS)
END = {"zh": "。", "en": ".", "ja": "。", "fr": ".", "ko": "."}
HEADINGS = {"zh": "会议概况", "en": "Overview", "ja": "概要", "fr": "Aperçu", "ko": "개요"}


def number(rng: random.Random) -> str:
    """A figure as notices write them."""
    return rng.choice(
        (
            f"{rng.randint(1, 31)}",
            f"{rng.randint(1000, 9_999_999):,}",
            f"{rng.uniform(0, 100):.1f}%",
            f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"021-{rng.randint(10_000_000, 99_999_999)}",
            "１２％",
            "5.6万",
        )
    )


def url(rng: random.Random) -> str:
    page = rng.randint(1, 99_999)
    return rng.choice(
        (
            f"https://www.shfao.gov.cn/wsb/node{page % 97}/n{page}/index.html",
            f"https://example.org/notice/{page}?lang=en&id={page * 7}",
            f"wsb{page % 10}@shfao.gov.cn",
        )
    )


def sentence(rng: random.Random, lang: str) -> str:
    """One sentence of ``lang``, with the odd figure, URL, inline markup or foreign word."""
    words = [rng.choice(POOLS[lang]) for _ in range(rng.randint(6, 20))]
    for _ in range(rng.randint(0, 2)):
        words.insert(rng.randrange(len(words)), number(rng))
    roll = rng.random()
    if roll < 0.15:
        i = rng.randrange(len(words))
        words[i] = rng.choice((f"**{words[i]}**", f"*{words[i]}*", f"`{words[i]}`"))
    elif roll < 0.25:
        i = rng.randrange(len(words))
        words[i] = f"[{words[i]}]({url(rng)})"
    elif roll < 0.30:
        words.append(rng.choice((f"<{url(rng)}>", url(rng))))
    elif roll < 0.35:
        other = rng.choice([lng for lng in LANGUAGES if lng != lang])
        words.insert(rng.randrange(len(words)), rng.choice(POOLS[other]))
    if lang in ("zh", "ja"):
        # Chinese and Japanese are written without spaces between words, with full-width commas.
        text = "".join(w if rng.random() < 0.8 else w + rng.choice("，、") for w in words)
        return text.rstrip("，、") + END[lang]
    if lang == "fr" and rng.random() < 0.3:
        return " ".join(words[:-1]) + "\u00a0: «\u00a0" + words[-1] + "\u00a0»" + END[lang]
    return " ".join(words) + END[lang]


def block(rng: random.Random, lang: str) -> str:
    """A paragraph, list, table, quote or heading."""
    roll = rng.random()
    if roll < 0.08:
        return f"{'#' * rng.randint(2, 3)} {HEADINGS[lang]} {rng.randint(1, 9)}"
    if roll < 0.18:
        marker = rng.choice(("-", "*", "1."))
        return "\n".join(f"{marker} {sentence(rng, lang)}" for _ in range(rng.randint(2, 5)))
    if roll < 0.24:
        rows = [f"| {rng.choice(ZH if lang == 'zh' else EN)} | {number(rng)} |" for _ in range(4)]
        return "\n".join(["| 事项 | 数量 |", "|---|---:|", *rows])
    if roll < 0.28:
        return "> " + sentence(rng, lang)
    if roll < 0.30:
        return f"![{HEADINGS[lang]}](images/{rng.randint(1, 999)}.png)"
    return " ".join(sentence(rng, lang) for _ in range(rng.randint(2, 6)))


def document(rng: random.Random, lang: str) -> str:
    """One ~5 KB language version: a title, then blocks until the size is reached."""
    parts = [f"# {sentence(rng, lang).rstrip('.。')}"]
    size = len(parts[0].encode("utf-8"))
    target = rng.randint(DOCUMENT_BYTES * 6 // 10, DOCUMENT_BYTES * 14 // 10)
    while size < target:
        parts.append(block(rng, lang))
        size += len(parts[-1].encode("utf-8")) + 2
    return "\n\n".join(parts)


def corpus(megabytes: float) -> list[str]:
    """Deterministic documents adding up to about ``megabytes`` MB of UTF-8."""
    rng = random.Random(SEED)
    target = int(megabytes * 1_000_000)
    docs: list[str] = []
    size = 0
    while size < target:
        docs.append(document(rng, LANGUAGES[len(docs) % len(LANGUAGES)]))
        size += len(docs[-1].encode("utf-8")) + 2
    return docs


def bare_pass(text: str) -> object:
    """The baseline: what any counter must at least do."""
    return len(text.split()), sum(not c.isspace() for c in text)


def median_seconds(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each pass (median kept)")
    args = parser.parse_args()
    docs = corpus(args.megabytes)
    text = "\n\n".join(docs)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    print(f"corpus: {megabytes:.1f} MB, {len(docs):,} documents; {args.repeat} runs each ...")
    passes = {
        "baseline": lambda: bare_pass(text),
        "plain": lambda: measure(text, markdown=False),
        "markdown": lambda: measure(text, markdown=True),
        "docs markdown": lambda: [measure(doc, markdown=True) for doc in docs],
        "docs plain": lambda: [measure(doc, markdown=False) for doc in docs],
    }
    seconds = {}
    for name, call in passes.items():
        seconds[name] = median_seconds(call, args.repeat)
        print(f"  {name}: {seconds[name]:.2f} s", flush=True)
    base = seconds["baseline"]

    def line(label: str, name: str) -> tuple[str, str]:
        took = seconds[name]
        return (
            label,
            f"{megabytes / took:.1f} MB/s ({took:.2f} s; {took / base:.1f}x the baseline's time)",
        )

    rows = [
        (
            "corpus (seed 2020)",
            f"{megabytes:.1f} MB of UTF-8, {len(text):,} characters, {len(docs):,} documents"
            f" of ~{DOCUMENT_BYTES // 1000} KB",
        ),
        (
            "baseline: len(text.split()) + sum(not c.isspace() for c in text)",
            f"{megabytes / base:.1f} MB/s ({base:.2f} s)",
        ),
        line("measure(text, markdown=False), whole corpus", "plain"),
        line("measure(text, markdown=True), whole corpus", "markdown"),
        line("measure(doc, markdown=False), document by document", "docs plain"),
        line(
            "measure(doc, markdown=True), document by document (the pipeline's way)",
            "docs markdown",
        ),
    ]
    command = "python -m bench.counting"
    if args.megabytes != 10:
        command += f" --megabytes {args.megabytes:g}"
    if args.repeat != 5:
        command += f" --repeat {args.repeat}"
    publish("Counting", command, rows, f"median of {args.repeat} runs")


if __name__ == "__main__":
    main()
