"""Benchmark: a 2,000-character major notice × 4 languages drafted by engine `openai` through the real flows.

Run from the repository root:  .venv/bin/python -m bench.llm
It starts its own Prefect server and the loopback chat-completions stand-in answering at 40 tokens/s
per request (the four languages' requests run at once), queues the notice as `waiwen queue` does and
runs the flows as `waiwen run` does. It measures, in one run, the time from queueing to the last of
the four drafts in review, the requests sent and the tokens used, and as the baseline the same
notice drafted segment by segment through the same flows by the LibreTranslate stand-in (answering
at once). The figures go into bench/RESULTS.md (section "LLM drafting").
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.results import publish
from core.targets import target_languages
from tests.standins.chat import API_KEY, MODEL, ChatStandIn
from tests.standins.libretranslate import LibreTranslateStandIn

WORK = Path(__file__).resolve().parent / ".work" / "llm"
LANGUAGES = list(target_languages())  # a benchmark runs as a script: read when it starts
TOKENS_PER_SECOND = 40.0
GOAL_SECONDS = 60.0
TARGET_CHARACTERS = 2000

_THEMES = (
    "外国人来华邀请函",
    "领事认证文书",
    "因公出国护照",
    "APEC商务旅行卡",
    "外国记者采访",
    "国际会议报批",
)


def notice_body() -> str:
    """About 2,000 characters: sections of three paragraphs, no two sentences alike (masked or not)."""
    paragraphs: list[str] = []
    number = 0
    while sum(len(p) for p in paragraphs) < TARGET_CHARACTERS:
        theme = _THEMES[number % len(_THEMES)]
        month, day = number % 12 + 1, number % 27 + 1
        sentences = [
            f"自2026年{month}月{day}日起，{theme}的受理窗口调整至第{number + 1}办公区。",
            f"第{number + 1}批申请单位须在办理前{number % 5 + 2}个工作日通过网上平台提交材料。",
            f"该窗口办理时限为{number % 7 + 3}个工作日，咨询电话为021-6232{1000 + number}转{number + 1}。",
        ]
        if number % 3 == 0:
            paragraphs.append(f"## 第{number // 3 + 1}部分 {theme}办理安排")
        paragraphs.append("".join(sentences))
        number += 1
    return "\n\n".join(paragraphs) + "\n"


def notice_file(body: str) -> bytes:
    """The notice as an editor queues it: major, four languages, the site only."""
    return f"""---
title: 关于调整外事证件办理安排的紧急通知
column: 要闻动态
category: 动态类
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


def queue_and_run(url: str, body: str) -> tuple[float, float]:
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
    source = parse_notice("bench-llm.md", notice_file(body), rules)
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


def main() -> None:
    from core.settings import Settings
    from flows.server import (
        drain_prefect_clients,
        free_port,
        start_server,
        stop_server,
        use_embedded_client_settings,
    )

    body = notice_body()
    characters = sum(1 for ch in body if not ch.isspace() and ch != "#")
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
        with ChatStandIn() as chat:
            chat.tokens_per_second = TOKENS_PER_SECOND
            url = configure(
                "openai",
                WAIWEN_ENGINES="memory,openai",
                WAIWEN_OPENAI_BASE_URL=chat.base_url,
                WAIWEN_OPENAI_MODEL=MODEL,
                WAIWEN_OPENAI_API_KEY=API_KEY,
                # Longer than a whole notice's answer takes at 40 tokens/s.
                WAIWEN_OPENAI_TIMEOUT="300",
                WAIWEN_ENGINE_RATE_LIMITS='{"openai": 10}',
            )
            print(f"engine openai: {len(body)} characters × {len(LANGUAGES)} languages ...")
            t_llm, t_llm_run = queue_and_run(url, body)
            prompt, completion, requests, missing = usage(url)
            sent = len(chat.requests)
            segments = segment_count(url)
            answers = completion_by_language(url)
            longest = max(len(r["segments"]) for r in chat.requests)
        with LibreTranslateStandIn() as libre:
            url = configure(
                "libretranslate",
                WAIWEN_ENGINES="memory,libretranslate",
                WAIWEN_LIBRETRANSLATE_URL=libre.url,
                WAIWEN_ENGINE_RATE_LIMITS='{"libretranslate": 1000}',
            )
            print("baseline: the same notice, LibreTranslate stand-in, segment by segment ...")
            t_base, t_base_run = queue_and_run(url, body)
            base_requests = len(libre.requests)
        drain_prefect_clients()
    finally:
        stop_server(server)

    rows = [
        (
            "notice × languages",
            f"{characters:,} characters without spaces and markup, "
            f"{segments} segments × {len(LANGUAGES)}, major",
        ),
        (
            "stand-in",
            f"{TOKENS_PER_SECOND:g} completion tokens/s per request, the 4 languages' requests at once",
        ),
        (
            f"queue → all four drafts in review, engine openai (goal ≤ {GOAL_SECONDS:g} s)",
            f"{t_llm:.1f} s (whole `waiwen run`, publishing zh included: {t_llm_run:.1f} s)",
        ),
        (
            "requests sent (stand-in log / stored usage)",
            f"{sent} / {requests} (at most {longest} segments in one)",
        ),
        (
            "tokens used (stored usage, all languages)",
            f"{prompt:,} prompt + {completion:,} completion = {prompt + completion:,}",
        ),
        (
            "completion tokens per language (seconds at 40 tokens/s, the floor of its request)",
            ", ".join(
                f"{language} {tokens:,} ({tokens / TOKENS_PER_SECOND:.0f} s)"
                for language, tokens in answers.items()
            ),
        ),
        ("segments left needing translation", str(missing)),
        (
            "baseline: LibreTranslate stand-in answering at once, segment by segment",
            f"{t_base:.1f} s to all four in review, {base_requests} requests "
            f"(whole run {t_base_run:.1f} s)",
        ),
    ]
    publish("LLM drafting", "python -m bench.llm", rows, "SQLite, real flows (`waiwen run`)")


if __name__ == "__main__":
    main()
