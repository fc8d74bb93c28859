"""Retraction asks the channels, never naming one: configured ones, and those holding the notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.settings import Settings, get_settings
from store.db import transaction
from store.models import LanguageVersion, Publication
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, draft, publish, queue
from waiwen.cli import main


@pytest.fixture
def on_the_site(settings: Settings, tmp_path: Path) -> int:
    """Notice 1's Chinese original, published on the site; returns its language version id."""
    url = settings.resolved_database_url
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version_id, NO_ENGINES)
    publish(url, version_id, Path(settings.site_dir))
    with transaction(url) as session:
        return session.scalars(
            select(LanguageVersion.id).where(
                LanguageVersion.version_id == version_id, LanguageVersion.language == "zh"
            )
        ).one()


def test_a_channel_not_installed_here_is_named_with_what_to_do(
    settings: Settings, on_the_site: int
) -> None:
    with transaction(settings.resolved_database_url) as session:
        # Published by another installation, which had the partner's channel installed.
        session.add(
            Publication(
                language_version_id=on_the_site,
                channel="partner-portal",
                state="published",
                location="https://partner.example/1",
                detail="",
            )
        )

    result = CliRunner().invoke(main, ["retract", "1", "--reason", "内容有误"])

    assert result.exit_code == 0, result.output
    assert "  site pages removed: zh; indexes" in result.output
    assert (
        "  partner-portal: not configured here, so waiwen cannot take the article off; delete it "
        "there by hand" in result.stderr
    )
    assert not (Path(settings.site_dir) / "zh" / "notices" / "0" / "1.html").exists()


def test_an_unknown_channel_in_the_settings_stops_with_the_known_ones(
    settings: Settings, on_the_site: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAIWEN_CHANNELS", "site,fax")
    get_settings.cache_clear()

    result = CliRunner().invoke(main, ["retract", "1", "--reason", "内容有误"])

    assert result.exit_code == 1
    assert (
        "WAIWEN_CHANNELS names 'fax'" in result.stderr and "known channels: site" in result.stderr
    )
    assert "run the same command again" in result.stderr
