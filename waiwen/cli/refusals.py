"""How every command refuses: the reasons on standard error, one a line, and exit status 1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from core.errors import Refused
from waiwen.cli.hints import hinted


def refuse(*reasons: object, heading: str = "", prefix: str = "waiwen") -> NoReturn:
    """Stop the command: print each reason on its own line to standard error and exit with 1.

    With a ``heading`` (what was not done), it comes first and the reasons follow indented.
    ``prefix`` starts the first line: "waiwen", or "Error" for the account and calendar commands,
    which have always said it in click's words.
    """
    if heading:
        click.echo(f"{prefix}: {heading}:", err=True)
        for reason in reasons:
            click.echo(f"  {reason}", err=True)
    else:
        for reason in reasons:
            click.echo(f"{prefix}: {reason}", err=True)
    sys.exit(1)


@contextmanager
def refusals(*also: type[Exception], heading: str = "", prefix: str = "waiwen") -> Iterator[None]:
    """Turn a `Refused` raised inside, or one of ``also``, into the command's refusal (`refuse`).

    ``also`` are errors of other shapes whose message says what was wrong and where; a pipeline
    refusal gets the command that helps next (`hinted`).
    """
    try:
        yield
    except Refused as refused:
        refuse(*refused.reasons(), heading=heading, prefix=prefix)
    except also as error:
        refuse(hinted(error), heading=heading, prefix=prefix)
