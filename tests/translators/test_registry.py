"""Engine registry: built-ins, entry points, helpful errors."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
from pydantic import SecretStr

from translators import registry
from translators.libretranslate import LibreTranslateEngine
from translators.registry import (
    ENTRY_POINT_GROUP,
    EngineSettings,
    available_engines,
    build_engine,
)


class _Echo:
    id = "echo"
    label = "Echo (test only)"

    def supports(self, source: str, target: str) -> bool:
        return True

    def translate(self, text: str, source: str, target: str) -> str:
        return text


def echo_factory(settings: EngineSettings) -> _Echo:
    """Entry-point factory used by the test below."""
    return _Echo()


def test_libretranslate_is_built_in() -> None:
    assert available_engines()[0] == "libretranslate"
    assert "memory" not in available_engines()


def test_unknown_id_names_it_and_the_known_ones() -> None:
    with pytest.raises(
        ValueError,
        match=r"'papago'.*known engines: libretranslate, google, mymemory, baidu, deepl",
    ):
        build_engine("papago", EngineSettings())


def test_memory_is_not_an_engine() -> None:
    with pytest.raises(ValueError, match="translation memory"):
        build_engine("memory", EngineSettings())


def test_libretranslate_without_url_says_what_to_set() -> None:
    with pytest.raises(ValueError, match="WAIWEN_LIBRETRANSLATE_URL"):
        build_engine("libretranslate", EngineSettings())


def test_libretranslate_from_settings() -> None:
    settings = EngineSettings(
        libretranslate_url="http://127.0.0.1:5000",
        libretranslate_api_key=SecretStr("k3y"),
        timeout=2,
    )
    engine = build_engine("libretranslate", settings)
    assert isinstance(engine, LibreTranslateEngine)
    assert engine.id == "libretranslate"
    assert "k3y" not in repr(engine) and "k3y" not in repr(settings)


def test_entry_point_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    point = EntryPoint(
        name="echo", value="tests.translators.test_registry:echo_factory", group=ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(registry, "_entry_points", lambda: {"echo": point})
    assert available_engines()[-1] == "echo" and "libretranslate" in available_engines()
    engine = build_engine("echo", EngineSettings())
    assert engine.translate("通知", "zh", "en") == "通知"
