"""Read and write translation memories in TMX 1.4 (the exchange format of CAT tools)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from core.errors import Refused

__all__ = ["TmxError", "TmxUnit", "normalise_lang", "read_tmx", "write_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline elements whose content is the native code of the original format
# (e.g. "<b>", "{1}"), not text; <hi> wraps real text and is kept.
_NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "ut"})


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit: the source text and its translations by language."""

    source_lang: str
    source: str
    targets: Mapping[str, str]


class TmxError(Refused, ValueError):
    """A TMX file that cannot be read: the file, the place in it (line, element) and the rule."""


def normalise_lang(code: str) -> str:
    """Map a TMX language tag (zh-CN, zh-Hans, ja-JP, en-GB...) to waiwen's code."""
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    # Languages waiwen does not publish keep their primary subtag, so nothing
    # in a multilingual memory is silently dropped.
    return primary


def _seg_text(seg: Element) -> str:
    parts: list[str] = [seg.text or ""]
    for child in seg:
        if child.tag not in _NATIVE_CODE:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(data: bytes, *, path: str = "<tmx>") -> list[TmxUnit]:
    """Parse TMX bytes into units; TmxError names `path`, the element and the rule."""
    try:
        root = SafeET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise TmxError(path, f"line {line}, column {column}", "not well-formed XML") from None
    except DefusedXmlException as exc:
        raise TmxError(
            path,
            rule=f"refused {type(exc).__name__}: entity declarations and external references"
            " are not allowed in TMX files",
        ) from None
    if root.tag != "tmx":
        raise TmxError(path, rule=f"root element is <{root.tag}>; a TMX file starts with <tmx>")
    header = root.find("header")
    if header is None:
        raise TmxError(path, rule="<tmx> has no <header>; TMX requires one")
    header_lang = header.get("srclang")
    if not header_lang:
        raise TmxError(path, rule="<header> has no srclang attribute; TMX requires one")
    body = root.find("body")
    if body is None:
        raise TmxError(path, rule="<tmx> has no <body>; TMX requires one")
    return [
        _read_unit(tu, number, header_lang, path)
        for number, tu in enumerate(body.findall("tu"), start=1)
    ]


def _read_unit(tu: Element, number: int, header_lang: str, path: str) -> TmxUnit:
    unit = f"<tu> #{number}" + (f" (tuid {tu.get('tuid')!r})" if tu.get("tuid") else "")
    declared = tu.get("srclang") or header_lang
    if declared == "*all*":
        raise TmxError(path, unit, "srclang is '*all*' and <tu> names no srclang of its own")
    source_lang = normalise_lang(declared)
    texts: dict[str, str] = {}
    for tuv in tu.findall("tuv"):
        # TMX 1.4 uses xml:lang; 1.1 files still in circulation use lang.
        lang = tuv.get(_XML_LANG) or tuv.get("lang")
        if not lang:
            raise TmxError(path, unit, "<tuv> without xml:lang")
        code = normalise_lang(lang)
        segs = tuv.findall("seg")
        if len(segs) != 1:
            raise TmxError(
                path, unit, f"<tuv xml:lang={lang!r}> has {len(segs)} <seg>; TMX requires 1"
            )
        if code in texts:
            raise TmxError(path, unit, f"two <tuv> for language {code!r}")
        texts[code] = _seg_text(segs[0])
    if source_lang not in texts:
        raise TmxError(path, unit, f"no <tuv> in the source language {declared!r}")
    source = texts.pop(source_lang)
    return TmxUnit(source_lang=source_lang, source=source, targets=texts)


def write_tmx(units: Iterable[TmxUnit], *, creator: str = "waiwen") -> bytes:
    """Serialise units as a UTF-8 TMX 1.4 document."""
    units = list(units)
    source_langs = {unit.source_lang for unit in units}
    header_lang = source_langs.pop() if len(source_langs) == 1 else "*all*"
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
