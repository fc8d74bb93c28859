"""XLIFF 1.2 for one notice's language: what an outside translation agency receives and returns.

States (XLIFF 1.2 `state` of <target>): a segment no one has translated is `needs-translation`
(empty target); a machine, memory or glossary draft is `needs-review-translation`; a person's text
(reviewer or agency) is `translated`; a language already approved is `final`. Inline Markdown stays
as plain text inside <source> and <target>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from core.errors import Refused

__all__ = [
    "STATES",
    "XliffDocument",
    "XliffError",
    "XliffUnit",
    "read_xliff",
    "read_xliff_file",
    "write_xliff",
]

NS = "urn:oasis:names:tc:xliff:document:1.2"
STATES = ("needs-translation", "needs-review-translation", "translated", "final")
_TAG = f"{{{NS}}}"


class XliffError(Refused, ValueError):
    """An XLIFF file that cannot be used: the file, the place in it (line, unit) and the rule."""


@dataclass(frozen=True)
class XliffUnit:
    """One segment: its id, the Chinese source, the translation (None: not translated), its state."""

    id: str
    source: str
    target: str | None
    state: str
    note: str = ""


@dataclass(frozen=True)
class XliffDocument:
    """One <file>: which notice version and languages, and its units."""

    original: str
    source_language: str
    target_language: str
    units: tuple[XliffUnit, ...]


def write_xliff(
    units: Iterable[XliffUnit], *, original: str, target_language: str, source_language: str = "zh"
) -> bytes:
    """A UTF-8 XLIFF 1.2 document with one <file>."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{_TAG}xliff", version="1.2")
    file = ET.SubElement(
        root,
        f"{_TAG}file",
        {
            "original": original,
            "source-language": source_language,
            "target-language": target_language,
            "datatype": "plaintext",
            "tool-id": "waiwen",
        },
    )
    header = ET.SubElement(file, f"{_TAG}header")
    ET.SubElement(header, f"{_TAG}tool", {"tool-id": "waiwen", "tool-name": "waiwen"})
    body = ET.SubElement(file, f"{_TAG}body")
    for unit in units:
        if unit.state not in STATES:
            raise ValueError(f"unit {unit.id}: state {unit.state!r} is not one of {STATES}")
        element = ET.SubElement(body, f"{_TAG}trans-unit", {"id": unit.id})
        ET.SubElement(element, f"{_TAG}source").text = unit.source
        ET.SubElement(element, f"{_TAG}target", {"state": unit.state}).text = unit.target or ""
        if unit.note:
            ET.SubElement(element, f"{_TAG}note").text = unit.note
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _text(element: ET.Element | None) -> str:
    """All text of an element, inline children (<g>, <mrk>) included."""
    return "".join(element.itertext()) if element is not None else ""


def read_xliff(data: bytes, *, path: str = "<xliff>") -> XliffDocument:
    """Parse an XLIFF 1.2 document with one <file>; XliffError names the place and the rule."""
    try:
        root = SafeET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise XliffError(path, f"line {line}, column {column}", "not well-formed XML") from None
    except DefusedXmlException as exc:
        raise XliffError(
            path, rule=f"refused {type(exc).__name__}: entities are not allowed"
        ) from None
    if root.tag != f"{_TAG}xliff" or root.get("version") != "1.2":
        raise XliffError(path, rule=f"not an XLIFF 1.2 document (root {root.tag!r})")
    files = root.findall(f"{_TAG}file")
    if len(files) != 1:
        raise XliffError(
            path, rule=f"expected one <file> (one notice language), found {len(files)}"
        )
    file = files[0]
    for attribute in ("original", "source-language", "target-language"):
        if not file.get(attribute):
            raise XliffError(path, rule=f"<file> has no {attribute} attribute")
    units = []
    seen: set[str] = set()
    for element in file.iter(f"{_TAG}trans-unit"):
        unit_id = element.get("id") or ""
        if not unit_id or unit_id in seen:
            raise XliffError(path, f"trans-unit {unit_id!r}", "every unit needs a unique id")
        seen.add(unit_id)
        target = element.find(f"{_TAG}target")
        text = _text(target)
        state = (target.get("state") if target is not None else None) or (
            "translated" if text.strip() else "needs-translation"
        )
        units.append(
            XliffUnit(
                unit_id,
                _text(element.find(f"{_TAG}source")),
                text if text.strip() else None,
                state,
                _text(element.find(f"{_TAG}note")),
            )
        )
    return XliffDocument(
        str(file.get("original")),
        str(file.get("source-language")),
        str(file.get("target-language")),
        tuple(units),
    )


def read_xliff_file(path: Path) -> XliffDocument:
    """Read an XLIFF file from disk."""
    return read_xliff(path.read_bytes(), path=str(path))
