"""Atomic site publishing: every publish builds a new generation aside, then one rename swaps it in.

The site folder (``WAIWEN_SITE_DIR``) is a symbolic link to the current generation's tree, kept in
a state folder beside it (``.<name>.waiwen``). A new generation starts as hard links to the current
one's files, so it costs a link per file, not a copy; only the files a publish touches are written
anew (write-then-rename, so the old generation's inode is never changed). The notice pages sit in
folders of up to 500 notices, and each column's pages in a folder of their own; an untouched folder
is one symbolic link into the shared shard store instead of hundreds of hard links, which keeps a
publish into a large site fast.

Column folders are shared the same way. A crash or kill at any point before the swap leaves the previous generation served and untouched;
the half-built one is discarded by the next publish.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.failpoints import failpoint

# Folders shared between generations through the shard store: notice pages by shard, and the
# pages of each column (a publish touches a few of each, a large site has hundreds).
SHARD_DIR = re.compile(r"^[a-z]{2}/(notices/[0-9]+|columns/[^/]+)$")
_SHARED_PARENTS = ("notices", "columns")
_GENERATION = re.compile(r"^[0-9]{6}$")


class SiteStateError(Exception):
    """The site folder is in a state waiwen will not overwrite, with what to do about it."""


class Generations:
    """The generations of one site folder and the swap between them."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.absolute()
        self.state_dir = self.site_dir.parent / f".{self.site_dir.name}.waiwen"
        self.generations_dir = self.state_dir / "generations"
        self.shards_dir = self.state_dir / "shards"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One publish at a time: two built from the same generation would lose one's changes."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / "lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, or the process dies
            yield

    def current(self) -> Path | None:
        """The generation folder now served, or None before the first publish."""
        if not self.site_dir.is_symlink():
            return None
        return (self.site_dir.parent / os.readlink(self.site_dir)).parent.resolve()

    def served(self) -> Staging | None:
        """The served generation, to read its files and catalogue (a publish never writes into it)."""
        current = self.current()
        return None if current is None else Staging(self, current)

    def begin(self, *, fresh: bool = False) -> Staging:
        """Start the next generation: a linked copy of the current one (or empty when ``fresh``)."""
        self._discard_unfinished()
        current = self.current()
        number = 1 + max((int(p.name) for p in self._numbered()), default=0)
        folder = self.generations_dir / f"{number:06d}"
        (folder / "site").mkdir(parents=True)
        (folder / "meta").mkdir()
        staging = Staging(self, folder)
        if current is not None and not fresh:
            staging.link_from(current)
        return staging

    def swap(self, staging: Staging) -> None:
        """Make the staged generation the served one in a single rename."""
        # What was written must be on disk before the link points at it (a power cut included).
        if len(staging.written) > 200:  # a full build: one sync beats thousands of fsyncs
            os.sync()
        else:
            for path in staging.written:
                if path.exists():
                    _fsync(path)
        if self.site_dir.exists() and not self.site_dir.is_symlink():
            self._adopt_plain_folder()
        target = os.path.relpath(staging.folder / "site", self.site_dir.parent)
        temporary = self.site_dir.parent / f".{self.site_dir.name}.swap"
        temporary.unlink(missing_ok=True)
        os.symlink(target, temporary)
        failpoint("site.before-swap")
        os.replace(temporary, self.site_dir)
        _fsync(self.site_dir.parent)
        self._collect(keep=staging.folder)

    def discard(self, staging: Staging) -> None:
        """Drop a generation that will not be served, with the shard copies it made."""
        shutil.rmtree(staging.folder)
        if self.shards_dir.is_dir():
            for shard in self.shards_dir.glob(f"*.{staging.folder.name}"):
                shutil.rmtree(shard)

    def _numbered(self) -> Iterator[Path]:
        if self.generations_dir.is_dir():
            yield from (p for p in self.generations_dir.iterdir() if _GENERATION.match(p.name))

    def _discard_unfinished(self) -> None:
        """Remove generations a killed publish left half-built (anything newer than the served one)."""
        current = self.current()
        for folder in self._numbered():
            if current is None or int(folder.name) > int(current.name):
                shutil.rmtree(folder)
                if self.shards_dir.is_dir():
                    for shard in self.shards_dir.glob(f"*.{folder.name}"):
                        shutil.rmtree(shard)

    def _collect(self, keep: Path) -> None:
        """Drop generations older than the one before ``keep`` and shards no kept generation uses."""
        kept = sorted((p for p in self._numbered() if p.name <= keep.name), reverse=True)[:2]
        for folder in self._numbered():
            if folder not in kept:
                shutil.rmtree(folder)
        used = {name for folder in kept for name in _shard_links(folder / "site")}
        if self.shards_dir.is_dir():
            for name in os.listdir(self.shards_dir):
                if name not in used:
                    shutil.rmtree(self.shards_dir / name)

    def _adopt_plain_folder(self) -> None:
        """A plain site folder (from before generations) is moved into the state folder, not deleted."""
        aside = self.state_dir / "before-generations"
        if aside.exists():
            raise SiteStateError(
                f"{self.site_dir} is a plain folder and {aside} exists already: move one of them "
                "away, then publish again"
            )
        self.state_dir.mkdir(parents=True, exist_ok=True)
        os.replace(self.site_dir, aside)


class Staging:
    """A generation being built: writes go here and are invisible until the swap."""

    def __init__(self, generations: Generations, folder: Path) -> None:
        self.generations = generations
        self.folder = folder
        self.root = folder / "site"
        self.meta = folder / "meta"
        self.written: list[Path] = []

    def link_from(self, previous: Path) -> None:
        """Fill this generation with hard links to ``previous`` (shard folders as one symlink each)."""
        _link_tree(previous / "site", self.root)
        _link_tree(previous / "meta", self.meta)

    def read(self, relative: str) -> bytes | None:
        """A file of this generation as staged so far (None when absent)."""
        path = self.root / relative
        return path.read_bytes() if path.is_file() else None

    def write(self, relative: str, data: bytes) -> None:
        """Write one file of the site; an unchanged file keeps its link to the previous generation."""
        path = self.root / relative
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
        self._own_shard(path.parent)
        _replace(path, data)
        self.written.append(path)

    def delete(self, relative: str) -> bool:
        """Remove one file of the site; False when it was not there."""
        path = self.root / relative
        if not path.is_file():
            return False
        self._own_shard(path.parent)
        path.unlink()
        return True

    def write_meta(self, name: str, data: bytes) -> None:
        """Write one bookkeeping file of this generation (never served)."""
        _replace(self.meta / name, data)
        self.written.append(self.meta / name)

    def read_meta(self, name: str) -> bytes | None:
        """A bookkeeping file of this generation (None when absent)."""
        path = self.meta / name
        return path.read_bytes() if path.is_file() else None

    def files(self) -> Iterator[str]:
        """Every file of the staged site, relative to its root."""
        for path in self.root.rglob("*"):
            if path.is_file():
                yield path.relative_to(self.root).as_posix()

    def _own_shard(self, folder: Path) -> None:
        """Before a shard folder changes, give this generation its own copy of it in the store."""
        relative = folder.relative_to(self.root).as_posix()
        if not SHARD_DIR.match(relative):
            folder.mkdir(parents=True, exist_ok=True)
            return
        if folder.is_dir() and not folder.is_symlink():
            return
        store = self.generations.shards_dir / f"{relative.replace('/', '-')}.{self.folder.name}"
        if folder.is_symlink() and folder.resolve() == store.resolve():
            return  # this generation's own copy already
        if store.exists():  # left by a killed publish of this same generation number
            shutil.rmtree(store)
        store.mkdir(parents=True)
        if folder.is_symlink():
            for old in folder.iterdir():
                os.link(old, store / old.name)
            folder.unlink()
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(store, folder.parent), folder)


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link ``source``'s files into ``target``; shard folders become symlinks to the same store."""
    target.mkdir(parents=True, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.is_symlink():
                # Every generation sits at the same depth, so the relative link reads the same.
                os.symlink(os.readlink(entry.path), target / entry.name)
            elif entry.is_dir():
                _link_tree(Path(entry.path), target / entry.name)
            else:
                os.link(entry.path, target / entry.name)


def _shard_links(root: Path) -> Iterator[str]:
    """The names of the store folders a generation's shard symlinks point to."""
    if not root.is_dir():
        return
    for language in os.listdir(root):
        for parent in _SHARED_PARENTS:
            folder = root / language / parent
            if folder.is_dir():
                with os.scandir(folder) as shards:
                    for shard in shards:
                        if shard.is_symlink():
                            yield os.path.basename(os.readlink(shard.path))


def _replace(path: Path, data: bytes) -> None:
    """Write a new file at ``path`` (a new inode: the previous generation's link stays as it was)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    with open(temporary, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def _fsync(path: Path) -> None:
    """Force a file's (or a folder's entries') bytes to disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
