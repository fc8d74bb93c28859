"""An outside quality check: official notices rarely shout."""

from __future__ import annotations

import re

from translators.checks import CheckContext, Finding

# "![" opens a Markdown image: not an exclamation.
_EXCLAMATION = re.compile(r"!(?!\[)|！")


class ExclamationCheck:
    """A warning when the translation exclaims where the Chinese source does not."""

    id = "outside-exclamation"
    name = "Exclamation marks"
    description = (
        "The translation has an exclamation mark (! or ！) that the Chinese source does not "
        "have; official notices rarely shout."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A warning for an exclamation mark the source lacks."""
        if _EXCLAMATION.search(target) and not _EXCLAMATION.search(source):
            return [
                Finding(self.id, "warning", "an exclamation mark the Chinese source does not have")
            ]
        return []
