"""Images a notice uses: read from beside the file, decoded, or refused with file, field and rule."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from content import images as content_images
from content.images import (
    decoded_image,
    image_kind,
    image_suffix,
    read_images,
    referenced_images,
)
from core.settings import Settings
from tests.notices import row_counts, write_notice
from waiwen.cli import main

# What the hardening issue reported: a "GIF" that a browser, told it is HTML, runs as a page.
POLYGLOT = b"GIF89a<html><script>fetch('/admin/users', {method: 'POST'})</script></html>"
SCRIPT = b"<html><script>alert(document.cookie)</script></html>"


def picture(fmt: str, size: tuple[int, int] = (6, 4), **options: object) -> bytes:
    """A real image of ``fmt``, made by Pillow."""
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new(mode, size, 3 if mode == "P" else (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


PNG = picture("PNG")
_exif = Image.Exif()
_exif[0x010F] = "camera"  # Make: an APP1 segment before the picture, as cameras write it
EXIF = _exif.tobytes()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_markdown_images_are_found_once_each_in_order() -> None:
    body = '![a](images/a.png) text ![b](<b.jpg> "title") ![a again](images/a.png) [link](x.png)'
    assert referenced_images(body) == ["images/a.png", "b.jpg"]


def test_an_image_beside_the_notice_is_read(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(PNG)
    images, problems = read_images(str(tmp_path / "notice.md"), "![a](images/a.png)")
    assert images == {"images/a.png": PNG} and problems == []


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ("https://cdn.example.com/a.png", "is not a file beside the notice"),
        ("//cdn.example.com/a.png", "is not a file beside the notice"),
        ("../secret.png", "outside the notice's folder"),
        ("missing.png", "not found"),
        ("text.png", "is not a PNG image that decodes (it holds text)"),
        ("page.gif", "is not a GIF image that decodes (it holds HTML)"),
        ("drawing.svg", "is not a PNG, JPEG or GIF image (it holds SVG)"),
    ],
)
def test_an_image_waiwen_cannot_serve_itself_is_refused(
    tmp_path: Path, source: str, rule: str
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(PNG)
    (folder / "text.png").write_text("not an image", encoding="utf-8")
    (folder / "page.gif").write_bytes(POLYGLOT)
    (folder / "drawing.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>')
    images, problems = read_images(str(folder / "notice.md"), f"![x]({source})")
    assert images == {}
    [problem] = problems
    assert problem.path == str(folder / "notice.md") and problem.field == "body"
    assert source in problem.rule and rule in problem.rule


def test_html_behind_a_gif_signature_is_refused_with_file_field_and_rule(tmp_path: Path) -> None:
    (tmp_path / "photo.gif").write_bytes(POLYGLOT)
    _, [problem] = read_images(str(tmp_path / "notice.md"), "![会场](photo.gif)")
    assert str(problem) == (
        f"{tmp_path / 'notice.md'}: body: image photo.gif: is not a GIF image that decodes "
        "(it holds HTML); save it as PNG, JPEG or GIF"
    )


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("PNG", {}),
        ("JPEG", {}),
        ("JPEG", {"progressive": True, "exif": EXIF}),
        ("GIF", {}),
    ],
)
def test_real_images_decode_and_are_kept_as_what_they_are(
    fmt: str, options: dict[str, object]
) -> None:
    data = picture(fmt, (40, 30), **options)
    decoded = decoded_image(data, "photo.png")  # the name does not decide the format
    assert decoded == image_kind(data) and not isinstance(decoded, str)
    assert decoded.format == fmt and decoded.media_type == f"image/{fmt.lower()}"
    assert image_suffix(data) == {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif"}[fmt]


def test_an_animated_gif_decodes() -> None:
    frames = [Image.new("P", (8, 8), colour) for colour in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert image_suffix(out.getvalue()) == ".gif"
    assert not isinstance(decoded_image(out.getvalue()), str)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_a_page_after_the_end_of_a_real_image_is_refused(fmt: str) -> None:
    """The polyglot that decodes: a real image, then a script after its last byte."""
    data = picture(fmt) + SCRIPT
    rule = decoded_image(data, "photo.gif")
    assert rule == (
        f"has {len(SCRIPT)} bytes after the end of its {fmt} image (they hold HTML); save the "
        "image again as PNG, JPEG or GIF, without them"
    )
    assert image_kind(data) is None and image_suffix(data) is None  # never served or copied


def test_nul_padding_after_an_image_is_harmless_and_kept() -> None:
    assert decoded_image(picture("JPEG") + bytes(16)) == image_kind(picture("JPEG"))


def test_a_camera_multi_picture_file_is_refused_for_the_picture_after_the_first() -> None:
    frame = Image.new("RGB", (16, 16), (1, 2, 3))
    out = io.BytesIO()
    frame.save(out, "MPO", save_all=True, append_images=[frame])
    rule = decoded_image(out.getvalue())
    assert isinstance(rule, str) and "after the end of its JPEG image" in rule
    assert "another JPEG image" in rule


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_a_cut_short_image_is_refused(fmt: str) -> None:
    data = picture(fmt, (40, 30))
    assert decoded_image(data[: len(data) - 3]) == (
        f"is not a {fmt} image that decodes (it is cut short or damaged); save it as PNG, JPEG or GIF"
    )
    assert image_kind(data[:-3]) is None


def test_a_png_whose_pixels_do_not_decode_is_refused_at_queueing() -> None:
    """Whole chunks with valid checksums, but no picture in them: only decoding finds out."""
    header = PNG[8:33]  # the IHDR chunk
    data = b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", b"no zlib data") + _chunk(b"IEND", b"")
    assert image_kind(data) is not None  # it opens as a PNG; serving checks no more than that
    assert decoded_image(data) == (
        "is not a PNG image that decodes (it is cut short or damaged); save it as PNG, JPEG or GIF"
    )


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((20_000, 20_000), "20,000 × 20,000"),
        ((12_000, 1), "12,000 × 1"),
        ((8_000, 8_000), "8,000 × 8,000"),
    ],
)
def test_a_decompression_bomb_is_refused_before_any_pixel_is_decoded(
    size: tuple[int, int], shown: str
) -> None:
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")  # a few kilobytes that would decode to gigabytes
    assert len(out.getvalue()) < 100_000
    assert decoded_image(out.getvalue()) == (
        f"is {shown} pixels; at most 10,000 on a side and 40,000,000 in all are accepted, so "
        "save it smaller"
    )
    assert image_kind(out.getvalue()) is None


def test_pillows_own_bomb_check_is_a_refusal_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)  # 6 × 4 = 24 pixels: over twice the limit
    assert decoded_image(PNG) == (
        "has too many pixels; at most 10,000 on a side and 40,000,000 in all are accepted, so "
        "save it smaller"
    )


def test_a_larger_file_is_refused_without_being_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content_images, "MAX_IMAGE_BYTES", len(PNG) - 1)
    (tmp_path / "a.png").write_bytes(PNG)
    _, [problem] = read_images(str(tmp_path / "notice.md"), "![a](a.png)")
    assert f"is {len(PNG)} bytes; at most {len(PNG) - 1} are accepted" in problem.rule


def test_waiwen_queue_refuses_html_behind_a_gif_signature_and_stores_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "photo.gif").write_bytes(POLYGLOT)
    path = write_notice(
        tmp_path / "notice.md", body="## 标题\n\n外办发布通知。\n\n![会场](photo.gif)\n"
    )
    before = row_counts(settings.resolved_database_url)
    result = CliRunner().invoke(main, ["queue", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}: body: image photo.gif: is not a GIF image that decodes (it holds HTML); "
        "save it as PNG, JPEG or GIF"
    ) in result.output
    assert row_counts(settings.resolved_database_url) == before


def test_waiwen_queue_stores_a_real_gif(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "photo.gif").write_bytes(picture("GIF"))
    path = write_notice(
        tmp_path / "notice.md", body="## 标题\n\n外办发布通知。\n\n![会场](photo.gif)\n"
    )
    result = CliRunner().invoke(main, ["queue", str(path)])
    assert result.exit_code == 0, result.output
    assert row_counts(settings.resolved_database_url)["notice_images"] == 1
