"""Engine registry: built-ins, entry points, each engine's own settings, helpful errors."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from typing import Any

import pytest
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators import registry
from translators.base import SharedEngineSettings
from translators.libretranslate import LibreTranslateEngine, LibreTranslateSettings
from translators.registry import (
    ENTRY_POINT_GROUP,
    available_engines,
    build_engine,
    read_engine_settings,
)

BUILT_IN = [
    "libretranslate",
    "google",
    "mymemory",
    "baidu",
    "deepl",
    "tencent",
    "microsoft",
    "openai",
]


class _Echo:
    """An installed engine without settings of its own."""

    id = "echo"
    label = "Echo (test only)"

    def supports(self, source: str, target: str) -> bool:
        return True

    def translate(self, text: str, source: str, target: str) -> str:
        return text

    @classmethod
    def from_settings(cls, settings: None, shared: SharedEngineSettings) -> _Echo:
        assert settings is None
        return cls()


class _CountSettings(PluginSettings):
    model_config = SettingsConfigDict(env_prefix="WAIWEN_TEST_COUNT_")

    times: int = Field(default=1, description="How often the text is repeated.")
    token: SecretStr = Field(default=SecretStr(""), description="A key that must never be shown.")


class _Count(_Echo):
    """An installed engine with a settings model of its own."""

    id = "count"
    settings_model = _CountSettings

    def __init__(self, times: int = 1, timeout: float = 30.0) -> None:
        self.times, self.timeout = times, timeout

    def translate(self, text: str, source: str, target: str) -> str:
        return text * self.times

    @classmethod
    def from_settings(cls, settings: _CountSettings, shared: SharedEngineSettings) -> _Count:  # type: ignore[override]
        return cls(settings.times, shared.timeout)


class _NoPrefixSettings(PluginSettings):
    url: str = Field(default="", description="A field read from a variable named URL.")


class _NoPrefix(_Echo):
    settings_model = _NoPrefixSettings


def _install(monkeypatch: pytest.MonkeyPatch, **engines: str) -> None:
    """Pretend `engines` (id -> attribute of this module) are installed as entry points."""
    points = {
        name: EntryPoint(name=name, value=f"{__name__}:{target}", group=ENTRY_POINT_GROUP)
        for name, target in engines.items()
    }
    monkeypatch.setattr(registry, "_entry_points", lambda: points)


def test_the_built_in_engines_come_first_and_installed_ones_after() -> None:
    # Outside packages installed in this environment may add engines after the built-ins.
    assert available_engines()[: len(BUILT_IN)] == BUILT_IN
    assert "memory" not in available_engines()


def test_unknown_id_names_it_and_the_known_ones() -> None:
    with pytest.raises(
        ValueError,
        match=r"'papago'.*known engines: libretranslate, google, mymemory, baidu, deepl",
    ):
        build_engine("papago")


def test_memory_is_not_an_engine() -> None:
    with pytest.raises(ValueError, match="translation memory"):
        build_engine("memory")


@pytest.mark.usefixtures("engine_environment")
def test_libretranslate_without_url_says_what_to_set() -> None:
    with pytest.raises(ValueError, match="WAIWEN_LIBRETRANSLATE_URL"):
        build_engine("libretranslate")


def test_libretranslate_from_given_settings() -> None:
    settings = LibreTranslateSettings(url="http://127.0.0.1:5000", api_key=SecretStr("k3y"))
    engine = build_engine("libretranslate", SharedEngineSettings(timeout=2), settings)
    assert isinstance(engine, LibreTranslateEngine)
    assert engine.id == "libretranslate"
    assert "k3y" not in repr(engine) and "k3y" not in repr(settings)


def test_settings_of_another_engine_are_refused() -> None:
    with pytest.raises(TypeError, match="takes DeepLSettings, not LibreTranslateSettings"):
        build_engine("deepl", settings=LibreTranslateSettings())


def test_an_installed_engine_without_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, echo="_Echo")
    assert available_engines()[-1] == "echo" and "libretranslate" in available_engines()
    assert read_engine_settings("echo") is None
    engine = build_engine("echo")
    assert engine.translate("通知", "zh", "en") == "通知"


def test_an_installed_engine_reads_its_own_prefix(
    monkeypatch: pytest.MonkeyPatch, engine_environment: Any
) -> None:
    _install(monkeypatch, count="_Count")
    monkeypatch.setenv("WAIWEN_TEST_COUNT_TIMES", "3")
    monkeypatch.setenv("WAIWEN_TEST_COUNT_TOKEN", "t0ken-never-shown")
    engine = build_engine("count", SharedEngineSettings(timeout=4))
    assert engine.translate("通知", "zh", "en") == "通知通知通知"
    assert isinstance(engine, _Count) and engine.timeout == 4
    assert "t0ken-never-shown" not in repr(read_engine_settings("count"))


def test_a_wrong_value_names_the_variable_and_never_shows_the_value(
    monkeypatch: pytest.MonkeyPatch, engine_environment: Any
) -> None:
    _install(monkeypatch, count="_Count")
    monkeypatch.setenv("WAIWEN_TEST_COUNT_TIMES", "thrice-and-a-secret")
    with pytest.raises(ValueError, match=r"engine 'count'.*WAIWEN_TEST_COUNT_TIMES") as error:
        build_engine("count")
    assert "thrice-and-a-secret" not in str(error.value)


def test_a_settings_model_needs_a_prefix_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, bare="_NoPrefix")
    with pytest.raises(TypeError, match="_NoPrefixSettings of engine 'bare' has no env_prefix"):
        build_engine("bare")


def test_an_entry_point_without_from_settings_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, wrong="BUILT_IN")
    with pytest.raises(TypeError, match="'wrong'.*has no from_settings"):
        build_engine("wrong")
