"""Flows: publish a version's approved languages on their channels, each exactly once; one run
per version, or in batches."""

from __future__ import annotations

from prefect import flow, task

from core.settings import get_settings
from flows.naming import batch_run_name, notice_run_name, notice_task_name
from flows.wiring import channels
from pipeline.publishing import publish_version


def _publish(version_id: int) -> list[dict[str, object]]:
    settings = get_settings()
    done = publish_version(settings.resolved_database_url, version_id, channels(settings))
    return [{"language": d.language, "channels": d.channels, "figure": d.figure} for d in done]


def _say(done: list[dict[str, object]]) -> None:
    for item in done:
        print(f"published {item['language']}: {item['channels']} (counted {item['figure']})")


@task(name="publish-languages")
def publish(version_id: int) -> list[dict[str, object]]:
    """Send every approved language to its channels and freeze its counts."""
    return _publish(version_id)


@flow(name="publish-notice", flow_run_name=notice_run_name, log_prints=True)
def publish_notice(version_id: int) -> list[dict[str, object]]:
    """Publish whatever is approved and not yet published for this version."""
    done = publish(version_id)
    _say(done)
    return done


# A name callable taking `parameters` gets the task's parameters (see flows/drafting.py).
@task(name="publish-version", task_run_name=notice_task_name)  # type: ignore[arg-type]
def publish_one(version_id: int) -> list[dict[str, object]]:
    """One version of a publishing batch, as publish-notice does it, in one task run."""
    done = _publish(version_id)
    _say(done)
    return done


@flow(name="publish-batch", flow_run_name=batch_run_name, log_prints=True)
def publish_batch(version_ids: list[int]) -> dict[str, list[dict[str, object]]]:
    """Publish several versions in one flow run, one after another, a task run per version.

    As in draft-batch, a version whose task fails is reported under "failed" and the rest still run.
    """
    published: list[dict[str, object]] = []
    failed: list[dict[str, object]] = []
    for version_id in version_ids:
        try:
            published.append({"version_id": version_id, "languages": publish_one(version_id)})
        except Exception as error:  # one version's failure must not stop the others
            failed.append({"version_id": version_id, "error": f"{type(error).__name__}: {error}"})
            print(f"version {version_id}: FAILED: {type(error).__name__}: {error}")
    return {"published": published, "failed": failed}
