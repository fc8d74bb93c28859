"""Phone numbers, URLs, e-mail addresses and glossary terms must come through unchanged."""

from __future__ import annotations

from collections import Counter

from translators.checks.base import CheckContext, Finding
from translators.glossary import Term
from translators.kept import EMAIL, PHONE, URL, phone_key, url_of
from translators.term_forms import closest, find, nfc


class KeptItemsCheck:
    """URLs and e-mail addresses exactly, phone numbers by the digits dialled."""

    id = "kept"
    name = "Phone numbers, URLs and e-mail addresses kept"
    description = (
        "URLs (in links too) and e-mail addresses must appear exactly as in the source; phone "
        "numbers must dial the same digits (021-6321 7000 = +86 21 6321 7000)."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """One finding per kind of item that changed."""
        findings = []
        for label, extract in (
            ("URL", _urls),
            ("e-mail address", _emails),
            ("phone number", _phones),
        ):
            wanted, found = extract(source), extract(target)
            missing = list((Counter(wanted) - Counter(found)).elements())
            if missing:
                findings.append(
                    Finding(self.id, "error", f"{label} missing or changed: {', '.join(missing)}")
                )
        return findings


def _emails(text: str) -> list[str]:
    return EMAIL.findall(text)


def _urls(text: str) -> list[str]:
    return [url_of(u) for u in URL.findall(EMAIL.sub(" ", text))]


def _phones(text: str) -> list[str]:
    return [phone_key(p) for p in PHONE.findall(text)]


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
        for term in dict.fromkeys(context.glossary.hits(source, context.language)):
            if find(term.renderings, target, context.language) is None:
                findings.append(Finding(self.id, term.severity, _missing(term, target)))
        return findings


_RULE = {"required": "must be translated as", "preferred": "is preferably translated as"}


def _missing(term: Term, target: str) -> str:
    """What was expected and what was found, in words a reviewer reads."""
    wanted = f"{term.source} {_RULE[term.strength]} {term.target!r}"
    if term.variants:
        wanted += f" (or {' or '.join(repr(v) for v in term.variants)})"
    stretch = closest(term.renderings, target, term.language)
    if stretch is None:
        return f"{wanted}; the translation has no form of it"
    found = nfc(target)[stretch[0] : stretch[1]]
    return f"{wanted}; the translation has {found!r} instead"
