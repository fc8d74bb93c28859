"""The engine output cache and the glossary in the database, through real drafting."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.settings import Settings
from pipeline.drafting import EngineChain
from pipeline.engine_cache import SqlOutputCache
from pipeline.glossary import import_terms, load_glossary
from store.db import transaction
from store.models import AuditEntry, EngineOutput, GlossaryTerm
from tests.notices import write_notice
from tests.pipeline.steps import EDITOR, draft, queue, translations
from tests.standins.libretranslate import LibreTranslateStandIn
from translators.glossary import Term

SHARED = "各国驻沪领事机构代表约120人出席会议。"


def test_a_sentence_of_two_notices_is_sent_to_the_engine_once(
    settings: Settings,
    url: str,
    tmp_path: Path,
    chain: EngineChain,
    libretranslate: LibreTranslateStandIn,
) -> None:
    first = queue(settings, write_notice(tmp_path / "a.md", languages=["en"])).version_id
    second = queue(
        settings,
        write_notice(tmp_path / "b.md", title="市政府外办召开领事工作座谈会", languages=["en"]),
    ).version_id
    draft(url, first, chain)
    draft(url, second, chain)
    sent = [r["q"] for r in libretranslate.requests]
    assert sent.count(SHARED) == 1
    assert len(sent) == len(set(sent)), "no text was sent twice"
    position = next(
        p for p, t in translations(url, second, "en").items() if "120" in (t.text or "")
    )
    assert translations(url, second, "en")[position].note == "from the engine cache"
    with transaction(url) as session:
        assert session.scalar(select(func.count()).select_from(EngineOutput)) == len(sent)


def test_storing_an_answer_twice_keeps_the_first(url: str) -> None:
    cache = SqlOutputCache(url)
    cache.put("libretranslate", "en", "通知", "Notice")
    cache.put("libretranslate", "en", "通知", "Announcement")
    assert cache.get("libretranslate", "en", "通知") == "Notice"
    assert cache.get("libretranslate", "fr", "通知") is None
    assert cache.get("baidu", "en", "通知") is None


def test_the_glossary_is_the_starter_terms_under_the_office_s_own(url: str) -> None:
    with transaction(url) as session:
        starter = load_glossary(session)
        assert [t.target for t in starter.hits("办理领事认证", "en")] == ["consular legalization"]
        done = import_terms(
            session,
            [
                Term("领事认证", "en", "consular authentication"),
                Term("外事办公室", "fr", "Bureau des affaires étrangères"),
            ],
            "glossary:office.csv",
            EDITOR,
        )
        assert (done.added, done.changed, done.unchanged) == (2, 0, 0)
    with transaction(url) as session:
        again = import_terms(
            session,
            [Term("领事认证", "en", "consular authentication")],
            "glossary:office.csv",
            EDITOR,
        )
        assert (again.added, again.changed, again.unchanged) == (0, 0, 1)
        glossary = load_glossary(session)
        assert [t.target for t in glossary.hits("办理领事认证", "en")] == [
            "consular authentication"
        ]
        assert session.scalar(select(func.count()).select_from(GlossaryTerm)) == 2
        imports = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "glossary imported")
        ).all()
        assert len(imports) == 2


def test_drafting_writes_the_office_s_term(
    settings: Settings, url: str, tmp_path: Path, chain: EngineChain
) -> None:
    with transaction(url) as session:
        import_terms(session, [Term("领事认证", "en", "consular authentication")], "test", EDITOR)
    version_id = queue(settings, write_notice(tmp_path / "a.md", languages=["en"])).version_id
    draft(url, version_id, chain)
    texts = [t.text or "" for t in translations(url, version_id, "en").values()]
    assert sum("consular authentication" in text for text in texts) == 2  # sentence and table cell


def test_the_memory_exported_as_tmx_and_imported_again_is_the_same(
    url: str, tmp_path: Path
) -> None:
    from pipeline.memory import export_units, fuzzy_suggestions, import_units, remember
    from store.models import MemoryUnit
    from translators.tmx import read_tmx, write_tmx

    pairs = {
        ("会议于3月3日召开。", "en"): 'The meeting <took> place on "March 3" & ended.',
        ("会议于3月3日召开。", "ja"): "会議は3月3日に開かれた。",
        ("会议于3月3日召开。", "fr"): "La réunion s'est tenue le 3 mars.",
        ("请提交申请。", "ko"): "신청서를 제출하십시오.",
    }
    with transaction(url) as session:
        for (source, language), target in pairs.items():
            remember(session, source, language, target, "test")
        data = write_tmx(export_units(session))

    def rows(session: Session) -> set[tuple[str, str, str]]:
        query = select(MemoryUnit.source_text, MemoryUnit.target_language, MemoryUnit.target_text)
        return {(a, b, c) for a, b, c in session.execute(query)}

    with transaction(url) as session:
        before = rows(session)
        session.execute(MemoryUnit.__table__.delete())
    with transaction(url) as session:
        changed, unchanged = import_units(session, read_tmx(data), "tmx:export.tmx")
        assert (changed, unchanged) == (4, 0)
        assert rows(session) == before
        # The fuzzy index sees the re-imported memory at once.
        [match] = fuzzy_suggestions(session, "会议于3月4日召开。", "ja")
        assert match.target == "会議は3月3日に開かれた。" and 80 < match.score < 100
