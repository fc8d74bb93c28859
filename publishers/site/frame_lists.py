"""The lists every page's frame carries, written as HTML here rather than looped in the template.

A notice page's head lists its alternates and its masthead the other languages and the columns:
about forty of the seventy-odd values the template escaped for each page, in a build of 50,000
pages. What does not change from page to page (a language's own name and tags, a
folder's links to the columns) is escaped once and kept; the bytes are those the template's loops
wrote (tests/publishers/test_site_frame_lists.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from core.languages import language as language_entry


@dataclass(frozen=True)
class LanguageLink:
    """An entry of a language switcher: the language named in itself, with its own tag and direction."""

    code: str
    bcp47: str
    name: str
    direction: str
    script: str
    link: str


def language_link(code: str, link: str) -> LanguageLink:
    """The switcher's entry for ``code`` pointing at ``link``."""
    entry = language_entry(code)
    return LanguageLink(code, entry.bcp47, entry.own_name, entry.direction, entry.script, link)


def alternate_links(alternates: Sequence[tuple[str, str]]) -> Markup:
    """``<link rel="alternate">`` lines for (hreflang, address) pairs."""
    return Markup(
        "".join(
            f'<link rel="alternate" hreflang="{escape(lang)}" href="{escape(url)}">\n'
            for lang, url in alternates
        )
    )


def switch_items(languages: Sequence[LanguageLink]) -> Markup:
    """The language switcher's ``<li>`` lines."""
    return Markup(
        "".join(
            f'<li><a href="{escape(other.link)}"'
            f"{_language_attributes(other.bcp47, other.direction, other.script, other.name)}"
            "</a></li>\n"
            for other in languages
        )
    )


def column_items(columns: Sequence[tuple[str, str]]) -> Markup:
    """The column navigation's ``<li>`` lines for (name, link) pairs."""
    return _column_items(tuple(columns))


@lru_cache(maxsize=4_096)
def _column_items(columns: tuple[tuple[str, str], ...]) -> Markup:
    # Keyed by names and links: every page of a folder has the same, so each is written once.
    return Markup(
        "".join(f'<li><a href="{escape(link)}">{escape(name)}</a></li>\n' for name, link in columns)
    )


@lru_cache(maxsize=1_024)
def _language_attributes(bcp47: str, direction: str, script: str, name: str) -> str:
    tag = escape(bcp47)
    return (
        f' hreflang="{tag}" lang="{tag}" dir="{escape(direction)}" '
        f'data-script="{escape(script)}">{escape(name)}'
    )
