"""Every address a site file points to, as a path inside the site: pages, feeds, sitemaps, search JSON."""

from __future__ import annotations

import json
import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urlsplit
from xml.etree import ElementTree as ET

# The attributes of a page that lead to another file of the site (data-index: the search index).
LINKING = ("href", "src", "data-index")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.found += [values[name] for name in LINKING if name in values]
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates.append((values["hreflang"], values["href"]))


def alternates(data: bytes) -> list[tuple[str, str]]:
    """The hreflang alternates of one page: (language, address)."""
    parser = _Links()
    parser.feed(data.decode("utf-8"))
    return parser.alternates


def addresses(name: str, data: bytes, base_url: str) -> list[str]:
    """The addresses one file of the site points to, as written in it."""
    if name.endswith(".html"):
        parser = _Links()
        parser.feed(data.decode("utf-8"))
        return parser.found
    if name.endswith(".xml"):
        root = ET.fromstring(data)
        found = []
        for element in root.iter():
            found += [value for value in element.attrib.values() if value.startswith(base_url)]
            if element.text and element.text.strip().startswith(base_url):
                found.append(element.text.strip())
        return found
    if name.endswith("/search.json"):
        return list(json.loads(data)["shards"])
    if "/search/" in name and name.endswith(".json"):
        # Rows point at pages relative to the index that lists them (LANG/search.json).
        return ["../" + row["url"] for row in json.loads(data)]
    return []


def target(name: str, address: str, base_url: str) -> str | None:
    """The site path an address of file ``name`` leads to (None: a fragment of the same file).

    An address outside the site (another host, another scheme) comes back as it is, so it
    shows up as missing.
    """
    address, _ = urldefrag(address)
    if not address:
        return None
    if address.startswith(base_url):
        path = unquote(address.removeprefix(base_url))
    elif urlsplit(address).scheme or address.startswith("//"):
        return address
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(address)))
    if path in ("", ".") or path.endswith("/"):
        path = posixpath.join(path, "index.html")
    return posixpath.normpath(path)


def broken_links(files: dict[str, bytes], base_url: str) -> list[tuple[str, str]]:
    """(file, address) for every address in the site's files that leads to no file of it."""
    broken = []
    for name, data in files.items():
        for address in addresses(name, data, base_url):
            path = target(name, address, base_url)
            if path is not None and path not in files:
                broken.append((name, address))
    return broken
