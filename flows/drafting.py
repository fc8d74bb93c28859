"""Flows: a notice version from segmentation to drafts awaiting review, one run each or in batches."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from prefect import flow, task

from core.settings import get_settings
from flows.heap import freeze_long_lived
from flows.naming import batch_run_name, notice_run_name, notice_task_name
from flows.starts import flow_started
from flows.wiring import ai_reader, ai_reader_throttle, engine_chain
from pipeline.ai_review import review_language
from pipeline.drafting import LanguageDraft, draft_language, prepare_version, settle_version
from store.db import transaction
from store.models import NoticeVersion

T = TypeVar("T")


@task(name="segment")
def segment(version_id: int) -> list[str]:
    """Split the Chinese source into segments once; the languages still to draft."""
    with transaction(get_settings().resolved_database_url) as session:
        return prepare_version(session, version_id)


def _draft_one(version_id: int, language: str) -> dict[str, object]:
    result: LanguageDraft = draft_language(
        get_settings().resolved_database_url, version_id, language, engine_chain()
    )
    return {
        "language": result.language,
        "origins": result.origins,
        "needs_translation": result.needs_translation,
    }


@task(name="draft-language", task_run_name="draft-{language}")
def draft(version_id: int, language: str) -> dict[str, object]:
    """Fill one language from memory and the engine chain."""
    return _draft_one(version_id, language)


def _read_by_ai(version_id: int, language: str) -> str:
    """The AI second reader's summary for one drafted language; never raises."""
    settings = get_settings()
    try:
        reader = ai_reader(settings)
    except ValueError as error:
        return f"AI reader unavailable: {error}"
    if reader is None:
        return "AI reader off"
    try:
        with transaction(settings.resolved_database_url) as session:
            notice_id = session.get_one(NoticeVersion, version_id).notice_id
        # Under the engine's own limits when drafting uses the same engine: one server, one quota.
        outcome = review_language(
            settings.resolved_database_url,
            str(notice_id),
            language,
            reader,
            throttle=ai_reader_throttle(settings, reader),
        )
    except Exception as error:  # the reader only advises: nothing of it may fail the drafting
        return f"AI reader unavailable: {type(error).__name__}: {error}"
    return outcome.summary()


@task(name="ai-review", task_run_name="ai-review-{language}")
def ai_review(version_id: int, language: str) -> str:
    """The AI second reader on one drafted language (WAIWEN_AI_REVIEW); never fails the flow."""
    return _read_by_ai(version_id, language)


def _settle(version_id: int) -> str:
    with transaction(get_settings().resolved_database_url) as session:
        return settle_version(session, version_id)


def _summary(state: str, drafts: list[dict[str, object]]) -> str:
    languages = "; ".join(
        f"{d['language']} {d['origins']}, {d['needs_translation']} need translation" for d in drafts
    )
    return f"{state}: {languages}"


@flow(name="draft-notice", flow_run_name=notice_run_name, log_prints=True)
def draft_notice(version_id: int) -> dict[str, object]:
    """Segment a notice version and draft every target language, in parallel across languages."""
    flow_started()
    freeze_long_lived()  # a worker's own process: before its first request (flows/heap.py)
    languages = segment(version_id)
    futures = [draft.submit(version_id, language) for language in languages]
    drafts = [future.result() for future in futures]
    # Settling is one small conditional update: a plain call, not a task run of its own
    # (every task run costs the 2-core machine CPU on both client and server).
    state = _settle(version_id)
    if get_settings().ai_review:
        # After settling, so the drafts are in review while the reader reads; it blocks nothing.
        for said in [ai_review.submit(version_id, str(d["language"])) for d in drafts]:
            print(said.result())
    print(_summary(state, drafts))
    return {"version_id": version_id, "state": state, "languages": drafts}


def _in_parallel(version_id: int, step: Callable[[int, str], T], languages: list[str]) -> list[T]:
    """``step(version_id, language)`` for every language at once, each thread in a copy of this
    context (Prefect's settings and client carry over), results in the languages' order."""
    if not languages:
        return []
    with ThreadPoolExecutor(max_workers=len(languages)) as pool:
        futures = [
            pool.submit(contextvars.copy_context().run, step, version_id, language)
            for language in languages
        ]
        return [future.result() for future in futures]


# Prefect calls a name callable with the task's parameters when it takes `parameters`; its
# protocol for that also declares a classmethod, which a plain function cannot satisfy for mypy.
@task(name="draft-version", task_run_name=notice_task_name)  # type: ignore[arg-type]
def draft_version(version_id: int) -> dict[str, object]:
    """One version of a batch, as draft-notice does it, in one task run: languages in parallel."""
    with transaction(get_settings().resolved_database_url) as session:
        languages = prepare_version(session, version_id)
    # Plain calls in threads, not a task run per language: in a batch the task run per notice is
    # what the UI shows, and every further task run costs both cores client and server time.
    drafts = _in_parallel(version_id, _draft_one, languages)
    state = _settle(version_id)
    if get_settings().ai_review:
        reviewed = [str(d["language"]) for d in drafts]
        for said in _in_parallel(version_id, _read_by_ai, reviewed):
            print(said)
    print(_summary(state, drafts))
    return {"version_id": version_id, "state": state, "languages": drafts}


@flow(name="draft-batch", flow_run_name=batch_run_name, log_prints=True)
def draft_batch(version_ids: list[int]) -> dict[str, list[dict[str, object]]]:
    """Draft several versions in one flow run, one after another, a task run per version.

    A version whose task fails is reported under "failed" and the rest of the batch still runs;
    the flow run itself completes, and the failed task run shows in the UI with its error.
    """
    flow_started()
    drafted: list[dict[str, object]] = []
    failed: list[dict[str, object]] = []
    for version_id in version_ids:
        try:
            drafted.append(draft_version(version_id))
        except Exception as error:  # one version's failure must not stop the others
            failed.append({"version_id": version_id, "error": f"{type(error).__name__}: {error}"})
            print(f"version {version_id}: FAILED: {type(error).__name__}: {error}")
    return {"drafted": drafted, "failed": failed}
