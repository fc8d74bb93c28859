"""Benchmark: a 2,000-character major notice × 4 languages drafted by engine `openai` through the real flows.

Run from the repository root:  .venv/bin/python -m bench.llm
It starts its own Prefect server and the loopback chat-completions stand-in, which answers at 40
completion tokens/s per request and 4 requests at once (a fifth waits for a place, as on a vLLM
server), counting tokens with the real Qwen tokenizer. The notice is real office text: the 2020
annual report's sentences from the quality-check corpus (tests/checks_corpus), and the stand-in
answers each with the corpus's professional translation, so answers are as long as real ones. It
queues the notice as `waiwen queue` does and runs the flows as `waiwen run` does, and measures the
time from queueing to the last of the four drafts in review, the requests sent and the tokens used,
for a few request sizes and both Qwen tokenizers; as the baseline, the same notice segment by
segment through the same flows by the LibreTranslate stand-in (answering at once). The figures go
into bench/RESULTS.md (section "LLM drafting").
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.results import publish
from core.languages import OFFICE_COLUMNS
from tests.checks_corpus.corpus import rows, sources
from tests.standins.chat import API_KEY, MODEL, ChatStandIn
from tests.standins.libretranslate import LibreTranslateStandIn

WORK = Path(__file__).resolve().parent / ".work" / "llm"
LANGUAGES = list(OFFICE_COLUMNS)  # the notice is in the office's four; the corpus has them
TOKENS_PER_SECOND = 40.0
SERVER_PLACES = 4  # requests the stand-in answers at once
GOAL_SECONDS = 60.0
TARGET_CHARACTERS = 2000
REPORT = "fao-2020-annual-report.txt"


@dataclass(frozen=True)
class Scenario:
    """One run of the engine: the tokenizer the stand-in counts with, the estimated tokens a request
    carries (WAIWEN_OPENAI_MAX_BATCH_TOKENS)."""

    tokenizer: str
    batch_tokens: int

    @property
    def label(self) -> str:
        return f"{self.tokenizer} tokenizer, requests of ≤ {self.batch_tokens} estimated tokens"


SCENARIOS = (
    Scenario("qwen3.6-27b", 3000),  # the default: one request per language
    Scenario("qwen3.6-27b", 900),
    Scenario("qwen3.6-27b", 500),
    Scenario("qwen2.5-72b-instruct", 500),
)


def notice_parts() -> tuple[str, str]:
    """Title and body: the annual report's segments in order until about 2,000 characters.

    Each corpus segment is a paragraph of its own, so that waiwen's segments are the corpus's; the
    numbered section titles are headings. The table's header row is left out.
    """
    corpus = sources()
    with (Path(__file__).resolve().parents[1] / "tests" / "checks_corpus" / "source.tsv").open(
        encoding="utf-8"
    ) as handle:
        origin = dict(line.split("\t")[:2] for line in handle.read().splitlines()[1:])
    ids = [i for i in corpus if origin[i] == REPORT]
    title = corpus[ids[0]]
    parts: list[str] = []
    characters = 0
    for segment_id in ids[2:]:
        text = corpus[segment_id]
        if characters >= TARGET_CHARACTERS:
            break
        if "字数" in text:
            continue
        if text.startswith("（"):
            parts.append(f"## {text}")
        elif text[0].isdigit() and text[1:3] == ". ":
            parts.append(f"### {text}")
        else:
            parts.append(text)
        characters += sum(1 for ch in text if not ch.isspace())
    return title, "\n\n".join(parts) + "\n"


def notice_file(title: str, body: str) -> bytes:
    """The notice as an editor queues it: major, four languages, the site only."""
    return f"""---
title: {title}
column: 政务公开
category: 概况类
classification: 公开
formed_on: 2026-12-01
urgency: major
languages: [en, ja, fr, ko]
channels: [site]
approval:
  drafter: 经办人甲
  division: 秘书处
  contact: 22161272
  division_review: 审核人乙
  disclosure_review: 审核人丙
  approver: 审批人丁
  leader: 办领导戊
  approved_on: 2026-12-01
---

{body}""".encode()


def phrasebook(url: str) -> dict[tuple[str, str], str]:
    """(text as the engine sends it, language) -> the corpus's translation, placeholders kept.

    The engine masks glossary terms as {n}; the translation gets {n} where it has the term's
    rendering (else in front), so that what the stand-in answers passes the engine's checks.
    """
    from pipeline.glossary import load_glossary
    from store.db import transaction
    from translators.protect import mask

    with transaction(url) as session:
        glossary = load_glossary(session)
    corpus = sources()
    book: dict[tuple[str, str], str] = {}
    for language in LANGUAGES:
        for row in rows(language):
            masked = mask(corpus[row.id], language, glossary)
            text = row.good
            for number, value in enumerate(masked.slots, 1):
                place = text.lower().find(value.lower())
                token = f"{{{number}}}"
                text = (
                    text[:place] + token + text[place + len(value) :]
                    if place >= 0
                    else f"{token} {text}"
                )
            book[(masked.text, language)] = text
    return book


def configure(name: str, **engines: str) -> str:
    """Fresh SQLite database and settings for one scenario; returns the database URL."""
    from core.settings import get_settings
    from store.db import reset_caches

    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ.update(
        WAIWEN_HOME=str(folder),
        WAIWEN_SITE_DIR=str(folder / "site"),
        WAIWEN_DATABASE_URL=f"sqlite:///{folder / 'waiwen.db'}",
        WAIWEN_FLOW_HEARTBEATS="true",
        **engines,
    )
    reset_caches()
    get_settings.cache_clear()
    return get_settings().resolved_database_url


def queue_and_run(url: str, title: str, body: str) -> tuple[float, float]:
    """Queue the notice as `waiwen queue` does and run the flows as `waiwen run` does.

    Returns seconds from queueing to the last draft in review, and to the end of the run (which
    also publishes the Chinese original).
    """
    from sqlalchemy import func, select

    from content.notice import IntakeRules, parse_notice
    from core.settings import get_settings
    from flows.dispatch import run_due
    from pipeline.intake import queue_sources
    from store.db import transaction
    from store.models import LanguageVersion

    rules = IntakeRules(columns=get_settings().columns)
    began = datetime.now(UTC)
    started = time.perf_counter()
    source = parse_notice("bench-llm.md", notice_file(title, body), rules)
    with transaction(url) as session:
        queue_sources(session, [source], "bench")
    summary = run_due(say=lambda _line: None)
    ran = time.perf_counter() - started
    if summary.failed:
        raise SystemExit(f"benchmark run failed: {summary.failed[:3]}")
    with transaction(url) as session:
        in_review = session.scalar(
            select(func.count(LanguageVersion.id)).where(LanguageVersion.state == "in_review")
        )
        # A language's row is last updated when drafting moves it to review.
        last = session.scalar(
            select(func.max(LanguageVersion.updated_at)).where(LanguageVersion.state == "in_review")
        )
    if in_review != len(LANGUAGES) or last is None:
        raise SystemExit(f"only {in_review} of {len(LANGUAGES)} drafts reached review")
    return (last.replace(tzinfo=UTC) - began).total_seconds(), ran


def usage(url: str) -> tuple[int, int, int, int]:
    """Prompt tokens, completion tokens, requests and segments needing translation, all languages."""
    from sqlalchemy import func, select

    from store.db import transaction
    from store.models import LanguageVersion, Translation

    with transaction(url) as session:
        prompt, completion, requests = session.execute(
            select(
                func.sum(LanguageVersion.prompt_tokens),
                func.sum(LanguageVersion.completion_tokens),
                func.sum(LanguageVersion.engine_requests),
            )
        ).one()
        missing = session.scalar(
            select(func.count(Translation.id)).where(Translation.text.is_(None))
        )
    return int(prompt or 0), int(completion or 0), int(requests or 0), int(missing or 0)


def completion_by_language(url: str) -> dict[str, int]:
    """Completion tokens each language's drafting used."""
    from sqlalchemy import select

    from store.db import transaction
    from store.models import LanguageVersion

    with transaction(url) as session:
        rows = session.execute(
            select(LanguageVersion.language, LanguageVersion.completion_tokens).where(
                LanguageVersion.language != "zh"
            )
        ).all()
    return {language: int(tokens) for language, tokens in rows}


def segment_count(url: str) -> int:
    from sqlalchemy import func, select

    from store.db import transaction
    from store.models import Segment

    with transaction(url) as session:
        return int(session.scalar(select(func.count(Segment.id))) or 0)


@dataclass(frozen=True)
class Measured:
    """One scenario's figures."""

    scenario: Scenario
    seconds: float
    run_seconds: float
    sent: int
    prompt: int
    completion: int
    requests: int
    missing: int
    misses: int
    answers: dict[str, int]
    most_segments: int


def run_openai(scenario: Scenario, title: str, body: str) -> Measured:
    """The notice through the flows with engine `openai` on a fresh database."""
    with ChatStandIn(tokenizer=scenario.tokenizer) as chat:
        chat.tokens_per_second = TOKENS_PER_SECOND
        chat.max_concurrent = SERVER_PLACES
        url = configure(
            f"openai-{scenario.tokenizer}-{scenario.batch_tokens}",
            WAIWEN_ENGINES="memory,openai",
            WAIWEN_OPENAI_BASE_URL=chat.base_url,
            WAIWEN_OPENAI_MODEL=MODEL,
            WAIWEN_OPENAI_API_KEY=API_KEY,
            WAIWEN_OPENAI_MAX_BATCH_TOKENS=str(scenario.batch_tokens),
            WAIWEN_OPENAI_CONCURRENT_REQUESTS=str(SERVER_PLACES),
            # Longer than a whole notice's answer takes at 40 tokens/s, waiting for a place included.
            WAIWEN_OPENAI_TIMEOUT="600",
            WAIWEN_ENGINE_RATE_LIMITS='{"openai": 10}',
        )
        chat.phrasebook = phrasebook(url)
        print(f"engine openai, {scenario.label} ...")
        seconds, run_seconds = queue_and_run(url, title, body)
        prompt, completion, requests, missing = usage(url)
        return Measured(
            scenario,
            seconds,
            run_seconds,
            len(chat.requests),
            prompt,
            completion,
            requests,
            missing,
            chat.phrasebook_misses,
            completion_by_language(url),
            max(len(r["segments"]) for r in chat.requests),
        )


def main() -> None:
    from core.settings import Settings
    from flows.server import (
        drain_prefect_clients,
        free_port,
        start_server,
        stop_server,
        use_embedded_client_settings,
    )

    title, body = notice_parts()
    characters = sum(1 for ch in title + body if not ch.isspace() and ch != "#")
    WORK.mkdir(parents=True, exist_ok=True)
    server, api_url = start_server(
        Settings(home=WORK / "prefect-server"),
        free_port(),
        ui=False,
        log=WORK / "prefect-server.log",
        say=print,
    )
    os.environ["PREFECT_API_URL"] = api_url
    use_embedded_client_settings(os.environ)  # as `waiwen run` does with its own server
    try:
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()
        measured = [run_openai(scenario, title, body) for scenario in SCENARIOS]
        segments = segment_count(
            configure_url(f"openai-{SCENARIOS[0].tokenizer}-{SCENARIOS[0].batch_tokens}")
        )
        with LibreTranslateStandIn() as libre:
            url = configure(
                "libretranslate",
                WAIWEN_ENGINES="memory,libretranslate",
                WAIWEN_LIBRETRANSLATE_URL=libre.url,
                WAIWEN_ENGINE_RATE_LIMITS='{"libretranslate": 1000}',
            )
            print("baseline: the same notice, LibreTranslate stand-in, segment by segment ...")
            t_base, t_base_run = queue_and_run(url, title, body)
            base_requests = len(libre.requests)
        drain_prefect_clients()
    finally:
        stop_server(server)

    rows = [
        (
            "notice × languages",
            f"{characters:,} characters without spaces and markup (2020 annual report, real office "
            f"text), {segments} segments × {len(LANGUAGES)}, major",
        ),
        (
            "stand-in",
            f"{TOKENS_PER_SECOND:g} completion tokens/s per request, {SERVER_PLACES} requests at once "
            "(more wait for a place), tokens counted by the Qwen tokenizer, answers the corpus's "
            "professional translations",
        ),
    ]
    for m in measured:
        floor = m.completion / (TOKENS_PER_SECOND * SERVER_PLACES)
        rows += [
            (
                f"{m.scenario.label}: queue → all four drafts in review (goal ≤ {GOAL_SECONDS:g} s)",
                f"**{m.seconds:.1f} s** (whole `waiwen run`, publishing zh included: "
                f"{m.run_seconds:.1f} s); the floor of these answers, all places busy: {floor:.1f} s",
            ),
            (
                f"{m.scenario.label}: requests, tokens",
                f"{m.sent} sent / {m.requests} stored (at most {m.most_segments} segments in one); "
                f"{m.prompt:,} prompt + {m.completion:,} completion tokens; per language "
                + ", ".join(f"{lang} {tokens:,}" for lang, tokens in m.answers.items())
                + f"; {m.missing} segments left needing translation; {m.misses} texts not in the "
                "phrasebook",
            ),
        ]
    rows.append(
        (
            "baseline: LibreTranslate stand-in answering at once, segment by segment",
            f"{t_base:.1f} s to all four in review, {base_requests} requests "
            f"(whole run {t_base_run:.1f} s)",
        )
    )
    publish("LLM drafting", "python -m bench.llm", rows, "SQLite, real flows (`waiwen run`)")


def configure_url(name: str) -> str:
    """The database URL of a scenario already run."""
    return f"sqlite:///{WORK / name / 'waiwen.db'}"


if __name__ == "__main__":
    main()
