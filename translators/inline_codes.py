"""Markdown inline spans as XLIFF inline codes, and the codes back into the exact Markdown.

A segment's Markdown is cut by the tokeniser the engines' protection uses
(`translators.protect.mask`, without a glossary), so engines and agencies see the same codes:

- a **paired** code stands for markup around text that is translated: a link's ``[`` and
  ``](url)``, ``**`` bold, ``*`` italic, ``~~`` strike-through;
- a **standalone** code stands for an item that is not translated: a code span, an image, a
  URL, an e-mail address, a phone number, an HTML tag, a literal ``{1}``.

Codes are numbered ``1``, ``2``… in the order they open in the source. A target's codes take the
number of the source code with the same markup (the first one not taken); markup only the target
has is numbered after the source's.

Coming back, a code is looked up by its number in the table of the stored texts, never taken from
the file: a tool may drop the original markup it was given, but it cannot change a link's address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from core.languages import SOURCE_LANGUAGE
from translators.protect import mask

__all__ = [
    "Boundary",
    "CodeMismatch",
    "CodeSpec",
    "Content",
    "Inline",
    "Paired",
    "Standalone",
    "code_table",
    "codes_in",
    "flatten",
    "has_codes",
    "markdown_of",
    "parse_markdown",
    "restore",
    "target_content",
]


@dataclass(frozen=True)
class Paired:
    """Markup around translated text; ``open``/``close`` are None when a file did not carry them."""

    id: str
    kind: str
    children: tuple[Inline, ...]
    open: str | None = None
    close: str | None = None


@dataclass(frozen=True)
class Standalone:
    """An item that is not translated; ``original`` is None when a file did not carry it."""

    id: str
    kind: str
    original: str | None = None


@dataclass(frozen=True)
class Boundary:
    """One end of a paired code written as two elements (XLIFF 1.2 <bpt>/<ept>, 2.0 <sc>/<ec>)."""

    id: str
    start: bool
    original: str | None = None


Inline = str | Paired | Standalone | Boundary
Content = tuple[Inline, ...]

_PAIRED_KINDS = {"[": "link", "**": "bold", "__": "bold", "*": "italic", "~~": "strike"}
_BRACE = re.compile(r"[{｛]\s*\d+\s*[}｝]")
_PLACEHOLDER = re.compile(r"\{(\d+)\}")  # exactly as mask() writes them


def _standalone_kind(original: str) -> str:
    """What a standalone item is, for the code's type in the file (the markup itself decides)."""
    if original.startswith("`"):
        return "code"
    if original.startswith("!["):
        return "image"
    if original.startswith("<"):
        return "tag"
    if _BRACE.fullmatch(original):
        return "placeholder"
    if "@" in original and "://" not in original:
        return "email"
    if "://" in original or original.lower().startswith("www."):
        return "url"
    if any(ch.isdigit() for ch in original):
        return "phone"
    return "other"


@dataclass
class _Open:
    id: str
    kind: str
    open: str
    children: list[Inline] = field(default_factory=list)


def parse_markdown(text: str) -> Content:
    """A Markdown text as inline content, codes numbered 1, 2… in the order they open."""
    # The language only chooses glossary terms, and no glossary is given.
    masked = mask(text, SOURCE_LANGUAGE)
    roles = masked.roles or ("whole",) * len(masked.slots)
    top: list[Inline] = []
    stack: list[_Open] = []
    number = 0

    def add(piece: Inline) -> None:
        (stack[-1].children if stack else top).append(piece)

    position = 0
    for match in _PLACEHOLDER.finditer(masked.text):
        if match.start() > position:
            add(masked.text[position : match.start()])
        position = match.end()
        slot = int(match.group(1)) - 1
        original, role = masked.slots[slot], roles[slot]
        if role == "open":
            number += 1
            stack.append(_Open(str(number), _PAIRED_KINDS.get(original, "other"), original))
        elif role == "close" and stack:
            opened = stack.pop()
            add(Paired(opened.id, opened.kind, tuple(opened.children), opened.open, original))
        else:
            number += 1
            add(Standalone(str(number), _standalone_kind(original), original))
    if position < len(masked.text):
        add(masked.text[position:])
    if stack:  # mask() closes what it opens; this would be a bug of the tokeniser
        raise ValueError(f"unbalanced markup in {text!r}")
    return tuple(top)


def codes_in(content: Content) -> Iterator[Paired | Standalone | Boundary]:
    """Every code of the content, outer before inner, in document order."""
    for piece in content:
        if isinstance(piece, str):
            continue
        yield piece
        if isinstance(piece, Paired):
            yield from codes_in(piece.children)


def has_codes(content: Content) -> bool:
    """Whether the content has any inline code."""
    return any(not isinstance(piece, str) for piece in content)


def flatten(content: Content) -> str:
    """The text a tool without inline codes shows: paired markup left out, standalone items kept."""
    out: list[str] = []
    for piece in content:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, Paired):
            out.append(flatten(piece.children))
        elif isinstance(piece, Standalone):
            out.append(piece.original or "")
    return "".join(out)


def markdown_of(content: Content) -> str:
    """The Markdown of content that carries its own markup (as waiwen writes it)."""
    out: list[str] = []
    for piece in content:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, Paired) and piece.open is not None and piece.close is not None:
            out.append(piece.open + markdown_of(piece.children) + piece.close)
        elif isinstance(piece, (Standalone, Boundary)) and piece.original is not None:
            out.append(piece.original)
        else:
            raise ValueError(f"inline code {piece.id} does not carry its markup")
    return "".join(out)


def _signature(code: Paired | Standalone | Boundary) -> tuple[str, str, str]:
    if isinstance(code, Paired):
        return ("paired", code.open or "", code.close or "")
    return ("standalone", code.original or "", "")


def target_content(target: str, source: Content) -> Content:
    """A target's Markdown as content whose codes carry the numbers of the source's codes."""
    free: dict[tuple[str, str, str], list[str]] = {}
    largest = 0
    for code in codes_in(source):
        free.setdefault(_signature(code), []).append(code.id)
        largest = max(largest, int(code.id))
    numbers: dict[str, str] = {}
    content = parse_markdown(target)
    for code in codes_in(content):
        ids = free.get(_signature(code))
        if ids:
            numbers[code.id] = ids.pop(0)
        else:
            largest += 1
            numbers[code.id] = str(largest)
    return _renumbered(content, numbers)


def _renumbered(content: Content, numbers: Mapping[str, str]) -> Content:
    out: list[Inline] = []
    for piece in content:
        if isinstance(piece, Paired):
            children = _renumbered(piece.children, numbers)
            out.append(Paired(numbers[piece.id], piece.kind, children, piece.open, piece.close))
        elif isinstance(piece, Standalone):
            out.append(Standalone(numbers[piece.id], piece.kind, piece.original))
        else:
            out.append(piece)
    return tuple(out)


@dataclass(frozen=True)
class CodeSpec:
    """What one code number stands for: its markup, and whether the source has it."""

    id: str
    kind: str
    paired: bool
    open: str
    close: str
    in_source: bool

    def describe(self) -> str:
        """The code as a reviewer recognises it: its kind and its markup."""
        markup = f"{self.open}…{self.close}" if self.paired else self.open
        return f"{self.kind} {markup}"


def code_table(source: Content, target: Content | None = None) -> dict[str, CodeSpec]:
    """The codes of a stored source and (numbered by `target_content`) its stored target."""
    table: dict[str, CodeSpec] = {}
    for content, in_source in ((source, True), (target or (), False)):
        for code in codes_in(content):
            if code.id in table or isinstance(code, Boundary):
                continue
            if isinstance(code, Paired):
                spec = CodeSpec(
                    code.id, code.kind, True, code.open or "", code.close or "", in_source
                )
            else:
                spec = CodeSpec(code.id, code.kind, False, code.original or "", "", in_source)
            table[code.id] = spec
    return table


class CodeMismatch(ValueError):
    """A file's inline codes do not fit the stored text's: which code, and the rule."""

    def __init__(self, code: str, rule: str) -> None:
        self.code, self.rule = code, rule
        super().__init__(f"inline code {code}: {rule}")


class _Restorer:
    def __init__(self, table: Mapping[str, CodeSpec]) -> None:
        self.table = table
        self.seen: set[str] = set()
        self.open_ends: list[str] = []

    def spec(self, id_: str, paired: bool) -> CodeSpec:
        spec = self.table.get(id_)
        if spec is None:
            raise CodeMismatch(id_, "the stored text has no such code (an extra code)")
        if spec.paired != paired:
            shape = "wraps text" if paired else "stands alone"
            raise CodeMismatch(id_, f"it {shape} in the file, but is the {spec.describe()}")
        return spec

    @staticmethod
    def same(spec: CodeSpec, given: str | None, expected: str) -> None:
        # A file that carries the markup must carry it unchanged; one that does not is fine.
        if given is not None and given != expected:
            raise CodeMismatch(
                spec.id,
                f"altered: the file has {given!r} where the {spec.describe()} has {expected!r}",
            )

    def once(self, id_: str) -> None:
        if id_ in self.seen:
            raise CodeMismatch(id_, "appears twice")
        self.seen.add(id_)

    def text(self, content: Content) -> str:
        out: list[str] = []
        for piece in content:
            if isinstance(piece, str):
                out.append(piece)
                continue
            spec = self.spec(piece.id, not isinstance(piece, Standalone))
            if isinstance(piece, Paired):
                self.same(spec, piece.open, spec.open)
                self.same(spec, piece.close, spec.close)
                self.once(piece.id)
                out.append(spec.open + self.text(piece.children) + spec.close)
            elif isinstance(piece, Standalone):
                self.same(spec, piece.original, spec.open)
                self.once(piece.id)
                out.append(spec.open)
            elif piece.start:
                self.same(spec, piece.original, spec.open)
                self.once(piece.id)
                self.open_ends.append(piece.id)
                out.append(spec.open)
            else:
                self.same(spec, piece.original, spec.close)
                if piece.id not in self.open_ends:
                    raise CodeMismatch(piece.id, "its end comes before its start")
                self.open_ends.remove(piece.id)
                out.append(spec.close)
        return "".join(out)


def restore(content: Content, table: Mapping[str, CodeSpec]) -> str:
    """The exact Markdown of a file's text; CodeMismatch for a missing, altered or extra code."""
    restorer = _Restorer(table)
    text = restorer.text(content)
    if restorer.open_ends:
        raise CodeMismatch(restorer.open_ends[0], "starts but never ends")
    for spec in table.values():
        if spec.in_source and spec.id not in restorer.seen:
            raise CodeMismatch(
                spec.id, f"missing: the {spec.describe()} of the source is not there"
            )
    return text
