"""The form of a translation: not empty, not the source, a plausible length, the same Markdown."""

from __future__ import annotations

import re
from collections import Counter

from translators.checks.base import CheckContext, Finding
from translators.checks.scripts import HAN, reads_as_japanese


class EmptyCheck:
    """A translation has text."""

    id = "empty"
    name = "Empty translation"
    description = "The translation is empty or only spaces while the source has text."

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A finding for an empty target."""
        if source.strip() and not target.strip():
            return [
                Finding(self.id, "error", "the translation is empty", source_span=(0, len(source)))
            ]
        return []


class SameAsSourceCheck:
    """A translation of Chinese text is not the Chinese text itself."""

    id = "same-as-source"
    name = "Same as source"
    description = (
        "The translation equals the source although the source has Chinese words (numbers, codes "
        "and URLs alone may stay as they are; in Japanese, so may words of characters Japanese "
        "writes too, such as 目的)."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A finding for an untranslated copy."""
        if target.strip() != source.strip() or not HAN.search(source):
            return []
        if context.language == "ja" and reads_as_japanese(source):
            return []  # 目的, 上海市人民政府: Japanese writes these very characters
        return [
            Finding(
                self.id,
                "error",
                "the translation is the Chinese source unchanged",
                source_span=(0, len(source)),
                target_span=(0, len(target)),
            )
        ]


# Characters of translation per Chinese character, from the office's published translations:
# English and French run 2-4 letters per Han character, Japanese about 1-1.5, Korean 0.7-1.2.
# The bounds are wide on purpose: this is a warning about a sentence dropped or doubled.
LENGTH_BOUNDS = {"en": (0.8, 9.0), "fr": (0.9, 10.0), "ja": (0.4, 3.5), "ko": (0.3, 3.0)}
MIN_SOURCE = 10  # shorter sources (titles, table cells) vary too much to judge


class LengthRatioCheck:
    """The translation is neither far shorter nor far longer than the source."""

    id = "length"
    name = "Length ratio"
    description = (
        "Characters of the translation per character of a source of at least "
        f"{MIN_SOURCE} characters, within per-language bounds (en 0.8-9, fr 0.9-10, ja 0.4-3.5, "
        "ko 0.3-3); outside them a sentence was probably dropped or added."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A warning when the ratio is out of bounds."""
        size = len("".join(source.split()))
        if size < MIN_SOURCE or context.language not in LENGTH_BOUNDS or not target.strip():
            return []
        ratio = len("".join(target.split())) / size
        low, high = LENGTH_BOUNDS[context.language]
        if low <= ratio <= high:
            return []
        shape = "short" if ratio < low else "long"
        return [
            Finding(
                self.id,
                "warning",
                f"the translation is unusually {shape}: {ratio:.1f} characters per source character "
                f"(expected {low:g}-{high:g})",
                source_span=(0, len(source)),
                target_span=(0, len(target)),
            )
        ]


_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(([^()\s]*)")
_MARKS = {
    "links": re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\("),
    "images": re.compile(r"!\[[^\]]*\]\("),
    "bold": re.compile(r"\*\*|__"),
    "strikethrough": re.compile(r"~~"),
    "code spans": re.compile(r"`+"),
    "inline HTML": re.compile(r"</?[A-Za-z][^<>\n]*>"),
}


class MarkupCheck:
    """The same inline Markdown as the source: links to the same addresses, emphasis, code."""

    id = "markup"
    name = "Markdown structure"
    description = (
        "Counts links, images, bold, strikethrough, code spans and inline HTML tags in source and "
        "target; link and image addresses must be the same."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A finding per kind of markup that changed, placed at the first mark the other side lacks."""
        findings = []
        for label, pattern in _MARKS.items():
            in_source, in_target = list(pattern.finditer(source)), list(pattern.finditer(target))
            if len(in_source) != len(in_target):
                more = len(in_source) > len(in_target)
                first = (in_source if more else in_target)[0].span()
                findings.append(
                    Finding(
                        self.id,
                        "error",
                        f"{label}: {len(in_source)} in the source, {len(in_target)} in the translation",
                        source_span=first if more else None,
                        target_span=None if more else first,
                    )
                )
        source_links = [(m.group(1), m.span(1)) for m in _LINK.finditer(source)]
        target_links = [(m.group(1), m.span(1)) for m in _LINK.finditer(target)]
        changed = Counter(a for a, _ in source_links) - Counter(a for a, _ in target_links)
        if changed:
            first = next(span for address, span in source_links if address in changed)
            kept = {address for address, _ in source_links}
            new = [span for address, span in target_links if address not in kept]
            findings.append(
                Finding(
                    self.id,
                    "error",
                    "link addresses changed: " + ", ".join(changed.elements()),
                    source_span=first,
                    target_span=new[0] if new else None,
                )
            )
        return findings
