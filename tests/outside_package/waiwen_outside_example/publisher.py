"""An outside channel: each page as a small standalone HTML file in a folder.

The folder is named by the environment variable WAIWEN_OUTSIDE_FOLDER. A page's file is named by
its notice, version and language (``12-v2-en.html``, so each key has its own file) and written
atomically: a temporary file in the same folder, then one rename, so a reader never sees half a
file and a crash leaves the previous file or none. The body is rendered by waiwen's sanitising
Markdown renderer and everything else is escaped: nothing in a page reaches the file as markup.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from pathlib import Path

from content.render import markdown_to_html
from core.settings import Settings
from publishers.base import (
    NOT_PUBLISHED,
    PUBLISHED,
    RETRACTED,
    ChannelError,
    ChannelResult,
    Page,
    PublicationKey,
)

FOLDER_VARIABLE = "WAIWEN_OUTSIDE_FOLDER"
# Language codes become part of a file name: only plain ones are taken.
_LANGUAGE = re.compile(r"[a-z]{2,3}")


class FolderPublisher:
    """Writes each page into WAIWEN_OUTSIDE_FOLDER; status reads the file, retract removes it."""

    channel = "outside-folder"

    def __init__(self, settings: Settings) -> None:
        # waiwen's settings carry nothing for this channel; its folder has a variable of its own.
        folder = os.environ.get(FOLDER_VARIABLE, "").strip()
        if not folder:
            raise ValueError(
                f"{FOLDER_VARIABLE} is not set: set it to the folder the {self.channel} channel "
                "writes its pages into"
            )
        self.folder = Path(folder)

    def supports(self, language: str) -> bool:
        """Every waiwen language (a plain code that can be part of a file name)."""
        return bool(_LANGUAGE.fullmatch(language))

    def publish(self, page: Page) -> ChannelResult:
        """Write the page's file unless it holds these bytes already."""
        path = self._path(PublicationKey.of(page, self.channel))
        data = standalone_html(page)
        try:
            if not (path.is_file() and path.read_bytes() == data):
                self._write(path, data)
        except OSError as error:
            raise ChannelError(
                f"could not write {path}: {error.strerror or error}; check that {FOLDER_VARIABLE} "
                "names a folder waiwen may write into"
            ) from error
        return ChannelResult(PUBLISHED, str(path))

    def status(self, key: PublicationKey) -> ChannelResult:
        """Published while the key's file is in the folder."""
        path = self._path(key)
        if path.is_file():
            return ChannelResult(PUBLISHED, str(path))
        return ChannelResult(NOT_PUBLISHED, "", f"no {path.name} in {self.folder}")

    def retract(self, key: PublicationKey) -> ChannelResult:
        """Remove the key's file."""
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return ChannelResult(NOT_PUBLISHED, "", f"no {path.name} in {self.folder}")
        except OSError as error:
            raise ChannelError(f"could not remove {path}: {error.strerror or error}") from error
        return ChannelResult(RETRACTED, str(path), "file removed")

    def _path(self, key: PublicationKey) -> Path:
        if not self.supports(key.language):
            raise ValueError(f"{self.channel}: language {key.language!r} is not a language code")
        return self.folder / f"{key.notice_id}-v{key.version}-{key.language}.html"

    def _write(self, path: Path, data: bytes) -> None:
        """Write to a temporary file beside `path`, on disk, then rename it into place."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def standalone_html(page: Page) -> bytes:
    """A whole HTML document for one page: escaped title and facts, the body sanitised."""
    title = html.escape(page.title)
    facts = html.escape(f"{page.column} · {page.published_on.isoformat()}")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(page.language)}">\n'
        '<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        "</head>\n<body>\n<main>\n"
        f"<h1>{title}</h1>\n"
        f"<p>{facts}</p>\n"
        f"{markdown_to_html(page.body_markdown)}\n"
        "</main>\n</body>\n</html>\n"
    ).encode()
