"""Spans of findings survive storage as JSON, old rows without them still load, stale ones show none."""

from __future__ import annotations

import json

import pytest

from pipeline.quality import findings_for, loaded, stored
from pipeline.review_view import Excerpt, excerpt
from translators.checks import Finding
from translators.glossary import Glossary

SOURCE = "各国驻沪领事机构代表约120人出席会议。"
TARGET = "About 150 representatives attended."


def test_spans_survive_storage_and_reload() -> None:
    rows = json.loads(json.dumps(findings_for(SOURCE, TARGET, "en", "paragraph", Glossary([]))))
    [number] = [loaded(row) for row in rows if row["check"] == "numbers"]
    assert number.source_span is not None and number.target_span is not None
    assert SOURCE[slice(*number.source_span)] == "120"
    assert TARGET[slice(*number.target_span)] == "150"
    assert rows[0]["source_span"] == list(number.source_span)


def test_a_finding_without_spans_is_stored_as_before() -> None:
    row = stored(Finding("markup", "error", "inline HTML"))
    assert row == {"check": "markup", "severity": "error", "message": "inline HTML"}
    assert loaded(row) == Finding("markup", "error", "inline HTML")


@pytest.mark.parametrize(
    "row",
    [
        {"check": "numbers", "severity": "error", "message": "old"},
        {"check": "numbers", "severity": "error", "message": "old", "source_span": None},
        {"check": "numbers", "severity": "error", "message": "old", "source_span": [3, 1]},
        {"check": "numbers", "severity": "error", "message": "old", "source_span": ["a", 1]},
    ],
)
def test_old_or_malformed_rows_load_without_spans(row: dict[str, object]) -> None:
    assert loaded(row) == Finding("numbers", "error", "old")


def test_an_excerpt_marks_the_span_and_a_span_past_the_text_shows_none() -> None:
    assert excerpt("共120件", [1, 4]) == Excerpt("共", "120", "件")
    assert excerpt("共120件", [1, 40]) is None
    assert excerpt(None, [0, 1]) is None
    assert excerpt("共120件", None) is None
