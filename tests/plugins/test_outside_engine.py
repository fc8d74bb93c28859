"""An engine from an outside package: found through its entry point, held to the shipped contract,
configured by its own settings, and used by drafting like a built-in."""

from __future__ import annotations

import dataclasses
from collections import Counter
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from core.settings import Settings, get_settings
from flows.wiring import engine_chain
from tests.notices import write_notice
from tests.pipeline.steps import draft, learn, queue, segments, translations
from translators.base import Engine
from translators.registry import ENTRY_POINT_GROUP, available_engines, build_engine
from translators.testing import TEXT, EngineContract, ExpectedTranslation

ROOT = Path(__file__).resolve().parents[2]
# waiwen's own packages (pyproject.toml, [tool.setuptools.packages.find]).
WAIWEN_PACKAGES = ("core", "content", "translators", "store", "publishers", "pipeline")
WAIWEN_PACKAGES += ("reporting", "desk", "flows", "waiwen")
LABEL = "[mirror: not a translation] "


@pytest.fixture
def mirror_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The mirror's variable unset and no waiwen.toml yet; the path a test may write one to."""
    toml = tmp_path / "waiwen.toml"
    monkeypatch.setenv("WAIWEN_CONFIG", str(toml))
    monkeypatch.delenv("WAIWEN_OUTSIDE_MIRROR_MARKER", raising=False)
    return toml


def test_it_is_found_through_its_entry_point_only() -> None:
    [point] = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == "outside-mirror"]
    assert point.value == "waiwen_outside_example.engine:MirrorEngine"
    # After the built-ins (microsoft is the last of them), as every installed engine.
    engines = available_engines()
    assert engines.index("outside-mirror") > engines.index("microsoft")
    naming = [
        path.relative_to(ROOT)
        for package in WAIWEN_PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".toml", ".yaml", ".md", ".html"}
        and ("outside-mirror" in (text := path.read_text("utf-8")) or "outside_example" in text)
    ]
    assert naming == []


class TestMirrorEngine(EngineContract):
    """The contract every engine keeps; the mirror calls no provider, so no provider case applies."""

    @pytest.fixture
    def engine(self, mirror_environment: Path) -> Engine:
        return build_engine("outside-mirror")

    @pytest.fixture
    def expected_translation(self) -> ExpectedTranslation:
        return lambda text, target: LABEL + text


def test_its_own_settings_come_from_its_prefix_or_waiwen_toml(
    mirror_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror_environment.write_text('outside_mirror_marker = "demo"\n', encoding="utf-8")
    assert (
        build_engine("outside-mirror")
        .translate(TEXT, "zh", "ja")
        .startswith("[demo: not a translation] ")
    )
    monkeypatch.setenv("WAIWEN_OUTSIDE_MIRROR_MARKER", "trial")
    assert build_engine("outside-mirror").translate(TEXT, "zh", "ja") == (
        f"[trial: not a translation] {TEXT}"
    )


def test_a_notice_drafted_with_memory_then_the_mirror(
    settings: Settings,
    mirror_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("WAIWEN_ENGINES", "memory,outside-mirror")
    get_settings.cache_clear()
    # The chain as the drafting flow builds it from the settings. Its throttle takes slots of the
    # engines' Prefect rate limits, which need a Prefect server (the e2e tests have one): here every
    # request goes out at once instead.
    chain = dataclasses.replace(engine_chain(get_settings()), throttle=None, request=None)
    assert [engine.id for engine in chain.for_language("fr")] == ["outside-mirror"]
    url = settings.resolved_database_url
    learn(url, {"会议概况": "Overview of the meeting"}, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id

    drafts = draft(url, version_id, chain)

    assert {language: result.state for language, result in drafts.items()} == {
        language: "in_review" for language in ("en", "ja", "fr", "ko")
    }
    heading = next(p for p, source in segments(url, version_id).items() if source == "会议概况")
    for language in ("en", "ja", "fr", "ko"):
        stored = translations(url, version_id, language)
        origins = Counter(row.origin for row in stored.values())
        assert origins["engine:outside-mirror"] and not origins["none"], language
        for row in stored.values():
            if row.origin == "engine:outside-mirror":
                # Every draft from the mirror says what it is, wherever it is shown.
                assert row.text is not None and row.text.startswith(LABEL)
        expected_heading = "memory" if language == "en" else "engine:outside-mirror"
        assert stored[heading].origin == expected_heading
