"""A command-line value that names a configured target language, read when the command runs."""

from __future__ import annotations

import click

from core.targets import target_languages, why_not_configured

__all__ = ["TargetLanguage"]


class TargetLanguage(click.ParamType):
    """One of the configured targets (WAIWEN_TARGET_LANGUAGES), looked up when the value is read.

    A ``click.Choice`` would fix the list at import, before the configuration of the run is read.
    """

    name = "language"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        """The configured targets, as a Choice would list them."""
        return "[" + "|".join(target_languages()) + "]"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        """``value`` if it is a configured target; a usage error naming the rule otherwise."""
        code = str(value)
        why = why_not_configured(code)
        if why:
            self.fail(why, param, ctx)
        return code
