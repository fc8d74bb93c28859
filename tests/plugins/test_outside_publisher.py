"""A channel from an outside package: found by its entry point, keeps the contract, used by the pipeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from waiwen_outside_example.publisher import FOLDER_VARIABLE, FolderPublisher

from core.settings import Settings, get_settings
from pipeline.publishing import publish_version
from pipeline.retraction import retract, withdraw
from publishers.base import Publisher
from publishers.registry import (
    BUILTIN_CHANNELS,
    ENTRY_POINT_GROUP,
    available_channels,
    build_publisher,
    build_publishers,
)
from publishers.testing import PublisherContract, sample_page
from store.db import transaction
from store.models import Publication
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, draft, queue
from tests.site_files import site_files
from waiwen.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("core", "content", "translators", "store", "publishers", "pipeline", "reporting")
FIRST_PARTY += ("desk", "flows", "waiwen")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The channel's folder, named by its variable."""
    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path / "outside"))
    return tmp_path / "outside"


def test_the_folder_channel_is_found_through_its_entry_point_only(
    settings: Settings, folder: Path
) -> None:
    [entry] = [e for e in entry_points(group=ENTRY_POINT_GROUP) if e.name == "outside-folder"]
    assert entry.value == "waiwen_outside_example.publisher:FolderPublisher"
    assert "outside-folder" not in BUILTIN_CHANNELS and "outside-folder" in available_channels()
    for package in FIRST_PARTY:  # waiwen itself never names the outside package
        for source in (ROOT / package).rglob("*.py"):
            assert "waiwen_outside_example" not in source.read_text(encoding="utf-8"), source

    publisher = build_publisher("outside-folder", settings)

    assert isinstance(publisher, FolderPublisher) and publisher.folder == folder


def test_without_its_folder_the_channel_refuses_naming_the_variable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(FOLDER_VARIABLE, raising=False)

    with pytest.raises(ValueError) as refused:
        build_publisher("outside-folder", settings)

    message = str(refused.value)
    assert (
        "entry point outside-folder = waiwen_outside_example.publisher:FolderPublisher" in message
    )
    assert f"{FOLDER_VARIABLE} is not set" in message


class TestTheFolderChannelKeepsThePublisherContract(PublisherContract):
    """The outside channel, built by waiwen's registry, against a temporary folder."""

    @pytest.fixture
    def publisher(self, settings: Settings, folder: Path) -> Publisher:
        return build_publisher("outside-folder", settings)

    @pytest.fixture
    def held(self, folder: Path) -> Callable[[], object]:
        return lambda: {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def test_nothing_in_a_page_reaches_its_file_as_markup(settings: Settings, folder: Path) -> None:
    hostile = replace(
        sample_page(),
        title="<script>alert('title')</script> 通报会",
        body_markdown="详见[通知](javascript:alert(1))。\n\n<img src=x onerror=alert(2)>\n",
    )

    build_publisher("outside-folder", settings).publish(hostile)

    [written] = folder.iterdir()
    text = written.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; 通报会" in text
    for unsafe in ("<script", "javascript:", "onerror"):
        assert unsafe not in text.lower()
    assert written.name == "901-v1-zh.html" and not [p for p in folder.iterdir() if p != written]


def test_the_pipeline_publishes_on_the_outside_channel_and_retracts_from_it(
    settings: Settings, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAIWEN_CHANNELS", "site,outside-folder")
    get_settings.cache_clear()
    url = settings.resolved_database_url
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version_id, NO_ENGINES)  # the Chinese original is approved on entry
    publishers = build_publishers(get_settings())

    done = publish_version(url, version_id, publishers)

    assert [(d.language, d.channels) for d in done] == [
        ("zh", {"site": "published", "outside-folder": "published"})
    ]
    page = folder / "1-v1-zh.html"
    assert "各国驻沪领事机构代表约120人出席会议。" in page.read_text(encoding="utf-8")
    with transaction(url) as session:
        [location] = session.scalars(
            select(Publication.location).where(Publication.channel == "outside-folder")
        )
    assert location == str(page)
    assert "zh/notices/0/1.html" in site_files(Path(settings.site_dir))

    with transaction(url) as session:
        retraction = retract(session, "1", "秘书处", "内容有误")
    withdrawn = {w.channel: w for w in withdraw(url, retraction, publishers)}

    assert not page.exists()
    assert withdrawn["outside-folder"].summary == f"outside-folder: taken off: {page}"
    assert "zh/notices/0/1.html" not in site_files(Path(settings.site_dir))
    again = {w.channel: w.summary for w in withdraw(url, retraction, publishers)}
    assert again["outside-folder"] == "outside-folder: taken off: none left"


def test_a_retraction_asks_a_channel_that_holds_the_notice_though_it_no_longer_runs(
    settings: Settings, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAIWEN_CHANNELS", "site,outside-folder")
    get_settings.cache_clear()
    url = settings.resolved_database_url
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version_id, NO_ENGINES)
    publish_version(url, version_id, build_publishers(get_settings()))
    assert (folder / "1-v1-zh.html").exists()
    monkeypatch.setenv("WAIWEN_CHANNELS", "site")  # the office stopped using the folder since
    get_settings.cache_clear()

    result = CliRunner().invoke(main, ["retract", "1", "--reason", "内容有误", "--by", "秘书处"])

    assert result.exit_code == 0, result.output
    assert not (folder / "1-v1-zh.html").exists()
    assert "  site pages removed: zh; indexes" in result.output
    assert f"  outside-folder: taken off: {folder / '1-v1-zh.html'}\n" in result.output
