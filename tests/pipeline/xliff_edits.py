"""What an agency's editor does to an XLIFF file: type a target, as text or with inline codes.

The file is parsed and written again with ElementTree, as a tool that is not waiwen would:
the XLIFF namespace comes back under another prefix (``ns0:``), which the import must take.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"


def _namespace(root: ET.Element) -> str:
    return root.tag[1:].split("}", 1)[0]


def _target(root: ET.Element, unit_id: str) -> tuple[ET.Element, ET.Element]:
    """The unit's target, and the element that holds its state (<target> in 1.2, <segment> in 2.0)."""
    ns = _namespace(root)
    name, holder = ("trans-unit", "") if ns == XLIFF12 else ("unit", "segment")
    for unit in root.iter(f"{{{ns}}}{name}"):
        if unit.get("id") != unit_id:
            continue
        parent = unit.find(f"{{{ns}}}{holder}") if holder else unit
        assert parent is not None
        target = parent.find(f"{{{ns}}}target")
        if target is None:
            target = ET.SubElement(parent, f"{{{ns}}}target")
        return (target if ns == XLIFF12 else parent), target
    raise AssertionError(f"no unit {unit_id}")


def set_target(data: bytes, unit_id: str, fragment: str, *, state: str = "translated") -> bytes:
    """The file with unit ``unit_id``'s target replaced by ``fragment`` (text and inline XML)."""
    root = ET.fromstring(data)
    ns = _namespace(root)
    stated, target = _target(root, unit_id)
    for child in list(target):
        target.remove(child)
    holder = ET.fromstring(
        f'<t xmlns="{ns}" xmlns:waiwen="urn:x-waiwen:xliff">{fragment}</t>'.encode()
    )
    target.text = holder.text
    for child in holder:
        target.append(child)
    stated.set("state", state)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


def edit(data: bytes, change: dict[str, str]) -> bytes:
    """The file with several targets typed as plain text (unit id -> text)."""
    for unit_id, text in change.items():
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        data = set_target(data, unit_id, escaped)
    return data
