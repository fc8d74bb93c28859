"""Images a notice uses: found in its Markdown, read from beside the file, checked before queueing.

An image must be a JPG, PNG or GIF file in the notice's folder (or below it): the site serves
every asset itself, WeChat needs the bytes to re-host them, and nothing outside that folder may
be read into a public page.

An image is *decoded* before it is accepted, not recognised by its first bytes: a file that starts
like a GIF and goes on as HTML would otherwise be stored, and served, as whatever it really is.
The format, and so the media type every copy is served with, comes from that decoding. A file
must end where its image ends: nothing (a page, a script, a second image) may ride along after it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from content.notice import Problem

MAX_IMAGE_BYTES = 5_000_000
# Bounds on the decoded picture, checked from the file's header before any pixel is decoded: a
# few kilobytes of PNG can claim a picture that needs gigabytes (a decompression bomb).
MAX_IMAGE_SIDE = 10_000
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo: ~160 MB decoded, once, at queueing
# The alt text stops at "[" too, so a line of unclosed "![" is scanned once, not once per "![".
_MARKDOWN_IMAGE = re.compile(r"!\[[^\[\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
}
_NAME_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".gif": "GIF"}
# What a file that is no image holds: the marker that comes first in it tells.
_MARKUP = (
    (b"<!doctype html", "HTML"),
    (b"<html", "HTML"),
    (b"<head", "HTML"),
    (b"<body", "HTML"),
    (b"<iframe", "HTML"),
    (b"<script", "script"),
    (b"javascript:", "script"),
    (b"<svg", "SVG"),
    (b"<?xml", "XML"),
)
SAVE_AS = "save it as PNG, JPEG or GIF"


@dataclass(frozen=True)
class ImageKind:
    """A decoded image's format and how every copy of it is named and served."""

    format: str  # PNG, JPEG or GIF, as Pillow names them
    suffix: str
    media_type: str


KINDS = {
    "PNG": ImageKind("PNG", ".png", "image/png"),
    "JPEG": ImageKind("JPEG", ".jpg", "image/jpeg"),
    "GIF": ImageKind("GIF", ".gif", "image/gif"),
}


def decoded_image(data: bytes, name: str = "") -> ImageKind | str:
    """The kind of a PNG, JPEG or GIF image that decodes completely; otherwise the rule it breaks.

    Used at queueing: every pixel is decoded once, so an image that is stored will display.
    """
    found = _identified(data, name)
    if isinstance(found, str):
        return found
    try:
        with Image.open(io.BytesIO(data), formats=[found.format]) as image:
            image.verify()
        # verify() leaves the image unusable; the second opening decodes the pixels themselves.
        with Image.open(io.BytesIO(data), formats=[found.format]) as image:
            image.load()
    except Image.DecompressionBombError:
        return _too_large(None)
    except Exception:  # Pillow raises many kinds on hostile input; any of them means "no image"
        return _undecodable(found.format, data)
    return found


def image_kind(data: bytes) -> ImageKind | None:
    """The kind of stored image bytes, for serving and copying them; None if they are no image.

    The same checks as at queueing except the pixel decoding: the structure must be whole and end
    where the file ends, Pillow must open it as that format and its size must be within bounds.
    Cheap enough for every request; images stored before decoding was required are caught too.
    """
    found = _identified(data, "")
    return found if isinstance(found, ImageKind) else None


def image_suffix(data: bytes) -> str | None:
    """The file suffix of a JPG, PNG or GIF image, or None when ``data`` is none of them."""
    kind = image_kind(data)
    return kind.suffix if kind else None


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
    with path.open("rb") as file:
        data = file.read(MAX_IMAGE_BYTES + 1)  # a huge file is never read whole
    if len(data) > MAX_IMAGE_BYTES:
        return f"is {path.stat().st_size:,} bytes; at most {MAX_IMAGE_BYTES:,} are accepted"
    decoded = decoded_image(data, source)
    return decoded if isinstance(decoded, str) else data


# -- what the bytes are, before any pixel is decoded ------------------------------------------


def _identified(data: bytes, name: str) -> ImageKind | str:
    """The kind, if the structure is whole, nothing follows it and Pillow opens it within bounds."""
    fmt = next((f for magic, f in _SIGNATURES.items() if data.startswith(magic)), None)
    if fmt is None:
        return _undecodable(_NAME_SUFFIXES.get(Path(name).suffix.lower()), data)
    try:
        end, (width, height) = _STRUCTURES[fmt](data)
    except (ValueError, IndexError):
        return _undecodable(fmt, data)
    if width < 1 or height < 1:
        return _undecodable(fmt, data)
    if not _within_bounds(width, height):
        return _too_large(f"{width:,} × {height:,}")
    trailing = data[end:]
    # NUL padding after the end is harmless and some tools write it; anything else is refused.
    if trailing.strip(b"\x00"):
        held = (
            "another JPEG image, as a camera's multi-picture file does"
            if trailing.startswith(b"\xff\xd8\xff")
            else _contents(trailing)
        )
        return (
            f"has {len(trailing):,} bytes after the end of its {fmt} image"
            f"{f' (they hold {held})' if held else ''}; save the image again as PNG, JPEG or "
            "GIF, without them"
        )
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            opened, size = image.format, image.size
    except Image.DecompressionBombError:
        return _too_large(None)
    except Exception:  # see decoded_image: any failure to open means it is not that image
        return _undecodable(fmt, data)
    if opened != fmt:  # an MPO (several JPEGs) was refused above, for what follows the first
        return _undecodable(fmt, data)
    if not _within_bounds(*size):
        return _too_large(f"{size[0]:,} × {size[1]:,}")
    return KINDS[fmt]


def _within_bounds(width: int, height: int) -> bool:
    return max(width, height) <= MAX_IMAGE_SIDE and width * height <= MAX_IMAGE_PIXELS


def _too_large(size: str | None) -> str:
    """The rule for a picture beyond the bounds; ``size`` as the header gives it, if known."""
    found = f"is {size} pixels" if size else "has too many pixels"
    return (
        f"{found}; at most {MAX_IMAGE_SIDE:,} on a side and {MAX_IMAGE_PIXELS:,} in all are "
        "accepted, so save it smaller"
    )


def _undecodable(claimed: str | None, data: bytes) -> str:
    """The rule for bytes that are not the image they claim to be (by first bytes or name)."""
    held = _contents(data)
    holds = f"it holds {held}" if held else "it is cut short or damaged"
    if claimed is None:
        return f"is not a PNG, JPEG or GIF image ({holds}); {SAVE_AS}"
    return f"is not a {claimed} image that decodes ({holds}); {SAVE_AS}"


def _contents(data: bytes) -> str:
    """What bytes that are no image hold, for the message ("HTML", "text"), or "" if unknown."""
    lowered = data.lower()
    found = [(at, what) for marker, what in _MARKUP if (at := lowered.find(marker)) >= 0]
    if found:
        return min(found)[1]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "text"


def _png(data: bytes) -> tuple[int, tuple[int, int]]:
    """Where a PNG ends (after its IEND chunk) and its size from IHDR."""
    if data[12:16] != b"IHDR":
        raise ValueError("a PNG starts with its IHDR chunk")
    size = (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
    at = 8
    while True:
        if at + 12 > len(data):
            raise ValueError("cut short before IEND")
        length, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
        at += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return at, size


def _gif(data: bytes) -> tuple[int, tuple[int, int]]:
    """Where a GIF ends (after its trailer) and the size that holds every frame."""
    if len(data) < 13:
        raise ValueError("cut short")
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    at = 13 + _colour_table(data[10])
    while True:
        block = data[at]
        if block == 0x3B:  # trailer
            return at + 1, (width, height)
        if block == 0x21:  # extension: introducer, label, sub-blocks
            at = _sub_blocks(data, at + 2)
        elif block == 0x2C:  # image descriptor, colour table, LZW code size, sub-blocks
            left, top = (
                int.from_bytes(data[at + 1 : at + 3], "little"),
                int.from_bytes(data[at + 3 : at + 5], "little"),
            )
            frame_w = int.from_bytes(data[at + 5 : at + 7], "little")
            frame_h = int.from_bytes(data[at + 7 : at + 9], "little")
            # Pillow enlarges the picture to a frame that reaches past the logical screen.
            width, height = max(width, left + frame_w), max(height, top + frame_h)
            at = _sub_blocks(data, at + 10 + _colour_table(data[at + 9]) + 1)
        else:
            raise ValueError(f"no GIF block starts with {block:#04x}")


def _colour_table(packed: int) -> int:
    return 3 * (2 << (packed & 7)) if packed & 0x80 else 0


def _sub_blocks(data: bytes, at: int) -> int:
    while size := data[at]:
        at += 1 + size
    return at + 1


def _jpeg(data: bytes) -> tuple[int, tuple[int, int]]:
    """Where a JPEG ends (after its first EOI marker) and its size from the frame header."""
    at, size = 2, (0, 0)
    while True:
        if data[at] != 0xFF:
            raise ValueError("a marker was expected")
        while data[at] == 0xFF:  # fill bytes
            at += 1
        marker = data[at]
        at += 1
        if marker == 0xD9:  # end of image
            return at, size
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a segment
            continue
        if marker in (0x00, 0xD8):
            raise ValueError("no JPEG segment starts here")
        length = int.from_bytes(data[at : at + 2], "big")
        if length < 2 or at + length > len(data):
            raise ValueError("a segment runs past the end")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header (SOFn)
            size = (
                int.from_bytes(data[at + 5 : at + 7], "big"),
                int.from_bytes(data[at + 3 : at + 5], "big"),
            )
        at += length
        if marker == 0xDA:  # start of scan: coded data until a marker that is not FF00 or RSTn
            while True:
                at = data.index(b"\xff", at)
                following = data[at + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    at += 2
                elif following == 0xFF:
                    at += 1
                else:
                    break


_STRUCTURES = {"PNG": _png, "GIF": _gif, "JPEG": _jpeg}
