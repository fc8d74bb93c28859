"""Markdown to HTML that is safe to publish."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]
# Column alignment as an attribute, since style attributes are not allowed through.
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "br",
    "hr",
    "img",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Tags whose content is code or styling, never text: dropped with their content.
_DROPPED_WITH_CONTENT = {"script", "style"}


# The inline patterns and emphasis tokens Python-Markdown registers with the extensions above,
# and a search for the characters any of them needs to match: `code`, \\escapes, [links],
# ![images], <autolinks> and <tags>, &entities;, *emphasis* and _emphasis_, and two spaces
# before a line break. Text holding none of them leaves every pattern unmatched.
_KNOWN_PATTERNS = (
    "backtick",
    "escape",
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
    "html",
    "entity",
    "em_strong",
)
_KNOWN_DELIMITERS = {"*", "_"}
_MAY_HOLD_INLINE_MARKUP = re.compile(r"[`\\\[<&*_]|  \n")


class _PlainTextInline(InlineProcessor):
    """Python-Markdown's inline processor, skipping text no inline pattern can match.

    Most of an office notice is plain sentences; trying each of fourteen patterns on each of
    them was about a third of a site build. The output is the same (tests/content/test_render.py).
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if not _MAY_HOLD_INLINE_MARKUP.search(data):
            return data
        handle = getattr(super(), "_InlineProcessor__handleInline")  # noqa: B009
        result: str = handle(data, patternIndex)
        return result


class _PlainTextShortcut(Extension):
    """Installs `_PlainTextInline`, but only over the patterns it knows."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        delimiters = getattr(md, "delimiters", None)
        tokens = set(getattr(delimiters, "delimiters", {}))
        patterns = md.inlinePatterns
        if (
            len(patterns) == len(_KNOWN_PATTERNS)
            and all(name in patterns for name in _KNOWN_PATTERNS)
            and tokens == _KNOWN_DELIMITERS
            and "inline" in md.treeprocessors
        ):
            md.treeprocessors.register(_PlainTextInline(md), "inline", 20)


# One converter per thread, reset between texts: building one costs as much as a short notice
# takes to convert, and a site build converts tens of thousands.
_converters = threading.local()


def _converter() -> markdown.Markdown:
    found: markdown.Markdown | None = getattr(_converters, "markdown", None)
    if found is None:
        found = markdown.Markdown(
            extensions=[*_EXTENSIONS, _PlainTextShortcut()], extension_configs=_EXTENSION_CONFIGS
        )
        # Asked for every element of every text: the same answer from a set, not a list's search.
        setattr(found, "is_block_level", _block_level_test(found.block_level_elements))  # noqa: B010
        _converters.markdown = found
    return found


def _block_level_test(block_level_elements: list[str]) -> Callable[[object], bool]:
    """`Markdown.is_block_level` over the converter's block-level tags, as they are once built."""
    levels = frozenset(block_level_elements)

    def is_block_level(tag: object) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in levels

    return is_block_level


def markdown_to_html(markdown_text: str) -> str:
    """Render Markdown to HTML and sanitise it: raw scripts, handlers and unsafe URLs never survive."""
    converter = _converter()
    try:
        rendered = converter.convert(markdown_text)
    finally:
        converter.reset()  # nothing of one text (stashed HTML, references) reaches the next
    return nh3.clean(
        rendered,
        tags=_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
