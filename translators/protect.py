"""Only text reaches an engine: markup, addresses, phone numbers and glossary terms become placeholders.

Placeholders are numbered tokens in curly braces, ``{1}``, ``{2}``. Machine-translation engines
keep such tokens (they look like the format strings of software strings, which engines are trained
to leave alone), they survive a plain-text request, and a tolerant restore still finds them when an
engine adds spaces inside or around them, writes full-width braces ``｛1｝``, or moves them with
the word order. XML-like tags were the other candidate, but engines in text mode treat ``<`` as
text and translate or escape what is inside.

Paired markup (a link's ``[`` and ``](url)``, emphasis markers) becomes an opening and a closing
placeholder around text that *is* translated. A glossary term becomes a placeholder restored as the
office's translation of the term. A literal ``{7}`` already in the source is itself protected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translators.glossary import Glossary
from translators.kept import EMAIL, PHONE, URL, url_of

__all__ = ["Masked", "PlaceholderLost", "mask", "unmask"]


class PlaceholderLost(ValueError):
    """An engine's answer lost, duplicated or invented a placeholder, so markup cannot be restored."""


@dataclass(frozen=True)
class Masked:
    """The text to send, and what each placeholder stands for in the target."""

    text: str
    slots: tuple[str, ...]  # slot i is placeholder {i + 1}
    # "whole", "term" (a glossary term), "open" (text follows: spaces after it are dropped) or
    # "close" (spaces before it are dropped)
    roles: tuple[str, ...] = ()


_TOKENS = re.compile(
    r"(?P<code>`+)[^`]*?(?P=code)"
    r"|(?P<image>!\[[^\]]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\))"
    r"|(?P<link>\[(?P<link_text>(?:[^\[\]]|\[[^\[\]]*\])*)\](?P<link_tail>\([^()\s]*(?:\([^()]*\))?[^()\s]*(?:\s+\"[^\"]*\")?\)|\[[^\]]*\]))"
    r"|(?P<tag><(?:https?://[^<>\s]+|[A-Za-z][^<>\n]*|/[A-Za-z][^<>\n]*)>)"
    rf"|(?P<email>{EMAIL.pattern})"
    rf"|(?P<url>{URL.pattern})"
    rf"|(?P<phone>{PHONE.pattern})"
    r"|(?P<emph>\*\*|__|~~)(?P<emph_text>.+?)(?P=emph)"
    r"|\*(?=\S)(?P<star_text>[^*]+?)(?<=\S)\*"
    r"|(?P<brace>[{｛]\s*\d+\s*[}｝])"
)
_PLACEHOLDER = re.compile(r"[{｛]\s*(\d+)\s*[}｝]")


class _Masker:
    def __init__(self, language: str, glossary: Glossary | None) -> None:
        self.language = language
        self.glossary = glossary
        self.slots: list[str] = []
        self.roles: list[str] = []

    def slot(self, value: str, role: str = "whole") -> str:
        self.slots.append(value)
        self.roles.append(role)
        return f"{{{len(self.slots)}}}"

    def text(self, text: str) -> str:
        """Mask markup and kept items, then glossary terms in the plain stretches between them."""
        out: list[str] = []
        position = 0
        for match in _TOKENS.finditer(text):
            out.append(self.terms(text[position : match.start()]))
            out.append(self.token(match))
            position = match.end()
        out.append(self.terms(text[position:]))
        return "".join(out)

    def token(self, match: re.Match[str]) -> str:
        if match.group("link"):
            return (
                self.slot("[", "open")
                + self.text(match.group("link_text"))
                + self.slot("]" + match.group("link_tail"), "close")
            )
        if match.group("emph"):
            marker = match.group("emph")
            return (
                self.slot(marker, "open")
                + self.text(match.group("emph_text"))
                + self.slot(marker, "close")
            )
        if match.group("star_text") is not None:
            return (
                self.slot("*", "open")
                + self.text(match.group("star_text"))
                + self.slot("*", "close")
            )
        if match.group("url"):
            url = match.group("url")
            trimmed = url_of(url)
            return self.slot(trimmed) + url[len(trimmed) :]
        return self.slot(match.group(0))

    def terms(self, text: str) -> str:
        if self.glossary is None or not text:
            return text
        out: list[str] = []
        position = 0
        for start, end, term in self.glossary.spans(text, self.language):
            out.append(text[position:start])
            out.append(self.slot(term.target, "term"))
            position = end
        out.append(text[position:])
        return "".join(out)


def mask(text: str, language: str, glossary: Glossary | None = None) -> Masked:
    """Replace markup, URLs, e-mail addresses, phone numbers and glossary terms by placeholders."""
    masker = _Masker(language, glossary)
    masked = masker.text(text)
    return Masked(masked, tuple(masker.slots), tuple(masker.roles))


def unmask(translated: str, masked: Masked) -> str:
    """Put back what every placeholder stands for; PlaceholderLost if one is missing or repeated."""
    if not masked.slots:
        return translated
    found = [int(m.group(1)) for m in _PLACEHOLDER.finditer(translated)]
    expected = set(range(1, len(masked.slots) + 1))
    missing = sorted(expected - set(found))
    repeated = sorted({n for n in found if found.count(n) > 1})
    invented = sorted(set(found) - expected)
    if missing or repeated or invented:
        problems = []
        if missing:
            problems.append("lost " + ", ".join(f"{{{n}}}" for n in missing))
        if repeated:
            problems.append("repeated " + ", ".join(f"{{{n}}}" for n in repeated))
        if invented:
            problems.append("invented " + ", ".join(f"{{{n}}}" for n in invented))
        raise PlaceholderLost(f"the answer {'; '.join(problems)} of the protected markup")
    roles = masked.roles or ("whole",) * len(masked.slots)

    def restore(match: re.Match[str]) -> str:
        return f"\ue020{match.group(1)}\ue021"

    marked = _PLACEHOLDER.sub(restore, translated)
    # Engines put spaces inside paired markup ("[ form ]"); Markdown would then not see emphasis.
    for number, role in enumerate(roles, start=1):
        token = f"\ue020{number}\ue021"
        if role == "open":
            marked = re.sub(re.escape(token) + r"[ \t\u3000]+", token, marked)
        elif role == "close":
            marked = re.sub(r"[ \t\u3000]+" + re.escape(token), token, marked)
    return re.sub("\ue020(\\d+)\ue021", lambda m: masked.slots[int(m.group(1)) - 1], marked)
