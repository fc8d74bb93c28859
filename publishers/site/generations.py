"""Atomic publishing into a plain site folder: a publish is staged aside, then moved in by a journal.

``WAIWEN_SITE_DIR`` is an ordinary folder of ordinary files (no symbolic or hard links), so a plain
``cp -r``, ``tar`` or ``rsync -a`` of it is the whole site. Beside it, ``.<name>.waiwen/`` holds:

- ``meta/``: the catalogue the listings are rendered from, and ``meta/files/``: the names of every
  file waiwen put in the site, per folder (a full rebuild deletes only files listed there);
- ``incoming/``: the files a publish writes, until they are moved in (reads see them first);
- ``journal.json``: while a publish is being moved in, the list of its moves and deletions.

The swap syncs the staged files, writes the journal (the commit point), then applies it: each file
moves in with one rename, so a reader gets the old file or the new one, never a part of either
(into a site folder that does not exist yet, the staged folder is renamed in whole).
New files go before changed ones and images, JSON and CSS before the pages and feeds that point at
them, so no page links a file that is not there yet; deletions come last, the catalogue after the
site. A kill before the journal leaves the site untouched (the next publish drops the files in
``incoming/``); a kill after it is finished by the next publish (or read of the site), which applies
what remains.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from core.failpoints import failpoint

SITE, META = "site", "meta"
# Above this many staged files one sync of the disks beats a file-by-file fsync (a full build).
_FSYNC_LIMIT = 200
_FSYNC_THREADS = 16  # fsyncs waiting together share the filesystem's journal commits
_PAGES = (".html", ".xml")  # what a reader follows links from: pages, feeds, sitemaps
# Where the file list of the site's root folder is kept ("%2E" is no quoted folder name).
_ROOT_LIST = "%2E"
_LONG_NAME = 200  # a quoted folder name longer than this is named by its hash (the limit is 255)

Key = tuple[str, str]  # (SITE or META, path relative to that area's root)
Step = list[str]  # [operation, area, relative path]: one line of the journal


class SiteStateError(Exception):
    """The site folder is in a state waiwen will not overwrite, with what to do about it."""


class Generations:
    """The successive states of one site folder, and the journalled swap from one to the next."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.absolute()
        self.state_dir = self.site_dir.parent / f".{self.site_dir.name}.waiwen"
        self.meta_dir = self.state_dir / "meta"
        self.incoming_dir = self.state_dir / "incoming"
        self.journal = self.state_dir / "journal.json"
        self.aside_dir = self.state_dir / "before-generations"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One publish at a time: two staged from the same site would lose one's changes."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / "lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, or the process dies
            yield

    def current(self) -> Path | None:
        """The site folder when waiwen serves it (its own or an older layout's), else None."""
        if self._generations_link() or self._managed():
            return self.site_dir
        return None

    def served(self) -> Staging | None:
        """The served site, to read its files and catalogue (finishing a publish a kill cut short)."""
        self._settle()
        return Staging(self, fresh=False, ours=True) if self._managed() else None

    def begin(self, *, fresh: bool = False) -> Staging:
        """Start the next state of the site: on top of the served one, or empty when ``fresh``."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._settle()
        _empty(self.incoming_dir)  # what a publish killed before its journal staged
        adopt = False
        if self.site_dir.exists() and not self._managed():
            if not self.site_dir.is_dir():
                raise SiteStateError(
                    f"{self.site_dir} is not a folder: move it away, then publish again"
                )
            if self.aside_dir.exists():
                raise SiteStateError(
                    f"{self.site_dir} is a folder waiwen did not write and {self.aside_dir} "
                    "exists already: move one of them away, then publish again"
                )
            adopt = True
        if self.site_dir.exists() and self.site_dir.stat().st_dev != self.state_dir.stat().st_dev:
            raise SiteStateError(
                f"{self.site_dir} and its state folder {self.state_dir} are on different "
                "filesystems, so files cannot be renamed into the site: mount the site's parent "
                "folder instead of the site folder itself"
            )
        ours = self._managed()
        return Staging(self, fresh=fresh or not ours, ours=ours, adopt=adopt)

    def swap(self, staging: Staging) -> None:
        """Move the staged files into the site, journalled so that a kill never leaves it half-done."""
        steps = staging.plan()
        if not steps:
            self.discard(staging)  # nothing changed: the site keeps every byte and date
            return
        staging.sync_staged()
        failpoint("site.before-swap")
        _write_durably(self.journal, json.dumps({"steps": steps}).encode("utf-8"))
        failpoint("site.after-journal")
        self._apply(steps)

    def discard(self, staging: Staging) -> None:
        """Drop a publish that will not be served."""
        _empty(self.incoming_dir)

    # -- applying the journal ------------------------------------------------------------------

    def _apply(self, steps: list[Step]) -> None:
        """Carry out the journal's steps; a step already done (its source gone) is skipped."""
        touched: set[Path] = set()
        for operation, area, relative in steps:
            if operation == "aside":
                if self.site_dir.exists() and not self.aside_dir.exists():
                    os.replace(self.site_dir, self.aside_dir)
                    touched.update((self.site_dir.parent, self.state_dir))
            elif operation == "place":
                # A first build: the staged site folder becomes the site in one rename.
                source = self.incoming_dir / area
                if source.is_dir() and not os.path.lexists(self.site_dir):
                    os.replace(source, self.site_dir)
                    touched.update((self.site_dir.parent, self.incoming_dir))
            elif operation == "move":
                source = self.incoming_dir / area / relative
                if source.is_file():
                    target = self.area_root(area) / relative
                    _make_folders(target.parent, touched)
                    os.replace(source, target)
                    touched.add(target.parent)
            elif operation == "delete":
                target = self.area_root(area) / relative
                if target.is_file() or target.is_symlink():
                    target.unlink()
                    touched.add(target.parent)
                    _remove_empty_folders(target.parent, self.area_root(area), touched)
            failpoint("site.applying")
        _fsync_all(folder for folder in touched if folder.is_dir())
        # The staged files have all moved; their folders stay, for the next publish to stage into.
        self.journal.unlink()
        _fsync(self.state_dir)

    def area_root(self, area: str) -> Path:
        """The folder a journal area's paths are relative to: the site, or its bookkeeping."""
        return self.site_dir if area == SITE else self.meta_dir

    def _managed(self) -> bool:
        """The site folder is waiwen's, in this layout."""
        return self.site_dir.is_dir() and not self._generations_link() and self.meta_dir.is_dir()

    def _settle(self) -> None:
        """Finish what a kill interrupted (a journal, a conversion), and convert an older layout."""
        if self.journal.is_file():
            self._apply(self._journal_steps())
        converted, link = self.state_dir / "converted-site", self.state_dir / "generations-link"
        if not self.site_dir.exists() and link.is_symlink() and converted.is_dir():
            os.replace(converted, self.site_dir)  # killed between the two renames of a conversion
        if self._generations_link():
            self._convert_generations()
        elif self._managed():
            self._drop_generations()

    def _journal_steps(self) -> list[Step]:
        """The steps of the journal a killed publish left (written by rename: whole or absent)."""
        try:
            steps = json.loads(self.journal.read_bytes())["steps"]
            if all(isinstance(step, list) and len(step) == 3 for step in steps):
                return list(steps)
            problem = "a step is not [operation, area, path]"
        except (ValueError, KeyError, TypeError) as error:
            problem = f"{type(error).__name__}: {error}"
        raise SiteStateError(
            f"{self.journal}: the journal of an interrupted publish cannot be read ({problem}); "
            "move it away, then run `waiwen site rebuild` to write the whole site again"
        )

    # -- the layout of waiwen before this one --------------------------------------------------

    def _generations_link(self) -> bool:
        """The site folder is a link into the generations layout (waiwen before plain folders)."""
        if not self.site_dir.is_symlink():
            return False
        target = self.site_dir.resolve()
        return target.parent.parent == (self.state_dir / "generations").resolve()

    def _convert_generations(self) -> None:
        """Copy the served generation (following its links) into a plain folder, and swap it in."""
        served = self.site_dir.resolve()
        converted = self.state_dir / "converted-site"
        meta = self.state_dir / "converted-meta"
        for leftover in (converted, meta):
            shutil.rmtree(leftover, ignore_errors=True)
        shutil.copytree(served, converted)  # symlinks=False: shard folders arrive as plain files
        if (served.parent / "meta").is_dir():
            shutil.copytree(served.parent / "meta", meta)
        for folder, names in _file_lists(converted).items():
            _write_list(meta / file_list(folder), folder, names)
        os.sync()
        shutil.rmtree(self.meta_dir, ignore_errors=True)
        os.replace(meta, self.meta_dir)
        # Two renames: the link to the side, the plain folder in (a kill between is finished by
        # _settle); rename cannot put a folder in a link's place in one step.
        os.replace(self.site_dir, self.state_dir / "generations-link")
        failpoint("site.converting")
        os.replace(converted, self.site_dir)
        _fsync(self.site_dir.parent)
        _fsync(self.state_dir)
        self._drop_generations()

    def _drop_generations(self) -> None:
        """Remove what the generations layout left once the site is a plain folder."""
        for name in ("generations", "shards", "converted-site", "converted-meta"):
            if (self.state_dir / name).is_dir():
                shutil.rmtree(self.state_dir / name)
        for link in (
            self.state_dir / "generations-link",
            self.site_dir.parent / f".{self.site_dir.name}.swap",
        ):
            if link.is_symlink():
                link.unlink()


@dataclass(frozen=True)
class StagedFiles:
    """The files a view of a staging wrote (`Staging.written`), to send from a helper process."""

    staged: frozenset[Key]
    kept: frozenset[Key]


class Staging:
    """One publish being built: its writes and deletions are invisible until the swap."""

    def __init__(
        self, generations: Generations, *, fresh: bool, ours: bool, adopt: bool = False
    ) -> None:
        self.generations = generations
        # A fresh staging starts empty: the served files count only once written again.
        self.fresh = fresh
        # The site folder is not waiwen's: it is moved aside at the swap, none of its files kept.
        self.adopt = adopt
        # The served site is waiwen's: its files are the base a publish changes.
        self._ours = ours
        self._staged: set[Key] = set()
        self._deleted: set[Key] = set()
        self._kept: set[Key] = set()  # fresh: files the site already has with the bytes written
        self._folders: set[Path] = set()  # incoming folders this view made sure of

    def read(self, relative: str) -> bytes | None:
        """A file of the site as staged so far (None when absent)."""
        return self._read((SITE, relative))

    def write(self, relative: str, data: bytes) -> None:
        """Write one file of the site; a file whose bytes do not change is left as it is."""
        self._write((SITE, relative), data)

    def delete(self, relative: str) -> bool:
        """Remove one file of the site; False when it was not there."""
        return self._delete((SITE, relative))

    def write_meta(self, name: str, data: bytes) -> None:
        """Write one bookkeeping file (never served)."""
        self._write((META, name), data)

    def read_meta(self, name: str) -> bytes | None:
        """A bookkeeping file as staged so far (None when absent)."""
        return self._read((META, name))

    def files(self) -> Iterator[str]:
        """Every file of the staged site, relative to its root."""
        if self.fresh:
            names = {rel for area, rel in self._kept if area == SITE}
        else:
            names = set(_walk(self.generations.site_dir)) - {
                r for a, r in self._deleted if a == SITE
            }
        names |= {rel for area, rel in self._staged if area == SITE}
        yield from sorted(names)

    def sync_staged(self) -> None:
        """Force the staged files to disk before the journal names them (a power cut included)."""
        if len(self._staged) > _FSYNC_LIMIT:
            os.sync()
        else:
            _fsync_all(self._incoming(key) for key in sorted(self._staged))

    def plan(self) -> list[Step]:
        """The journal of this publish: every move and deletion, in the order that keeps links whole."""
        self._stage_file_lists()
        site = self.generations.site_dir
        moves = sorted(rel for area, rel in self._staged if area == SITE)
        new = [rel for rel in moves if not (self._ours and (site / rel).is_file())]
        changed = [rel for rel in moves if self._ours and (site / rel).is_file()]
        gone = {rel for area, rel in self._deleted if area == SITE}
        gone_meta = {rel for area, rel in self._deleted if area == META}
        if self.fresh:
            written = self._staged | self._kept
            if self._ours:
                listed = {
                    _join(folder, name)
                    for folder, names in self._served_lists().items()
                    for name in names
                }
                gone |= {rel for rel in listed if (SITE, rel) not in written}
            gone_meta |= {
                rel for rel in _walk(self.generations.meta_dir) if (META, rel) not in written
            }
        steps: list[Step] = [["aside", SITE, ""]] if self.adopt else []
        if self._first_site(moves):
            steps.append(["place", SITE, ""])
        else:
            for group in (new, changed):
                steps += [["move", SITE, rel] for rel in sorted(group, key=_link_order)]
            steps += [["delete", SITE, rel] for rel in sorted(gone)]
        steps += [["move", META, rel] for area, rel in sorted(self._staged) if area == META]
        steps += [["delete", META, rel] for rel in sorted(gone_meta)]
        return steps

    def _first_site(self, moves: list[str]) -> bool:
        """Whether the staged site folder can become the site whole: there is no site folder
        yet, and the folder holds exactly the staged files (no empty folder, nothing else)."""
        if self._ours or self.adopt or os.path.lexists(self.generations.site_dir):
            return False
        return _holds_exactly(self.generations.incoming_dir / SITE, moves)

    # -- helpers of a full build in other processes -------------------------------------------

    def alike(self) -> Staging:
        """An empty view of this fresh staging for a helper process: its writes land here too.

        Helpers write files no other writes (a notice's pages) or the same bytes (an image two
        notices share), so the views add up; `absorb` takes what one wrote.
        """
        if not self.fresh:
            raise ValueError("only a fresh staging (a full build) is shared with helper processes")
        return Staging(self.generations, fresh=True, ours=self._ours, adopt=self.adopt)

    def written(self) -> StagedFiles:
        """What this view wrote: the files staged, and the served files kept for their bytes."""
        return StagedFiles(frozenset(self._staged), frozenset(self._kept))

    def absorb(self, written: StagedFiles) -> None:
        """Count a helper's writes (`written` of an `alike` view) as this staging's own."""
        self._staged |= written.staged
        self._kept |= written.kept - self._staged

    # -- one file ------------------------------------------------------------------------------

    def _incoming(self, key: Key) -> Path:
        return self.generations.incoming_dir / key[0] / key[1]

    def _served(self, key: Key) -> Path:
        return self.generations.area_root(key[0]) / key[1]

    def _current(self, key: Key) -> Path | None:
        """Where the staged view of a file is, if it has one."""
        if key in self._staged:
            return self._incoming(key)
        if key in self._deleted or (self.fresh and key not in self._kept) or not self._ours:
            return None
        path = self._served(key)
        return path if path.is_file() else None

    def _read(self, key: Key) -> bytes | None:
        path = self._current(key)
        return None if path is None else path.read_bytes()

    def _write(self, key: Key, data: bytes) -> None:
        current = self._current(key)
        if current is not None and _holds(current, data):
            return
        if self._ours and (self.fresh or key in self._staged or key in self._deleted):
            # The served file may hold these bytes already: then it stays, date and all.
            served = self._served(key)
            if served.is_file() and _holds(served, data):
                self._unstage(key)
                self._deleted.discard(key)
                if self.fresh:
                    self._kept.add(key)
                return
        path = self._incoming(key)
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        try:
            _write_file(path, data)
        except IsADirectoryError:  # an empty folder an earlier publish staged into
            shutil.rmtree(path)
            _write_file(path, data)
        self._staged.add(key)
        self._deleted.discard(key)
        self._kept.discard(key)

    def _delete(self, key: Key) -> bool:
        if self._current(key) is None:
            return False
        self._unstage(key)
        self._kept.discard(key)
        if not self.fresh and self._served(key).is_file():
            self._deleted.add(key)
        return True

    def _unstage(self, key: Key) -> None:
        if key in self._staged:
            self._staged.discard(key)
            self._incoming(key).unlink()

    # -- what waiwen put in the site -----------------------------------------------------------

    def _stage_file_lists(self) -> None:
        """Bring the lists of waiwen's files up to date with this publish (as bookkeeping files)."""
        if self.fresh:
            lists: dict[str, set[str]] = {}
            for area, rel in self._staged | self._kept:
                if area == SITE:
                    folder, name = _split(rel)
                    lists.setdefault(folder, set()).add(name)
            for folder, names in lists.items():
                self.write_meta(file_list(folder), _dump_list(folder, names))
            return
        changes: dict[str, tuple[set[str], set[str]]] = {}
        for keys, index in ((self._staged, 0), (self._deleted, 1)):
            for area, rel in keys:
                if area == SITE:
                    folder, name = _split(rel)
                    changes.setdefault(folder, (set(), set()))[index].add(name)
        for folder, (added, removed) in sorted(changes.items()):
            raw = self.read_meta(file_list(folder))
            before = set(json.loads(raw)["names"]) if raw else set()
            after = (before | added) - removed
            if after != before:
                if after:
                    self.write_meta(file_list(folder), _dump_list(folder, after))
                else:
                    self._delete((META, file_list(folder)))

    def _served_lists(self) -> dict[str, list[str]]:
        """The served lists of waiwen's files, by site folder."""
        folder = self.generations.meta_dir / "files"
        if not folder.is_dir():
            return {}
        found = {}
        for path in folder.iterdir():
            stored = json.loads(path.read_bytes())
            found[stored["folder"]] = stored["names"]
        return found


def file_list(folder: str) -> str:
    """The bookkeeping file naming waiwen's files in one site folder ("" is the root)."""
    name = quote(folder, safe="") or _ROOT_LIST
    if len(name) > _LONG_NAME:
        name = hashlib.sha256(folder.encode("utf-8")).hexdigest()
    return f"files/{name}.json"


def _file_lists(root: Path) -> dict[str, list[str]]:
    """Every file under ``root``, by folder relative to it."""
    lists: dict[str, list[str]] = {}
    for rel in _walk(root):
        folder, name = _split(rel)
        lists.setdefault(folder, []).append(name)
    return lists


def _write_list(path: Path, folder: str, names: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_dump_list(folder, names))


def _dump_list(folder: str, names: Iterable[str]) -> bytes:
    """One folder's list: the folder is named inside, so a list's file name never has to be read."""
    value = {"folder": folder, "names": sorted(names)}
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _split(relative: str) -> tuple[str, str]:
    path = PurePosixPath(relative)
    folder = path.parent.as_posix()
    return ("" if folder == "." else folder), path.name


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _link_order(relative: str) -> tuple[int, str]:
    """Files linked to before the files linking them: assets, then notice pages, then listings."""
    if not relative.endswith(_PAGES):
        return (0, relative)
    return (1 if "/notices/" in relative else 2, relative)


def _walk(root: Path) -> Iterator[str]:
    """Every file under ``root``, relative to it (nothing when it is absent)."""
    if not root.is_dir():
        return
    for folder, _, names in os.walk(root):
        for name in names:
            yield (Path(folder) / name).relative_to(root).as_posix()


def _empty(root: Path) -> None:
    """Remove every file under ``root``, keeping its folders (creating them costs more)."""
    for folder, _, names in os.walk(root):
        for name in names:
            os.unlink(os.path.join(folder, name))


def _holds_exactly(root: Path, files: list[str]) -> bool:
    """``root`` holds these files (relative paths) and nothing else, not even an empty folder."""
    wanted, found = set(files), 0
    prefix = len(str(root)) + 1
    for folder, folders, names in os.walk(root):
        if not folders and not names:
            return False
        if any(os.path.islink(os.path.join(folder, name)) for name in folders):
            return False  # os.walk does not go into a linked folder: its files went uncounted
        inside = folder[prefix:]
        for name in names:
            if (f"{inside}/{name}" if inside else name) not in wanted:
                return False
            found += 1
    return found == len(wanted) and found > 0


def _write_file(path: Path, data: bytes) -> None:
    """Create or replace a file with ``data`` (three system calls: a build writes tens of thousands)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def _holds(path: Path, data: bytes) -> bool:
    """The file holds exactly ``data`` (its size is compared before its bytes are read)."""
    return path.stat().st_size == len(data) and path.read_bytes() == data


def _make_folders(folder: Path, touched: set[Path]) -> None:
    """Create ``folder`` and its missing parents, noting whose entries changed."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        touched.add(path.parent)


def _remove_empty_folders(folder: Path, root: Path, touched: set[Path]) -> None:
    """Remove folders a deletion left empty, up to (not including) ``root``."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        touched.add(folder.parent)
        folder = folder.parent


def _write_durably(path: Path, data: bytes) -> None:
    """Write a file by rename so it is whole or absent, and force it and its folder to disk."""
    temporary = path.with_name(f".{path.name}.new")
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    _fsync(path.parent)


def _fsync_all(paths: Iterable[Path]) -> None:
    """Force several files or folders to disk at once: the filesystem commits them together."""
    paths = list(paths)
    if len(paths) <= 1:
        for path in paths:
            _fsync(path)
        return
    with ThreadPoolExecutor(min(len(paths), _FSYNC_THREADS)) as pool:
        list(pool.map(_fsync, paths))


def _fsync(path: Path) -> None:
    """Force a file's (or a folder's entries') bytes to disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
