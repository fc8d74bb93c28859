"""What the site writes for machines: Atom feeds, sitemaps and the sitemap index.

Times are RFC 3339 to the second with the office's offset (+08:00), so a feed's day reads like
the page's; readers compare them as instants whatever the offset.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from core.clock import OFFICE_TIME_ZONE
from publishers.site.catalog import Entry

# Tags are written plain and the namespaces declared on each root, so no tag carries a prefix.
_ATOM = {"xmlns": "http://www.w3.org/2005/Atom"}
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_SITEMAP = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_XHTML = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'
# The <updated> of a feed with no entry yet: Atom requires one, and no notice is older.
_EMPTY_FEED = datetime(2000, 1, 1, 9, 0, tzinfo=OFFICE_TIME_ZONE)


@dataclass(frozen=True)
class FeedHead:
    """What a feed says about itself."""

    language: str
    title: str
    home_url: str  # the feed's id and its alternate link
    self_url: str


@dataclass(frozen=True)
class SitemapUrl:
    """One page as a sitemap lists it."""

    loc: str
    lastmod: datetime | None
    alternates: Sequence[tuple[str, str]] = ()  # (hreflang, absolute address), as the page lists


def rfc3339(moment: datetime) -> str:
    """A moment as RFC 3339 (and W3C Datetime) to the second, with the office's offset."""
    return moment.astimezone(OFFICE_TIME_ZONE).isoformat(timespec="seconds")


def atom_feed(head: FeedHead, entries: Sequence[tuple[Entry, str]]) -> bytes:
    """An Atom feed of ``entries`` (each with its page's address), newest first.

    Each entry is published when its language first went on the site and updated when the
    version shown was; the feed is updated when its newest entry was.
    """
    feed = ET.Element("feed", _ATOM | {"xml:lang": head.language})
    ET.SubElement(feed, "title").text = head.title
    ET.SubElement(feed, "id").text = head.home_url
    ET.SubElement(feed, "link", rel="alternate", href=head.home_url)
    ET.SubElement(feed, "link", rel="self", href=head.self_url)
    newest = max((entry.updated for entry, _ in entries), default=_EMPTY_FEED)
    ET.SubElement(feed, "updated").text = rfc3339(newest)
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = head.title
    for entry, url in entries:
        item = ET.SubElement(feed, "entry")
        ET.SubElement(item, "title").text = entry.title
        ET.SubElement(item, "id").text = url
        ET.SubElement(item, "link", rel="alternate", href=url)
        ET.SubElement(item, "published").text = rfc3339(entry.published)
        ET.SubElement(item, "updated").text = rfc3339(entry.updated)
        ET.SubElement(item, "summary").text = entry.summary
    return _document(feed)


# Sitemaps are written as text: a shard's is thousands of elements, which an element tree
# takes several times longer to serialise, on every publish. Every value is escaped.


def urlset(urls: Iterable[SitemapUrl]) -> bytes:
    """A sitemap of ``urls`` with their last changes and hreflang alternates."""
    parts = [_DECLARATION, f"<urlset {_SITEMAP} {_XHTML}>"]
    # A notice's pages share one list of alternates: it is escaped once (the list is held, so
    # its id is not reused while the sitemap is written).
    written: dict[int, tuple[Sequence[tuple[str, str]], str]] = {}
    for page in urls:
        parts.append(f"<url><loc>{escape(page.loc)}</loc>{_lastmod(page.lastmod)}")
        known = written.get(id(page.alternates))
        if known is None:
            known = written[id(page.alternates)] = (page.alternates, _links(page.alternates))
        parts.append(known[1])
        parts.append("</url>")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def sitemap_index(files: Iterable[tuple[str, datetime | None]]) -> bytes:
    """The sitemap index: each sitemap's address and the newest last change in it."""
    parts = [_DECLARATION, f"<sitemapindex {_SITEMAP}>"]
    parts.extend(
        f"<sitemap><loc>{escape(address)}</loc>{_lastmod(lastmod)}</sitemap>"
        for address, lastmod in files
    )
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode("utf-8")


def _links(alternates: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f'<xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} href={quoteattr(address)} />'
        for hreflang, address in alternates
    )


def _lastmod(moment: datetime | None) -> str:
    return "" if moment is None else f"<lastmod>{rfc3339(moment)}</lastmod>"


def _document(element: ET.Element) -> bytes:
    return ET.tostring(element, encoding="utf-8", xml_declaration=True) + b"\n"
