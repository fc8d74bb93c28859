"""The database's own id: made once, kept, and different for another database."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from flows.handoff import draft_runs, publish_runs
from store.identity import database_id


def test_a_database_keeps_its_id_and_another_database_has_its_own(
    settings: Settings, tmp_path: Path
) -> None:
    first = database_id(settings.resolved_database_url)
    assert database_id(settings.resolved_database_url) == first
    other = database_id(f"sqlite:///{tmp_path / 'other.db'}")
    assert other != first


def test_hand_over_keys_of_version_one_differ_between_databases(
    settings: Settings, tmp_path: Path
) -> None:
    # A Prefect database that outlives a waiwen database must not take the new version 1 for the old.
    old = database_id(settings.resolved_database_url)
    new = database_id(f"sqlite:///{tmp_path / 'afresh.db'}")
    assert draft_runs([1], old)[0][1] != draft_runs([1], new)[0][1]
    assert publish_runs(1, "en", old)[0][1] != publish_runs(1, "en", new)[0][1]
