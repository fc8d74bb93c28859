"""Hand work to a running `waiwen up` at once; without one, the next `waiwen run` picks it up."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from core.settings import Settings
from flows.server import running_api_url
from store.identity import database_id

log = logging.getLogger("waiwen.handoff")
DRAFT = "draft-notice/draft-notice"
PUBLISH = "publish-notice/publish-notice"


def use_prefect(api_url: str) -> None:
    """Make Prefect (imported after this) talk to ``api_url``."""
    os.environ["PREFECT_API_URL"] = api_url
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()


def hand_over(settings: Settings, deployment: str, runs: list[tuple[dict[str, Any], str]]) -> str:
    """Start a flow run per (parameters, idempotency key); says in words what happened."""
    api_url = running_api_url(settings)
    if api_url is None:
        return "waiwen up is not running: `waiwen run` will pick this up"
    use_prefect(api_url)
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    # The synchronous client works the same from a command, a worker thread or a web request;
    # run_deployment would hand back an unawaited coroutine inside an event loop.
    try:
        with get_client(sync_client=True) as client:
            found = client.read_deployment_by_name(deployment)
            for parameters, key in runs:
                # The key makes a repeated hand-over (a double click, a retry) start one run only.
                client.create_flow_run_from_deployment(
                    found.id, parameters=parameters, idempotency_key=key
                )
    except ObjectNotFound:
        return f"the Prefect server has no deployment {deployment}; `waiwen run` will pick this up"
    except Exception as error:  # noqa: BLE001 - the work is stored; only the hand-over failed
        log.warning("could not hand %s to the Prefect server at %s: %s", deployment, api_url, error)
        return (
            f"the running service did not answer ({type(error).__name__}); the sweep or the next "
            "`waiwen run` will pick this up"
        )
    return f"handed to the running service ({deployment})"


class ServiceHandOver:
    """The hand-over the shell gives the desk and the commands: flow runs on `waiwen up`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def draft(self, version_ids: Sequence[int]) -> str:
        runs = draft_runs(list(version_ids), self._database_id())
        return hand_over(self.settings, DRAFT, runs)

    def publish(self, version_id: int, language: str) -> str:
        runs = publish_runs(version_id, language, self._database_id())
        return hand_over(self.settings, PUBLISH, runs)

    def _database_id(self) -> str:
        return database_id(self.settings.resolved_database_url)


# The keys name waiwen's database too: a Prefect database that outlives a waiwen database (started
# afresh, version numbers from 1 again) must not take a new version 1 for the old one's run.
def publish_runs(version_id: int, language: str, database: str) -> list[tuple[dict[str, Any], str]]:
    """The publish run of one approved language, keyed by database, version and language."""
    return [({"version_id": version_id}, f"publish-{database}-{version_id}-{language}")]


def draft_runs(version_ids: list[int], database: str) -> list[tuple[dict[str, Any], str]]:
    """A draft run per version, keyed by database and version."""
    return [({"version_id": v}, f"draft-{database}-{v}") for v in version_ids]
