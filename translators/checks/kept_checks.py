"""Phone numbers, URLs, e-mail addresses and glossary terms must come through unchanged."""

from __future__ import annotations

from collections import Counter

from translators.checks.base import CheckContext, Finding
from translators.kept import EMAIL, PHONE, URL, phone_key, url_of


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
    """Each glossary term of the source appears as the office's translation in the target."""

    id = "glossary"
    name = "Glossary terms"
    description = (
        "For every term of the office glossary found in the source, the target must contain its "
        "official translation (case-insensitive in Latin scripts)."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A finding per required term that is missing."""
        if context.glossary is None:
            return []
        folded = target.casefold()
        findings = []
        for term in dict.fromkeys(context.glossary.hits(source, context.language)):
            if term.target.casefold() not in folded:
                findings.append(
                    Finding(
                        self.id,
                        "error",
                        f"{term.source} must be translated as {term.target!r}",
                    )
                )
        return findings
