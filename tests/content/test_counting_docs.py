"""The worked examples of docs/counting.md are checked against the code, so the docs cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content.counting import CONVENTIONS, Measures, measure

DOCS = Path(__file__).resolve().parents[2] / "docs" / "counting.md"
HEADER = "| # | language | text | latin_words | cjk_characters | characters_no_spaces | korean_words | figure |"
_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|n|\|)")


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return "\n" if code == "n" else "|" if code == "|" else chr(int(code[1:], 16))

    return _ESCAPES.sub(one, text)


def worked_examples() -> list[tuple[str, str, bool, Measures, int]]:
    """(number, language, is Markdown, measures, figure) of every row of the docs table."""
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    if HEADER not in lines:
        raise AssertionError(f"{DOCS}: the worked-examples table (header {HEADER}) is missing")
    rows = []
    for line in lines[lines.index(HEADER) + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        number, language, text, *figures = cells
        markdown = language.endswith("*md*")
        rows.append(
            (
                number,
                language.split()[0],
                _unescape(text.strip("`")),
                markdown,
                Measures(*map(int, figures[:4])),
                int(figures[4]),
            )
        )
    if len(rows) < 20:
        raise AssertionError(f"{DOCS}: only {len(rows)} worked examples; expected at least 20")
    return rows


@pytest.mark.parametrize(
    ("number", "language", "text", "markdown", "expected", "figure"),
    worked_examples(),
    ids=lambda value: value if isinstance(value, str) and value.isdigit() else "",
)
def test_worked_example(
    number: str, language: str, text: str, markdown: bool, expected: Measures, figure: int
) -> None:
    measured = measure(text, markdown=markdown)
    assert measured == expected, f"example {number}"
    assert CONVENTIONS["office-2020"].figure(measured, language) == figure, f"example {number}"


def test_the_table_covers_every_language_and_markdown() -> None:
    rows = worked_examples()
    assert {language for _, language, *_ in rows} == {"zh", "en", "ja", "fr", "ko"}
    assert {language for _, language, _, markdown, *_ in rows if markdown} == {
        "zh",
        "en",
        "ja",
        "ko",
    }
