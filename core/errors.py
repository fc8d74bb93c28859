"""The refusal: input that breaks a rule, saying where, which field, and what the rule is."""

from __future__ import annotations


class Refused(Exception):
    """Input refused by a rule: ``where`` (file or record), ``field`` (or place in it), ``rule``.

    Reads ``"{where}: {field}: {rule}"``, leaving out the parts that are empty.
    """

    def __init__(self, where: str = "", field: str = "", rule: str = "") -> None:
        super().__init__(where, field, rule)
        self.where, self.field, self.rule = where, field, rule

    def __str__(self) -> str:
        return ": ".join(part for part in (self.where, self.field, self.rule) if part)

    def reasons(self) -> list[str]:
        """Each reason for the refusal as a line a person reads; refusals that gather several list all."""
        return [str(self)]
