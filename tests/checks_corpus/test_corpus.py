"""The corpus files keep their format, so the benchmark's figures mean what they say."""

from __future__ import annotations

import pytest

from core.languages import OFFICE_COLUMNS
from tests.checks_corpus import corpus


def test_the_sources_are_office_chinese() -> None:
    found = corpus.sources()
    assert len(found) >= 300
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in found.values())


@pytest.mark.parametrize("language", OFFICE_COLUMNS)  # the corpus has the office's four
def test_each_language_has_a_good_and_a_bad_translation_of_every_segment(language: str) -> None:
    rows = corpus.rows(language)
    assert len(rows) == len(corpus.sources())
    assert set(row.error for row in rows) <= set(corpus.ERROR_CLASSES)


def test_a_row_without_its_error_class_is_refused_with_its_line(tmp_path, monkeypatch) -> None:
    (tmp_path / "source.tsv").write_text("id\torigin\tzh\nc001\tx\t共329篇。\n", encoding="utf-8")
    (tmp_path / "en.tsv").write_text(
        "id\tgood\tbad\terror\tnote\nc001\t329 articles.\t328 articles.\tnumbers\t\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(corpus, "HERE", tmp_path)
    with pytest.raises(corpus.CorpusError, match=r"en.tsv: line 2: error 'numbers' is not one of"):
        corpus.rows("en")
