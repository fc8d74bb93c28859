"""Every check on office sentences in each further language: correct translations pass, bad ones
are caught by the check of their error class (pairs in this folder, one TSV per language)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from core.languages import SHIPPED_TARGETS
from tests.translators.checks_languages.pairs import (
    CHECK_OF_ERROR,
    Pair,
    PairFileError,
    languages,
    pairs,
)
from translators.checks import CheckContext, run_checks
from translators.checks.language_checks import LanguageIdentityCheck, LeftoverHanCheck
from translators.checks.testing import CheckContract
from translators.checks.values_checks import DatesCheck, NumbersCheck
from translators.glossary import Glossary

CORPUS = Path(__file__).resolve().parents[2] / "checks_corpus"
GLOSSARY = Glossary.starter()
ALL_PAIRS = [pair for language in languages() for pair in pairs(language)]
MIN_PAIRS = 15


def errors(source: str, target: str, language: str) -> list[str]:
    """`check: message` of every error-level finding of every check on one pair."""
    findings = run_checks(source, target, CheckContext(language, GLOSSARY))
    return [f"{f.check_id}: {f.message}" for f in findings if f.severity == "error"]


def test_every_shipped_target_has_office_pairs_here_or_in_the_corpus() -> None:
    missing = [
        code
        for code in SHIPPED_TARGETS
        if code not in languages() and not (CORPUS / f"{code}.tsv").exists()
    ]
    assert not missing, f"no office pairs for {missing}"
    assert set(languages()) <= set(SHIPPED_TARGETS)


@pytest.mark.parametrize("language", languages())
def test_each_language_has_enough_pairs_of_every_error_class(language: str) -> None:
    rows = pairs(language)
    assert len(rows) >= MIN_PAIRS
    classes = Counter(row.error for row in rows)
    assert set(classes) == set(CHECK_OF_ERROR), f"{language}: {dict(classes)}"


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=lambda p: f"{p.language}-{p.id}")
def test_a_correct_translation_gives_no_error(pair: Pair) -> None:
    assert errors(pair.source, pair.good, pair.language) == []


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=lambda p: f"{p.language}-{p.id}-{p.error}")
def test_a_bad_translation_gives_the_error_of_its_class(pair: Pair) -> None:
    found = errors(pair.source, pair.bad, pair.language)
    check = CHECK_OF_ERROR[pair.error]
    assert any(e.startswith(f"{check}: ") for e in found), f"{pair.note}: {found}"


def test_a_malformed_pair_file_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    from tests.translators.checks_languages import pairs as module

    broken = tmp_path / "xx.tsv"
    broken.write_text("id\tgood\tbad\terror\tnote\ns01\tonly two cells\n", encoding="utf-8")
    with pytest.raises(PairFileError, match=r"xx\.tsv:2: a row has 5 non-empty"):
        module._lines(broken, module.COLUMNS)


def _rows(error_classes: tuple[str, ...]) -> tuple[list[tuple[str, str, str]], ...]:
    good = [(p.source, p.good, p.language) for p in ALL_PAIRS]
    bad = [(p.source, p.bad, p.language) for p in ALL_PAIRS if p.error in error_classes]
    return good, bad


class TestNumbersCheckInEveryLanguage(CheckContract):
    check = NumbersCheck()
    good, bad = _rows(("number", "scale"))


class TestDatesCheckInEveryLanguage(CheckContract):
    check = DatesCheck()
    good, bad = _rows(("date",))


class TestLanguageCheckInEveryLanguage(CheckContract):
    check = LanguageIdentityCheck()
    good, bad = _rows(("language",))


class TestLeftoverHanCheckInEveryLanguage(CheckContract):
    check = LeftoverHanCheck()
    good, bad = _rows(("untranslated",))
