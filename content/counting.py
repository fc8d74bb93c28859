"""Word and character measures of a language version, and named reporting conventions."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

from content.scripts import CJK_RE, HANGUL_RE, has_latin_or_digit
from core.languages import LANGUAGES, OFFICE_COLUMNS, SHIPPED_TARGETS


@dataclass(frozen=True)
class Measures:
    """Every measure waiwen keeps for one text; conventions pick one per language."""

    latin_words: int
    cjk_characters: int
    characters_no_spaces: int
    korean_words: int
    # Pieces between spaces holding a letter or digit of any script: the word rule of
    # office-2020 v2 for every language written with spaces (ko counts 2025, APEC and URLs too).
    words: int

    def as_dict(self) -> dict[str, int]:
        """The measures as a plain dict, field name to figure."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


_MEASURE_NAMES = frozenset(f.name for f in fields(Measures))


@dataclass(frozen=True)
class Convention:
    """A named, versioned choice of which measure is reported for each language."""

    name: str
    version: int
    measure_for: Mapping[str, str]

    def __post_init__(self) -> None:
        unknown = sorted(set(self.measure_for.values()) - _MEASURE_NAMES)
        if unknown:
            raise ValueError(f"convention {self.name}: unknown measures {unknown}")
        # Freeze the mapping so a shared convention cannot be altered by a caller.
        object.__setattr__(self, "measure_for", MappingProxyType(dict(self.measure_for)))

    @property
    def label(self) -> str:
        """How reports print and store it, and how it is chosen again: "office-2020 v1"."""
        return f"{self.name} v{self.version}"

    def figure(self, measures: Measures, language: str) -> int:
        """The reported figure for a text in `language` (KeyError if the language is not covered)."""
        try:
            field_name = self.measure_for[language]
        except KeyError:
            raise KeyError(
                f"convention {self.label} has no measure for language {language!r}"
            ) from None
        return int(getattr(measures, field_name))


def _further_languages() -> dict[str, str]:
    """The measure of every shipped target beyond the office's four, the same in every convention.

    A language written with spaces between words (de, es, ru, ar, pt, it, vi) is counted by
    `words`, the pieces between spaces holding a letter or digit of any script: Cyrillic, Arabic
    (a word with its attached و or ال is one piece, as a word processor counts it) and Vietnamese,
    whose pieces are syllables (thành phố is two), as office tools and translation agencies count
    them. A language written without spaces between words (th, whose table entry joins sentences
    with nothing) is counted by `characters_no_spaces`, like Chinese and Japanese: every character
    that is not a space, vowel signs and tone marks included (docs/counting.md).
    """
    further = (code for code in SHIPPED_TARGETS if code not in OFFICE_COLUMNS)
    return {
        code: "characters_no_spaces" if LANGUAGES[code].joiner == "" else "words"
        for code in further
    }


# Adding a language adds figures and changes none: no released figure of en, fr, ja, ko or zh moves.
_FURTHER = _further_languages()

# Every released convention, each version kept as it was released: a report names the version it
# used, and choosing that version again gives the same figures from the same measures.
RELEASED: tuple[Convention, ...] = (
    Convention(
        name="office-2020",
        version=1,
        measure_for={
            "en": "latin_words",
            "fr": "latin_words",
            "ja": "characters_no_spaces",
            "ko": "korean_words",
            "zh": "characters_no_spaces",
            **_FURTHER,
        },
    ),
    # One word rule for every language written with spaces: a piece between spaces is a word when
    # it holds a letter or digit, as translation agencies' tools count (v1 counted ko by hangul).
    Convention(
        name="office-2020",
        version=2,
        measure_for={
            "en": "words",
            "fr": "words",
            "ja": "characters_no_spaces",
            "ko": "words",
            "zh": "characters_no_spaces",
            **_FURTHER,
        },
    ),
    # office-2020 with Korean counted by characters, as some agencies do.
    Convention(
        name="ko-characters",
        version=1,
        measure_for={
            "en": "latin_words",
            "fr": "latin_words",
            "ja": "characters_no_spaces",
            "ko": "characters_no_spaces",
            "zh": "characters_no_spaces",
            **_FURTHER,
        },
    ),
    Convention(
        name="ko-characters",
        version=2,
        measure_for={
            "en": "words",
            "fr": "words",
            "ja": "characters_no_spaces",
            "ko": "characters_no_spaces",
            "zh": "characters_no_spaces",
            **_FURTHER,
        },
    ),
)
# A name alone chooses its newest version.
CONVENTIONS: Mapping[str, Convention] = MappingProxyType(
    {
        convention.name: convention
        for convention in sorted(RELEASED, key=lambda c: (c.name, c.version))
    }
)
DEFAULT_CONVENTION = "office-2020"

_NAME_AND_VERSION = re.compile(r"(?P<name>\S+)\s+v(?P<version>\d+)")


def find_convention(name: str) -> Convention:
    """A convention by name (its newest version) or by label ("office-2020 v1"), as reports print it."""
    wanted = name.strip()
    chosen = _NAME_AND_VERSION.fullmatch(wanted)
    if chosen is None:
        try:
            return CONVENTIONS[wanted]
        except KeyError:
            raise KeyError(
                f"no reporting convention {name!r}; known: {', '.join(sorted(CONVENTIONS))}"
            ) from None
    versions = {c.version: c for c in RELEASED if c.name == chosen["name"]}
    if not versions:
        raise KeyError(
            f"no reporting convention {chosen['name']!r}; known: {', '.join(sorted(CONVENTIONS))}"
        )
    try:
        return versions[int(chosen["version"])]
    except KeyError:
        released = ", ".join(f"v{v}" for v in sorted(versions))
        raise KeyError(
            f"convention {chosen['name']} has no version {chosen['version']}; released: {released}"
        ) from None


# --- Markdown to plain text -------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_RULE_OR_UNDERLINE = re.compile(r"^[ \t]*(([-*_])[ \t]*){3,}$|^[ \t]*=+[ \t]*$")
_REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S")
_QUOTE_MARKS = re.compile(r"^[ \t]*(>[ \t]?)+")
_HEADING_MARKS = re.compile(r"^[ \t]*#{1,6}[ \t]*")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")

_ESCAPABLE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPE_BASE = 0xF0000  # supplementary private use area: cannot occur in real text
_UNESCAPE = re.compile("[\U000f0000-\U000f00ff]")
# Bracketed texts stop at the next "[" as well as at "]": a line of unclosed brackets is then
# scanned once, not once per bracket (which is quadratic on a long line).
_IMAGE = re.compile(
    r"!\[[^\[\]]*\](?:\((?:[^()\s]|\([^()]*\))*(?:[ \t]+\"[^\"]*\")?\)|\[[^\[\]]*\])"
)
_LINK = re.compile(r"\[([^\[\]]*)\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\])")
_AUTOLINK = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)[^\s<>]*)>")
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|code|em|font|i|kbd|mark|q|s|small|span|strong|sub|sup|u)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_OTHER_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = re.compile(r"\*+|~~+|`+|(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z])")
_PIPE = re.compile(r"\|")


def _without_comments(text: str) -> str:
    """The text with HTML comments removed, scanning once (a regex rescans from every "<!--")."""
    parts: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) != -1:
        closing = text.find("-->", opening + 4)
        if closing == -1:
            break  # an unclosed comment is text, as Markdown shows it
        parts.append(text[start:opening])
        start = closing + 3
    parts.append(text[start:])
    return "".join(parts)


def _without_closing_hashes(heading: str) -> str:
    """An ATX heading's text without its optional closing run of "#" (which needs a space before)."""
    stripped = heading.rstrip(" \t")
    kept = stripped.rstrip("#")
    if kept == stripped or not kept or kept[-1] not in " \t":
        return heading
    return kept.rstrip(" \t")


def _inline_plain(line: str) -> str:
    """Strip inline markup from one line, keeping the visible text."""
    # Hide escaped punctuation first so `\*` survives the emphasis stripping.
    line = _ESCAPABLE.sub(lambda m: chr(_ESCAPE_BASE + ord(m.group(1))), line)
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _INLINE_TAG.sub("", line)
    # Block-level tags separate words, so they leave a space behind.
    line = _OTHER_TAG.sub(" ", line)
    line = _PIPE.sub(" ", line)
    line = _EMPHASIS.sub("", line)
    return _UNESCAPE.sub(lambda m: chr(ord(m.group(0)) - _ESCAPE_BASE), line)


def excerpt(markdown_text: str, limit: int) -> str:
    """The text of a Markdown body on one line, cut to ``limit`` characters with an ellipsis."""
    # Reads only as many lines as the cut needs: the first lines' text, spaces collapsed, is
    # the start of the whole body's (entities never cross a line).
    lines: list[str] = []
    length = 0
    for line in _plain_lines(markdown_text):
        lines.append(line)
        shown = len(" ".join(html.unescape(line).split()))
        length += shown + 1 if shown else 0  # one space joins it to the line before
        if length > limit + 1:
            break
    text = " ".join(html.unescape("\n".join(lines)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_text(markdown_text: str) -> str:
    """The visible text of Markdown: markup, link targets, images and HTML tags removed."""
    return html.unescape("\n".join(_plain_lines(markdown_text)))


def _plain_lines(markdown_text: str) -> Iterator[str]:
    """Each line's visible text, entities not yet decoded."""
    text = _without_comments(markdown_text.replace("\r\n", "\n").replace("\r", "\n"))
    fence: str | None = None
    for line in text.split("\n"):
        opener = _FENCE.match(line)
        if fence is not None:
            # Code is visible text, so it is counted; only the fence lines are markup.
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            else:
                yield line
            continue
        if opener:
            fence = opener.group(1)
            continue
        if (
            (_TABLE_SEPARATOR.match(line) and "|" in line)
            or _RULE_OR_UNDERLINE.match(line)
            or _REFERENCE_DEFINITION.match(line)
        ):
            continue
        line = _QUOTE_MARKS.sub("", line)
        if line.lstrip().startswith("#"):
            line = _without_closing_hashes(_HEADING_MARKS.sub("", line, count=1))
        line = _LIST_MARKER.sub("", line, count=1)
        yield _inline_plain(line)


def measure(text: str, *, markdown: bool = True) -> Measures:
    """All measures of a text; with markdown=True the markup is removed first."""
    plain = plain_text(text) if markdown else text
    tokens = plain.split()  # Unicode whitespace, the ideographic space U+3000 included
    return Measures(
        latin_words=sum(1 for token in tokens if has_latin_or_digit(token)),
        cjk_characters=len(CJK_RE.findall(plain)),
        # split() cuts at exactly the characters isspace() calls white, so the tokens hold every
        # other character once.
        characters_no_spaces=sum(map(len, tokens)),
        korean_words=sum(1 for token in tokens if HANGUL_RE.search(token)),
        words=sum(1 for token in tokens if _has_letter_or_digit(token)),
    )


def _has_letter_or_digit(token: str) -> bool:
    """True for a piece holding a letter or digit of any script; « — € alone hold neither."""
    return any(character.isalnum() for character in token)
