"""Raw HTML in Markdown, found the way Python-Markdown would pass it through to a page.

A notice body holding raw HTML is refused at intake (content.notice); in a text that enters later
(a reviewer's edit, an agency's file, an engine's answer) every ``<`` that would start HTML is
written ``&lt;`` when the body is assembled (content.segments.assemble). Both use this one reading.

Raw HTML, anywhere outside code (fenced and indented code blocks, code spans):

- a start or end tag: ``<`` or ``</``, an ASCII letter, and a tag as Python-Markdown reads one up
  to its ``>``, line breaks and quoted attribute values included: ``<span>``, ``</div>``,
  ``<img src=x onerror="alert(1)">``;
- a comment ``<!--``, a declaration ``<!DOCTYPE``, ``<![CDATA[`` or a processing instruction
  ``<?php``, closed or not;
- a block-level tag (``<div``, ``<script``, ``<table`` ...) at the start of a line (at most three
  spaces in), closed or not: Python-Markdown keeps the rest of that block as HTML.

Not raw HTML: a ``<`` that starts none of these (``3 < 5``, ``<<护照法>>``, ``x<y``), an autolink
``<https://...>`` or ``<name@example.org>``, the ``<address>`` of ``[text](<address>)``, an entity
such as ``&lt;``.

Where this reading is unsure it errs towards HTML, never towards text: a paragraph's code spans
count only when every backtick run in it pairs with one of the same length on the same line and
none follows a backslash; a fenced block counts as code only when Python-Markdown and the
segmenter both read it as one.

Every pass is linear in the input (no pattern rescans from every position): ``Reading.steps``
counts the loop iterations and pattern calls, so a test can check that.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS

_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
# Python-Markdown's backslash escapes (Markdown.ESCAPED_CHARS, with "|" from the tables
# extension); "<" is not one of them, so "\<b>" is still a tag.
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")
# Characters that can neither start nor continue an attribute name (HTML_RE: [^\s"'=<>]).
_NOT_NAME = frozenset("\"'=<>")

# A fence opener as Python-Markdown's fenced_code reads it: at column 0, an info string or none.
_FENCE_OPEN = re.compile(r"(`{3,}+|~{3,}+)[ ]*+(?:\{[^\n]*\}|\.?[\w#.+-]*+[ ]*+)$")
# A line the segmenter ends a fenced block with (same character, at least as long).
_FENCE_LINE = re.compile(r"[ \t]{0,3}(`{3,}+|~{3,}+)[ \t]*+$")
_INDENTED = re.compile(r" {4}|\t")
_LIST_ITEM = re.compile(r"[ \t]*+(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
# A reference definition whose address is written <address>: "[1]: <images/a.png>".
_REFERENCE = re.compile(r"[ ]{0,3}\[[^\[\]\n]*+\]:[ ]*+(?=<)")
# Where the inline reading has something to do; everything between is plain text.
_INTERESTING = re.compile(r"[<\[\]\\\n|]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*+://")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*+")

ADVICE = "write Markdown (images as ![alt](file.png), links as [text](url))"
MAX_LINES_REPORTED = 10


@dataclass(frozen=True)
class RawHtml:
    """Where raw HTML starts: line (from 1), offset of its ``<`` in the text, and what it is."""

    line: int
    offset: int
    construct: str  # e.g. "<script>", "</div>", "<!-- -->"


@dataclass(frozen=True)
class Reading:
    """Raw HTML found in a text, the ``<`` to write as ``&lt;``, and the work it took."""

    html: tuple[RawHtml, ...]
    escapes: tuple[int, ...]  # offsets of "<" characters, in order
    steps: int


def read(markdown_text: str, texts: Sequence[tuple[int, int]] = ()) -> Reading:
    """Read `markdown_text` for raw HTML; `texts` are (start, end) spans of inserted segment texts."""
    reader = _Reader(markdown_text, texts)
    reader.run()
    starts = reader.line_starts
    html = tuple(
        RawHtml(bisect.bisect_right(starts, offset), offset, construct)
        for offset, construct in reader.html
    )
    return Reading(html, tuple(sorted(reader.escapes)), reader.steps)


def find_raw_html(markdown_text: str) -> list[RawHtml]:
    """Every start of raw HTML in a Markdown text, in order."""
    return list(read(markdown_text).html)


def raw_html_rules(markdown_text: str, first_line: int = 1) -> list[str]:
    """Intake rules broken by raw HTML: one per line that holds some, the first ten lines named.

    ``first_line`` is the file's line number of the text's first line.
    """
    by_line: dict[int, str] = {}
    for found in find_raw_html(markdown_text):
        by_line.setdefault(found.line + first_line - 1, found.construct)
    rules = [
        f"line {line}: raw HTML ({construct}) is not allowed in a notice; {ADVICE}"
        for line, construct in list(by_line.items())[:MAX_LINES_REPORTED]
    ]
    if len(by_line) > MAX_LINES_REPORTED:
        rest = sorted(by_line)[MAX_LINES_REPORTED:]
        rules.append(
            f"lines {rest[0]}-{rest[-1]}: raw HTML on {len(rest)} more lines is not allowed either"
        )
    return rules


def escape_raw_html(markdown_text: str, texts: Sequence[tuple[int, int]]) -> str:
    """The text with every ``<`` inside `texts` that would start HTML written ``&lt;``."""
    escapes = read(markdown_text, texts).escapes
    if not escapes:
        return markdown_text
    pieces: list[str] = []
    last = 0
    for offset in escapes:
        pieces.append(markdown_text[last:offset])
        pieces.append("&lt;")
        last = offset + 1
    pieces.append(markdown_text[last:])
    return "".join(pieces)


def code_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]] | None:
    """(start, end) of the code spans of one paragraph's text; None if its backticks are unsure."""
    # Backtick runs pair left to right with the next run of the same length, as Python-Markdown
    # pairs them when every run finds a partner. A run without a partner, a pair across a line
    # break, or a run after a backslash makes the reading unsure: Python-Markdown would then
    # pair some ticks differently (it falls back to shorter runs).
    return _code_spans(text, start, len(text) if end is None else end, [0])


def _code_spans(text: str, start: int, end: int, steps: list[int]) -> list[tuple[int, int]] | None:
    """code_spans, counting its work in steps[0]."""
    runs: list[tuple[int, int]] = []  # (offset, length)
    i = text.find("`", start, end)
    while i != -1:
        j = i
        while j < end and text[j] == "`":
            j += 1
        steps[0] += 1 + j - i
        runs.append((i, j - i))
        found = text.find("`", j, end)
        steps[0] += (end if found == -1 else found) - j
        i = found
    if not runs:
        return []
    by_length: dict[int, list[int]] = {}
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    pointers = dict.fromkeys(by_length, 0)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        steps[0] += 1
        offset, length = runs[k]
        same = by_length[length]
        p = pointers[length]
        while p < len(same) and same[p] <= k:
            steps[0] += 1
            p += 1
        pointers[length] = p
        if p == len(same):
            return None  # no partner: Python-Markdown would pair these ticks another way
        partner = same[p]
        close = runs[partner][0]
        if text[offset - 1 : offset] == "\\" or text[close - 1] == "\\":
            return None
        steps[0] += close - offset
        if text.find("\n", offset, close) != -1:
            return None
        # Runs of other lengths between the two are inside the code span.
        spans.append((offset, close + length))
        k = partner + 1
    return spans


class _Reader:
    """One pass over the lines (what is code), then over each paragraph of text (what is HTML)."""

    def __init__(self, text: str, texts: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.steps = 0
        self.html: list[tuple[int, str]] = []
        self.escapes: set[int] = set()
        self.line_starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self.steps += 1
            self.line_starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.forced = self._lines_of(texts)
        self.sure = True  # the current stretch's code spans are known
        self.opaque: dict[int, int] = {}  # start -> end of placeholders in the current stretch
        self.autolinks: set[int] = set()
        self.link_ends: list[int] = []
        self.skipped: list[int] = []  # "<" of the placeholders one tag's reading went past
        # (offset, is HTML, the "<" that keep it from being HTML) of every "<" that may be HTML
        self.candidates: list[tuple[int, bool, tuple[int, ...]]] = []
        # Escapes are only ever written inside inserted texts; without texts, nowhere.
        self.texts = sorted(texts)

    def line(self, n: int) -> str:
        """Line n of the text, without its line break."""
        start = self.line_starts[n]
        end = self.line_starts[n + 1] - 1 if n + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def _lines_of(self, texts: Sequence[tuple[int, int]]) -> set[int]:
        """Lines that hold inserted text: always text, never code."""
        lines: set[int] = set()
        for start, end in texts:
            first = bisect.bisect_right(self.line_starts, start) - 1
            last = bisect.bisect_right(self.line_starts, max(start, end - 1)) - 1
            lines.update(range(first, last + 1))
        return lines

    def run(self) -> None:
        """Tell code lines from text lines, read the text, then settle the escapes."""
        count = len(self.line_starts)
        lines = [self.line(n) for n in range(count)]
        is_text = [False] * count
        previous_blank = True
        in_list = False
        no_fence_until = -1
        n = 0
        while n < count:
            self.steps += 1
            line = lines[n]
            if not line.strip():
                previous_blank = True
                n += 1
                continue
            forced = n in self.forced
            self.steps += len(line)  # the line patterns below
            if not forced and n > no_fence_until and (opener := _FENCE_OPEN.match(line)):
                fence = opener.group(1)
                close = self.segmenter_fence_end(lines, n, fence)
                if close is not None and self.is_fenced_code(lines, n, close, fence):
                    n, previous_blank, in_list = close + 1, False, False
                    continue
                # Not a fenced block to both readers: its lines are read as text, once more.
                no_fence_until = count if close is None else close
            if not forced and previous_blank and not in_list and _INDENTED.match(line):
                while n < count and n not in self.forced:
                    self.steps += 1
                    if lines[n].strip() and not _INDENTED.match(lines[n]):
                        break
                    n += 1
                previous_blank = not lines[n - 1].strip()
                continue
            if _LIST_ITEM.match(line):
                in_list = True
            elif previous_blank and line[:1] not in (" ", "\t"):
                in_list = False
            is_text[n] = True
            previous_blank = False
            n += 1
        self.paragraphs(is_text)
        self.resolve_escapes()

    def resolve_escapes(self) -> None:
        """Escape HTML in texts, and a "<" that would become HTML once its blocker is escaped."""
        for offset, is_html, blockers in reversed(self.candidates):
            self.steps += 1 + len(blockers)
            if not self.inside_text(offset):
                continue
            if is_html or any(at in self.escapes for at in blockers):
                self.escapes.add(offset)

    def segmenter_fence_end(self, lines: list[str], n: int, fence: str) -> int | None:
        """The line the segmenter ends a fenced block opened on line n with, if any."""
        for m in range(n + 1, len(lines)):
            self.steps += 1 + len(lines[m])
            closing = _FENCE_LINE.match(lines[m])
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                return m
        return None

    def is_fenced_code(self, lines: list[str], n: int, close: int, fence: str) -> bool:
        """Do both readers see code from line n to line close?"""
        # Python-Markdown wants the very same fence again, the segmenter takes a longer one.
        if lines[close].rstrip(" ") != fence:
            return False
        return not any(m in self.forced for m in range(n, close + 1))

    def paragraphs(self, is_text: list[bool]) -> None:
        """Read every run of consecutive text lines as one stretch of inline Markdown."""
        n = 0
        while n < len(is_text):
            self.steps += 1
            if not is_text[n]:
                n += 1
                continue
            first = n
            while n < len(is_text) and is_text[n]:
                self.steps += 1
                n += 1
            start = self.line_starts[first]
            end = self.line_starts[n] - 1 if n < len(self.line_starts) else len(self.text)
            self.inline(start, end)

    def inline(self, start: int, end: int) -> None:
        """Find raw HTML in one stretch of text lines, skipping code spans and link addresses."""
        text = self.text
        steps = [0]
        found_spans = _code_spans(text, start, end, steps)
        self.steps += steps[0]
        spans = found_spans or []
        # Python-Markdown puts placeholders for code spans, links and autolinks before it looks
        # for tags, so inside a tag they are ordinary name characters: "opaque" here.
        self.sure = found_spans is not None
        self.opaque = dict(spans)
        self.autolinks = set()
        self.link_ends = self.closing_brackets(start, end)
        self.prepare_opaque(start, end, spans)
        span = 0
        # Brackets open in the stretch. A "](<" starts a link's address only after the outermost
        # "[" of the stretch closes on its own line and in its own table cell: Python-Markdown
        # reads no link inside a link's text, and reads a table's cells one by one.
        depth = 0
        crossed = False  # a line break or "|" since the outermost "[" opened
        line_start = start
        i = self.reference(start, end)
        while i < end:
            while span < len(spans) and spans[span][1] <= i:
                span += 1
            # Look no further than the next code span: nothing in it is markup.
            limit = spans[span][0] if span < len(spans) and spans[span][0] >= i else end
            found = _INTERESTING.search(text, i, limit)
            at = found.start() if found else limit
            self.steps += 1 + at - i
            if at == limit and limit < end:
                i = spans[span][1]
                span += 1
                continue
            if at == end:
                break
            char = text[at]
            i = at + 1
            if char == "\n":
                crossed, line_start = True, i
                i = self.reference(i, end)
            elif char == "|":
                crossed = True
            elif char == "\\":
                if i < end and text[i] in _ESCAPABLE:
                    i += 1
            elif char == "[":
                depth += 1
                crossed = crossed and depth > 1
            elif char == "]":
                if depth:
                    depth -= 1
                    # Where code spans are unsure, the brackets may be code.
                    outermost = not depth and not crossed and self.sure
                    address_end = self.link_address(i, end) if outermost else None
                    if address_end is not None:
                        i = address_end
            else:
                self.angle(at, end, line_start)

    def prepare_opaque(self, start: int, end: int, spans: list[tuple[int, int]]) -> None:
        """Note the autolinks and the ``](<address>`` of a stretch, outside its code spans."""
        text = self.text
        span = 0
        i = text.find("<", start, end)
        while i != -1:
            self.steps += 1
            while span < len(spans) and spans[span][1] <= i:
                span += 1
            if span < len(spans) and spans[span][0] <= i:
                found = text.find("<", spans[span][1], end)
                self.steps += (end if found == -1 else found) - i
                i = found
                continue
            close = self.autolink_end(i, end)
            if close is not None:
                self.autolinks.add(i)
                self.opaque[i] = close
            elif self.after_link_text(i, start):
                # Perhaps a link's address: a tag read around it goes past it (noting its "<",
                # which is escaped where it is no address after all).
                address = i + 1
                while address < end and text[address] not in "<>`\n":
                    self.steps += 1
                    address += 1
                if address < end and text[address] == ">":
                    self.opaque[i] = address + 1
            found = text.find("<", i + 1, end)
            self.steps += (end if found == -1 else found) - i
            i = found

    def closing_brackets(self, start: int, end: int) -> list[int]:
        """Offsets of every ``](`` in a stretch, in order."""
        found: list[int] = []
        i = self.text.find("](", start, end)
        while i != -1:
            self.steps += 1
            found.append(i)
            i = self.text.find("](", i + 1, end)
        self.steps += end - start
        return found

    def link_text_closes_after(self, at: int) -> bool:
        """Is there a ``](`` after offset `at`, so that `at` may lie in a link's text?"""
        return bisect.bisect_right(self.link_ends, at) < len(self.link_ends)

    def after_link_text(self, i: int, start: int) -> bool:
        """Does ``](`` and white space come right before offset i?"""
        j = i - 1
        while j > start and self.text[j].isspace():
            self.steps += 1
            j -= 1
        return self.text[j - 1 : j + 1] == "]("

    def run_of(self, j: int, end: int, stops: str | frozenset[str]) -> int:
        """Offset after a run of characters that are neither white space nor in `stops`."""
        text = self.text
        while j < end:
            self.steps += 1
            if j in self.opaque:
                j = self.skip(j)
                continue
            char = text[j]
            if char == "`" and not self.sure:
                raise _Unsure
            if char.isspace() or char in stops:
                break
            j += 1
        return j

    def skip(self, j: int) -> int:
        """End of the placeholder starting at j, noting a "<" in it that may yet be escaped."""
        if self.text[j] == "<":
            self.skipped.append(j)
        return self.opaque[j]

    def space(self, j: int, end: int) -> int:
        """Offset after white space (a placeholder is not white space)."""
        text = self.text
        while j < end and j not in self.opaque and text[j].isspace():
            self.steps += 1
            j += 1
        return j

    def visible(self, j: int, end: int, chars: str | frozenset[str]) -> bool:
        """Is the character at j one of `chars`, and not the start of a placeholder?"""
        return j < end and j not in self.opaque and self.text[j] in chars

    def reference(self, i: int, end: int) -> int:
        """Where to read on in a line starting at i: after ``[1]: <address>`` if it opens one."""
        text = self.text
        found = _REFERENCE.match(text, i, end)
        if found is None:
            return i
        j = found.end() + 1
        self.steps += j - i
        while j < end and text[j] not in "<>\n" and not text[j].isspace():
            self.steps += 1
            j += 1
        if j >= end or text[j] != ">":
            return i
        line_end = text.find("\n", j, end)
        line_end = end if line_end == -1 else line_end
        self.steps += line_end - j
        title = text[j + 1 : line_end].strip(" ")
        # Python-Markdown takes the line as a definition only if nothing but a title follows.
        quoted = len(title) >= 2 and title[0] in "\"'" and title[-1] == title[0]
        if title and not quoted and title[0] + title[-1] != "()":
            return i
        return line_end

    def link_address(self, i: int, end: int) -> int | None:
        """End of ``(<address> "title")`` right after a link's ``]``, if that is what follows."""
        text = self.text
        if i >= end or text[i] != "(":
            return None
        i += 1
        while i < end and text[i] in " \t":
            self.steps += 1
            i += 1
        if i >= end or text[i] != "<":
            return None
        j = i + 1
        while j < end and text[j] not in "<>`\n":
            self.steps += 1
            j += 1
        if j >= end or text[j] != ">":
            return None
        j += 1
        while j < end and text[j] in " \t":
            self.steps += 1
            j += 1
        if j < end and text[j] in "\"'":
            quote = text[j]
            j += 1
            while j < end and text[j] not in (quote, "`", "\n", "<"):
                self.steps += 1
                j += 1
            if j >= end or text[j] != quote:
                return None
            j += 1
            while j < end and text[j] in " \t":
                self.steps += 1
                j += 1
        if j >= end or text[j] != ")":
            return None
        return j + 1

    def angle(self, i: int, end: int, line_start: int) -> None:
        """Classify the ``<`` at i: HTML, what may become HTML once a later ``<`` goes, or text."""
        text = self.text
        after = text[i + 1 : i + 2]
        construct: str | None = None
        blockers: tuple[int, ...] = ()
        if after == "!":
            # A comment, a marked section or a declaration, as Python's HTMLParser reads them.
            if text.startswith("!-", i + 1):
                construct = "<!-- -->"
            elif text.startswith("![", i + 1):
                construct = "<![CDATA[ ]]>"
            elif word := self.word(i + 2, end):
                construct = f"<!{word}>"
        elif after == "?":
            # A processing instruction: Python-Markdown keeps "<?" ... "?>" (or ">") as HTML.
            word = self.word(i + 2, end)
            construct = f"<?{word} ?>" if word else "<? ?>"
        elif _is_letter(after) or (after == "/" and _is_letter(text[i + 2 : i + 3])):
            if i in self.autolinks:
                return
            construct = self.block_tag(i, end, line_start)
            if construct is None:
                try:
                    construct, blockers = self.tag(i, end)
                except _Unsure:
                    construct = self.tag_name(i, end)
        if construct is not None:
            self.html.append((i, construct))
        if construct is not None or blockers:
            self.candidates.append((i, construct is not None, blockers))

    def word(self, i: int, end: int) -> str:
        """The tag or declaration name at i ("" if none)."""
        found = _WORD.match(self.text, i, end)
        word = found.group(0) if found else ""
        self.steps += 1 + len(word)
        return word

    def inside_text(self, i: int) -> bool:
        """Is offset i inside one of the inserted texts?"""
        index = bisect.bisect_right(self.texts, (i, len(self.text) + 1)) - 1
        return index >= 0 and self.texts[index][0] <= i < self.texts[index][1]

    def autolink_end(self, i: int, end: int) -> int | None:
        """End of the autolink, ``<scheme://...>`` or ``<name@host>``, starting at i, if it is one."""
        text = self.text
        self.steps += 1
        if _SCHEME.match(text, i + 1, end):
            j = i + 1
            while j < end and text[j] not in "<>`":
                self.steps += 1
                j += 1
            return j + 1 if j < end and text[j] == ">" else None
        # Python-Markdown's AUTOMAIL_RE: <([^<> !]+@[^@<> ]+)>
        j = i + 1
        while j < end and text[j] not in "<> `":
            self.steps += 1
            j += 1
        if j >= end or text[j] != ">":
            return None
        address = text[i + 1 : j]
        at = address.rfind("@")
        if 0 < at < len(address) - 1 and "!" not in address[:at]:
            return j + 1
        return None

    def block_tag(self, i: int, end: int, line_start: int) -> str | None:
        """A block-level tag opening a line: HTML to Python-Markdown even without its ``>``."""
        text = self.text
        if i - line_start > 3 or text[line_start:i].strip(" "):
            return None
        closing = text[i + 1] == "/"
        word = self.word(i + 2 if closing else i + 1, end)
        if word.lower() not in _BLOCK_TAGS:
            return None
        following = text[i + 1 + closing + len(word) : i + 2 + closing + len(word)]
        if following and not following.isspace() and following not in "/>":
            return None
        return f"<{'/' if closing else ''}{word.lower()}>"

    def tag_name(self, i: int, end: int) -> str:
        """How a tag at i is named in a refusal: "<span>", "</div>"."""
        closing = self.text[i + 1] == "/"
        return f"<{'/' if closing else ''}{self.word(i + 1 + closing, end).lower()}>"

    def tag(self, i: int, end: int) -> tuple[str | None, tuple[int, ...]]:
        """(construct, blockers): a tag at i, or none and the ``<`` that stop it being one."""
        text = self.text
        construct = self.tag_name(i, end)
        name_start = i + 2 if text[i + 1] == "/" else i + 1
        self.skipped = []
        # Python-Markdown 3.10+: <\/?[a-zA-Z][^\s"'<>@]* then attributes, then \s*/?>
        ends_at = self.attributes(self.run_of(name_start, end, "\"'<>@"), end)
        if ends_at is not None and self.visible(ends_at, end, ">"):
            return construct, ()
        # Earlier versions: <\/?[a-zA-Z][^<>@ ]*( [^<>]*)?> (any white space taken for " ").
        k = self.run_of(name_start, end, "<>@")
        if k < end and text[k].isspace() and k not in self.opaque:
            k = self.run_of(self.space(k, end), end, _ANGLES_AND_SPACE)
            while k < end and text[k].isspace():
                k = self.run_of(self.space(k, end), end, _ANGLES_AND_SPACE)
        if self.visible(k, end, ">"):
            return construct, ()
        blockers = tuple(at for at in (ends_at, k) if at is not None and self.visible(at, end, "<"))
        for at in blockers:
            self.steps += at - i
            if text.find("[", i, at) != -1 and self.link_text_closes_after(at):
                # Python-Markdown reads links first: that "<" may be hidden in one's text.
                return construct, ()
        # A "<...>" read as a link's address here is a tag where it is no address, and once
        # escaped, its ">" may close this one.
        return None, blockers + tuple(self.skipped)

    def attributes(self, j: int, end: int) -> int | None:
        """Where a tag's ``>`` must be, after its attributes and ``\\s*/?`` (None past the end)."""
        while True:
            self.steps += 1
            k = self.space(j, end)
            if k == j or k >= end or self.visible(k, end, _NOT_NAME):
                break
            j = self.run_of(k, end, _NOT_NAME)
            v = self.space(j, end)
            if self.visible(v, end, "="):
                v = self.space(v + 1, end)
                if self.visible(v, end, "\"'"):
                    close = self.quoted(v, end)
                    if close is not None:
                        j = close + 1
                elif v < end and not self.visible(v, end, _NOT_NAME) and not self.text[v].isspace():
                    j = self.run_of(v, end, _NOT_NAME)
        j = self.space(j, end)
        if self.visible(j, end, "/"):
            j += 1
        return j if j < end else None

    def quoted(self, v: int, end: int) -> int | None:
        """Offset of the quote closing the attribute value opened at v (placeholders skipped)."""
        text = self.text
        quote = text[v]
        j = v + 1
        while j < end:
            self.steps += 1
            if j in self.opaque:
                j = self.skip(j)
                continue
            if text[j] == "`" and not self.sure:
                raise _Unsure
            if text[j] == quote:
                return j
            j += 1
        return None


class _Unsure(Exception):
    """A tag runs into a backtick of a paragraph whose code spans are unsure: take it for HTML."""


_ANGLES_AND_SPACE = frozenset("<>")


def _is_letter(char: str) -> bool:
    """Is `char` an ASCII letter (what may follow "<" in a tag)?"""
    return char.isascii() and char.isalpha()
