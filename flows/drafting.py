"""Flow: one run per notice version, from segmentation to drafts awaiting review."""

from __future__ import annotations

from prefect import flow, task

from core.settings import get_settings
from flows.naming import notice_run_name
from flows.wiring import engine_chain
from pipeline.drafting import draft_language, prepare_version, settle_version
from store.db import transaction


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
    summary = "; ".join(
        f"{d['language']} {d['origins']}, {d['needs_translation']} need translation" for d in drafts
    )
    print(f"{state}: {summary}")
    return {"version_id": version_id, "state": state, "languages": drafts}
