"""Images a notice uses: read from beside the file, or refused with file, field and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.images import read_images, referenced_images

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


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
        ("text.png", "not a JPG, PNG or GIF"),
    ],
)
def test_an_image_waiwen_cannot_serve_itself_is_refused(
    tmp_path: Path, source: str, rule: str
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(PNG)
    (folder / "text.png").write_text("not an image", encoding="utf-8")
    images, problems = read_images(str(folder / "notice.md"), f"![x]({source})")
    assert images == {}
    [problem] = problems
    assert problem.path == str(folder / "notice.md") and problem.field == "body"
    assert source in problem.rule and rule in problem.rule
