"""Drafting into the configured targets beyond the office's four, without Prefect.

WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko,de,es,ru,ar: a notice queued for all eight is drafted by the
LibreTranslate stand-in into all eight, each segment once, in text that reads as its language.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from langdetect import DetectorFactory, detect

from content.notice import NoticeRefused
from core.settings import Settings, get_settings
from pipeline.drafting import EngineChain
from tests.notices import write_notice
from tests.pipeline.steps import draft, queue, segments, translations
from tests.standins.libretranslate import LibreTranslateStandIn, pseudo_translate
from translators.glossary import Glossary
from translators.protect import mask, unmask

EIGHT = ("en", "ja", "fr", "ko", "de", "es", "ru", "ar")


@pytest.fixture
def eight_targets(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    """The office configured for eight targets (after the test settings, which clear the variable)."""
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", ",".join(EIGHT))
    get_settings.cache_clear()
    return get_settings().target_languages


def _engine_text(source: str, language: str) -> str:
    """What the stand-in drafts for a segment: the glossary's terms masked, then put back."""
    masked = mask(source, language, Glossary.starter())
    return unmask(pseudo_translate(masked.text, language), masked)


def test_a_notice_for_eight_languages_is_drafted_into_all_eight(
    eight_targets: tuple[str, ...],
    settings: Settings,
    url: str,
    chain: EngineChain,
    libretranslate: LibreTranslateStandIn,
    tmp_path: Path,
) -> None:
    assert eight_targets == EIGHT
    notice = write_notice(tmp_path / "notice.md", languages=list(EIGHT))
    version_id = queue(settings, notice).version_id

    drafts = draft(url, version_id, chain)

    assert sorted(drafts) == sorted(EIGHT)
    sources = segments(url, version_id)
    DetectorFactory.seed = 0  # langdetect is random unless seeded
    for language in EIGHT:
        assert drafts[language].needs_translation == 0, language
        stored = translations(url, version_id, language)
        assert sorted(stored) == sorted(sources), language
        engine_drafted = {
            position: row.text
            for position, row in stored.items()
            if row.origin.startswith("engine")
        }
        assert engine_drafted, f"{language}: no segment came from the engine"
        for position, text in engine_drafted.items():
            assert text == _engine_text(sources[position], language), (language, position)
        # The drafted text as a whole reads as its language to langdetect's profiles.
        assert detect(" ".join(engine_drafted.values())) == language
    # Each segment was sent once per language that needed the engine.
    sent = [(r["q"], r["target"]) for r in libretranslate.requests]
    assert len(sent) == len(set(sent))
    assert {target for _, target in sent} == set(EIGHT)


def test_a_notice_naming_a_language_not_configured_is_refused_before_anything_is_stored(
    settings: Settings, tmp_path: Path
) -> None:
    notice = write_notice(tmp_path / "notice.md", languages=["en", "de"])
    with pytest.raises(NoticeRefused) as refused:
        queue(settings, notice)
    assert str(refused.value) == (
        f"{notice}: languages: de is not among the configured target languages "
        "(WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko)"
    )
