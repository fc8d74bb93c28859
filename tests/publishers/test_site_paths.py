"""Links between the site's files: relative, percent-encoded, the same as ``posixpath.relpath``."""

from __future__ import annotations

import posixpath
import random
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


def test_links_from_any_folder_shape_are_what_relpath_gives() -> None:
    # Doubled and dotted folders too: the page's folder is found without posixpath.dirname.
    rng = random.Random(7)
    parts = ["zh", "en", "notices", "0", ".", "", "政务 公开"]
    for _ in range(3_000):
        here = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4))) + "/p.html"
        target = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4))) + "/q.html"
        if here.startswith("/") or target.startswith("/"):
            continue
        expected = quote(posixpath.relpath(target, posixpath.dirname(here) or "."))
        assert href(here, target) == expected, (here, target)
