"""The site folder is plain files: `cp -r`, `tar` and `rsync -a` copy it whole with every link resolving;
a site in the generations layout is converted, and a full rebuild deletes only what waiwen wrote."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.publishers.site_links import broken_links
from tests.publishers.site_pages import BASE_URL, COLUMNS, pages, site
from tests.site_files import site_files

ROOT = Path(__file__).resolve().parents[2]
# Notices in four page folders (500 a folder), a column long enough for archive pages, and the
# changes a site lives through: a retraction, a new version, a language taken off.
NOTICES = [*range(1, 26), 498, 499, 500, 501, 1001, 1502]


def publish_history(site_dir: Path) -> None:
    s = site(site_dir)
    for notice_id in NOTICES:
        languages = ("zh", "en", "ja", "fr", "ko") if notice_id % 4 else ("zh", "en")
        s.publish_notice(pages(notice_id, languages, column=COLUMNS[0] if notice_id < 30 else None))
    s.retract(7)
    s.publish_notice(pages(9, title="Notice 9, second version"))
    s.publish_notice(pages(10, ("zh", "en")))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("published") / "site"
    publish_history(site_dir)
    return site_dir


def walk(root: Path) -> list[Path]:
    """Every entry under ``root``, links not followed."""
    found = []
    for folder, folders, names in os.walk(root):
        found += [Path(folder) / name for name in folders + names]
    return found


def test_the_site_folder_holds_plain_files_only(published: Path) -> None:
    assert published.is_dir() and not published.is_symlink()
    entries = walk(published)
    assert [entry for entry in entries if entry.is_symlink()] == []
    # No hard link shared with anything: the state folder beside it, an older site.
    assert [entry for entry in entries if entry.is_file() and entry.stat().st_nlink != 1] == []
    folders = {name.rsplit("/", 1)[0] for name in site_files(published) if "/notices/" in name}
    assert {f"zh/notices/{n}" for n in range(4)} <= folders


def cp_r(source: Path, copy: Path) -> None:
    subprocess.run(["cp", "-r", str(source), str(copy)], check=True)


def tar(source: Path, copy: Path) -> None:
    copy.mkdir()
    packed = subprocess.Popen(
        ["tar", "-C", str(source.parent), "-cf", "-", source.name], stdout=subprocess.PIPE
    )
    subprocess.run(
        ["tar", "-C", str(copy), "-xf", "-", "--strip-components=1"],
        check=True,
        stdin=packed.stdout,
    )
    assert packed.stdout is not None
    packed.stdout.close()
    assert packed.wait() == 0


def rsync_a(source: Path, copy: Path) -> None:
    if shutil.which("rsync") is None:
        pytest.fail("rsync is not installed (Debian package rsync): offices deploy with it")
    subprocess.run(["rsync", "-a", f"{source}/", f"{copy}/"], check=True)


@pytest.mark.parametrize("copy_with", [cp_r, tar, rsync_a], ids=["cp -r", "tar", "rsync -a"])
def test_a_plain_copy_holds_every_page_with_every_link_resolving(
    published: Path, tmp_path: Path, copy_with: Callable[[Path, Path], None]
) -> None:
    original = site_files(published)
    copy = tmp_path / "dmz" / "site"
    copy.parent.mkdir()
    copy_with(published, copy)

    assert [entry for entry in walk(copy) if entry.is_symlink()] == []
    copied = site_files(copy)
    assert copied == original
    assert len([name for name in copied if name.endswith(".html")]) > 150
    assert broken_links(copied, BASE_URL) == []
    assert not [name for name in copied if name.endswith("/7.html")]  # the retraction held


def generations_layout(site_dir: Path) -> None:
    """Rearrange a site into the layout waiwen used before: a link into generations and shards."""
    state = site_dir.parent / ".site.waiwen"
    generation = state / "generations" / "000007"
    generation.mkdir(parents=True)
    (state / "generations" / "000006" / "site").mkdir(parents=True)  # the one kept behind
    os.replace(site_dir, generation / "site")
    os.replace(state / "meta", generation / "meta")
    shutil.rmtree(generation / "meta" / "files")  # that layout kept no list of its files
    shards = state / "shards"
    shards.mkdir()
    for folder in sorted((generation / "site").glob("*/notices/*")) + sorted(
        (generation / "site").glob("*/columns/*")
    ):
        relative = folder.relative_to(generation / "site").as_posix()
        store = shards / f"{relative.replace('/', '-')}.000007"
        os.replace(folder, store)
        os.symlink(os.path.relpath(store, folder.parent), folder)
    os.symlink(os.path.relpath(generation / "site", site_dir.parent), site_dir)


def test_a_site_in_the_generations_layout_becomes_a_plain_folder_at_the_next_publish(
    tmp_path: Path,
) -> None:
    site_dir = tmp_path / "site"
    s = site(site_dir)
    for notice_id in (1, 2, 3, 501):
        s.publish_notice(pages(notice_id))
    before = site_files(site_dir)
    generations_layout(site_dir)
    assert site_dir.is_symlink() and site_files(site_dir) == before  # served through the links

    site(site_dir).publish_notice(pages(4))

    assert site_dir.is_dir() and not site_dir.is_symlink()
    assert [entry for entry in walk(site_dir) if entry.is_symlink()] == []
    state = site_dir.parent / ".site.waiwen"
    assert not (state / "generations").exists() and not (state / "shards").exists()
    direct = tmp_path / "direct"
    for notice_id in (1, 2, 3, 501, 4):
        site(direct).publish_notice(pages(notice_id))
    assert site_files(site_dir) == site_files(direct)
    # The converted site knows its files: a rebuild without notice 501 takes its pages away.
    site(site_dir).build(pages(n) for n in (1, 2, 3, 4))
    assert not [name for name in site_files(site_dir) if name.endswith("/501.html")]


def test_a_conversion_killed_between_its_renames_is_finished_by_the_next_publish(
    tmp_path: Path,
) -> None:
    site_dir = tmp_path / "site"
    for notice_id in (1, 501):
        site(site_dir).publish_notice(pages(notice_id))
    generations_layout(site_dir)
    command = [sys.executable, "-m", "tests.publishers.site_pages", str(site_dir), "2"]
    env = os.environ | {"WAIWEN_FAILPOINTS": "site.converting"}
    killed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert not site_dir.exists()  # the link moved aside, the plain folder not yet in its place

    env.pop("WAIWEN_FAILPOINTS")
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    assert finished.returncode == 0, finished.stderr.decode()
    direct = tmp_path / "direct"
    for notice_id in (1, 501, 2):
        site(direct).publish_notice(pages(notice_id))
    assert site_dir.is_dir() and not site_dir.is_symlink()
    assert site_files(site_dir) == site_files(direct)
    assert sorted(p.name for p in (tmp_path / ".site.waiwen").iterdir()) == [
        "incoming",
        "lock",
        "meta",
    ]


def test_a_full_rebuild_deletes_only_the_files_waiwen_wrote(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    s = site(site_dir)
    for notice_id in range(1, 6):
        s.publish_notice(pages(notice_id))
    ours = site_files(site_dir)
    office = {"robots.txt": b"User-agent: *\n", "zh/notices/0/office-note.html": b"<p>kept</p>\n"}
    for name, data in office.items():
        (site_dir / name).write_bytes(data)
    inodes = {name: (site_dir / name).stat().st_ino for name in ours}

    s.build(pages(n) for n in (1, 2, 3, 5))  # notice 4 no longer published

    expected = tmp_path / "expected"
    site(expected).build(pages(n) for n in (1, 2, 3, 5))
    assert site_files(site_dir) == site_files(expected) | office
    # A file the rebuild writes with the same bytes stays the same file (rsync sends nothing).
    rebuilt = site_files(site_dir)
    same = [name for name in ours if rebuilt.get(name) == ours[name]]
    assert "zh/notices/0/1.html" in same and "assets/site.css" in same
    assert {name: (site_dir / name).stat().st_ino for name in same} == {n: inodes[n] for n in same}


def test_a_retraction_leaves_no_empty_folder(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    s = site(site_dir)
    s.publish_notice(pages(1))
    s.publish_notice(pages(1001))
    assert (site_dir / "zh" / "notices" / "2").is_dir()
    s.retract(1001)
    assert not (site_dir / "zh" / "notices" / "2").exists()
    assert (site_dir / "zh" / "notices" / "0" / "1.html").is_file()
