"""Images a notice uses: found in its Markdown, read from beside the file, checked before queueing.

An image must be a JPG, PNG or GIF file in the notice's folder (or below it): the site serves
every asset itself, WeChat needs the bytes to re-host them, and nothing outside that folder may
be read into a public page.
"""

from __future__ import annotations

import re
from pathlib import Path

from content.notice import Problem

MAX_IMAGE_BYTES = 5_000_000
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPG", b"GIF87a": "GIF", b"GIF89a": "GIF"}


def referenced_images(body: str) -> list[str]:
    """Image addresses as written in the Markdown body, each once, in order."""
    return list(dict.fromkeys(_MARKDOWN_IMAGE.findall(body)))


def read_images(notice_path: str, body: str) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of every image the body uses, or the problems that refuse the notice."""
    folder = Path(notice_path).resolve().parent
    found: dict[str, bytes] = {}
    problems = []
    for source in referenced_images(body):
        refuse = lambda rule: problems.append(Problem(notice_path, "body", f"image {source}: {rule}"))  # noqa: E731
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", source) or source.startswith("//"):
            refuse("is not a file beside the notice; the site serves every image itself, so save it in the notice's folder and link it by relative path")
            continue
        path = (folder / source).resolve()
        if not path.is_relative_to(folder):
            refuse("lies outside the notice's folder; only images in that folder (or below it) are published")
            continue
        if not path.is_file():
            refuse(f"not found (looked for {path})")
            continue
        data = path.read_bytes()
        if len(data) > MAX_IMAGE_BYTES:
            refuse(f"is {len(data):,} bytes; at most {MAX_IMAGE_BYTES:,} are accepted")
        elif not any(data.startswith(magic) for magic in _MAGIC):
            refuse("is not a JPG, PNG or GIF image")
        else:
            found[source] = data
    return found, problems
