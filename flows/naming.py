"""Flow runs are named after the notice they move, so the Prefect UI reads like the office's queue."""

from __future__ import annotations

from prefect.runtime import flow_run

from core.settings import get_settings
from store.db import transaction
from store.models import NoticeVersion


def notice_run_name() -> str:
    """``<notice title> · v<version>`` for the version_id parameter of the current run."""
    version_id = flow_run.parameters.get("version_id")
    with transaction(get_settings().resolved_database_url) as session:
        version = session.get(NoticeVersion, version_id)
        if version is None:
            return f"version {version_id}"
        return f"{version.title} · v{version.number}"
