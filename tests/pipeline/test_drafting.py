"""Drafting without Prefect: memory first, then engines, each segment once, most urgent notice first."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.settings import Settings
from pipeline.drafting import (
    EngineChain,
    LanguageDraft,
    _store_draft,
    draft_language,
    versions_to_draft,
)
from store.db import transaction
from store.models import LanguageVersion, Segment, Translation
from tests.notices import BODY, row_counts, write_notice
from tests.pipeline.steps import (
    NO_ENGINES,
    audit_actions,
    draft,
    learn,
    prepare,
    queue,
    segments,
    settle,
    translations,
)
from tests.standins.libretranslate import LibreTranslateStandIn, pseudo_translate
from translators.chain import Draft
from translators.glossary import Glossary
from translators.libretranslate import LibreTranslateEngine
from translators.protect import mask, unmask

LANGUAGES = ["en", "fr", "ja", "ko"]
# A table cell with nothing to translate: drafted as a copy, never sent to an engine.
NUMBER_CELL = "3200"
NOTICE_BODY = BODY.replace("3200件", NUMBER_CELL)
MEMORY_EN = {
    "会议概况": "Overview of the meeting",
    "各国驻沪领事机构代表约120人出席会议。": "Some 120 representatives of consular missions in Shanghai attended.",
}


def _expected(source: str, language: str, engine: bool) -> tuple[str | None, str]:
    """(text, origin) a segment should be drafted with."""
    if language == "en" and source in MEMORY_EN:
        return MEMORY_EN[source], "memory"
    if source == NUMBER_CELL:
        return source, "copy"
    # The starter glossary's terms are masked before the request and come back official; a cell
    # that is one term needs no engine.
    masked = mask(source, language, Glossary.starter())
    if not any(ch.isalpha() for ch in masked.text):
        return unmask(masked.text, masked), "glossary"
    if not engine:
        return None, "none"
    return unmask(pseudo_translate(masked.text, language), masked), "engine:libretranslate"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_memory_fills_exact_matches_and_the_engine_the_rest(
    settings: Settings,
    url: str,
    chain: EngineChain,
    libretranslate: LibreTranslateStandIn,
    tmp_path: Path,
    language: str,
) -> None:
    learn(url, MEMORY_EN, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md", body=NOTICE_BODY)).version_id
    assert prepare(url, version_id) == LANGUAGES

    result = draft_language(url, version_id, language, chain)

    sources = segments(url, version_id)
    stored = translations(url, version_id, language)
    assert sorted(stored) == sorted(sources)
    for position, source in sources.items():
        assert (stored[position].text, stored[position].origin) == _expected(
            source, language, engine=True
        ), position
    origins = Counter(_expected(source, language, engine=True)[1] for source in sources.values())
    assert result == LanguageDraft(language, dict(origins), 0, "in_review")
    assert origins["memory"] == (2 if language == "en" else 0)
    assert origins["glossary"] == 2  # two cells are one official term each, in every language
    # The engine saw exactly the segments neither the memory, the glossary nor the copy rule could
    # fill, with the glossary's terms masked.
    sent = sorted((r["q"], r["target"]) for r in libretranslate.requests)
    assert sent == sorted(
        (mask(source, language, Glossary.starter()).text, language)
        for source in sources.values()
        if _expected(source, language, True)[1].startswith("engine")
    )


def test_without_engines_the_rest_needs_translation(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    learn(url, MEMORY_EN, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md", body=NOTICE_BODY)).version_id
    drafts = draft(url, version_id, NO_ENGINES)

    sources = segments(url, version_id)
    for language in LANGUAGES:
        stored = translations(url, version_id, language)
        for position, source in sources.items():
            row = stored[position]
            assert (row.text, row.origin) == _expected(source, language, engine=False), (
                language,
                position,
            )
            if row.origin == "none":
                assert row.note == "no translation engine configured"
    assert {lang: (d.needs_translation, d.state) for lang, d in drafts.items()} == {
        "en": (7, "in_review"),  # two more from the memory, which is English
        "fr": (9, "in_review"),
        "ja": (9, "in_review"),
        "ko": (9, "in_review"),
    }


def test_running_prepare_and_draft_again_adds_nothing(
    settings: Settings,
    url: str,
    chain: EngineChain,
    libretranslate: LibreTranslateStandIn,
    tmp_path: Path,
) -> None:
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    assert prepare(url, version_id) == LANGUAGES
    counts = row_counts(url)
    assert (counts["segments"], counts["language_versions"]) == (12, 5)  # zh + four targets
    assert prepare(url, version_id) == LANGUAGES  # still drafting, nothing segmented twice
    assert row_counts(url) == counts

    first = {lang: draft_language(url, version_id, lang, chain) for lang in LANGUAGES}
    counts, sent = row_counts(url), len(libretranslate.requests)
    # Two table cells are starter glossary terms, in every language: filled without a request.
    assert counts["translations"] == 4 * 12 and sent == 4 * (12 - 2)

    assert prepare(url, version_id) == []  # every language is in review now
    again = {lang: draft_language(url, version_id, lang, chain) for lang in LANGUAGES}

    assert again == first
    assert row_counts(url) == counts
    assert len(libretranslate.requests) == sent
    actions = audit_actions(url)
    assert actions[("segmented", None)] == 1
    assert {lang: actions[("drafted", lang)] for lang in LANGUAGES} == dict.fromkeys(LANGUAGES, 1)


@pytest.mark.parametrize("prepared_before", [False, True], ids=["queued", "drafting"])
def test_a_superseded_version_is_not_drafted(
    settings: Settings,
    url: str,
    libretranslate: LibreTranslateStandIn,
    tmp_path: Path,
    prepared_before: bool,
) -> None:
    path = write_notice(tmp_path / "notice.md")
    old = queue(settings, path).version_id
    if prepared_before:
        prepare(url, old)
    write_notice(path, body=BODY.replace("约120人", "约150人"))
    new = queue(settings, path)
    assert new.outcome == "new version"
    counts = row_counts(url)

    assert prepare(url, old) == []

    assert row_counts(url) == counts
    with transaction(url) as session:
        assert versions_to_draft(session) == [new.version_id]
        old_states = set(
            session.scalars(select(LanguageVersion.state).where(LanguageVersion.version_id == old))
        )
    assert old_states == ({"superseded"} if prepared_before else set())
    assert len(segments(url, old)) == (12 if prepared_before else 0)
    assert libretranslate.requests == []


def test_settle_moves_to_review_only_when_every_language_is_drafted(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    assert settle(url, version_id) == "queued"
    for language in prepare(url, version_id):
        assert settle(url, version_id) == "drafting", f"settled before {language} was drafted"
        draft_language(url, version_id, language, NO_ENGINES)
    assert settle(url, version_id) == "in_review"
    assert settle(url, version_id) == "in_review"
    assert audit_actions(url)[("awaiting review", None)] == 1


def test_a_major_notice_is_drafted_before_older_normal_ones(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    older = queue(
        settings, write_notice(tmp_path / "a.md", title="市政府外办发布领事认证办理指南")
    ).version_id
    major = queue(
        settings,
        write_notice(
            tmp_path / "b.md",
            title="关于突发事件的权威信息发布",
            urgency="major",
            **{"approval.leader": "分管领导戊"},
        ),
    ).version_id
    newer = queue(
        settings, write_notice(tmp_path / "c.md", title="市政府外办召开外国媒体吹风会")
    ).version_id

    def order() -> list[int]:
        with transaction(url) as session:
            return versions_to_draft(session)

    assert order() == [major, older, newer]
    draft(url, major, NO_ENGINES)  # drafted and settled: no longer to draft
    prepare(url, older)  # interrupted while drafting: still to draft, ahead of the newer one
    assert order() == [older, newer]


def test_unchanged_segments_of_a_new_version_are_not_sent_again(
    settings: Settings,
    url: str,
    chain: EngineChain,
    libretranslate: LibreTranslateStandIn,
    tmp_path: Path,
) -> None:
    path = write_notice(tmp_path / "notice.md")
    first = queue(settings, path).version_id
    draft(url, first, chain, ["en"])
    old = translations(url, first, "en")
    write_notice(path, body=BODY.replace("约120人", "约150人"))
    second = queue(settings, path).version_id
    del libretranslate.requests[:]

    draft(url, second, chain, ["en"])

    assert [r["q"] for r in libretranslate.requests] == ["各国驻沪领事机构代表约150人出席会议。"]
    new = translations(url, second, "en")
    changed = 3  # the paragraph with the new figure
    assert new[changed].text == pseudo_translate("各国驻沪领事机构代表约150人出席会议。", "en")
    assert {p: t.text for p, t in new.items() if p != changed} == {
        p: t.text for p, t in old.items() if p != changed
    }


def test_each_language_has_its_own_chain_and_a_down_engine_passes_to_the_next(
    settings: Settings, url: str, tmp_path: Path, libretranslate: LibreTranslateStandIn
) -> None:
    from tests.standins.providers import BaiduStandIn
    from translators.baidu import BaiduEngine

    with BaiduStandIn() as down:  # started for a free port, then stopped: connections are refused
        address = down.url + "/api/trans/vip/translate"
    baidu = BaiduEngine(down.appid, down.appkey, url=address)
    chain = EngineChain(
        engines=[baidu],
        attempts=2,
        backoff=lambda _: None,
        by_language={"ko": [baidu, LibreTranslateEngine(libretranslate.url)]},
    )
    version_id = queue(
        settings, write_notice(tmp_path / "notice.md", languages=["en", "ko"])
    ).version_id
    drafts = draft(url, version_id, chain)
    korean = translations(url, version_id, "ko")
    assert {t.origin for t in korean.values()} <= {"engine:libretranslate", "copy", "glossary"}
    english = translations(url, version_id, "en")
    missing = [t for t in english.values() if t.origin == "none"]
    assert missing and all(
        t.note == f"baidu: connection refused by {address} (after 2 tries); no other engine"
        for t in missing
    )
    assert drafts["en"].state == drafts["ko"].state == "in_review"  # the notice goes on


def test_a_second_draft_of_a_stored_segment_keeps_the_first(
    settings: Settings, tmp_path: Path
) -> None:

    url = settings.resolved_database_url
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    prepare(url, version_id)
    with transaction(url) as session:
        segment_id = session.scalars(
            select(Segment.id).where(Segment.version_id == version_id)
        ).first()
    assert segment_id is not None
    _store_draft(url, segment_id, "en", Draft("first", "engine:libretranslate"), [])
    _store_draft(url, segment_id, "en", Draft("second", "engine:libretranslate"), [])  # a re-run
    with transaction(url) as session:
        texts = session.scalars(
            select(Translation.text).where(
                Translation.segment_id == segment_id, Translation.language == "en"
            )
        ).all()
    assert texts == ["first"]


def test_a_draft_breaking_another_constraint_is_an_error_not_a_silent_skip(
    settings: Settings,
) -> None:

    # No such segment: the foreign key refuses the row, and that must not pass for "stored first".
    with pytest.raises(IntegrityError):
        _store_draft(settings.resolved_database_url, 987_654, "en", Draft("text", "memory"), [])
