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
_SUFFIXES = {
    b"\x89PNG\r\n\x1a\n": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"GIF87a": ".gif",
    b"GIF89a": ".gif",
}


def image_suffix(data: bytes) -> str | None:
    """The file suffix of a JPG, PNG or GIF image, or None when ``data`` is none of them."""
    return next((suffix for magic, suffix in _SUFFIXES.items() if data.startswith(magic)), None)


def referenced_images(body: str) -> list[str]:
    """Image addresses as written in the Markdown body, each once, in order."""
    return list(dict.fromkeys(_MARKDOWN_IMAGE.findall(body)))


def read_images(notice_path: str, body: str) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of every image the body uses, or the problems that refuse the notice."""
    folder = Path(notice_path).resolve().parent
    found: dict[str, bytes] = {}
    problems: list[Problem] = []
    for source in referenced_images(body):
        rule = _refusal(folder, source)
        if isinstance(rule, str):
            problems.append(Problem(notice_path, "body", f"image {source}: {rule}"))
        else:
            found[source] = rule
    return found, problems


def _refusal(folder: Path, source: str) -> str | bytes:
    """The image's bytes, or the rule it breaks."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", source) or source.startswith("//"):
        return (
            "is not a file beside the notice; the site serves every image itself, so save it in "
            "the notice's folder and link it by relative path"
        )
    path = (folder / source).resolve()
    if not path.is_relative_to(folder):
        return "lies outside the notice's folder; only images in that folder (or below it) are published"
    if not path.is_file():
        return f"not found (looked for {path})"
    data = path.read_bytes()
    if len(data) > MAX_IMAGE_BYTES:
        return f"is {len(data):,} bytes; at most {MAX_IMAGE_BYTES:,} are accepted"
    if image_suffix(data) is None:
        return "is not a JPG, PNG or GIF image"
    return data
