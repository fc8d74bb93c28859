"""The worked examples of docs/architecture.md are excerpts of the tested outside package."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# An excerpt is announced by a comment naming its file, then given as one fenced block.
EXCERPT = re.compile(r"<!-- excerpt: (?P<path>\S+) -->\n```\w*\n(?P<code>.*?)```", re.S)


def excerpts(markdown: str) -> list[tuple[str, str]]:
    return [(m["path"], m["code"]) for m in EXCERPT.finditer(markdown)]


def test_every_excerpt_is_word_for_word_in_its_file() -> None:
    found = excerpts((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    assert {path for path, _ in found} >= {
        "tests/outside_package/pyproject.toml",
        "tests/outside_package/waiwen_outside_example/engine.py",
        "tests/outside_package/waiwen_outside_example/check.py",
        "tests/outside_package/waiwen_outside_example/publisher.py",
    }
    stale = [path for path, code in found if code not in (ROOT / path).read_text(encoding="utf-8")]
    assert stale == []


def test_a_changed_excerpt_is_found_stale() -> None:
    doc = '<!-- excerpt: tests/outside_package/pyproject.toml -->\n```toml\nname = "other"\n```\n'
    [(path, code)] = excerpts(doc)
    assert code not in (ROOT / path).read_text(encoding="utf-8")
