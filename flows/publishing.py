"""Flow: publish a version's approved languages on their channels, each exactly once."""

from __future__ import annotations

from prefect import flow, task

from core.settings import get_settings
from flows.naming import notice_run_name
from flows.wiring import channels
from pipeline.publishing import publish_version


@task(name="publish-languages")
def publish(version_id: int) -> list[dict[str, object]]:
    """Send every approved language to its channels and freeze its counts."""
    settings = get_settings()
    done = publish_version(settings.resolved_database_url, version_id, channels(settings))
    return [{"language": d.language, "channels": d.channels, "figure": d.figure} for d in done]


@flow(name="publish-notice", flow_run_name=notice_run_name, log_prints=True)
def publish_notice(version_id: int) -> list[dict[str, object]]:
    """Publish whatever is approved and not yet published for this version."""
    done = publish(version_id)
    for item in done:
        print(f"published {item['language']}: {item['channels']} (counted {item['figure']})")
    return done
