"""Markdown body to sentence segments and a skeleton, and back (assemble).

Round-trip law: ``assemble(doc.skeleton, {s.position: s.text for s in doc.segments}, "zh")``
equals the *normalised* body, which is the body with

1. line ends ``\\r\\n`` / ``\\r`` turned into ``\\n``;
2. the lines of a paragraph, list item or quote paragraph joined into one line: with nothing
   between them when either side of the join is a wide (CJK) character, else with one space;
   continuation-line indentation and the quote markers of continuation lines go with them;
3. whitespace around a sentence removed, so sentences of one block follow each other
   directly (sentence_joiner("zh") is ""), and trailing whitespace of text lines removed;
   whitespace that is not ASCII (e.g. the ideographic indent "\\u3000\\u3000") at the start
   of a text block is dropped, since it is typography of the Chinese version only.

Hard line breaks (two trailing spaces or a backslash) are kept, followed by the next line's
indentation (in a quote: the first line's quote marks). Everything else (headings, table rows, fences, HTML blocks, rules, blank
lines, indentation and markers of blocks) is kept character for character. Block marks that
open a list item's or a quote's text (``- 1. 项``, ``> - 项``, ``- # 标题``) are structure, so
they stay in the skeleton too.

A text keeps its place whatever it holds (a reviewer's edit, an agency's file, an engine's
answer): ``assemble`` escapes what would change the structure around it (fit_text, and raw HTML
through content.markup). Inline Markdown (links, images, emphasis, code spans) keeps working.
Escaping changes nothing in a text that holds nothing structural, which every text segmented
from an accepted notice is, so the Chinese body assembles as before.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from content.markup import code_spans, escape_raw_html
from core.languages import LANGUAGES

KINDS = ("title", "heading", "paragraph", "list_item", "quote", "table_cell")
_OPEN, _CLOSE = "\ue000", "\ue001"
_RUN = re.compile(f"(?:{_OPEN}\\d+{_CLOSE})+")
_ONE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")

_TERMINATORS = "。！？!?"
_CLOSERS = "”’」』）)】》〉〕]"

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# An ATX heading's marks and the white space after them (_heading_parts reads the rest).
_HEADING = re.compile(r"^([ \t]{0,3}#{1,6}[ \t]*+)")
_RULE = re.compile(r"^[ \t]{0,3}([-*_])([ \t]*+\1){2,}+[ \t]*+$")
_SETEXT = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
_QUOTE = re.compile(r"^((?:[ \t]{0,3}>[ \t]?)+)(.*)$")
_QUOTE_MARKS = re.compile(r"^((?:[ \t]{0,3}>[ \t]?)+)")
_LIST = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$))(.*)$")
_BLOCK_TAGS = (
    "address|article|aside|audio|blockquote|center|details|dialog|div|dl|embed|fieldset|figure"
    "|footer|form|h[1-6]|header|hr|iframe|noscript|object|ol|p|pre|script|section|style|table"
    "|ul|video"
)
_HTML_BLOCK = re.compile(rf"^[ \t]{{0,3}}(?:<!--|</?(?:{_BLOCK_TAGS})(?:[\s/>]|$))", re.IGNORECASE)
_REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S")
# Possessive: a run of white space next to an optional "|" must not be tried at every split.
_TABLE_SEPARATOR = re.compile(
    r"^[ \t]*+\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?[ \t]*+$"
)
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
_PIPE = re.compile(r"(?<!\\)\|")

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
# Inline spans a sentence never ends inside: code, links and images, autolinks and
# inline tags, bare URLs (which may hold "?" and "!"), and emphasis.
_PROTECTED = re.compile(
    r"(?P<tick>`+).*?(?P=tick)"
    r"|!?\[(?:[^\[\]]|\[[^\[\]]*\])*\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\])"
    r"|<[^<>\n]+>"
    rf"|(?:https?://|www\.){_URL_CHARS}*[A-Za-z0-9/#=_\-]"
    r"|\*\*.+?\*\*|__.+?__|~~.+?~~|\*(?=\S)[^*]+?(?<=\S)\*"
)


@dataclass(frozen=True)
class Segment:
    """One unit of translation: a title, heading, table cell or sentence."""

    # Body positions start at 1 even when the title is blank and position 0 is absent.
    position: int
    kind: str
    text: str


@dataclass(frozen=True)
class SegmentedDocument:
    """The body's block structure with placeholders, and the segments that fill them."""

    skeleton: str
    segments: tuple[Segment, ...]


def sentence_joiner(language: str) -> str:
    """What separates two sentences of one block in `language`: " " or nothing."""
    try:
        return LANGUAGES[language].joiner
    except KeyError:
        raise ValueError(f"no sentence joiner for language {language!r}") from None


def assemble(skeleton: str, texts: Mapping[int, str], language: str) -> str:
    """Rebuild the body Markdown in `language` from segment texts (missing position -> KeyError)."""
    # Every text is fitted to its place first, so that it stays the text of its table cell,
    # heading or paragraph whatever characters it holds (fit_text, _fit_run); then every "<" in a
    # text that would start raw HTML is written "&lt;" (content.markup), read in the context of
    # the whole body, since a tag may begin in one text and end in the next.
    joiner = sentence_joiner(language)
    places = _places(skeleton)
    lines = _Lines(skeleton)
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = last = 0
    previous_line = -1
    for run in _RUN.finditer(skeleton):
        pieces.append(skeleton[last : run.start()])
        length += run.start() - last
        numbers = [int(n) for n in _ONE.findall(run.group(0))]
        line = lines.index(run.start())
        place = places.get(numbers[0]) or _Place(_guess_kind(lines.text(line)))
        fitted = [fit_text(texts[n], place.kind) for n in numbers]
        text = joiner.join(t for t in fitted if t)
        if line != previous_line:  # only the first text of a line can open a block
            text = _fit_line_start(text, place, lines, line, run)
        elif place.kind == "table_cell":
            text = _fit_cell_end(text, skeleton, run)
        pieces.append(text)
        spans.append((length, length + len(text)))
        length += len(text)
        last = run.end()
        previous_line = line
    pieces.append(skeleton[last:])
    return escape_raw_html("".join(pieces), spans)


class _Lines:
    """Where the lines of a text start, to find a line by offset in logarithmic time."""

    def __init__(self, text: str) -> None:
        self.source = text
        self.starts = [0]
        found = text.find("\n")
        while found != -1:
            self.starts.append(found + 1)
            found = text.find("\n", found + 1)

    def index(self, offset: int) -> int:
        """The line holding `offset`."""
        return bisect.bisect_right(self.starts, offset) - 1

    def start(self, line: int) -> int:
        """Offset of the line's first character."""
        return self.starts[line]

    def end(self, line: int) -> int:
        """Offset just past the line's last character (its line break not included)."""
        return self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.source)

    def text(self, line: int) -> str:
        """The line, without its line break."""
        return self.source[self.start(line) : self.end(line)]


_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_WHITE_RUN = re.compile(r"\s+")
_ASCII_SPACE = " \t" + _LINE_BREAKS
# Python-Markdown's ordered list item: digits, ".", white space ("1)" is text to it).
_ORDERED = re.compile(r"\d+\.(?=[ \t])")
_ATX_MARKS = re.compile(r"(?:^[ \t]{0,3}|[ \t>])#{1,6}[ \t]*$")
_SEPARATOR_CHARACTERS = "|:- \t"
# Python-Markdown knows no backslash escape for "=" and "~": a character reference instead.
_REFERENCES = {"=": "&#61;", "~": "&#126;"}


def fit_text(text: str, kind: str) -> str:
    """A segment text made fit for its place: one line, and for a table cell no cell break."""
    # Any run of white space holding a line break becomes one space (nothing between wide
    # characters, as when the lines of a paragraph are joined); the ends are trimmed. In a table
    # cell "|" outside code spans becomes "\\|", and where the cell's backticks do not pair up
    # they become "&#96;": unpaired, Python-Markdown would pair them with a backtick of another
    # cell and take the "|" between them for code.
    text = _one_line(text)
    if kind == "table_cell":
        text = _fit_cell(text)
    return text


def _one_line(text: str) -> str:
    """The text on one line, its ends trimmed."""
    if any(mark in text for mark in _LINE_BREAKS):
        pieces: list[str] = []
        last = 0
        for white in _WHITE_RUN.finditer(text):
            if not any(mark in white.group(0) for mark in _LINE_BREAKS):
                continue
            left = text[last : white.start()]
            right = text[white.end() : white.end() + 1]
            pieces.append(left)
            # A line break between CJK characters vanishes, between Latin words it is a space.
            pieces.append("" if _is_wide(left[-1:] or " ") or _is_wide(right or " ") else " ")
            last = white.end()
        pieces.append(text[last:])
        text = "".join(pieces)
    return text.strip(_ASCII_SPACE)


def _fit_cell(text: str) -> str:
    """A table cell's text that cannot break the cell."""
    spans = code_spans(text)
    if spans is None:
        # Python-Markdown pairs a row's backticks across its cells: unpaired, they are text.
        text = _backticks_as_text(text)
        spans = []
    out: list[str] = []
    span = 0
    i = 0
    while i < len(text):
        if span < len(spans) and spans[span][0] == i:
            out.append(text[i : spans[span][1]])  # a "|" in code is no cell break
            i = spans[span][1]
            span += 1
            continue
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i : i + 2])
            i += 2
            continue
        out.append("\\|" if char == "|" else char)
        i += 1
    return "".join(out)


def _backticks_as_text(text: str) -> str:
    """Every backtick, escaped or not, written as the character reference &#96;."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("\\`", i):
            out.append("&#96;")
            i += 2
        elif text[i] == "\\" and i + 1 < len(text):
            out.append(text[i : i + 2])
            i += 2
        else:
            out.append("&#96;" if text[i] == "`" else text[i])
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class _Place:
    """Where a run of placeholders sits: the kind of its segments."""

    kind: str


def _places(skeleton: str) -> dict[int, _Place]:
    """Position -> place of every placeholder, read from the skeleton as the body was read."""
    reader = _Segmenter(skeleton)
    reader.run()
    places: dict[int, _Place] = {}
    for found in reader.segments:
        place = _Place(found.kind)
        for number in _ONE.findall(found.text):
            places[int(number)] = place
    return places


def _guess_kind(line: str) -> str:
    """Kind of a placeholder the skeleton's reading missed: a table cell if its line has pipes."""
    return "table_cell" if _PIPE.search(_RUN.sub("", line)) else "paragraph"


def _fit_cell_end(text: str, skeleton: str, run: re.Match[str]) -> str:
    """A cell's text whose last backslash would escape the ``|`` that closes the cell, doubled."""
    if skeleton.startswith("|", run.end()) and text.endswith("\\") and not _escaped_end(text):
        text += "\\"
    return text


def _fit_line_start(text: str, place: _Place, lines: _Lines, line: int, run: re.Match[str]) -> str:
    """Escape the block marks the first text of a skeleton line would make where it sits."""
    skeleton = lines.source
    prefix = skeleton[lines.start(line) : run.start()]
    after = skeleton[run.end() : lines.end(line)]
    if place.kind == "table_cell":
        text = _fit_cell_end(text, skeleton, run)
        if "|" in prefix:
            return text
        # A row without a leading pipe starts its line: its first cell could open a block.
    if _ATX_MARKS.search(prefix):
        # A heading's text (also one in a list item or quote) opens no block, but a leading
        # "#" right after the marks would join them, and trailing ones would be dropped.
        marks = len(prefix.rstrip(" \t")) - len(prefix.rstrip(" \t").rstrip("#"))
        if text.startswith("#") and prefix.endswith("#") and marks < 6:
            text = "\\" + text
        if text.endswith("\\") and not _escaped_end(text):
            text += "\\"  # a lone backslash at the end keeps Python-Markdown from seeing a heading
        ending = place.kind == "heading" and not after.strip()
        if ending and text.endswith("#") and not _escaped_end(text):
            text = text[:-1] + "\\#"
        return text
    previous = lines.text(line - 1) if line else ""
    # Python-Markdown blanks a line of spaces, except the document's first one.
    continues = bool(previous.strip() or (previous and line == 1))
    return _escape_block_start(text, prefix=prefix, after=after, continues=continues)


def _escaped_end(text: str) -> bool:
    """Is the last character of `text` escaped by an odd number of backslashes?"""
    count = len(text) - 1 - len(text[:-1].rstrip("\\"))
    return count % 2 == 1


def _escape_block_start(text: str, *, prefix: str, after: str, continues: bool) -> str:
    """Escape what the first text of a line would open a block with: the text stays text."""
    # `prefix` is the skeleton line before the text (indentation, list or quote marks), `after`
    # the rest of it (a hard break's marks); `continues` tells that the line before is not
    # blank, so that "===" or "---" would underline it and "|-|" would make it a table's header.
    first = text[:1]
    line = text + after
    if not first:
        return text
    if first in "#>" or (first in "-*+" and line[1:2] in (" ", "\t")):
        return "\\" + text
    if ordered := _ORDERED.match(line):
        return text[: ordered.end() - 1] + "\\" + text[ordered.end() - 1 :]
    # "- " and "--" make the rule "- --": the list marks before the text count (inside any
    # quote marks and indentation, which Python-Markdown strips before it reads a rule).
    marks = prefix.rsplit(">", 1)[-1].lstrip(" \t")
    rule = _RULE.match(line) or _RULE.match(marks + line)
    if rule or (continues and _SETEXT.match(line)):
        return _REFERENCES.get(first, "\\" + first) + text[1:]
    if not prefix and _FENCE.match(text):
        return _REFERENCES.get(first, "\\" + first) + text[1:]
    if _REFERENCE_DEFINITION.match(text):
        return "\\" + text
    if continues and "|" in text and not text.strip(_SEPARATOR_CHARACTERS):
        # Python-Markdown takes any line of "|", ":", "-" under a line with pipes for a table's
        # separator row.
        return _PIPE.sub(r"\\|", text)
    return text


def split_sentences(text: str) -> list[str]:
    """Sentences of one block of inline Markdown, each stripped and non-empty."""
    spans = {m.start(): m.end() for m in _PROTECTED.finditer(text)}
    pieces: list[str] = []
    start = i = 0
    while i < len(text):
        cut = False
        if i in spans:
            span_start, i = i, spans[i]
            # Emphasis such as **请注意！** may close a sentence; links and code never do.
            if text[span_start] in "*_~":
                inner = text[span_start:i].rstrip("*_~").rstrip(_CLOSERS)
                cut = inner.endswith(tuple(_TERMINATORS))
        elif text[i] in _TERMINATORS:
            while i < len(text) and text[i] in _TERMINATORS:
                i += 1
            cut = True
        else:
            i += 1
        if cut:
            while i < len(text) and text[i] in _CLOSERS:
                i += 1
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _join_lines(left: str, right: str) -> str:
    """Join two lines of one paragraph the way a renderer would show them."""
    if not left or not right:
        return left or right
    # A line break between CJK characters must vanish, between Latin words it is a space.
    if _is_wide(left[-1]) or _is_wide(right[0]):
        return left + right
    return f"{left} {right}"


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


class _Segmenter:
    """Line-by-line block reader that writes the skeleton and numbers the segments."""

    def __init__(self, body: str) -> None:
        self.lines = body.split("\n")
        self.out: list[str] = []
        self.segments: list[Segment] = []
        self.in_list = False

    def placeholder(self, kind: str, text: str) -> str:
        position = len(self.segments) + 1  # title, if any, holds 0
        self.segments.append(Segment(position, kind, text))
        return f"{_OPEN}{position}{_CLOSE}"

    def sentences(self, kind: str, text: str) -> str:
        return "".join(self.placeholder(kind, s) for s in split_sentences(text))

    def line(self, i: int) -> str | None:
        return self.lines[i] if i < len(self.lines) else None

    def is_table_start(self, i: int) -> bool:
        """A header row followed by a |---| row with as many columns (as Python-Markdown wants)."""
        following = self.line(i + 1)
        return (
            _PIPE.search(self.lines[i]) is not None
            and following is not None
            and "|" in following
            and _TABLE_SEPARATOR.match(following) is not None
            and _column_count(self.lines[i]) == _column_count(following)
        )

    def interrupts(self, text: str) -> bool:
        """Does this line start a new block instead of continuing a paragraph?"""
        # A table cannot interrupt a paragraph: Python-Markdown only sees a table
        # whose header row starts a block.
        return bool(
            not text.strip()
            or _FENCE.match(text)
            or _HEADING.match(text)
            or _RULE.match(text)
            or _QUOTE.match(text)
            or _LIST.match(text)
            or _HTML_BLOCK.match(text)
        )

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            i = self.block(i)

    def block(self, i: int) -> int:
        """Read the block starting at line i; return the index of the next line."""
        text = self.lines[i]
        if not text.strip():
            self.out.append(text)
            return i + 1
        if _INDENTED_CODE.match(text) and not self.in_list:
            return self.verbatim(i, lambda t: not t.strip() or _INDENTED_CODE.match(t) is not None)
        if not _indent(text):
            self.in_list = False
        if self.is_table_start(i):
            return self.table(i)
        if fence := _FENCE.match(text):
            return self.fenced(i, fence.group(1))
        if _HTML_BLOCK.match(text):
            if text.lstrip().startswith("<!--"):
                return self.comment(i)
            return self.verbatim(i, lambda t: bool(t.strip()))
        if _RULE.match(text) or _REFERENCE_DEFINITION.match(text):
            self.out.append(text)
            return i + 1
        if heading := _heading_parts(text):
            self.heading(text, heading)
            return i + 1
        if quote := _QUOTE.match(text):
            return self.quote(i, quote.group(1), quote.group(2))
        if item := _LIST.match(text):
            self.in_list = True
            prefix, content = _inner_marks(item.group(1), item.group(2))
            if item.group(2).strip() and not content.strip():
                # Marks only: written as when the inner marks were the item's text.
                self.out.append(item.group(1) + item.group(2).strip())
                return i + 1
            return self.paragraph(i, prefix, content, "list_item")
        kind = "list_item" if self.in_list else "paragraph"
        return self.paragraph(i, _indent(text), text.lstrip(" \t"), kind)

    def verbatim(self, i: int, keep_going: Callable[[str], bool]) -> int:
        self.out.append(self.lines[i])
        i += 1
        while i < len(self.lines) and keep_going(self.lines[i]):
            self.out.append(self.lines[i])
            i += 1
        return i

    def fenced(self, i: int, fence: str) -> int:
        closing = re.compile(rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        self.out.append(self.lines[i])
        i += 1
        while i < len(self.lines):
            self.out.append(self.lines[i])
            i += 1
            if closing.match(self.lines[i - 1]):
                break
        return i

    def comment(self, i: int) -> int:
        while i < len(self.lines):
            self.out.append(self.lines[i])
            i += 1
            if "-->" in self.lines[i - 1]:
                break
        return i

    def heading(self, line: str, parts: tuple[str, str, str, str]) -> None:
        prefix, text, closing, trailing = parts
        if not text.strip():
            self.out.append(line)
            return
        inner = text.strip()
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        self.out.append(
            prefix + lead + self.placeholder("heading", inner) + tail + closing + trailing
        )

    def table(self, i: int) -> int:
        self.out.append(self.cells(self.lines[i]))
        self.out.append(self.lines[i + 1])  # the |---| separator row, alignment included
        i += 2
        # Python-Markdown takes every further line of the block as a row, pipes or not.
        while i < len(self.lines) and self.lines[i].strip() and not _FENCE.match(self.lines[i]):
            self.out.append(self.cells(self.lines[i]))
            i += 1
        return i

    def cells(self, row: str) -> str:
        parts = _PIPE.split(row)
        for n, part in enumerate(parts):
            if part.strip():
                lead = part[: len(part) - len(part.lstrip())]
                tail = part[len(part.rstrip()) :]
                parts[n] = lead + self.placeholder("table_cell", part.strip()) + tail
        return "|".join(parts)

    def quote(self, i: int, prefix: str, content: str) -> int:
        if not content.strip():
            self.out.append(self.lines[i])
            return i + 1
        # A list marker or heading mark inside the quote is structure, not text.
        marks = prefix
        first = _LIST.match(content) or _HEADING.match(content)
        prefix, content = _inner_marks(prefix, content)
        if prefix == marks:
            # Indentation inside the quote is structure too (it may make code).
            prefix, content = prefix + _indent(content), content.lstrip(" \t")
        if not content.strip():
            # Marks only: written as when all but the first inner marks were the text.
            line = self.lines[i]
            kept = len(marks) + (len(first.group(1)) if first else 0)
            self.out.append(line[:kept] + line[kept:].strip())
            return i + 1
        depth = marks.count(">")
        raw = [content]
        j = i + 1
        while j < len(self.lines):
            more = _QUOTE.match(self.lines[j])
            if not more or more.group(1).count(">") != depth or self.interrupts(more.group(2)):
                break
            raw.append(more.group(2))
            j += 1
        self.out.append(prefix + self.text_lines(raw, "quote", continuation=marks))
        return j

    def paragraph(self, i: int, prefix: str, content: str, kind: str) -> int:
        if not content.strip():
            self.out.append(self.lines[i])
            return i + 1
        raw = [content]
        j = i + 1
        while j < len(self.lines):
            following = self.lines[j]
            if kind == "paragraph" and _SETEXT.match(following):
                # "标题\n====" is a heading; the underline stays in the skeleton.
                heading = _join_all(raw)
                self.out.append(prefix + self.placeholder("heading", heading))
                self.out.append(following)
                return j + 1
            if self.interrupts(following):
                break
            raw.append(following)
            j += 1
        self.out.append(prefix + self.text_lines(raw, kind))
        return j

    def text_lines(self, raw: list[str], kind: str, continuation: str | None = None) -> str:
        """Skeleton of a paragraph's lines: sentences, keeping hard line breaks.

        After a hard break the next line starts with `continuation` (the quote marks)
        or, by default, with its own indentation.
        """
        pieces: list[str] = []
        current = ""
        for n, line in enumerate(raw):
            content = line.strip()
            last = n == len(raw) - 1
            marker = ""
            if not last and line.endswith("  "):
                marker = line[len(line.rstrip(" ")) :]
            elif not last and content.endswith("\\"):
                marker, content = "\\", content[:-1].rstrip()
            current = _join_lines(current, content)
            if marker:
                lead = _indent(raw[n + 1]) if continuation is None else continuation
                pieces.append(self.sentences(kind, current) + marker + "\n" + lead)
                current = ""
        pieces.append(self.sentences(kind, current))
        return "".join(pieces)


def _inner_marks(prefix: str, content: str) -> tuple[str, str]:
    """Move the block marks that open a list item's or quote's text into its prefix."""
    # "- 1. 项" is a list in a list item and "- # 标题" a heading in one: the marks are
    # structure, so they stay in the skeleton, not in a text whose escaping would undo them.
    while content:
        if _RULE.match(content):
            return prefix + content, ""
        if (inner := _LIST.match(content)) or (inner := _QUOTE_MARKS.match(content)):
            prefix, content = prefix + inner.group(1), content[len(inner.group(1)) :]
            continue
        if heading := _HEADING.match(content):
            return prefix + heading.group(1), content[len(heading.group(1)) :]
        break
    return prefix, content


def _heading_parts(line: str) -> tuple[str, str, str, str] | None:
    """An ATX heading line as (marks, text, closing hashes, trailing white space), or None."""
    # What ^(marks)(.*?)([ \t]+#+)?([ \t]*)$ matches, read without a pattern: that one tried
    # every end of the text against every run of white space, quadratic in a long run.
    marks = _HEADING.match(line)
    if marks is None:
        return None
    rest = line[marks.end() :]
    text_end = len(rest.rstrip(" \t"))
    text, trailing = rest[:text_end], rest[text_end:]
    closing = ""
    hashes = len(text.rstrip("#"))
    if hashes < len(text):
        before = text[:hashes].rstrip(" \t")
        if len(before) < hashes:  # white space before the hashes: they close the heading
            text, closing = text[: len(before)], text[len(before) :]
    return marks.group(1), text, closing, trailing


def _column_count(row: str) -> int:
    """Number of cells of a table row, outer pipes not counted."""
    row = row.strip().removeprefix("|")
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return len(_PIPE.split(row))


def _join_all(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = _join_lines(text, line.strip())
    return text


def segment_notice(title: str, body: str) -> SegmentedDocument:
    """Split a notice into segments (title at 0, body 1..n) and a placeholder skeleton."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if _OPEN in body or _CLOSE in body:
        # The placeholder delimiters are private-use characters; real text never has them.
        raise ValueError("body contains the private-use characters U+E000/U+E001")
    reader = _Segmenter(body)
    reader.run()
    segments = list(reader.segments)
    if title.strip():
        segments.insert(0, Segment(0, "title", title.strip()))
    return SegmentedDocument(skeleton="\n".join(reader.out), segments=tuple(segments))
