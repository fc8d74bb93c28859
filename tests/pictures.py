"""Real images for tests, made by Pillow: intake decodes every image, so fake bytes are refused."""

from __future__ import annotations

import io

from PIL import Image


def picture(fmt: str = "PNG", size: tuple[int, int] = (6, 4), shade: int = 30) -> bytes:
    """A small image of ``fmt`` (PNG, JPEG or GIF); another ``shade`` gives other bytes."""
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new(mode, size, shade if mode == "P" else (200, shade, 30)).save(out, fmt)
    return out.getvalue()
