"""What a language will look like on the site and on WeChat, from the texts as they stand now."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.render import markdown_to_html
from core.languages import language as language_entry
from pipeline.lookups import current_language
from pipeline.published import short_wechat_title
from pipeline.texts import assembled_body, language_texts
from publishers.site.bidi import isolate_ltr_runs
from publishers.wechat.content import NotFitForWeChat, wechat_html, wechat_title
from store.models import NoticeImage, NoticeVersion


@dataclass(frozen=True)
class Preview:
    title: str
    body_html: str
    wechat_title: str = ""
    problem: str = ""  # why WeChat would refuse it as it stands


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
    texts = language_texts(session, version.id, language)
    body = assembled_body(version.skeleton or "", texts, language)
    title = texts.get(0, version.title)
    images = image_addresses(session, version, image_base)
    if channel == "site":
        html = markdown_to_html(body)
        for source, address in images.items():
            html = html.replace(f'src="{source}"', f'src="{address}"')
        if language_entry(language).direction == "rtl":  # as the site isolates them
            html = isolate_ltr_runs(html)
        return Preview(title, html)
    try:
        short = short_wechat_title(version.front_matter, language)
        shown_title, problem = wechat_title(title, short, language), ""
    except NotFitForWeChat as refused:
        shown_title, problem = title, str(refused)
    return Preview(title, wechat_html(body, images, language), shown_title, problem)
