"""Do whatever is due once: draft queued versions, then publish approved languages."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from prefect import flow
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

from core.settings import Settings, get_settings
from flows.drafting import draft_batch, draft_notice
from flows.heap import freeze_long_lived
from flows.publishing import publish_batch, publish_notice
from flows.starts import one_after_another
from flows.throttle import release_engines
from flows.wiring import ensure_rate_limits, with_channel_secrets
from pipeline.broadcasts import broadcasting, send_due
from pipeline.drafting import versions_to_draft
from pipeline.publishing import versions_to_publish
from store.db import transaction


@dataclass
class RunSummary:
    """What one pass did, for the command's last lines."""

    drafted: list[int] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def run_due(say: Callable[[str], None] = print) -> RunSummary:
    """One pass: due versions are drafted, several at once, then published, one after another;
    each in a flow run of its own, or in batch flow runs when more than WAIWEN_BATCH_THRESHOLD
    are due."""
    settings = get_settings()
    if settings.flow_heartbeats:
        return _run_due(say)
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return _run_due(say)


def draft_batches(version_ids: list[int], size: int, concurrency: int) -> list[list[int]]:
    """Split due versions (most urgent first) into batches of at most ``size`` for ``concurrency``
    batch runs at once: a few due make ``concurrency`` small batches, and every wave of batches
    starts on the most urgent versions left (version k of a wave goes to batch k mod concurrency)."""
    concurrency = max(1, concurrency)
    size = max(1, min(size, -(-len(version_ids) // concurrency)))
    batches: list[list[int]] = []
    for start in range(0, len(version_ids), size * concurrency):
        wave = version_ids[start : start + size * concurrency]
        batches += [wave[k::concurrency] for k in range(concurrency) if wave[k::concurrency]]
    return batches


def _run_due(say: Callable[[str], None]) -> RunSummary:
    settings = get_settings()
    ensure_rate_limits(settings)
    summary = RunSummary()
    with transaction(settings.resolved_database_url) as session:
        to_draft = versions_to_draft(session)
    if to_draft:
        say(f"drafting {len(to_draft)} notice version(s) ...")
        freeze_long_lived()  # before the first request, not amid them (flows/heap.py)
    if len(to_draft) > settings.batch_threshold:
        _draft_in_batches(settings, to_draft, summary, say)
    else:
        _draft_one_run_each(settings, to_draft, summary, say)
    release_engines()  # the next run, or another worker, need not wait for this one's slots
    to_publish = versions_to_publish(settings.resolved_database_url)
    if to_publish:
        say(f"publishing {len(to_publish)} notice version(s) ...")
    if len(to_publish) > settings.batch_threshold:
        _publish_in_batches(settings, to_publish, summary, say)
    else:
        _publish_one_run_each(to_publish, summary, say)
    _broadcast(settings, summary, say)
    return summary


def _publish_one_run_each(
    to_publish: list[int], summary: RunSummary, say: Callable[[str], None]
) -> None:
    for index, version_id in enumerate(to_publish, start=1):
        try:
            done_languages = publish_notice(version_id)
            summary.published.append(version_id)
            languages = ", ".join(str(item["language"]) for item in done_languages)
            say(f"  [{index}/{len(to_publish)}] version {version_id}: published {languages}")
        except Exception as error:
            summary.failed.append((version_id, str(error)))
            say(f"  [{index}/{len(to_publish)}] version {version_id}: FAILED: {error}")


def _publish_in_batches(
    settings: Settings, to_publish: list[int], summary: RunSummary, say: Callable[[str], None]
) -> None:
    # One batch at a time, one version after another, in the order publishing has always had.
    batches = draft_batches(to_publish, settings.batch_size, 1)
    say(f"  in {len(batches)} batch run(s) of at most {max(map(len, batches))}")
    done = 0
    for batch in batches:
        try:
            result = publish_batch(batch)
        except Exception as error:  # the batch run itself failed: none of it is known published
            result = {
                "published": [],
                "failed": [{"version_id": v, "error": str(error)} for v in batch],
            }
        for item in result["published"]:
            done += 1
            summary.published.append(int(str(item["version_id"])))
            languages = ", ".join(str(d["language"]) for d in item["languages"])  # type: ignore[attr-defined]
            say(f"  [{done}/{len(to_publish)}] version {item['version_id']}: published {languages}")
        for item in result["failed"]:
            done += 1
            summary.failed.append((int(str(item["version_id"])), str(item["error"])))
            say(
                f"  [{done}/{len(to_publish)}] version {item['version_id']}: FAILED: {item['error']}"
            )


def _draft_one_run_each(
    settings: Settings, to_draft: list[int], summary: RunSummary, say: Callable[[str], None]
) -> None:
    start_notice = one_after_another(draft_notice)
    with ThreadPoolExecutor(max_workers=max(1, settings.dispatch_concurrency)) as pool:
        # Each thread gets a copy of this context so Prefect's settings (heartbeats) carry over.
        futures = {
            pool.submit(contextvars.copy_context().run, start_notice, version_id): version_id
            for version_id in to_draft
        }
        for done, future in enumerate(as_completed(futures), start=1):
            version_id = futures[future]
            try:
                result = future.result()
                summary.drafted.append(version_id)
                say(f"  [{done}/{len(to_draft)}] version {version_id}: {result['state']}")
            except Exception as error:  # one notice's failure must not stop the others
                summary.failed.append((version_id, str(error)))
                say(f"  [{done}/{len(to_draft)}] version {version_id}: FAILED: {error}")


def _draft_in_batches(
    settings: Settings, to_draft: list[int], summary: RunSummary, say: Callable[[str], None]
) -> None:
    concurrency = max(1, settings.dispatch_concurrency)
    batches = draft_batches(to_draft, settings.batch_size, concurrency)
    say(f"  in {len(batches)} batch run(s) of at most {max(map(len, batches))}")
    done = 0
    start_batch = one_after_another(draft_batch)
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = {
            pool.submit(contextvars.copy_context().run, start_batch, batch): batch
            for batch in batches
        }
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as error:  # the batch run itself failed: none of it is known drafted
                result = {
                    "drafted": [],
                    "failed": [{"version_id": v, "error": str(error)} for v in futures[future]],
                }
            for item in result["drafted"]:
                done += 1
                summary.drafted.append(int(str(item["version_id"])))
                say(f"  [{done}/{len(to_draft)}] version {item['version_id']}: {item['state']}")
            for item in result["failed"]:
                done += 1
                summary.failed.append((int(str(item["version_id"])), str(item["error"])))
                say(
                    f"  [{done}/{len(to_draft)}] version {item['version_id']}: FAILED: {item['error']}"
                )


def _broadcast(settings: Settings, summary: RunSummary, say: Callable[[str], None]) -> None:
    """The daily mass send, when it is due (WAIWEN_WECHAT_BROADCAST_AT, or a major notice)."""
    if not broadcasting(settings) or not settings.wechat_appid:
        return
    try:
        row = send_due(with_channel_secrets(settings, ("wechat",)))
    except Exception as error:  # the broadcast's failure must not hide the pass's other work
        summary.failed.append((0, f"wechat broadcast: {error}"))
        say(f"  wechat broadcast: FAILED: {error}")
        return
    if row is not None:
        waits = f"; waiting: {row.waiting}" if row.waiting else ""
        say(f"  wechat broadcast {row.id}: {row.state}{waits}")


@flow(name="sweep", log_prints=True)
def sweep() -> dict[str, object]:
    """Catch-up net for the deployments: drafts and publishes anything a nudge missed."""
    summary = run_due()
    return {"drafted": summary.drafted, "published": summary.published, "failed": summary.failed}
