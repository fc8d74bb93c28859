"""The XML both XLIFF versions share: safe parsing, names, and indentation that spares text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from translators.xliff_document import WAIWEN_NS, XliffError

__all__ = ["MAX_DEPTH", "XML_SPACE", "indent", "local", "namespace", "parse", "waiwen"]

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# How deep inline codes may nest in a <source> or <target>. Markdown nests two or three; a limit
# keeps a hostile file from exhausting the reader's stack instead of getting a refusal.
MAX_DEPTH = 32

# The prefix waiwen's own attributes are written with (ElementTree's table is process-wide).
ET.register_namespace("waiwen", WAIWEN_NS)


def waiwen(name: str) -> str:
    """An attribute name in waiwen's namespace."""
    return f"{{{WAIWEN_NS}}}{name}"


def parse(data: bytes, path: str) -> ET.Element:
    """The root element; XliffError for XML that is not well-formed or declares entities."""
    try:
        root: ET.Element = SafeET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise XliffError(path, f"line {line}, column {column}", "not well-formed XML") from None
    except DefusedXmlException as exc:
        raise XliffError(
            path, rule=f"refused {type(exc).__name__}: entities are not allowed"
        ) from None
    return root


def namespace(tag: str) -> str:
    """The namespace of a ``{uri}name`` tag ("" for none)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def indent(element: ET.Element, leaves: frozenset[str], level: int = 0) -> None:
    """Indent the structure, not the text: inside a leaf (<source>, <note>…) spaces are content."""
    # ET.indent would also rewrite the spaces between two inline codes of a <source>.
    children = list(element)
    if not children or local(element.tag) in leaves:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in children:
        indent(child, leaves, level + 1)
        child.tail = inner
    children[-1].tail = "\n" + "  " * level
