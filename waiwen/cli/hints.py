"""The command that helps next, added to a pipeline refusal (the pipeline itself names none)."""

from __future__ import annotations


def hinted(error: Exception) -> str:
    """The refusal's message, with the `waiwen` command a person would run next."""
    from pipeline.lookups import NoSuchNotice, NotDraftedYet
    from pipeline.retraction import ReasonMissing
    from pipeline.review import ChecksBlock, SegmentsUntranslated
    from reporting.yearly import UnmeasuredTexts

    if isinstance(error, NoSuchNotice):
        return f"{error}: see `waiwen status` for the notice numbers"
    if isinstance(error, NotDraftedYet):
        return f"{error}; run `waiwen run`"
    if isinstance(error, SegmentsUntranslated):
        return (
            f"{error}; type them with "
            f"`waiwen review edit {error.notice_id} {error.language} SEGMENT TEXT`"
        )
    if isinstance(error, ChecksBlock):
        return (
            f"{error}. Fix the text with `waiwen review edit`, or accept a finding with "
            f"`waiwen review override {error.notice_id} {error.language} SEGMENT CHECK --reason TEXT`"
        )
    if isinstance(error, UnmeasuredTexts):
        return f"{error} (measure them with `waiwen recount --year {error.year}`)"
    if isinstance(error, ReasonMissing):
        return f"{error}; give it with --reason TEXT"
    return str(error)
