"""Fixtures for the translator tests."""

from __future__ import annotations

from tests.standins.fixtures import libretranslate

__all__ = ["libretranslate"]
