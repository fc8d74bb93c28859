"""Flow: one run per notice version, from segmentation to drafts awaiting review."""

from __future__ import annotations

from prefect import flow, task

from core.settings import get_settings
from flows.naming import notice_run_name
from flows.wiring import ai_reader, ai_reader_throttle, engine_chain
from pipeline.ai_review import review_language
from pipeline.drafting import draft_language, prepare_version, settle_version
from store.db import transaction
from store.models import NoticeVersion


@task(name="segment")
def segment(version_id: int) -> list[str]:
    """Split the Chinese source into segments once; the languages still to draft."""
    with transaction(get_settings().resolved_database_url) as session:
        return prepare_version(session, version_id)


@task(name="draft-language", task_run_name="draft-{language}")
def draft(version_id: int, language: str) -> dict[str, object]:
    """Fill one language from memory and the engine chain."""
    result = draft_language(
        get_settings().resolved_database_url, version_id, language, engine_chain()
    )
    return {
        "language": result.language,
        "origins": result.origins,
        "needs_translation": result.needs_translation,
    }


@task(name="ai-review", task_run_name="ai-review-{language}")
def ai_review(version_id: int, language: str) -> str:
    """The AI second reader on one drafted language (WAIWEN_AI_REVIEW); never fails the flow."""
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


@flow(name="draft-notice", flow_run_name=notice_run_name, log_prints=True)
def draft_notice(version_id: int) -> dict[str, object]:
    """Segment a notice version and draft every target language, in parallel across languages."""
    languages = segment(version_id)
    futures = [draft.submit(version_id, language) for language in languages]
    drafts = [future.result() for future in futures]
    # Settling is one small conditional update: a plain call, not a task run of its own
    # (every task run costs the 2-core machine CPU on both client and server).
    with transaction(get_settings().resolved_database_url) as session:
        state = settle_version(session, version_id)
    if get_settings().ai_review:
        # After settling, so the drafts are in review while the reader reads; it blocks nothing.
        for said in [ai_review.submit(version_id, str(d["language"])) for d in drafts]:
            print(said.result())
    summary = "; ".join(
        f"{d['language']} {d['origins']}, {d['needs_translation']} need translation" for d in drafts
    )
    print(f"{state}: {summary}")
    return {"version_id": version_id, "state": state, "languages": drafts}
