"""XLIFF 2.0 (OASIS, 2014) written for agencies and read back from them and their tools.

Writing: ``<xliff version="2.0" srcLang trgLang>``, one ``<file>``, one ``<unit>`` per segment
with its waiwen reference as the attribute ``waiwen:reference``, ``<notes>``, the Markdown of its
codes in ``<originalData>``, and one ``<segment>`` whose ``state`` is ``final`` in an approved
language, ``translated`` for a person's text and ``initial`` otherwise (a draft, or nothing yet).
Paired Markdown becomes ``<pc>`` around the visible text, a standalone item ``<ph>``; both point
to their markup with ``dataRef…``.

Reading takes several <file>s, <group>s, units of several <segment>s and <ignorable>s (joined in
order), <pc>, <ph>, <sc>/<ec>, <mrk>, <sm/>/<em/> and <cp>.
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

__all__ = ["NS", "read", "write"]

NS = "urn:oasis:names:tc:xliff:document:2.0"
# waiwen's kinds of code as XLIFF 2.0 types (and the subtypes the specification defines).
_TYPES = {
    "link": ("link", ""),
    "bold": ("fmt", "xlf:b"),
    "italic": ("fmt", "xlf:i"),
    "strike": ("fmt", ""),
    "tag": ("fmt", ""),
    "image": ("image", ""),
    "url": ("link", ""),
    "email": ("link", ""),
}
_STATES = {
    "final": "final",
    "translated": "translated",
    "needs-review-translation": "initial",
    "needs-translation": "initial",
}
# 2.0 states in the order a unit of several segments takes the least advanced.
_PROGRESS = ("initial", "translated", "reviewed", "final")
_LEAVES = frozenset({"source", "target", "note", "data"})
_INLINE = frozenset({"pc", "ph", "sc", "ec", "mrk", "sm", "em", "cp"})


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


class _Data:
    """The <originalData> of one unit: one <data> per distinct piece of markup."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def ref(self, markup: str) -> str:
        if markup not in self.ids:
            self.ids[markup] = f"d{len(self.ids) + 1}"
        return self.ids[markup]


def _typed(attributes: dict[str, str], kind: str) -> dict[str, str]:
    code_type, subtype = _TYPES.get(kind, ("other", ""))
    attributes["type"] = code_type
    if subtype:
        attributes["subType"] = subtype
    return attributes


def _fill(element: ET.Element, content: Content, data: _Data) -> None:
    last: ET.Element | None = None
    for piece in content:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        elif isinstance(piece, Paired):
            attributes = {
                "id": piece.id,
                "dataRefStart": data.ref(piece.open or ""),
                "dataRefEnd": data.ref(piece.close or ""),
            }
            last = ET.SubElement(element, "pc", _typed(attributes, piece.kind))
            _fill(last, piece.children, data)
        elif isinstance(piece, Standalone):
            original = piece.original or ""
            attributes = {"id": piece.id, "dataRef": data.ref(original), "equiv": original}
            last = ET.SubElement(element, "ph", _typed(attributes, piece.kind))


def write(
    units: Iterable[ExportUnit], *, original: str, source_language: str, target_language: str
) -> bytes:
    """A UTF-8 XLIFF 2.0 document with one <file>."""
    root = ET.Element(
        "xliff",
        {"xmlns": NS, "version": "2.0", "srcLang": source_language, "trgLang": target_language},
    )
    file = ET.SubElement(root, "file", {"id": "f1", "original": original})
    for unit in units:
        if unit.state not in STATES:
            raise ValueError(f"unit {unit.id}: state {unit.state!r} is not one of {STATES}")
        attributes = {"id": unit.id}
        if unit.reference is not None:
            attributes[waiwen("reference")] = str(unit.reference)
        element = ET.SubElement(file, "unit", attributes)
        if unit.notes:
            notes = ET.SubElement(element, "notes")
            for note in unit.notes:
                attributes = {"category": note.category} if note.category else {}
                if note.applies_to:
                    attributes["appliesTo"] = note.applies_to
                ET.SubElement(notes, "note", attributes).text = note.text
        source = parse_markdown(unit.source)
        target = target_content(unit.target, source) if unit.target is not None else None
        data = _Data()
        # <originalData> comes before the segment, so the segment is built apart first.
        segment = ET.Element("segment", {"state": _STATES[unit.state]})
        _fill(ET.SubElement(segment, "source", {XML_SPACE: "preserve"}), source, data)
        if target is not None:
            _fill(ET.SubElement(segment, "target", {XML_SPACE: "preserve"}), target, data)
        if data.ids:
            original_data = ET.SubElement(element, "originalData")
            for markup, data_id in data.ids.items():
                ET.SubElement(original_data, "data", {"id": data_id}).text = markup
        element.append(segment)
    indent(root, _LEAVES)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written + b"\n"


class _Bad(Exception):
    """A rule broken inside one unit; the reader adds the file and the unit."""


def _text(element: ET.Element) -> str:
    """Text with <cp hex="…"/> (a character XML cannot hold) turned into the character."""
    parts = [element.text or ""]
    for child in element:
        if local(child.tag) == "cp":
            parts.append(_code_point(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _code_point(element: ET.Element) -> str:
    try:
        return chr(int(element.get("hex", ""), 16))
    except (ValueError, OverflowError):
        raise _Bad(f"<cp hex={element.get('hex')!r}> is not a code point") from None


class _Unit:
    """Reads one <unit>: its original data, then the inline content of its segments."""

    def __init__(self, element: ET.Element) -> None:
        self.data: dict[str, str] = {}
        original_data = element.find(_q("originalData"))
        if original_data is not None:
            for item in original_data.findall(_q("data")):
                self.data[item.get("id", "")] = _text(item)

    def markup(self, element: ET.Element, attribute: str) -> str | None:
        ref = element.get(attribute)
        if ref is None:
            return None
        if ref not in self.data:
            raise _Bad(f"{attribute}={ref!r} names no <data> of the unit's <originalData>")
        return self.data[ref]

    def content(self, element: ET.Element, depth: int = 0) -> list[Inline]:
        if depth > MAX_DEPTH:
            raise _Bad(f"inline codes nest more than {MAX_DEPTH} deep")
        out: list[Inline] = [element.text or ""]
        for child in element:
            name = local(child.tag)
            if name not in _INLINE:
                raise _Bad(f"<{name}> is not an inline element of XLIFF 2.0")
            code_id = child.get("id") or ""
            if name in ("pc", "ph", "sc") and not code_id:
                raise _Bad(f"an inline <{name}> has no id")
            code_type = child.get("type") or ""
            if name == "pc":
                out.append(
                    Paired(
                        code_id,
                        code_type,
                        _merged(self.content(child, depth + 1)),
                        self.markup(child, "dataRefStart"),
                        self.markup(child, "dataRefEnd"),
                    )
                )
            elif name == "ph":
                out.append(Standalone(code_id, code_type, self.markup(child, "dataRef")))
            elif name == "sc":
                out.append(Boundary(code_id, True, self.markup(child, "dataRef")))
            elif name == "ec":
                start = child.get("startRef") or code_id
                if not start:
                    raise _Bad("an <ec> has neither startRef nor id")
                out.append(Boundary(start, False, self.markup(child, "dataRef")))
            elif name == "mrk":  # an annotation around text: the text counts
                out.extend(self.content(child, depth + 1))
            elif name == "cp":
                out.append(_code_point(child))
            # <sm/> and <em/>, the start and end of an annotation, hold no text.
            out.append(child.tail or "")
        return out


def _merged(pieces: list[Inline]) -> Content:
    merged: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif piece != "":
            merged.append(piece)
    return tuple(merged)


def _unit(element: ET.Element, path: str) -> XliffUnit:
    unit_id = element.get("id") or ""
    try:
        reader = _Unit(element)
        sources: list[Inline] = []
        targets: list[Inline] = []
        states: list[str] = []
        with_target = without_target = 0
        for part in element:
            name = local(part.tag)
            if name not in ("segment", "ignorable"):
                continue
            source = part.find(_q("source"))
            if source is None:
                raise _Bad(f"a <{name}> has no <source>")
            target = part.find(_q("target"))
            sources.extend(reader.content(source))
            if target is not None and target.get("order") is not None:
                raise _Bad("a <target order=…> (reordered segments) is not supported")
            if name == "segment":
                states.append(part.get("state") or "initial")
                if target is None:
                    without_target += 1
                else:
                    with_target += 1
            # An ignorable without a target stands for itself in the target.
            targets.extend(reader.content(target if target is not None else source))
        if not states:
            raise _Bad("has no <segment>")
        if with_target and without_target:
            raise _Bad(f"{without_target} of its {len(states)} segments have no <target>")
        target_content = _merged(targets) if with_target else None
        if target_content is not None and _empty(target_content):
            target_content = None
        least = min(states, key=lambda s: _PROGRESS.index(s) if s in _PROGRESS else 0)
        notes_element = element.find(_q("notes"))
        notes = tuple(
            XliffNote(_text(note), note.get("category", ""), note.get("appliesTo", ""))
            for note in (notes_element.findall(_q("note")) if notes_element is not None else ())
        )
        return XliffUnit(
            unit_id,
            _merged(sources),
            target_content,
            _state(least, target_content is not None),
            all(state == "final" for state in states),
            notes,
            _references(element),
        )
    except _Bad as bad:
        raise XliffError(path, f"unit {unit_id}", str(bad)) from None


def _empty(content: Content) -> bool:
    """A target with nothing in it but spaces: not translated."""
    return not has_codes(content) and not flatten(content).strip()


def _state(state: str, translated: bool) -> str:
    """A 2.0 state in XLIFF 1.2's words (what the rest of waiwen reads)."""
    if state == "final":
        return "final"
    if state == "reviewed":
        return "signed-off"
    if state == "translated":
        return "translated"
    return "needs-review-translation" if translated else "needs-translation"


def _references(element: ET.Element) -> tuple[Reference, ...]:
    text = element.get(waiwen("reference"))
    if text is None:
        return ()
    try:
        reference = Reference.parse(text)
    except ValueError as error:
        raise _Bad(str(error)) from None
    if reference is None:
        raise _Bad(f"waiwen:reference={text!r} is not a waiwen reference")
    return (reference,)


def read(root: ET.Element, path: str) -> XliffDocument:
    """The document of a parsed XLIFF 2.0 root."""
    files = root.findall(_q("file"))
    if not files:
        raise XliffError(path, rule="the document has no <file>")
    read_files = []
    for file in files:
        units = []
        seen: set[str] = set()
        for element in file.iter(_q("unit")):
            unit_id = element.get("id") or ""
            if not unit_id or unit_id in seen:
                raise XliffError(path, f"unit {unit_id!r}", "every unit needs a unique id")
            seen.add(unit_id)
            units.append(_unit(element, path))
        read_files.append(
            XliffFile(
                file.get("original", ""),
                root.get("srcLang", ""),
                root.get("trgLang", ""),
                tuple(units),
            )
        )
    return XliffDocument(root.get("version", "2.0"), tuple(read_files))
