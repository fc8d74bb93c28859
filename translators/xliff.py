"""XLIFF for one notice's language: what an outside translation agency receives and returns.

Two versions are written: XLIFF 1.2 (`translators.xliff12`, the default, what translate-toolkit
and most CAT tools read) and XLIFF 2.0 (`translators.xliff20`). States (XLIFF 1.2 names): a
segment no one has translated is `needs-translation` (empty target); a machine, memory or glossary
draft is `needs-review-translation`; a person's text (reviewer or agency) is `translated`; a
language already approved is `final`, and its units are approved. Inline Markdown travels as
inline codes (`translators.inline_codes`).

Reading takes XLIFF 1.1, 1.2 and 2.0, whichever tool wrote it; the version is the document's own
(its namespace and ``version``). XML with a DTD that declares entities is refused before it is
read (defusedxml), so no entity is expanded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from translators import xliff12, xliff20
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
from translators.xliff_xml import local, namespace, parse

__all__ = [
    "STATES",
    "VERSIONS",
    "ExportUnit",
    "Reference",
    "XliffDocument",
    "XliffError",
    "XliffFile",
    "XliffNote",
    "XliffUnit",
    "read_xliff",
    "read_xliff_file",
    "write_xliff",
]

VERSIONS = ("1.2", "2.0")


def write_xliff(
    units: Iterable[ExportUnit],
    *,
    original: str,
    target_language: str,
    source_language: str = "zh",
    version: str = "1.2",
) -> bytes:
    """A UTF-8 XLIFF document (version 1.2 or 2.0) with one <file>."""
    if version == "1.2":
        return xliff12.write(
            units,
            original=original,
            source_language=source_language,
            target_language=target_language,
        )
    if version == "2.0":
        return xliff20.write(
            units,
            original=original,
            source_language=source_language,
            target_language=target_language,
        )
    raise ValueError(f"XLIFF version {version!r} is not one of {VERSIONS}")


def read_xliff(data: bytes, *, path: str = "<xliff>") -> XliffDocument:
    """Parse an XLIFF 1.1, 1.2 or 2.0 document; XliffError names the place and the rule."""
    root = parse(data, path)
    ns, version = namespace(root.tag), root.get("version") or ""
    if local(root.tag) == "xliff":
        if ns == xliff20.NS:
            if not version.startswith("2."):
                raise XliffError(path, rule=f"version {version!r} in the XLIFF 2.0 namespace")
            return xliff20.read(root, path)
        if ns in xliff12.NAMESPACES:
            if version and version != xliff12.NAMESPACES[ns]:
                raise XliffError(
                    path,
                    rule=f"version {version!r} in the XLIFF {xliff12.NAMESPACES[ns]} namespace",
                )
            return xliff12.read(root, ns, xliff12.NAMESPACES[ns], path)
        if not ns and version in xliff12.NAMESPACES.values():
            # Some tools leave the namespace out; translate-toolkit reads such files too.
            return xliff12.read(root, "", version, path)
        if version.startswith("2."):
            raise XliffError(
                path, rule=f"XLIFF {version} without the XLIFF 2.0 namespace {xliff20.NS}"
            )
    raise XliffError(path, rule=f"not an XLIFF 1.2 document (root {root.tag!r})")


def read_xliff_file(path: Path) -> XliffDocument:
    """Read an XLIFF file from disk."""
    return read_xliff(path.read_bytes(), path=str(path))
