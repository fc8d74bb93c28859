"""What an XLIFF file holds for waiwen, whatever its version: files, units, notes, references.

The readers of XLIFF 1.x and 2.0 both give an `XliffDocument`; the writers both take
`ExportUnit`s. States use the XLIFF 1.2 names (`STATES`); a 2.0 file's states are mapped to them.

Every unit waiwen writes carries a **reference**, ``waiwen/notice-1/version-2/en/s3/revision-4``:
the notice, its version, the language, the segment and the revision of the translation that was
exported. It is what lets an import find the segment and tell a desk edit made since the export.
In XLIFF 1.2 it is the unit's location (a ``<context-group purpose="location">``), which
translate-toolkit keeps through a PO round trip (``#:`` in the PO file); in XLIFF 2.0 it is an
attribute of the unit in waiwen's namespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import Refused
from translators.inline_codes import Content, flatten

__all__ = [
    "PO_HEADER",
    "STATES",
    "WAIWEN_NS",
    "ExportUnit",
    "Reference",
    "XliffDocument",
    "XliffError",
    "XliffFile",
    "XliffNote",
    "XliffUnit",
]

STATES = ("needs-translation", "needs-review-translation", "translated", "final")
WAIWEN_NS = "urn:x-waiwen:xliff"
# The restype translate-toolkit's po2xliff gives the unit that holds a PO file's header.
PO_HEADER = "x-gettext-domain-header"


class XliffError(Refused, ValueError):
    """An XLIFF file that cannot be used: the file, the place in it (line, unit) and the rule."""


@dataclass(frozen=True)
class XliffNote:
    """A note for the translator; ``category`` says what it is about (kind, draft, glossary…)."""

    text: str
    category: str = ""
    applies_to: str = ""  # "source", "target" or "" (the whole unit)


_REFERENCE = re.compile(
    r"waiwen/notice-(?P<notice>\d+)/version-(?P<version>\d+)/(?P<language>[a-z]{2,3})"
    r"/s(?P<position>\d+)/revision-(?P<revision>\d+)"
)


@dataclass(frozen=True)
class Reference:
    """Which segment a unit is, and the revision of its translation when it was exported."""

    notice_id: int
    version: int
    language: str
    position: int
    revision: int

    def __str__(self) -> str:
        return (
            f"waiwen/notice-{self.notice_id}/version-{self.version}/{self.language}"
            f"/s{self.position}/revision-{self.revision}"
        )

    @classmethod
    def parse(cls, text: str) -> Reference | None:
        """The reference a location names; None for a location that is not waiwen's."""
        if not text.startswith("waiwen/"):
            return None
        # A PO tool may write the location back as "file:line"; waiwen's has no line.
        match = _REFERENCE.fullmatch(text.rsplit(":", 1)[0] if ":" in text else text)
        if match is None:
            raise ValueError(f"{text!r} is not a waiwen reference")
        return cls(
            int(match["notice"]),
            int(match["version"]),
            match["language"],
            int(match["position"]),
            int(match["revision"]),
        )


@dataclass(frozen=True)
class ExportUnit:
    """One segment to write: Markdown source and target, its state, notes and reference."""

    id: str
    source: str
    target: str | None
    state: str
    notes: tuple[XliffNote, ...] = ()
    reference: Reference | None = None

    @property
    def approved(self) -> bool:
        """A unit of an approved language: XLIFF 1.2 approved="yes", 2.0 state="final"."""
        return self.state == "final"


@dataclass(frozen=True)
class XliffUnit:
    """One unit as read: its id, source and target as inline content (target None: empty)."""

    id: str
    source: Content
    target: Content | None
    state: str
    approved: bool = False
    notes: tuple[XliffNote, ...] = ()
    references: tuple[Reference, ...] = ()
    restype: str = ""

    @property
    def source_text(self) -> str:
        """The source as a tool without inline codes shows it."""
        return flatten(self.source)

    @property
    def target_text(self) -> str | None:
        """The target as a tool without inline codes shows it."""
        return None if self.target is None else flatten(self.target)

    @property
    def is_po_header(self) -> bool:
        """The header of a PO file that po2xliff turned into a unit: no segment of a notice."""
        return PO_HEADER in self.restype


@dataclass(frozen=True)
class XliffFile:
    """One <file>: what it says it is (``original``, languages) and its units."""

    original: str
    source_language: str
    target_language: str
    units: tuple[XliffUnit, ...]
    datatype: str = ""


@dataclass(frozen=True)
class XliffDocument:
    """A whole XLIFF document: its version and its files (po2xliff -t writes two)."""

    version: str
    files: tuple[XliffFile, ...]

    @property
    def units(self) -> tuple[XliffUnit, ...]:
        """Every unit of every file, in document order."""
        return tuple(unit for file in self.files for unit in file.units)

    @property
    def original(self) -> str:
        """The first file's ``original``."""
        return self.files[0].original if self.files else ""

    @property
    def target_language(self) -> str:
        """The first target language a file names ("" when none does)."""
        return next((f.target_language for f in self.files if f.target_language), "")
