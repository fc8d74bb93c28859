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
lines, indentation and markers of blocks) is kept character for character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

KINDS = ("title", "heading", "paragraph", "list_item", "quote", "table_cell")
_OPEN, _CLOSE = "\ue000", "\ue001"
_RUN = re.compile(f"(?:{_OPEN}\\d+{_CLOSE})+")
_ONE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_JOINERS = {"zh": "", "ja": "", "en": " ", "fr": " ", "ko": " "}

_TERMINATORS = "。！？!?"
_CLOSERS = "”’」』）)】》〉〕]"

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^([ \t]{0,3}#{1,6}[ \t]*)(.*?)([ \t]+#+)?([ \t]*)$")
_RULE = re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
_QUOTE = re.compile(r"^((?:[ \t]{0,3}>[ \t]?)+)(.*)$")
_LIST = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$))(.*)$")
_BLOCK_TAGS = (
    "address|article|aside|audio|blockquote|center|details|dialog|div|dl|embed|fieldset|figure"
    "|footer|form|h[1-6]|header|hr|iframe|noscript|object|ol|p|pre|script|section|style|table"
    "|ul|video"
)
_HTML_BLOCK = re.compile(rf"^[ \t]{{0,3}}(?:<!--|</?(?:{_BLOCK_TAGS})(?:[\s/>]|$))", re.IGNORECASE)
_REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
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
        return _JOINERS[language]
    except KeyError:
        raise ValueError(f"no sentence joiner for language {language!r}") from None


def assemble(skeleton: str, texts: Mapping[int, str], language: str) -> str:
    """Rebuild the body Markdown in `language` from translated segment texts (missing position -> KeyError)."""
    joiner = sentence_joiner(language)

    def fill(run: re.Match[str]) -> str:
        return joiner.join(texts[int(n)] for n in _ONE.findall(run.group(0)))

    return _RUN.sub(fill, skeleton)


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
        if heading := _HEADING.match(text):
            self.heading(heading)
            return i + 1
        if quote := _QUOTE.match(text):
            return self.quote(i, quote.group(1), quote.group(2))
        if item := _LIST.match(text):
            self.in_list = True
            return self.paragraph(i, item.group(1), item.group(2), "list_item")
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

    def heading(self, match: re.Match[str]) -> None:
        prefix, text, closing, trailing = (
            match.group(1),
            match.group(2),
            match.group(3),
            match.group(4),
        )
        if not text.strip():
            self.out.append(match.group(0))
            return
        inner = text.strip()
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        self.out.append(
            prefix + lead + self.placeholder("heading", inner) + tail + (closing or "") + trailing
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
        if inner := _LIST.match(content):
            prefix, content = prefix + inner.group(1), inner.group(2)
        elif heading := _HEADING.match(content):
            prefix, content = prefix + heading.group(1), content[len(heading.group(1)) :]
        else:
            # Indentation inside the quote is structure too (it may make code).
            prefix, content = prefix + _indent(content), content.lstrip(" \t")
        depth = prefix.count(">")
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
