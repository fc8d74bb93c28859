"""The office's glossary: official names and terms with the translation each language must use."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

from core.languages import SHIPPED_TARGETS

__all__ = ["LANGUAGES", "STRENGTHS", "VARIANT_SEPARATOR", "Glossary", "GlossaryError", "Term"]

# A term may give a rendering for every shipped target, configured or not: a glossary outlives a
# change of WAIWEN_TARGET_LANGUAGES, and drafting only asks for the languages it drafts.
LANGUAGES = SHIPPED_TARGETS
# required: a translation without the term (or an accepted form of it) is an error; preferred: a
# warning, the reviewer decides.
STRENGTHS = ("required", "preferred")
VARIANT_SEPARATOR = "|"  # between the variants of one CSV cell
_CSV_FIRST = ["source", "language", "target"]
_CSV_MORE = ("note", "variants", "strength")
_STARTER = Path(__file__).resolve().parent / "data" / "glossary.csv"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class GlossaryError(ValueError):
    """A term list that cannot be loaded; the message names file, place, field and rule."""


@dataclass(frozen=True)
class Term:
    """An official Chinese term, its translation in one language, the other accepted renderings."""

    source: str
    language: str
    target: str  # what drafting writes for the term
    note: str = ""
    variants: tuple[str, ...] = ()  # other renderings a translation may use (another word order …)
    strength: str = "required"  # one of STRENGTHS

    def __post_init__(self) -> None:
        """Variants as a tuple without repeats; a strength outside STRENGTHS is refused."""
        if self.strength not in STRENGTHS:
            raise ValueError(
                f"term {self.source!r} in {self.language}: strength {self.strength!r} is not one "
                f"of {', '.join(STRENGTHS)}"
            )
        kept = [v for v in dict.fromkeys(self.variants) if v != self.target]
        object.__setattr__(self, "variants", tuple(kept))

    @property
    def renderings(self) -> tuple[str, ...]:
        """The target first, then the variants: every rendering a translation may use."""
        return (self.target, *self.variants)

    @property
    def severity(self) -> str:
        """The severity of a finding that the term is missing: error if required, else warning."""
        return "error" if self.strength == "required" else "warning"


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
        """Read `source,language,target[,note][,variants][,strength]` rows (UTF-8); all or nothing."""
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise GlossaryError(f"{name}: not UTF-8 text; save the file as UTF-8 CSV") from None
        rows = csv.reader(io.StringIO(text))
        columns = _csv_columns(name, next(rows, []))
        terms: list[Term] = []
        seen: dict[tuple[str, str], tuple[Term, int]] = {}
        ended = rows.line_num
        for row in rows:
            # A quoted field may run over several lines: name the line the row starts on.
            line, ended = ended + 1, rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            where = f"{name}: line {line}"
            if len(row) > len(columns):
                raise GlossaryError(
                    f"{where}: {len(row)} fields but the header names {len(columns)}; "
                    "put a field that holds a comma in double quotes"
                )
            cells = dict(zip(columns, (cell.strip() for cell in row), strict=False))
            for field in _CSV_FIRST:
                if not cells.get(field):
                    raise GlossaryError(f"{where}: field {field} is empty; every term needs it")
            term = _term(
                where,
                cells["source"],
                cells["language"],
                cells["target"],
                note=cells.get("note", ""),
                variants=_csv_variants(where, cells.get("variants", "")),
                strength=_strength(where, "field strength", cells.get("strength", "")),
            )
            terms.append(_checked(where, term, seen, line))
        return cls(terms)

    @classmethod
    def from_tbx(cls, path: str | Path) -> Glossary:
        """Read a TBX file (2008: termEntry/langSet/tig; 2019: conceptEntry/langSec/termSec); source is zh.

        Per language the first term marked preferred (else the first in use) is the target, the
        other terms in use are variants; deprecated and superseded terms are not accepted.
        ``<admin type="strength">`` (on the entry, or a langSet for its language) gives the
        strength, ``<note>`` the note.
        """
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
        seen: dict[tuple[str, str], tuple[Term, int]] = {}
        # TBX 2008 writes termEntry/langSet/tig, TBX 2019 (v3) conceptEntry/langSec/termSec.
        entries = _all(root, "termEntry") + _all(root, "conceptEntry")
        for number, entry in enumerate(entries, start=1):
            where = f"{name}: {_local(entry.tag)} {entry.get('id') or f'#{number}'}"
            terms += [_checked(where, term, seen, number) for term in _tbx_entry(where, entry)]
        return cls(terms)


def _csv_columns(name: str, header: list[str]) -> list[str]:
    """The header's column names; GlossaryError if one is unknown, repeated or out of place."""
    columns = [h.strip().lower() for h in header]
    rule = f"source,language,target, then any of {', '.join(_CSV_MORE)}"
    if columns[:3] != _CSV_FIRST:
        raise GlossaryError(f"{name}: line 1: the header must be {rule}; got {','.join(columns)!r}")
    for at, column in enumerate(columns[3:], start=3):
        if column not in _CSV_MORE:
            raise GlossaryError(
                f"{name}: line 1: column {column!r} is not one waiwen reads; the header must be "
                f"{rule}"
            )
        if column in columns[:at]:
            raise GlossaryError(f"{name}: line 1: column {column!r} is named twice")
    return columns


def _csv_variants(where: str, cell: str) -> tuple[str, ...]:
    if not cell:
        return ()
    variants = tuple(v.strip() for v in cell.split(VARIANT_SEPARATOR))
    if not all(variants):
        raise GlossaryError(
            f"{where}: field variants has an empty variant in {cell!r}; separate variants by a "
            f"single {VARIANT_SEPARATOR}"
        )
    return variants


def _strength(where: str, field: str, value: str) -> str:
    """``value`` as a strength (empty means required); GlossaryError naming the field otherwise."""
    strength = value.strip().lower() or STRENGTHS[0]
    if strength not in STRENGTHS:
        raise GlossaryError(
            f"{where}: {field} is {value!r}; it must be {' or '.join(STRENGTHS)} (empty means "
            f"{STRENGTHS[0]})"
        )
    return strength


def _term(
    where: str,
    source: str,
    language: str,
    target: str,
    *,
    note: str = "",
    variants: tuple[str, ...] = (),
    strength: str = STRENGTHS[0],
) -> Term:
    if language not in LANGUAGES:
        raise GlossaryError(
            f"{where}: field language is {language!r}; it must be one of {', '.join(LANGUAGES)}"
        )
    return Term(source, language, target, note, variants, strength)


def _checked(
    where: str, term: Term, seen: dict[tuple[str, str], tuple[Term, int]], place: int
) -> Term:
    """``term``, unless an earlier entry for the same term and language says otherwise."""
    key = (term.source, term.language)
    earlier, at = seen.get(key, (term, place))
    said = f"term {term.source!r} in {term.language}"
    if earlier.target != term.target:
        raise GlossaryError(
            f"{where}: {said} is {term.target!r} here but {earlier.target!r} at {at}; a term has "
            "one official translation"
        )
    if earlier.strength != term.strength:
        raise GlossaryError(
            f"{where}: {said} is {term.strength} here but {earlier.strength} at {at}; a term has "
            "one strength per language"
        )
    if set(earlier.variants) != set(term.variants):
        raise GlossaryError(
            f"{where}: {said} has the variants {_listed(term.variants)} here but "
            f"{_listed(earlier.variants)} at {at}; give every variant in one entry"
        )
    seen[key] = (earlier, at)
    return term


def _listed(variants: tuple[str, ...]) -> str:
    return VARIANT_SEPARATOR.join(variants) if variants else "none"


# TBX term status (termNote administrativeStatus or normativeAuthorization; TBX-Basic writes
# "preferredTerm-admn-sts") -> how waiwen takes the term.
_TBX_STATUS = {
    "preferredTerm": "preferred",
    "standardizedTerm": "preferred",
    "legalTerm": "preferred",
    "regulatedTerm": "preferred",
    "admittedTerm": "admitted",
    "deprecatedTerm": "refused",
    "supersededTerm": "refused",
}
_TBX_STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")


def _tbx_entry(where: str, entry: object) -> list[Term]:
    """The terms of one entry: one per target language with a term in use."""
    strength = _tbx_strength(where, entry) or STRENGTHS[0]
    note = _tbx_note(entry)
    found: dict[str, list[tuple[str, str]]] = {}  # language -> [(term, status)]
    places: dict[str, str] = {}
    by_language: dict[str, tuple[str, str]] = {}  # language -> (strength, note) of its langSet
    for lang_set in _children(entry, "langSet") + _children(entry, "langSec"):
        tag = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
        language = tag.split("-")[0].lower()
        if not language:
            raise GlossaryError(f"{where}: a langSet has no xml:lang")
        place = f"{where}: {_local(lang_set.tag)} xml:lang={tag!r}"
        places.setdefault(language, place)
        found.setdefault(language, []).extend(_tbx_terms(place, lang_set))
        own = _tbx_strength(place, lang_set)
        earlier = by_language.get(language, (strength, note))
        by_language[language] = (own or earlier[0], _tbx_note(lang_set) or earlier[1])
    source = next((t for t, status in found.pop("zh", []) if status != "refused"), "")
    if not source:
        raise GlossaryError(f"{where}: field term in langSet xml:lang='zh' is missing")
    terms = []
    for language, listed in found.items():
        in_use = [(t, status) for t, status in listed if status != "refused"]
        if not in_use:
            if listed:
                raise GlossaryError(
                    f"{places[language]}: every term is deprecated or superseded; give the one in "
                    "use (preferredTerm or admittedTerm)"
                )
            continue
        target = next((t for t, status in in_use if status == "preferred"), in_use[0][0])
        term_strength, term_note = by_language.get(language, (strength, note))
        terms.append(
            _term(
                where,
                source,
                language,
                target,
                note=term_note,
                variants=tuple(t for t, _ in in_use if t != target),
                strength=term_strength,
            )
        )
    return terms


def _tbx_terms(place: str, lang_set: object) -> list[tuple[str, str]]:
    """(term, status) of every term of a langSet, in order; status "" when none is given."""
    holders = [n for n in lang_set.iter() if _local(n.tag) in ("tig", "ntig", "termSec")]  # type: ignore[attr-defined]
    listed = []
    for holder in holders or [lang_set]:
        term = next((t for t in _all(holder, "term") if (t.text or "").strip()), None)
        if term is not None:
            listed.append(((term.text or "").strip(), _tbx_status(place, holder)))
    return listed


def _tbx_status(place: str, holder: object) -> str:
    for note in _all(holder, "termNote"):
        kind = note.get("type") or ""
        if kind not in _TBX_STATUS_TYPES:
            continue
        value = (note.text or "").strip()
        status = _TBX_STATUS.get(value.removesuffix("-admn-sts"))
        if status is None:
            raise GlossaryError(
                f"{place}: field termNote type={kind!r} is {value!r}; it must be one of "
                f"{', '.join(_TBX_STATUS)} (TBX-Basic adds -admn-sts)"
            )
        return status
    return ""


def _tbx_strength(place: str, element: object) -> str:
    """The strength an element gives by ``<admin type="strength">``, or "" when it gives none."""
    for admin in _children(element, "admin"):
        if admin.get("type") == "strength":
            return _strength(place, "field admin type='strength'", admin.text or "")
    return ""


def _tbx_note(element: object) -> str:
    return next((n.text.strip() for n in _children(element, "note") if (n.text or "").strip()), "")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: object, name: str) -> list:  # type: ignore[type-arg]
    return [child for child in element if _local(child.tag) == name]  # type: ignore[attr-defined]


def _all(element: object, name: str) -> list:  # type: ignore[type-arg]
    return [node for node in element.iter() if _local(node.tag) == name]  # type: ignore[attr-defined]
