"""XLIFF 1.2 written for agencies, and XLIFF 1.1/1.2 read back from them and their tools.

Writing: one <file>, one <trans-unit> per segment with ``xml:space="preserve"``; a unit of an
approved language has ``approved="yes"`` and ``<target state="final">`` (what translate-toolkit
and the CAT tools on it count as translated and approved). Paired Markdown becomes
``<g id ctype>`` around the visible text, its markup in waiwen's attributes ``waiwen:open`` and
``waiwen:close`` (a link's address is never text to translate); a standalone item becomes
``<ph id ctype>`` holding the item. Notes are ``<note from="developer">``: the name
translate-toolkit's xliff2po turns into ``#.`` comments of a PO file and po2xliff back. The
unit's waiwen reference is its location context.

Reading takes what other tools write too: the 1.1 namespace (po2xliff without a template), any
namespace prefix, several <file>s, <group>s, <x/>, <bpt>/<ept>, <bx/>/<ex/>, <it> and <mrk>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from translators.inline_codes import (
    Boundary,
    Content,
    Inline,
    Paired,
    Standalone,
    flatten,
    has_codes,
    parse_markdown,
    target_content,
)
from translators.xliff_document import (
    STATES,
    ExportUnit,
    Reference,
    XliffDocument,
    XliffError,
    XliffFile,
    XliffNote,
    XliffUnit,
)
from translators.xliff_xml import MAX_DEPTH, XML_SPACE, indent, local, waiwen

__all__ = ["NAMESPACES", "NS", "read", "write"]

NS = "urn:oasis:names:tc:xliff:document:1.2"
# The namespaces of the 1.x versions waiwen reads (translate-toolkit writes 1.1 by default).
NAMESPACES = {NS: "1.2", "urn:oasis:names:tc:xliff:document:1.1": "1.1"}
_CTYPES = {"link": "link", "bold": "bold", "italic": "italic", "image": "image"}
_LEAVES = frozenset({"source", "target", "note", "context"})
_INLINE = frozenset({"g", "x", "ph", "bpt", "ept", "bx", "ex", "it", "mrk"})


def _fill(element: ET.Element, content: Content) -> None:
    """Write inline content into an element: text, <g> and <ph>."""
    last: ET.Element | None = None
    for piece in content:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        elif isinstance(piece, Paired):
            last = ET.SubElement(
                element,
                "g",
                {
                    "id": piece.id,
                    "ctype": _ctype(piece.kind),
                    waiwen("open"): piece.open or "",
                    waiwen("close"): piece.close or "",
                },
            )
            _fill(last, piece.children)
        elif isinstance(piece, Standalone):
            last = ET.SubElement(element, "ph", {"id": piece.id, "ctype": _ctype(piece.kind)})
            last.text = piece.original


def _ctype(kind: str) -> str:
    """XLIFF 1.2's name for a kind of code: a predefined one, or an "x-" name of waiwen's."""
    return _CTYPES.get(kind, f"x-{kind}")


def write(
    units: Iterable[ExportUnit], *, original: str, source_language: str, target_language: str
) -> bytes:
    """A UTF-8 XLIFF 1.2 document with one <file>."""
    root = ET.Element("xliff", {"version": "1.2", "xmlns": NS})
    file = ET.SubElement(
        root,
        "file",
        {
            "original": original,
            "source-language": source_language,
            "target-language": target_language,
            "datatype": "plaintext",
            "tool-id": "waiwen",
        },
    )
    header = ET.SubElement(file, "header")
    ET.SubElement(header, "tool", {"tool-id": "waiwen", "tool-name": "waiwen"})
    body = ET.SubElement(file, "body")
    for unit in units:
        if unit.state not in STATES:
            raise ValueError(f"unit {unit.id}: state {unit.state!r} is not one of {STATES}")
        attributes = {"id": unit.id, XML_SPACE: "preserve"}
        if unit.approved:
            attributes["approved"] = "yes"
        element = ET.SubElement(body, "trans-unit", attributes)
        source = parse_markdown(unit.source)
        _fill(ET.SubElement(element, "source"), source)
        target = ET.SubElement(element, "target", {"state": unit.state})
        if unit.target is not None:
            _fill(target, target_content(unit.target, source))
        if unit.reference is not None:
            group = ET.SubElement(element, "context-group", {"purpose": "location"})
            context = ET.SubElement(group, "context", {"context-type": "sourcefile"})
            context.text = str(unit.reference)
        for note in unit.notes:
            attributes = {"from": "developer"}
            if note.applies_to:
                attributes["annotates"] = note.applies_to
            ET.SubElement(element, "note", attributes).text = note.text
    indent(root, _LEAVES)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


class _Bad(Exception):
    """A rule broken inside one unit; the reader adds the file and the unit."""


class _Reader:
    def __init__(self, ns: str, version: str) -> None:
        self.ns, self.version = ns, version

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def content(self, element: ET.Element) -> Content:
        """The inline content of a <source> or <target>."""
        pieces: list[Inline] = []
        self._into(element, pieces, {}, 0)  # the dict pairs a <bpt rid> with its <ept rid>
        return _merged(pieces)

    def _into(
        self, element: ET.Element, out: list[Inline], pairs: dict[str, str], depth: int
    ) -> None:
        if depth > MAX_DEPTH:
            raise _Bad(f"inline codes nest more than {MAX_DEPTH} deep")
        out.append(element.text or "")
        for child in element:
            name = local(child.tag)
            if name not in _INLINE:
                raise _Bad(f"<{name}> is not an inline element of XLIFF {self.version}")
            code_id = child.get("id") or ""
            if name != "mrk" and not code_id:
                raise _Bad(f"an inline <{name}> has no id")
            ctype = child.get("ctype") or ""
            if name == "g":
                inner: list[Inline] = []
                self._into(child, inner, pairs, depth + 1)
                out.append(
                    Paired(
                        code_id,
                        ctype,
                        _merged(inner),
                        child.get(waiwen("open")),
                        child.get(waiwen("close")),
                    )
                )
            elif name == "x":
                out.append(Standalone(code_id, ctype))
            elif name == "ph":
                # An empty <ph/> carries no markup (some tools write it so), like <x/>.
                out.append(Standalone(code_id, ctype, "".join(child.itertext()) or None))
            elif name in ("bpt", "bx"):
                pairs[child.get("rid") or code_id] = code_id
                out.append(Boundary(code_id, True))
            elif name in ("ept", "ex"):
                out.append(Boundary(pairs.get(child.get("rid") or code_id, code_id), False))
            elif name == "it":
                out.append(Boundary(code_id, child.get("pos") == "open"))
            else:  # <mrk>, a marker (term, protected, segment) around text: the text counts
                self._into(child, out, pairs, depth + 1)
            out.append(child.tail or "")

    def unit(self, element: ET.Element, path: str) -> XliffUnit:
        unit_id = element.get("id") or ""
        try:
            source = element.find(self.q("source"))
            if source is None:
                raise _Bad("has no <source>")
            target_element = element.find(self.q("target"))
            target = self.content(target_element) if target_element is not None else None
            if target is not None and not has_codes(target) and not flatten(target).strip():
                target = None
            state = (target_element.get("state") if target_element is not None else None) or (
                "translated" if target is not None else "needs-translation"
            )
            return XliffUnit(
                unit_id,
                self.content(source),
                target,
                state,
                element.get("approved") == "yes",
                tuple(
                    XliffNote(
                        "".join(note.itertext()), note.get("from", ""), note.get("annotates", "")
                    )
                    for note in element.findall(self.q("note"))
                ),
                self.references(element),
                element.get("restype", ""),
            )
        except _Bad as bad:
            raise XliffError(path, f"trans-unit {unit_id}", str(bad)) from None

    def references(self, element: ET.Element) -> tuple[Reference, ...]:
        found: list[Reference] = []
        for group in element.findall(self.q("context-group")):
            if group.get("purpose") != "location":
                continue
            for context in group.findall(self.q("context")):
                if context.get("context-type") != "sourcefile":
                    continue
                try:
                    reference = Reference.parse("".join(context.itertext()).strip())
                except ValueError as error:
                    raise _Bad(str(error)) from None
                if reference is not None and reference not in found:
                    found.append(reference)
        return tuple(found)


def _merged(pieces: list[Inline]) -> Content:
    merged: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif piece != "":
            merged.append(piece)
    return tuple(merged)


def read(root: ET.Element, ns: str, version: str, path: str) -> XliffDocument:
    """The document of a parsed XLIFF 1.x root in namespace ``ns`` ("" for none)."""
    reader = _Reader(ns, version)
    files = root.findall(reader.q("file"))
    if not files:
        raise XliffError(path, rule="the document has no <file>")
    read_files = []
    for file in files:
        units = []
        seen: set[str] = set()
        for element in file.iter(reader.q("trans-unit")):
            unit_id = element.get("id") or ""
            if not unit_id or unit_id in seen:
                raise XliffError(path, f"trans-unit {unit_id!r}", "every unit needs a unique id")
            seen.add(unit_id)
            units.append(reader.unit(element, path))
        read_files.append(
            XliffFile(
                file.get("original", ""),
                file.get("source-language", ""),
                file.get("target-language", ""),
                tuple(units),
                file.get("datatype", ""),
            )
        )
    return XliffDocument(version, tuple(read_files))
