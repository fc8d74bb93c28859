"""Fixtures for the translator tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.standins.engine_fixtures import (
    baidu_standin,
    chat_standin,
    deepl_standin,
    google_standin,
    microsoft_standin,
    mymemory_standin,
    tencent_standin,
)
from tests.standins.fixtures import libretranslate
from tests.standins.libretranslate import pseudo_translate
from translators.registry import available_engines, settings_model
from translators.testing import ExpectedTranslation

__all__ = [
    "baidu_standin",
    "chat_standin",
    "deepl_standin",
    "google_standin",
    "libretranslate",
    "microsoft_standin",
    "mymemory_standin",
    "tencent_standin",
]


@pytest.fixture
def expected_translation() -> ExpectedTranslation:
    """What every provider stand-in answers: the deterministic pseudo-translation."""
    return pseudo_translate


@pytest.fixture
def engine_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No engine's variable set and no waiwen.toml yet; the path a test may write one to."""
    toml = tmp_path / "waiwen.toml"
    monkeypatch.setenv("WAIWEN_CONFIG", str(toml))
    for engine_id in available_engines():
        model = settings_model(engine_id)
        for field in model.model_fields if model is not None else ():
            monkeypatch.delenv(model.variable(field), raising=False)
    return toml
