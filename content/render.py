"""Markdown to HTML that is safe to publish."""

from __future__ import annotations

import threading

import markdown
import nh3

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


# One converter per thread, reset between texts: building one costs as much as a short notice
# takes to convert, and a site build converts tens of thousands.
_converters = threading.local()


def _converter() -> markdown.Markdown:
    found: markdown.Markdown | None = getattr(_converters, "markdown", None)
    if found is None:
        found = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
        _converters.markdown = found
    return found


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
