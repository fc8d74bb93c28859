"""Site channel: a plain HTML page per notice and language, and an index per language."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from content.render import markdown_to_html
from publishers.base import LANGUAGE_NAMES, ChannelResult, Page

_templates = Environment(
    loader=PackageLoader("publishers", "templates"),
    autoescape=select_autoescape(default=True),
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class IndexEntry:
    """One line of a language's index page."""

    notice_id: int
    title: str
    column: str
    published_on: date


def page_path(language: str, notice_id: int) -> str:
    """Where a notice's page lives, relative to the site folder."""
    return f"{language}/notices/{notice_id}.html"


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename over it, so a reader or a crash never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class SitePublisher:
    """Writes pages under ``site_dir``; the same page twice gives the same bytes."""

    channel = "site"

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir

    def publish(self, page: Page) -> ChannelResult:
        """Render the notice page (Markdown sanitised) and write it in place."""
        relative = page_path(page.language, page.notice_id)
        html = _templates.get_template("page.html").render(
            page=page,
            body=markdown_to_html(page.body_markdown),
            language_name=LANGUAGE_NAMES,
            alternates=[
                (lang, "../../" + page_path(lang, page.notice_id)) for lang in page.languages
            ],
        )
        write_atomically(self.site_dir / relative, html)
        return ChannelResult("published", relative)

    def write_index(self, language: str, entries: list[IndexEntry]) -> str:
        """Rewrite a language's index, newest first."""
        relative = f"{language}/index.html"
        ordered = sorted(entries, key=lambda e: (e.published_on, e.notice_id), reverse=True)
        html = _templates.get_template("index.html").render(
            language=language,
            language_name=LANGUAGE_NAMES,
            entries=ordered,
            link=lambda entry: f"notices/{entry.notice_id}.html",
        )
        write_atomically(self.site_dir / relative, html)
        return relative

    def remove(self, language: str, notice_id: int) -> bool:
        """Delete a notice's page in one language; False when it was not there (a second run)."""
        path = self.site_dir / page_path(language, notice_id)
        existed = path.exists()
        path.unlink(missing_ok=True)
        return existed
