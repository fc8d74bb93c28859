"""Fixtures for the translator tests."""

from __future__ import annotations

from tests.standins.engine_fixtures import (
    baidu_standin,
    deepl_standin,
    google_standin,
    microsoft_standin,
    mymemory_standin,
    tencent_standin,
)
from tests.standins.fixtures import libretranslate

__all__ = [
    "baidu_standin",
    "deepl_standin",
    "google_standin",
    "libretranslate",
    "microsoft_standin",
    "mymemory_standin",
    "tencent_standin",
]
