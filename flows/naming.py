"""Flow and task runs are named after the notice they move, so the Prefect UI reads like the office's queue."""

from __future__ import annotations

from typing import Any

from prefect.runtime import flow_run

from core.settings import get_settings
from store.db import transaction
from store.models import NoticeVersion


def version_name(version_id: object) -> str:
    """``<notice title> · v<version>``, or ``version <id>`` for a version not in the database."""
    with transaction(get_settings().resolved_database_url) as session:
        version = session.get(NoticeVersion, version_id)
        if version is None:
            return f"version {version_id}"
        return f"{version.title} · v{version.number}"


def notice_run_name() -> str:
    """``<notice title> · v<version>`` for the version_id parameter of the current run."""
    return version_name(flow_run.parameters.get("version_id"))


def notice_task_name(parameters: dict[str, Any]) -> str:
    """The same name for a task run that moves one version (its version_id parameter)."""
    return version_name(parameters.get("version_id"))


def batch_run_name() -> str:
    """``batch of <n>: <first notice title> · v<version> …`` for the version_ids parameter."""
    version_ids = list(flow_run.parameters.get("version_ids") or [])
    if not version_ids:
        return "batch of 0"
    more = " …" if len(version_ids) > 1 else ""
    return f"batch of {len(version_ids)}: {version_name(version_ids[0])}{more}"
