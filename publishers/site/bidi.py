"""Left-to-right runs inside right-to-left text, isolated so the bidi algorithm cannot reorder them.

In an Arabic sentence a phone number (+86 21 6232 1234), a date (2026-03-03), a code (A-12/3) or a
Latin name is one left-to-right run; left to the Unicode bidi algorithm, its neutral characters
(spaces, +, -, /, parentheses) take the Arabic direction around it and its parts trade places.
Wrapping each run in ``<bdi dir="ltr">`` isolates it: it reads as written and its surroundings
flow around it as one unit.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from core.languages import language

__all__ = ["BDI", "STYLED_SPAN", "isolate_ltr_runs", "text_attributes"]

# How a run is wrapped: <bdi> on the site; WeChat keeps inline styles on a <span> but documents no
# list of the elements it keeps, so its articles isolate with a styled span.
BDI = ('<bdi dir="ltr">', "</bdi>")
STYLED_SPAN = ('<span dir="ltr" style="direction:ltr;unicode-bidi:isolate;">', "</span>")

_LTR = r"0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff"  # digits, Latin with its diacritics (Vietnamese too)
_RUN = re.compile(
    # An entity stays whole (a run never starts or ends inside &amp; or &#39;).
    rf"(?P<entity>&#?\w+;)"
    # A run: starts with a strong left-to-right character or digit (or a leading + or opening
    # parenthesis before one), goes on over the neutrals numbers, codes and addresses use, ends on
    # a left-to-right character, a digit, % or a closing parenthesis.
    rf"|(?P<run>[+(]?[{_LTR}](?:[{_LTR} .,:/+\-()%@_#=?~']*[{_LTR}%)])?)"
)
# Elements whose text is already isolated or must not change: code and preformatted text (the
# stylesheet sets them left to right), and runs this function wrapped before.
_KEEP = re.compile(
    r"<(code|pre|bdi|script|style)\b[^>]*>.*?</\1\s*>|<span dir=\"ltr\"[^>]*>[^<]*</span>",
    re.S | re.I,
)
_TAG = re.compile(r"<[^>]*>")


def isolate_ltr_runs(markup: str, wrapper: tuple[str, str] = BDI) -> str:
    """``markup`` (HTML whose text is escaped) with each left-to-right run of its text wrapped."""
    pieces: list[str] = []
    position = 0
    for kept in _KEEP.finditer(markup):
        pieces.append(_isolate_text(markup[position : kept.start()], wrapper))
        pieces.append(kept.group(0))
        position = kept.end()
    pieces.append(_isolate_text(markup[position:], wrapper))
    return "".join(pieces)


def _isolate_text(markup: str, wrapper: tuple[str, str]) -> str:
    """Isolate the runs between tags; tags (and their attributes) pass unchanged."""
    pieces: list[str] = []
    position = 0
    for tag in _TAG.finditer(markup):
        pieces.append(_RUN.sub(lambda m: _wrap(m, wrapper), markup[position : tag.start()]))
        pieces.append(tag.group(0))
        position = tag.end()
    pieces.append(_RUN.sub(lambda m: _wrap(m, wrapper), markup[position:]))
    return "".join(pieces)


def _wrap(match: re.Match[str], wrapper: tuple[str, str]) -> str:
    run = match.group("run")
    if run is None:
        return match.group(0)
    # A parenthesis belongs to the run only when its partner does: "(021) 6232" is one number,
    # while the ")" of "(see 12)" closes Arabic text around it.
    before, after = "", ""
    while run.endswith(")") and run.count(")") > run.count("("):
        run, after = run[:-1], ")" + after
    while run.startswith("(") and run.count("(") > run.count(")"):
        run, before = run[1:], before + "("
    return f"{before}{wrapper[0]}{run}{wrapper[1]}{after}"


def text_attributes(code: str) -> Markup:
    """The attributes of an element holding text in ``code`` on a left-to-right page.

    ``lang="en"``; a right-to-left language says so too: ``lang="ar" dir="rtl"``.
    """
    entry = language(code)
    if entry.direction == "ltr":
        return Markup('lang="{}"').format(entry.bcp47)
    return Markup('lang="{}" dir="{}"').format(entry.bcp47, entry.direction)
