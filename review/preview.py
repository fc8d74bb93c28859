"""What a language will look like on the site and on WeChat, from the texts as they stand now."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.render import markdown_to_html
from content.segments import assemble
from pipeline.publishing import short_wechat_title
from pipeline.review import current_language
from publishers.wechat.content import NotFitForWeChat, wechat_html, wechat_title
from store.models import NoticeImage, NoticeVersion, Segment, Translation


@dataclass(frozen=True)
class Preview:
    title: str
    body_html: str
    wechat_title: str = ""
    problem: str = ""  # why WeChat would refuse it as it stands


def _texts(session: Session, version: NoticeVersion, language: str) -> dict[int, str]:
    if language == "zh":
        rows = session.execute(
            select(Segment.position, Segment.source_text).where(Segment.version_id == version.id)
        )
    else:
        rows = session.execute(
            select(Segment.position, Translation.text)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Segment.version_id == version.id, Translation.language == language)
        )
    return {position: text or "" for position, text in rows}


def image_addresses(session: Session, version: NoticeVersion, base: str) -> dict[str, str]:
    """Each image of the body -> where the desk serves the stored copy."""
    return {
        source: f"{base}/{sha}"
        for source, sha in session.execute(
            select(NoticeImage.source, NoticeImage.sha256).where(
                NoticeImage.version_id == version.id
            )
        )
    }


def preview(session: Session, notice: str, language: str, channel: str, image_base: str) -> Preview:
    """The page as the site or WeChat would show it (channel ``site`` or ``wechat``)."""
    version, _ = current_language(session, notice, language)
    texts = _texts(session, version, language)
    body = assemble(version.skeleton or "", {p: t for p, t in texts.items() if p != 0}, language)
    title = texts.get(0, version.title)
    images = image_addresses(session, version, image_base)
    if channel == "site":
        html = markdown_to_html(body)
        for source, address in images.items():
            html = html.replace(f'src="{source}"', f'src="{address}"')
        return Preview(title, html)
    try:
        short = short_wechat_title(version.front_matter, language)
        shown_title, problem = wechat_title(title, short, language), ""
    except NotFitForWeChat as refused:
        shown_title, problem = title, str(refused)
    return Preview(title, wechat_html(body, images), shown_title, problem)
