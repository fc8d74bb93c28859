"""The pipeline's steps as one-liners for tests: queue, draft, review, publish, read back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from content.notice import IntakeRules
from core.settings import DEFAULT_COLUMNS as COLUMNS
from core.settings import Settings
from pipeline import review
from pipeline.drafting import (
    EngineChain,
    LanguageDraft,
    draft_language,
    prepare_version,
    settle_version,
)
from pipeline.glossary import load_glossary
from pipeline.intake import QueueOutcome, queue_sources, read_notices
from pipeline.lookups import current_language
from pipeline.memory import remember
from pipeline.publishing import PublishedLanguage, publish_version
from pipeline.quality import blocking
from publishers.site import Site
from publishers.site.publisher import SitePublisher
from publishers.wechat import WeChatNotConfigured
from store.db import transaction
from store.models import AuditEntry, Segment, Translation
from tests.standins.chat import API_KEY, MODEL
from translators.base import Engine
from translators.libretranslate import LibreTranslateEngine
from translators.llm.engine import OpenAIEngine

EDITOR = "编辑甲"
REVIEWER = "审校乙"
WECHAT_LANGUAGES = ("zh", "en")


def engine_chain(url: str) -> EngineChain:
    """LibreTranslate at ``url``, one try, no throttle, no waiting."""
    return EngineChain(
        engines=[LibreTranslateEngine(url)], throttle=None, attempts=1, backoff=lambda _: None
    )


def llm_engine_chain(
    base_url: str, *after: Engine, timeout: float = 10.0, max_batch_tokens: int = 3000
) -> EngineChain:
    """Engine `openai` on the chat stand-in at `base_url` (then `after`), three tries, no waiting."""
    engine = OpenAIEngine(
        base_url,
        MODEL,
        api_key=API_KEY,
        timeout=timeout,
        max_batch_tokens=max_batch_tokens,
        sleep=lambda _seconds: None,
    )
    return EngineChain(engines=[engine, *after], throttle=None, attempts=3, backoff=lambda _: None)


NO_ENGINES = EngineChain(engines=[], throttle=None, attempts=1, backoff=lambda _: None)


def queue(settings: Settings, path: Path) -> QueueOutcome:
    """Queue one notice file, as `waiwen queue` does."""
    rules = IntakeRules(columns=settings.columns, max_bytes=settings.max_notice_bytes)
    with transaction(settings.resolved_database_url) as session:
        [outcome] = queue_sources(session, read_notices([path], rules), EDITOR)
    return outcome


def prepare(url: str, version_id: int) -> list[str]:
    """Segment a version (once); the languages still drafting."""
    with transaction(url) as session:
        return prepare_version(session, version_id)


def settle(url: str, version_id: int) -> str:
    with transaction(url) as session:
        return settle_version(session, version_id)


def draft(
    url: str, version_id: int, chain: EngineChain, languages: list[str] | None = None
) -> dict[str, LanguageDraft]:
    """Prepare the version, draft the given (default: all pending) languages, then settle it."""
    pending = prepare(url, version_id)
    drafts = {
        lang: draft_language(url, version_id, lang, chain)
        for lang in (languages if languages is not None else pending)
    }
    settle(url, version_id)
    return drafts


def learn(url: str, pairs: dict[str, str], language: str) -> None:
    """Put human translations into the memory table, as an imported TMX would."""
    with transaction(url) as session:
        for source, target in pairs.items():
            remember(session, source, language, target, "test")


def override_all(url: str, notice: str, language: str, reason: str) -> int:
    """Accept every blocking finding of a language with one written reason; how many there were."""
    with transaction(url) as session:
        version, _ = current_language(session, notice, language)
        found = blocking(session, version.id, language, load_glossary(session))
        for item in found:
            review.override_check(
                session, notice, language, item.position, item.check_id, reason, REVIEWER
            )
    return len(found)


def approve(url: str, notice: str, language: str) -> None:
    with transaction(url) as session:
        review.approve(session, notice, language, REVIEWER)


def publish(url: str, version_id: int, site_dir: Path) -> list[PublishedLanguage]:
    """Publish on the site, with WeChat not configured (the default channels)."""
    site = SitePublisher(Site(site_dir, "https://wsb.example.gov.cn/", COLUMNS))
    return publish_version(
        url, version_id, {"site": site, "wechat": WeChatNotConfigured(WECHAT_LANGUAGES)}
    )


def segments(url: str, version_id: int) -> dict[int, str]:
    """Position -> Chinese source text of a version."""
    with transaction(url) as session:
        rows = session.execute(
            select(Segment.position, Segment.source_text).where(Segment.version_id == version_id)
        ).all()
    return dict(rows)


def translations(url: str, version_id: int, language: str) -> dict[int, Translation]:
    """Position -> stored translation row of a version in one language."""
    with transaction(url) as session:
        rows = session.execute(
            select(Segment.position, Translation)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Segment.version_id == version_id, Translation.language == language)
        ).all()
    return dict(rows)


def audit(url: str) -> list[AuditEntry]:
    """Every audit entry, oldest first."""
    with transaction(url) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def audit_actions(url: str) -> Counter[tuple[str, str | None]]:
    """How often each (action, language) was recorded."""
    return Counter((entry.action, entry.language) for entry in audit(url))
