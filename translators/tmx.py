"""Read and write translation memories in TMX 1.4 (the exchange format of CAT tools)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from core.errors import Refused
from core.languages import LANGUAGES, SOURCE_LANGUAGE
from translators.language_tags import (
    canonical_tag,
    language_of,
    script_fits,
    script_name,
    script_of,
    tag_problem,
)

__all__ = [
    "Skip",
    "TmxError",
    "TmxReading",
    "TmxUnit",
    "normalise_lang",
    "read_tmx",
    "write_tmx",
]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ALL = "*all*"  # TMX's srclang for "any language of the unit may be its source"
# Inline elements whose content is the native code of the original format
# (e.g. "<b>", "{1}"), not text; <hi> wraps real text and is kept.
_NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "ut"})
# Depth of <tu> in a TMX document: <tmx> 1, <body> 2.
_TU_DEPTH = 3


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit: the source text and its translations by language."""

    source_lang: str
    source: str
    targets: Mapping[str, str]
    # The tags as the file wrote them (canonical case), for saying what was left out and why.
    source_tag: str = field(default="", compare=False)
    target_tags: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Skip:
    """A kind of thing left out of a TMX file, and why: one line of an import's summary."""

    what: str  # "zh-TW variant", "unit"
    why: str


class TmxError(Refused, ValueError):
    """A TMX file that cannot be read: the file, the place in it (line, element) and the rule."""


def normalise_lang(code: str) -> str:
    """Map a TMX language tag (zh-CN, zh-Hans, ja-JP, en-GB...) to waiwen's code."""
    # Languages waiwen does not publish keep their language subtag (de-DE is de), so the
    # importer can say what it left out. A tag that does not parse keeps its first part.
    tag = code.strip()
    if tag_problem(tag.replace("_", "-")) is None:
        return language_of(tag.replace("_", "-"))
    return tag.replace("_", "-").split("-", 1)[0].lower()


@dataclass(frozen=True)
class _Variant:
    tag: str  # canonical
    language: str
    script: str
    text: str


class TmxReading:
    """One streaming pass over a TMX document: its units, and what was left out of them and why.

    Within a unit, one text per language is kept: a variant written in another script than the
    one waiwen writes that language in is left out (zh-TW and zh-Hant are not waiwen's Chinese),
    and of several variants of a language (en-GB and en-US) the one the unit's srclang names is
    kept, else the first in the file. The counters fill as the units are read.
    """

    def __init__(self, source: BinaryIO | bytes, *, path: str = "<tmx>") -> None:
        self.source = io.BytesIO(source) if isinstance(source, bytes) else source
        self.path = path
        self.skipped: Counter[Skip] = Counter()
        self.tags: Counter[str] = Counter()  # every <tuv>'s language tag -> how many
        self.units_read = 0

    def __iter__(self) -> Iterator[TmxUnit]:
        try:
            yield from self._units()
        except ET.ParseError as exc:
            line, column = exc.position
            raise TmxError(
                self.path, f"line {line}, column {column}", "not well-formed XML"
            ) from None
        except DefusedXmlException as exc:
            raise TmxError(
                self.path,
                rule=f"refused {type(exc).__name__}: entity declarations and external references"
                " are not allowed in TMX files",
            ) from None

    def _units(self) -> Iterator[TmxUnit]:
        depth = 0
        header_lang: str | None = None
        body: Element | None = None
        # Elements are dropped from the tree once read, so memory stays one unit's worth.
        for event, element in SafeET.iterparse(self.source, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "tmx":
                    raise TmxError(
                        self.path,
                        rule=f"root element is <{element.tag}>; a TMX file starts with <tmx>",
                    )
                if depth == 2 and element.tag == "body":
                    if header_lang is None:
                        raise TmxError(self.path, rule="<tmx> has no <header>; TMX requires one")
                    body = element
                continue
            if depth == 2 and element.tag == "header":
                header_lang = self._header_lang(element)
            elif depth == _TU_DEPTH and element.tag == "tu" and body is not None:
                self.units_read += 1
                unit = self._read_unit(element, self.units_read, header_lang or _ALL)
                body.remove(element)
                if unit is not None:
                    yield unit
            depth -= 1
        if header_lang is None:
            raise TmxError(self.path, rule="<tmx> has no <header>; TMX requires one")
        if body is None:
            raise TmxError(self.path, rule="<tmx> has no <body>; TMX requires one")

    def _header_lang(self, header: Element) -> str:
        declared = header.get("srclang")
        if not declared:
            raise TmxError(self.path, rule="<header> has no srclang attribute; TMX requires one")
        if declared != _ALL:
            problem = tag_problem(declared)
            if problem:
                raise TmxError(self.path, f"<header srclang={declared!r}>", problem)
        return declared

    def _read_unit(self, tu: Element, number: int, header_lang: str) -> TmxUnit | None:
        unit = f"<tu> #{number}" + (f" (tuid {tu.get('tuid')!r})" if tu.get("tuid") else "")
        declared = tu.get("srclang") or header_lang
        if tu.get("srclang") and declared != _ALL and (problem := tag_problem(declared)):
            raise TmxError(self.path, unit, f"srclang={declared!r}: {problem}")
        by_language: dict[str, list[_Variant]] = {}
        for tuv in tu.findall("tuv"):
            variant = self._read_variant(tuv, unit)
            self.tags[variant.tag] += 1
            by_language.setdefault(variant.language, []).append(variant)
        kept: dict[str, _Variant] = {}
        for language, variants in by_language.items():
            chosen = self._one_per_language(language, variants, declared)
            if chosen is not None:
                kept[language] = chosen
        if declared == _ALL:
            if not kept:
                why = (
                    "none of its variants is in the script waiwen writes its language in"
                    if by_language
                    else "it holds no <tuv>"
                )
                self.skipped[Skip("unit", why)] += 1
                return None
            source_lang = SOURCE_LANGUAGE if SOURCE_LANGUAGE in kept else next(iter(kept))
        else:
            source_lang = language_of(declared)
            if source_lang not in by_language:
                raise TmxError(self.path, unit, f"no <tuv> in the source language {declared!r}")
            if source_lang not in kept:
                wanted = LANGUAGES[source_lang].script
                self.skipped[
                    Skip(
                        "unit",
                        f"no variant of its source language {source_lang} is in {wanted}"
                        f" ({script_name(wanted)})",
                    )
                ] += 1
                return None
        source = kept.pop(source_lang)
        return TmxUnit(
            source_lang=source_lang,
            source=source.text,
            targets={language: variant.text for language, variant in kept.items()},
            source_tag=source.tag,
            target_tags={language: variant.tag for language, variant in kept.items()},
        )

    def _read_variant(self, tuv: Element, unit: str) -> _Variant:
        # TMX 1.4 uses xml:lang; 1.1 files still in circulation use lang.
        attribute = "xml:lang" if tuv.get(_XML_LANG) is not None else "lang"
        written = tuv.get(_XML_LANG) or tuv.get("lang")
        if not written:
            raise TmxError(self.path, unit, "<tuv> without xml:lang")
        problem = tag_problem(written)
        if problem:
            raise TmxError(self.path, unit, f"<tuv {attribute}={written!r}>: {problem}")
        segs = tuv.findall("seg")
        if len(segs) != 1:
            raise TmxError(
                self.path, unit, f"<tuv xml:lang={written!r}> has {len(segs)} <seg>; TMX requires 1"
            )
        return _Variant(
            tag=canonical_tag(written),
            language=language_of(written),
            script=script_of(written),
            text=_seg_text(segs[0]),
        )

    def _one_per_language(
        self, language: str, variants: list[_Variant], declared: str
    ) -> _Variant | None:
        """The variant kept for ``language``; the others are counted as skipped, with why."""
        usable = variants
        if language in LANGUAGES:
            wanted = LANGUAGES[language].script
            usable = [v for v in variants if script_fits(v.script, wanted)]
            for variant in variants:
                if not any(variant is u for u in usable):
                    why = (
                        f"in script {variant.script} ({script_name(variant.script)}),"
                        f" not {wanted} ({script_name(wanted)}) as waiwen writes {language}"
                    )
                    self.skipped[Skip(f"{variant.tag} variant", why)] += 1
        if not usable:
            return None
        named = [v for v in usable if declared != _ALL and v.tag == canonical_tag(declared)]
        keep = named[0] if named else usable[0]
        for variant in usable:
            if variant is not keep:
                why = f"the unit's {keep.tag} is kept (one text per language)"
                self.skipped[Skip(f"{variant.tag} variant", why)] += 1
        return keep


def _seg_text(seg: Element) -> str:
    parts: list[str] = [seg.text or ""]
    for child in seg:
        if child.tag not in _NATIVE_CODE:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(data: bytes, *, path: str = "<tmx>") -> list[TmxUnit]:
    """Parse TMX bytes into units; TmxError names `path`, the element and the rule."""
    return list(TmxReading(data, path=path))


def write_tmx(units: Iterable[TmxUnit], *, creator: str = "waiwen") -> bytes:
    """Serialise units as a UTF-8 TMX 1.4 document."""
    units = list(units)
    source_langs = {unit.source_lang for unit in units}
    header_lang = source_langs.pop() if len(source_langs) == 1 else _ALL
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": creator,
        "creationtoolversion": "1",
        "segtype": "sentence",
        "o-tmf": creator,
        "adminlang": "en",
        "srclang": header_lang,
        "datatype": "plaintext",
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    for unit in units:
        tu = ET.SubElement(body, "tu")
        if unit.source_lang != header_lang:
            tu.set("srclang", unit.source_lang)
        for lang, text in [(unit.source_lang, unit.source), *unit.targets.items()]:
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
