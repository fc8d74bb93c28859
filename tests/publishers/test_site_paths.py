"""Links between the site's files: relative, percent-encoded, the same as ``posixpath.relpath``."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

import pytest

from publishers.site.paths import href


@pytest.mark.parametrize(
    ("here", "target", "expected"),
    [
        ("zh/notices/0/1.html", "zh/notices/0/2.html", "2.html"),
        ("zh/notices/0/1.html", "en/notices/0/1.html", "../../../en/notices/0/1.html"),
        ("zh/index.html", "zh/columns/政务公开/index.html", quote("columns/政务公开/index.html")),
        ("index.html", "zh/index.html", "zh/index.html"),
        ("zh/index.html", "index.html", "../index.html"),
        ("zh/index.html", "zh", "."),
        ("zh/notices/0/1.html", "media/ab.png", "../../../media/ab.png"),
        ("zh/search/index.json", "zh/notices/1/100.html", "../notices/1/100.html"),
        # Not the site's own shape: what relpath makes of it.
        ("zh/./a.html", "zh/../en/b.html", "../en/b.html"),
        ("zh//a.html", "zh/b/", "b"),
    ],
)
def test_a_link_is_what_relpath_gives(here: str, target: str, expected: str) -> None:
    assert href(here, target) == expected
    assert href(here, target) == quote(posixpath.relpath(target, posixpath.dirname(here) or "."))
