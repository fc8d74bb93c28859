"""The channel registry: built-ins by id, installed channels by entry point, and WAIWEN_CHANNELS."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings, get_settings
from publishers.base import ChannelResult, Page, PublicationKey
from publishers.registry import (
    ENTRY_POINT_GROUP,
    available_channels,
    build_publisher,
    build_publishers,
)
from publishers.site.publisher import SitePublisher
from publishers.wechat import WeChatNotConfigured
from publishers.wechat.channel import WeChatChannel

Install = Callable[[dict[str, str]], None]


class Impostor:
    """Claims a built-in id from an installed package."""

    channel = "site"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def supports(self, language: str) -> bool:
        return True

    def publish(self, page: Page) -> ChannelResult:
        return ChannelResult("published", "impostor")

    def status(self, key: PublicationKey) -> ChannelResult:
        return ChannelResult("published", "impostor")

    def retract(self, key: PublicationKey) -> ChannelResult:
        return ChannelResult("retracted", "impostor")


class Mismatched(Impostor):
    """A publisher whose channel is not the name of its entry point."""

    channel = "another-name"


def not_a_publisher(settings: Settings) -> object:
    return object()


def refusing(settings: Settings) -> object:
    raise ValueError("PARTNER_URL is not set: set it to the portal's address")


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Install:
    """Install a distribution with the given `waiwen.publishers` entry points (name -> object)."""

    def install(entries: dict[str, str]) -> None:
        info = tmp_path / "installed" / "partner_channels-1.0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            "Metadata-Version: 2.1\nName: partner-channels\nVersion: 1.0\n", encoding="utf-8"
        )
        lines = [f"[{ENTRY_POINT_GROUP}]", *(f"{k} = {v}" for k, v in entries.items())]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path / "installed"))

    return install


def configured(monkeypatch: pytest.MonkeyPatch, channels: str) -> Settings:
    monkeypatch.setenv("WAIWEN_CHANNELS", channels)
    get_settings.cache_clear()
    return get_settings()


def test_the_default_channels_are_the_site_then_wechat(settings: Settings) -> None:
    assert settings.channels == ("site", "wechat")
    built = build_publishers(settings)

    assert list(built) == ["site", "wechat"]
    assert isinstance(built["site"], SitePublisher)
    assert isinstance(built["wechat"], WeChatNotConfigured)  # no app id in the tests' settings


def test_wechat_with_an_app_id_is_the_account(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAIWEN_WECHAT_APPID", "wx-test-appid")
    monkeypatch.setenv("WAIWEN_WECHAT_LANGUAGES", "zh")
    get_settings.cache_clear()

    wechat = build_publisher("wechat", get_settings())

    assert isinstance(wechat, WeChatChannel)
    assert wechat.supports("zh") and not wechat.supports("en")


def test_the_built_in_channels_come_first(settings: Settings) -> None:
    assert available_channels()[:2] == ["site", "wechat"]


def test_channels_are_listed_comma_separated_in_their_order(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert list(build_publishers(configured(monkeypatch, " wechat , site "))) == ["wechat", "site"]


def test_an_unknown_channel_is_refused_naming_the_known_ones(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError) as refused:
        build_publishers(configured(monkeypatch, "site,fax"))

    message = str(refused.value)
    assert "WAIWEN_CHANNELS names 'fax'" in message
    assert "known channels: site, wechat" in message and ENTRY_POINT_GROUP in message


@pytest.mark.parametrize(
    ("channels", "rule"), [("site,site", "more than once"), (" , ", "names no channel")]
)
def test_a_channel_list_that_repeats_or_is_empty_is_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, channels: str, rule: str
) -> None:
    with pytest.raises(ValidationError, match=rule) as refused:
        configured(monkeypatch, channels)
    assert "channels" in str(refused.value)


def test_an_installed_package_cannot_take_over_a_built_in_id(
    settings: Settings, install: Install, caplog: pytest.LogCaptureFixture
) -> None:
    install({"site": f"{__name__}:Impostor"})

    with caplog.at_level(logging.WARNING, logger="waiwen.channels"):
        site = build_publisher("site", settings)

    assert isinstance(site, SitePublisher)
    assert available_channels().count("site") == 1
    assert f"ignoring entry point site = {__name__}:Impostor" in caplog.text


def test_an_entry_point_that_cannot_be_loaded_is_named(
    settings: Settings, install: Install
) -> None:
    install({"partner-portal": "no_such_partner_module:Portal"})

    assert "partner-portal" in available_channels()
    with pytest.raises(ValueError) as refused:
        build_publisher("partner-portal", settings)
    message = str(refused.value)
    assert "entry point partner-portal = no_such_partner_module:Portal" in message
    assert ENTRY_POINT_GROUP in message and "ModuleNotFoundError" in message


def test_a_factory_that_refuses_is_named_with_its_reason(
    settings: Settings, install: Install
) -> None:
    install({"partner-portal": f"{__name__}:refusing"})

    with pytest.raises(ValueError) as refused:
        build_publisher("partner-portal", settings)
    message = str(refused.value)
    assert f"entry point partner-portal = {__name__}:refusing" in message
    assert "PARTNER_URL is not set" in message


def test_a_factory_that_returns_no_publisher_is_refused(
    settings: Settings, install: Install
) -> None:
    install({"partner-portal": f"{__name__}:not_a_publisher"})

    with pytest.raises(TypeError, match="partner-portal = .*not_a_publisher.*not a publisher"):
        build_publisher("partner-portal", settings)


def test_a_channel_id_other_than_the_entry_points_name_is_refused(
    settings: Settings, install: Install
) -> None:
    install({"partner-portal": f"{__name__}:Mismatched"})

    with pytest.raises(ValueError, match="'another-name', not 'partner-portal'"):
        build_publisher("partner-portal", settings)


def test_an_entry_point_name_that_is_no_channel_id_is_refused(
    settings: Settings, install: Install
) -> None:
    install({"Partner_Portal": f"{__name__}:Mismatched"})

    with pytest.raises(ValueError, match="'Partner_Portal' is not a channel id"):
        build_publisher("Partner_Portal", settings)
