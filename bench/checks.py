"""Benchmark: the quality checks over 10,000 segment pairs (pairs per second).

Run from the repository root:  .venv/bin/python -m bench.checks [--pairs 10000]
Pairs are seeded: Chinese sentences with numbers (with 万), dates, links, e-mail addresses, phone
numbers and glossary terms, and translations in en, ja, fr and ko made by the test stand-in's
value-keeping pseudo-translation, some of them broken on purpose (a digit changed, a link dropped).
Measured in the same run:

- the baseline: a bare pass that only tokenises both sides (`str.split` and a character scan);
- every check (`run_checks`) on every pair, with the office's starter glossary.

Then the checks are judged on the office corpus (tests/checks_corpus: real office Chinese, each
segment with a correct translation and one with one error of a named class, in en, ja, fr, ko):
correct translations given an error-level finding (false alarms; goal at most 1%) and bad ones
flagged at error level (goal at least 95%), per language, per error class (the correct
translations of a class are those of the segments whose bad variant has it) and per check. The
peer baseline in the same run: translate-toolkit's pofilter checks numbers, urls, emails and
unchanged on the same pairs (install it with the `bench` extra: pip install -e '.[bench]').

Figures go into bench/RESULTS.md, sections "Quality checks" and "Quality checks on the office
corpus".
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable

from bench.results import publish
from core.targets import target_languages
from tests.standins.libretranslate import pseudo_translate
from translators.checks import CheckContext, run_checks
from translators.glossary import Glossary
from translators.protect import mask, unmask

SEED = 2020
LANGUAGES = target_languages()  # a benchmark runs as a script: read when it starts
OPENINGS = ("市政府外办", "各区外办", "本市", "有关处室", "申请人")
MIDDLES = (
    "召开领事工作通报会",
    "办理领事认证",
    "接待友好城市代表团",
    "发布新闻发布会通知",
    "受理外国人来华邀请",
)


def pair(rng: random.Random) -> tuple[str, str, str]:
    """(source, language, target), about one in five with an error."""
    parts = [rng.choice(OPENINGS)]
    if rng.random() < 0.5:
        parts.append(f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
    parts.append(rng.choice(MIDDLES))
    if rng.random() < 0.5:
        parts.append(f"，共{rng.randint(1, 999)}.{rng.randint(1, 9)}万份")
    if rng.random() < 0.3:
        parts.append("，详见[通知](https://wsb.sh.gov.cn/n/" + str(rng.randint(1, 99)) + ")")
    if rng.random() < 0.2:
        parts.append("，咨询电话021-6321 " + str(rng.randint(1000, 9999)))
    source = "".join(parts) + "。"
    language = rng.choice(LANGUAGES)
    masked = mask(source, language, Glossary.starter())
    target = unmask(pseudo_translate(masked.text, language), masked)
    if rng.random() < 0.2:
        digits = [i for i, ch in enumerate(target) if ch.isdigit()]
        if digits:
            at = rng.choice(digits)
            target = target[:at] + str((int(target[at]) + 1) % 10) + target[at + 1 :]
    return source, language, target


def error_findings(source: str, target: str, context: CheckContext) -> list[str]:
    """The ids of the checks that give ``target`` an error-level finding."""
    return [f.check_id for f in run_checks(source, target, context) if f.severity == "error"]


PEER_CHECKS = ("numbers", "urls", "emails", "unchanged")


def peer_flags() -> Callable[[str, str], bool]:
    """pofilter's checks as one test: True when any of PEER_CHECKS fails the pair."""
    try:
        from translate.filters import checks as pofilter
    except ImportError:
        raise SystemExit(
            "translate-toolkit is not installed: it is this benchmark's peer baseline "
            "(pip install -e '.[bench]')"
        ) from None
    checker = pofilter.StandardChecker()

    def flags(source: str, target: str) -> bool:
        for name in PEER_CHECKS:
            try:
                getattr(checker, name)(source, target)
            except pofilter.FilterFailure:
                return True
        return False

    return flags


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "none"


def judge_corpus() -> None:
    """Score the checks and pofilter on the office corpus; publish the figures."""
    from tests.checks_corpus import corpus

    glossary = Glossary.starter()
    flags = peer_flags()
    rows: list[tuple[str, str]] = []
    # error class -> [correct with an error: waiwen, pofilter; bad flagged: waiwen, pofilter; rows]
    by_class: dict[str, list[int]] = {}
    false_by_check: Counter[str] = Counter()
    examples: list[str] = []
    for language in LANGUAGES:
        context = CheckContext(language, glossary)
        pairs = corpus.rows(language)
        false_alarms = caught = peer_false = peer_caught = 0
        for row in pairs:
            alarms = error_findings(row.source, row.good, context)
            false_alarms += bool(alarms)
            false_by_check.update(set(alarms))
            if alarms and len(examples) < 12:
                examples.append(f"{language} {row.id} ({', '.join(sorted(set(alarms)))})")
            flagged = bool(error_findings(row.source, row.bad, context))
            caught += flagged
            peer_alarm = flags(row.source, row.good)
            peer_false += peer_alarm
            peer = flags(row.source, row.bad)
            peer_caught += peer
            tally = by_class.setdefault(row.error, [0, 0, 0, 0, 0])
            for at, counted in enumerate((bool(alarms), peer_alarm, flagged, peer, True)):
                tally[at] += counted
        rows += [
            (
                f"{language}: correct translations with an error (goal ≤ 1%)",
                share(false_alarms, len(pairs)),
            ),
            (
                f"{language}: bad translations flagged as errors (goal ≥ 95%)",
                share(caught, len(pairs)),
            ),
            (
                f"{language}: pofilter ({', '.join(PEER_CHECKS)}): correct flagged / bad flagged",
                f"{share(peer_false, len(pairs))} / {share(peer_caught, len(pairs))}",
            ),
        ]
    for error in corpus.ERROR_CLASSES:
        if error in by_class:
            alarm, peer_alarm, ours, theirs, whole = by_class[error]
            rows.append(
                (
                    f"class `{error}`: correct with an error / bad flagged: waiwen; pofilter",
                    f"{share(alarm, whole)} / {share(ours, whole)}; "
                    f"{share(peer_alarm, whole)} / {share(theirs, whole)}",
                )
            )
    rows.append(
        (
            "false alarms by check (correct translations, all languages)",
            ", ".join(f"{k} {v}" for k, v in sorted(false_by_check.items())) or "none",
        )
    )
    rows.append(("first false alarms (language, id, checks)", "; ".join(examples) or "none"))
    publish(
        "Quality checks on the office corpus",
        "python -m bench.checks",
        rows,
        extra=f"corpus tests/checks_corpus ({len(corpus.sources())} segments × {len(LANGUAGES)} languages), starter glossary",
    )


def main() -> None:
    """Build the pairs, time both passes, publish the figures; then judge the office corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(SEED)
    pairs = [pair(rng) for _ in range(args.pairs)]
    glossary = Glossary.starter()
    contexts = {language: CheckContext(language, glossary) for language in LANGUAGES}

    def baseline() -> int:
        return sum(
            len(s.split()) + len(t.split()) + sum(c.isdigit() for c in t) for s, _, t in pairs
        )

    findings: Counter[str] = Counter()

    def checks() -> int:
        findings.clear()
        for source, language, target in pairs:
            findings.update(f.check_id for f in run_checks(source, target, contexts[language]))
        return len(findings)

    def timed(work: object) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            work()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    bare, full = timed(baseline), timed(checks)
    publish(
        "Quality checks",
        f"python -m bench.checks --pairs {args.pairs}",
        [
            ("pairs", f"{args.pairs:,} (en, ja, fr, ko; about 1 in 5 broken on purpose)"),
            ("every check, median of runs", f"{full:.2f} s = {args.pairs / full:,.0f} pairs/s"),
            (
                "baseline: tokenising both sides",
                f"{bare * 1000:.1f} ms (the checks take {full / bare:.0f}× as long)",
            ),
            ("findings by check", ", ".join(f"{k} {v}" for k, v in sorted(findings.items()))),
        ],
    )
    judge_corpus()


if __name__ == "__main__":
    main()
