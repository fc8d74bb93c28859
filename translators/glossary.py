"""The office's glossary: official names and terms with the translation each language must use."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

from core.languages import TARGET_LANGUAGES

__all__ = ["LANGUAGES", "Glossary", "GlossaryError", "Term"]

LANGUAGES = TARGET_LANGUAGES  # a term may give a rendering for each target
_STARTER = Path(__file__).resolve().parent / "data" / "glossary.csv"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class GlossaryError(ValueError):
    """A term list that cannot be loaded; the message names file, place, field and rule."""


@dataclass(frozen=True)
class Term:
    """An official Chinese term and its required translation in one language."""

    source: str
    language: str
    target: str
    note: str = ""


class Glossary:
    """Terms by language, found in a source text leftmost-longest."""

    def __init__(self, terms: Iterable[Term]) -> None:
        """Index the terms; a later term for the same source and language replaces an earlier one."""
        by_key = {(t.source, t.language): t for t in terms}
        self._terms = list(by_key.values())
        # Longest first, so 上海市人民政府外事办公室 wins over a shorter term inside it.
        self._by_language: dict[str, list[Term]] = {}
        for term in sorted(self._terms, key=lambda t: (-len(t.source), t.source)):
            self._by_language.setdefault(term.language, []).append(term)

    def __len__(self) -> int:
        """Number of (term, language) entries."""
        return len(self._terms)

    def terms(self, language: str | None = None) -> list[Term]:
        """Every term, or those of one language, sorted by language then source."""
        chosen = [t for t in self._terms if language is None or t.language == language]
        return sorted(chosen, key=lambda t: (t.language, t.source))

    def hits(self, source_text: str, language: str) -> list[Term]:
        """Terms of `language` in the source, leftmost-longest and non-overlapping, in text order."""
        return [term for _, _, term in self.spans(source_text, language)]

    def spans(self, source_text: str, language: str) -> list[tuple[int, int, Term]]:
        """(start, end, term) of every hit in text order; a longer term wins over one inside it."""
        spans: list[tuple[int, int, Term]] = []
        taken = [False] * len(source_text)
        for term in self._by_language.get(language, ()):
            start = source_text.find(term.source)
            while start != -1:
                end = start + len(term.source)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * (end - start)
                    spans.append((start, end, term))
                start = source_text.find(term.source, end)
        return sorted(spans, key=lambda span: span[0])

    @classmethod
    def starter(cls) -> Glossary:
        """The office's starter terms (the domain notes' table), shipped with waiwen."""
        return cls.from_csv(_STARTER)

    @classmethod
    def from_file(cls, path: str | Path) -> Glossary:
        """A term list by its suffix: TBX for ``*.tbx``, CSV otherwise."""
        return cls.from_tbx(path) if Path(path).suffix.lower() == ".tbx" else cls.from_csv(path)

    @classmethod
    def from_csv(cls, path: str | Path) -> Glossary:
        """Read `source,language,target[,note]` rows (UTF-8, BOM allowed); all or nothing."""
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise GlossaryError(f"{name}: not UTF-8 text; save the file as UTF-8 CSV") from None
        rows = csv.reader(io.StringIO(text))
        header = [h.strip().lower() for h in next(rows, [])]
        if header[:3] != ["source", "language", "target"] or len(header) > 4:
            raise GlossaryError(
                f"{name}: line 1: the header must be source,language,target[,note], got {','.join(header)!r}"
            )
        terms: list[Term] = []
        seen: dict[tuple[str, str], tuple[str, int]] = {}
        for line, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row] + [""] * (4 - len(row))
            source, language, target, note = cells[:4]
            where = f"{name}: line {line}"
            for field, value in (("source", source), ("language", language), ("target", target)):
                if not value:
                    raise GlossaryError(f"{where}: field {field} is empty; every term needs it")
            terms.append(_term(where, source, language, target, note, seen, line))
        return cls(terms)

    @classmethod
    def from_tbx(cls, path: str | Path) -> Glossary:
        """Read a TBX file (2008: termEntry/langSet/tig; 2019: conceptEntry/langSec/termSec); source is zh."""
        name = str(path)
        try:
            root = ElementTree.parse(str(path)).getroot()
        except ElementTree.ParseError as error:
            raise GlossaryError(f"{name}: not well-formed XML ({error})") from None
        except DefusedXmlException:
            # Entities and DTDs are how XML files expand or reach outside; a term list needs none.
            raise GlossaryError(
                f"{name}: declares a DTD or entities (<!DOCTYPE …>); TBX needs none, remove it"
            ) from None
        terms: list[Term] = []
        seen: dict[tuple[str, str], tuple[str, int]] = {}
        # TBX 2008 writes termEntry/langSet/tig, TBX 2019 (v3) conceptEntry/langSec/termSec.
        entries = _all(root, "termEntry") + _all(root, "conceptEntry")
        for number, entry in enumerate(entries, start=1):
            entry_id = entry.get("id") or f"#{number}"
            where = f"{name}: {_local(entry.tag)} {entry_id}"
            by_language: dict[str, str] = {}
            for lang_set in _children(entry, "langSet") + _children(entry, "langSec"):
                tag = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
                language = tag.split("-")[0].lower()
                term = next((t for t in _all(lang_set, "term") if (t.text or "").strip()), None)
                if not language:
                    raise GlossaryError(f"{where}: a langSet has no xml:lang")
                if term is not None:
                    by_language.setdefault(language, (term.text or "").strip())
            source = by_language.pop("zh", "")
            if not source:
                raise GlossaryError(f"{where}: field term in langSet xml:lang='zh' is missing")
            for language, target in by_language.items():
                terms.append(_term(where, source, language, target, "", seen, number))
        return cls(terms)


def _term(
    where: str,
    source: str,
    language: str,
    target: str,
    note: str,
    seen: dict[tuple[str, str], tuple[str, int]],
    place: int,
) -> Term:
    if language not in LANGUAGES:
        raise GlossaryError(
            f"{where}: field language is {language!r}; it must be one of {', '.join(LANGUAGES)}"
        )
    earlier = seen.get((source, language))
    if earlier is not None and earlier[0] != target:
        raise GlossaryError(
            f"{where}: term {source!r} in {language} is {target!r} here but {earlier[0]!r} at "
            f"{earlier[1]}; a term has one official translation"
        )
    seen[(source, language)] = (target, place)
    return Term(source, language, target, note)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: object, name: str) -> list:  # type: ignore[type-arg]
    return [child for child in element if _local(child.tag) == name]  # type: ignore[attr-defined]


def _all(element: object, name: str) -> list:  # type: ignore[type-arg]
    return [node for node in element.iter() if _local(node.tag) == name]  # type: ignore[attr-defined]
