"""Phone numbers, URLs, e-mail addresses and glossary terms must come through unchanged."""

from __future__ import annotations

from collections import Counter

from translators.checks.base import CheckContext, Finding, Span
from translators.checks.notations import NATIVE_DIGITS
from translators.glossary import Term
from translators.kept import EMAIL, PHONE, URL, phone_key, url_of
from translators.term_forms import closest, find, nfc


class KeptItemsCheck:
    """URLs and e-mail addresses exactly, phone numbers by the digits dialled."""

    id = "kept"
    name = "Phone numbers, URLs and e-mail addresses kept"
    description = (
        "URLs (in links too, and bare domains such as wsb.shfao.gov.cn) and e-mail addresses must "
        "appear exactly as in the source; phone "
        "numbers must dial the same digits (021-6321 7000 = +86 21 6321 7000)."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """One finding per kind of item that changed, placed at the first item missing."""
        findings = []
        for label, extract in (
            ("URL", _urls),
            ("e-mail address", _emails),
            ("phone number", _phones),
        ):
            wanted, found = extract(source), extract(target)
            missing = Counter(key for key, _ in wanted) - Counter(key for key, _ in found)
            if missing:
                first = next(key for key, _ in wanted if key in missing)
                findings.append(
                    Finding(
                        self.id,
                        "error",
                        f"{label} missing or changed: {', '.join(missing.elements())}",
                        source_span=_span_of(first, wanted),
                        target_span=_nearest(first, wanted, found),
                    )
                )
        return findings


Item = tuple[str, Span]  # (the item as compared, where it stands in the text)


def _span_of(key: str, items: list[Item]) -> Span | None:
    return next((span for item, span in items if item == key), None)


def _nearest(key: str, wanted: list[Item], found: list[Item]) -> Span | None:
    """Where the target has the item, else the first target item the source lacks (its change)."""
    in_source = {item for item, _ in wanted}
    changed = [span for item, span in found if item not in in_source]
    return _span_of(key, found) or (changed[0] if changed else None)


def _emails(text: str) -> list[Item]:
    return [(m.group(), m.span()) for m in EMAIL.finditer(text)]


def _urls(text: str) -> list[Item]:
    # Blank e-mail addresses with as many spaces, so that offsets stay those of `text`.
    blanked = EMAIL.sub(lambda m: " " * len(m.group()), text)
    items = []
    for match in URL.finditer(blanked):
        url = url_of(match.group())
        items.append((url, (match.start(), match.start() + len(url))))
    return items


# Digits of other scripts as 0-9, one character for one (offsets stay those of the text): an
# Arabic translation may write 021-6321 7000 as ٠٢١-٦٣٢١ ٧٠٠٠.
_WESTERN_DIGITS = str.maketrans(
    {digit: value for digit, value in NATIVE_DIGITS.items() if value.isdigit()}
)


def _phones(text: str) -> list[Item]:
    return [
        (phone_key(m.group()), m.span()) for m in PHONE.finditer(text.translate(_WESTERN_DIGITS))
    ]


class GlossaryCheck:
    """Each glossary term of the source appears in the target as the office's translation."""

    id = "glossary"
    name = "Glossary terms"
    description = (
        "For every term of the office glossary found in the source, the target must contain its "
        "official translation or an accepted variant, in any inflected form (plural, case, "
        "articles, French gender and elision, Japanese and Korean particles and spacing); a "
        "missing required term is an error, a missing preferred one a warning."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A finding per term of the source whose translation is missing, saying what stands there."""
        if context.glossary is None:
            return []
        findings = []
        seen: set[Term] = set()
        target_is_nfc = nfc(target) == target
        for start, end, term in context.glossary.spans(source, context.language):
            if term in seen:
                continue
            seen.add(term)
            if find(term.renderings, target, context.language) is None:
                stretch = closest(term.renderings, target, term.language)
                findings.append(
                    Finding(
                        self.id,
                        term.severity,
                        _missing(term, target, stretch),
                        source_span=(start, end),
                        # term_forms places spans in the NFC text: only then are they target's.
                        target_span=stretch if target_is_nfc else None,
                    )
                )
        return findings


_RULE = {"required": "must be translated as", "preferred": "is preferably translated as"}


def _missing(term: Term, target: str, stretch: Span | None) -> str:
    """What was expected and what was found (`stretch` of the NFC target), in plain words."""
    wanted = f"{term.source} {_RULE[term.strength]} {term.target!r}"
    if term.variants:
        wanted += f" (or {' or '.join(repr(v) for v in term.variants)})"
    if stretch is None:
        return f"{wanted}; the translation has no form of it"
    found = nfc(target)[stretch[0] : stretch[1]]
    return f"{wanted}; the translation has {found!r} instead"
