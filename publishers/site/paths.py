"""Where each page of the site lives, relative to the site folder, and how pages link each other."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import quote

PAGE_SIZE = 20  # notices per column page
# Notices per page folder (notices/0/ holds notices 0-499). It is part of every page's address,
# so it stays fixed; it keeps each folder small enough to list quickly at 10,000 notices.
FOLDER_SIZE = 500


def page_path(language: str, notice_id: int) -> str:
    """A notice's page in one language."""
    return f"{language}/notices/{notice_id // FOLDER_SIZE}/{notice_id}.html"


def home_path(language: str) -> str:
    """A language's home page."""
    return f"{language}/index.html"


def column_path(language: str, column: str, page: int | None = None) -> str:
    """A column's newest page (``page`` None) or its archive page ``page`` (1 is the oldest)."""
    name = "index.html" if page is None else f"page-{page}.html"
    return f"{language}/columns/{column}/{name}"


def feed_path(language: str) -> str:
    """A language's Atom feed."""
    return f"{language}/feed.xml"


def search_page_path(language: str) -> str:
    """A language's search page."""
    return f"{language}/search.html"


def search_manifest_path(language: str) -> str:
    """A language's search index: the list of its shard files."""
    return f"{language}/search.json"


def search_shard_path(language: str, shard: int) -> str:
    """One shard of a language's search index."""
    return f"{language}/search/{shard}.json"


def sitemap_shard_path(shard: int) -> str:
    """The sitemap of one shard of notices, every language with its alternates."""
    return f"sitemaps/{shard}.xml"


def home_sitemap_path() -> str:
    """The sitemap of the language chooser and every language's home, with their alternates."""
    return "sitemaps/home.xml"


def column_sitemap_path(column: str) -> str:
    """The sitemap of one column's pages in every language."""
    return f"sitemaps/columns/{column}.xml"


def media_path(digest: str, suffix: str) -> str:
    """An image, named by its content so a changed image never hides behind a cached one."""
    return f"media/{digest[:20]}{suffix}"


def href(from_path: str, to_path: str) -> str:
    """A relative, percent-encoded link from one page to another."""
    folder, slash, _ = from_path.rpartition("/")
    if slash and (not folder or folder.endswith("/")):
        folder = posixpath.dirname(from_path)  # "/x", "a//b": what dirname makes of them
    return _href_from(folder, to_path)


# Keyed by the page's folder, not the page: a folder's pages share their links to columns,
# homes and feeds, so a build computes each once per folder rather than once per page.
@lru_cache(maxsize=65_536)
def _href_from(folder: str, to_path: str) -> str:
    return quote(_relative(to_path, folder))


def _relative(target: str, folder: str) -> str:
    """``posixpath.relpath(target, folder)`` for the site's own paths, without asking for the cwd.

    The site's paths are relative and normalised; anything else goes to ``relpath`` itself.
    """
    start = folder.split("/") if folder else []
    parts = target.split("/")
    if target.startswith("/") or any(part in ("", ".", "..") for part in start + parts):
        return posixpath.relpath(target, folder or ".")
    common = 0
    for mine, theirs in zip(start, parts, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."


def absolute(base_url: str, path: str) -> str:
    """A page's public address."""
    return base_url.rstrip("/") + "/" + quote(path)
