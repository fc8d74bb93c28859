"""The queue page: badges, filters, search, and queueing by upload with the command's checks."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings
from desk.web import IMAGE_POLICY
from flows.handoff import DRAFT
from pipeline.drafting import EngineChain
from store.db import transaction
from store.models import LanguageVersion, NoticeImage, NoticeVersion
from tests.content.test_images import POLYGLOT, picture
from tests.desk.conftest import EDITOR, EN_ONLY, REVIEWER, HandOvers
from tests.notices import row_counts, write_notice
from tests.pipeline.steps import draft, llm_engine_chain, queue
from tests.standins.chat import ChatStandIn


def _notices(settings: Settings, chain: EngineChain, tmp_path: Path) -> None:
    """Notice 1 (要闻动态, en+fr, drafted), notice 2 (政务公开, ja, queued only)."""
    first = queue(settings, write_notice(tmp_path / "a.md", languages=["en", "fr"]))
    draft(settings.resolved_database_url, first.version_id, chain)
    queue(
        settings,
        write_notice(
            tmp_path / "b.md", languages=["ja"], title="关于护照办理的通知", column="政务公开"
        ),
    )


def test_every_notice_with_a_badge_per_language(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _notices(settings, chain, tmp_path)
    page = desk(REVIEWER).get("/queue").text
    assert "2 notice(s)" in page
    assert "en: in review" in page and "fr: in review" in page and "zh: approved" in page
    assert "ja: queued" in page
    assert 'href="/notices/1/en"' in page


def test_filters_and_search(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _notices(settings, chain, tmp_path)
    client = desk(REVIEWER)

    def shown(**params: str) -> set[str]:
        text = client.get("/queue", params=params).text
        return {n for n in ("[1]", "[2]") if n in text}

    assert shown(column="政务公开") == {"[2]"}
    assert shown(language="fr") == {"[1]"}
    assert shown(state="in review") == {"[1]"}
    assert shown(state="queued") == {"[2]"}
    assert shown(q="护照") == {"[2]"}
    assert shown(q="100%_") == set()
    assert shown(reviewer=EN_ONLY) == {"[1]"}
    assert shown(show="all") == {"[1]", "[2]"}


def test_an_editor_queues_a_notice_by_upload(
    desk: Any, settings: Settings, tmp_path: Path, handed: HandOvers
) -> None:
    path = write_notice(tmp_path / "upload.md", languages=["en"])
    client = desk(EDITOR)
    response = client.post(
        "/queue", files={"files": ("upload.md", path.read_bytes(), "text/markdown")}
    )
    assert response.status_code == 200, response.text
    assert "upload.md: new notice (notice 1, version 1)" in response.text
    assert handed == [(DRAFT, [({"version_id": 1}, f"draft-{handed.database}-1")])]
    again = client.post(
        "/queue", files={"files": ("upload.md", path.read_bytes(), "text/markdown")}
    )
    assert "upload.md: unchanged" in again.text
    assert len(handed) == 1
    kept = list((Path(settings.home) / "uploads").glob("*/upload.md"))
    assert len(kept) == 2


def test_a_refused_upload_names_the_file_field_and_rule_and_queues_nothing(
    desk: Any, settings: Settings, tmp_path: Path, handed: HandOvers
) -> None:
    path = write_notice(tmp_path / "secret.md", classification="内部")
    response = desk(EDITOR).post(
        "/queue", files={"files": ("secret.md", path.read_bytes(), "text/markdown")}
    )
    assert response.status_code == 400
    assert "refused, nothing was queued" in response.text
    assert "secret.md" in response.text and "classification" in response.text
    assert str(settings.home) not in response.text
    assert row_counts(settings.resolved_database_url)["notices"] == 0
    assert handed == []
    assert kept_files(settings) == []


def test_an_upload_with_its_image(desk: Any, settings: Settings, tmp_path: Path) -> None:
    png = (
        Path(__file__).resolve().parent.parent.parent
        / "publishers"
        / "wechat"
        / "default-cover.jpg"
    )
    body = "## 图片\n\n![会场](hall.jpg)\n\n会议在上海举行。\n"
    path = write_notice(tmp_path / "pic.md", body=body, languages=["en"])
    client = desk(EDITOR)
    missing = client.post("/queue", files={"files": ("pic.md", path.read_bytes(), "text/markdown")})
    assert missing.status_code == 400 and "hall.jpg" in missing.text
    both = client.post(
        "/queue",
        files=[
            ("files", ("pic.md", path.read_bytes(), "text/markdown")),
            ("files", ("hall.jpg", png.read_bytes(), "image/jpeg")),
        ],
    )
    assert both.status_code == 200, both.text
    assert "pic.md: new notice" in both.text


def test_an_upload_without_markdown_is_refused(desk: Any) -> None:
    response = desk(EDITOR).post("/queue", files={"files": ("notes.txt", b"hello", "text/plain")})
    assert response.status_code == 400 and "no Markdown (.md) file" in response.text


def test_a_notice_overview_for_the_editor(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _notices(settings, chain, tmp_path)
    page = desk(EDITOR).get("/notices/1").text
    assert "English" in page and "Français" in page and "libretranslate" in page
    history = page[page.index("<h2>History</h2>") :]
    assert "编辑甲: queued" in history


def test_uploaded_names_stay_inside_the_uploads_folder(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    path = write_notice(tmp_path / "n.md", languages=["en"])
    client = desk(EDITOR)
    for name in ("../../escape.md", "..", ".hidden.md"):
        client.post("/queue", files={"files": (name, path.read_bytes(), "text/markdown")})
    uploads = Path(settings.home) / "uploads"
    stored = sorted(p.name for p in uploads.rglob("*") if p.is_file())
    # ".." is kept as "file": not Markdown, so that upload is refused and nothing of it is kept.
    assert stored == ["escape.md", "hidden.md"]
    assert not (Path(settings.home) / "escape.md").exists()


def kept_files(settings: Settings) -> list[str]:
    """Every file under the desk's uploads folder (hidden ones too), relative to it."""
    uploads = Path(settings.home) / "uploads"
    return sorted(str(p.relative_to(uploads)) for p in uploads.rglob("*") if p.is_file())


def _upload(client: Any, *files: tuple[str, bytes]) -> Any:
    return client.post(
        "/queue",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
    )


def test_a_queued_upload_is_kept_where_its_version_says(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    path = write_notice(tmp_path / "upload.md", languages=["en"])
    client = desk(EDITOR)
    assert _upload(client, ("upload.md", path.read_bytes())).status_code == 200
    with transaction(settings.resolved_database_url) as session:
        [source] = session.scalars(select(NoticeVersion.source_path)).all()
    kept = Path(source)
    assert kept.read_bytes() == path.read_bytes()
    assert kept.parent.parent == Path(settings.home) / "uploads"
    assert not kept.parent.name.startswith(".")  # moved out of its hidden folder once queued
    assert kept_files(settings) == [f"{kept.parent.name}/upload.md"]
    for mount in ("/static", "/site-static"):  # the uploads folder is served by no mount
        for path in (f"{mount}/{kept.parent.name}/upload.md", f"{mount}/../uploads/"):
            assert client.get(path).status_code == 404, path


def test_an_uploaded_image_that_is_html_is_refused_and_nothing_is_kept(
    desk: Any, settings: Settings, tmp_path: Path, handed: HandOvers
) -> None:
    body = "## 图片\n\n![会场](photo.gif)\n\n会议在上海举行。\n"
    notice = write_notice(tmp_path / "pic.md", body=body, languages=["en"]).read_bytes()
    response = _upload(desk(EDITOR), ("pic.md", notice), ("photo.gif", POLYGLOT))
    assert response.status_code == 400
    assert (
        "pic.md: body: image photo.gif: is not a GIF image that decodes (it holds HTML); "
        "save it as PNG, JPEG or GIF"
    ) in response.text
    assert "<script>fetch" not in response.text
    assert row_counts(settings.resolved_database_url)["notice_images"] == 0
    assert kept_files(settings) == [] and handed == []


def test_uploaded_images_are_served_only_as_the_images_they_are(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    images = {
        "hall.png": picture("PNG"),
        "会场.jpg": picture("JPEG"),
        "flag.gif": picture("GIF"),
        "named-gif.gif": picture("PNG", (3, 3)),  # a PNG under another name is a PNG
    }
    body = "## 图片\n\n" + "".join(f"![图]({name})\n\n" for name in images) + "会议在上海举行。\n"
    notice = write_notice(tmp_path / "pic.md", body=body, languages=["en"]).read_bytes()
    client = desk(EDITOR)
    response = _upload(client, ("pic.md", notice), *images.items())
    assert response.status_code == 200, response.text
    expected = {
        "hall.png": ("image/png", 'filename="hall.png"'),
        "会场.jpg": ("image/jpeg", "filename=\"__.jpg\"; filename*=UTF-8''%E4%BC%9A%E5%9C%BA.jpg"),
        "flag.gif": ("image/gif", 'filename="flag.gif"'),
        "named-gif.gif": ("image/png", 'filename="named-gif.png"'),
    }
    for name, data in images.items():
        served = client.get(f"/notices/1/images/{hashlib.sha256(data).hexdigest()}")
        media_type, filename = expected[name]
        assert served.status_code == 200 and served.content == data
        assert served.headers["content-type"] == media_type
        assert served.headers["x-content-type-options"] == "nosniff"
        assert served.headers["content-security-policy"] == IMAGE_POLICY
        assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
        assert served.headers["content-disposition"] == f"inline; {filename}"


def test_a_stored_file_that_is_no_image_is_never_served(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    """As if stored before images were decoded at queueing: the desk does not serve it at all."""
    queue(settings, write_notice(tmp_path / "n.md", languages=["en"]))
    sha = hashlib.sha256(POLYGLOT).hexdigest()
    with transaction(settings.resolved_database_url) as session:
        session.add(NoticeImage(version_id=1, source="photo.gif", sha256=sha, data=POLYGLOT))
    served = desk(REVIEWER).get(f"/notices/1/images/{sha}")
    assert served.status_code == 404
    assert b"<script>fetch" not in served.content
    assert "not a PNG, JPEG or GIF image" in served.text


def test_two_files_with_one_name_are_refused_naming_both(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    first = write_notice(tmp_path / "a.md", languages=["en"]).read_bytes()
    second = write_notice(
        tmp_path / "b.md", languages=["fr"], title="关于护照办理的通知"
    ).read_bytes()
    response = _upload(
        desk(EDITOR), ("notice.md", first), ("hall.png", picture("PNG")), ("notice.md", second)
    )
    assert response.status_code == 400
    assert "files: two files are named notice.md (the 1st and the 3rd); rename one" in response.text
    assert "unchanged" not in response.text
    assert row_counts(settings.resolved_database_url)["notices"] == 0
    assert kept_files(settings) == []


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        (
            ("a b.md", "a_b.md"),
            "files: a b.md and a_b.md (the 1st and the 2nd) would be kept as one file, a_b.md; "
            "rename one",
        ),
        (
            ("Notice.md", "notice.md"),
            "files: Notice.md and notice.md (the 1st and the 2nd) would be kept as one file, "
            "Notice.md; rename one",
        ),
        (
            ("dir/notice.md", "other/notice.md"),
            "files: two files are named notice.md (the 1st and the 2nd); rename one",
        ),
    ],
)
def test_names_that_would_be_kept_as_one_file_are_refused(
    desk: Any, settings: Settings, tmp_path: Path, names: tuple[str, str], problem: str
) -> None:
    notice = write_notice(tmp_path / "a.md", languages=["en"]).read_bytes()
    response = _upload(desk(EDITOR), *((name, notice) for name in names))
    assert response.status_code == 400 and problem in response.text
    assert kept_files(settings) == []


@pytest.mark.parametrize(
    ("name", "length"),
    [
        ("n" * 297 + ".md", "300 characters, 300 bytes"),
        ("通知" * 45 + ".md", "93 characters, 273 bytes"),
    ],
)
def test_a_file_name_too_long_to_keep_is_refused(
    desk: Any, settings: Settings, tmp_path: Path, name: str, length: str
) -> None:
    notice = write_notice(tmp_path / "a.md", languages=["en"]).read_bytes()
    response = _upload(desk(EDITOR), ("short.md", notice), (name, notice))
    assert response.status_code == 400
    assert "files: a file name may have at most 200 characters" in response.text
    assert f"the 2nd has {length}" in response.text
    assert kept_files(settings) == []


def test_a_file_name_of_200_characters_is_kept(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    name = "n" * 197 + ".md"
    notice = write_notice(tmp_path / "a.md", languages=["en"]).read_bytes()
    response = _upload(desk(EDITOR), (name, notice))
    assert response.status_code == 200, response.text
    assert [Path(f).name for f in kept_files(settings)] == [name]


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_kept(
    desk: Any, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk import queue as queue_routes

    monkeypatch.setattr(queue_routes, "file_limit", lambda _settings: 1000)
    notice = write_notice(tmp_path / "a.md", languages=["en"]).read_bytes()
    response = _upload(desk(EDITOR), ("a.md", notice), ("big.png", bytes(5000)))
    assert response.status_code == 400 and "big.png: larger than 1000 bytes" in response.text
    assert kept_files(settings) == []


def test_the_notice_overview_shows_what_drafting_cost_at_the_llm(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    with ChatStandIn() as chat:
        first = queue(settings, write_notice(tmp_path / "a.md", languages=["en"]))
        draft(url, first.version_id, llm_engine_chain(chat.base_url))
    with transaction(url) as session:
        lang = session.scalars(
            select(LanguageVersion).where(LanguageVersion.language == "en")
        ).one()
        prompt, completion = lang.prompt_tokens, lang.completion_tokens
    assert prompt > 0 and completion > 0
    page = desk(EDITOR).get("/notices/1").text
    assert "Engine tokens" in page
    assert f"{prompt} in, {completion} out (1 request)" in page


def test_an_upload_removes_the_folders_a_killed_desk_left_and_no_other(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    uploads = Path(settings.home) / "uploads"
    left = uploads / ".incoming-left"  # a desk killed while it checked this upload, hours ago
    (left / "sub").mkdir(parents=True)
    (left / "sub" / "notice.md").write_text("x", encoding="utf-8")
    hours_ago = time.time() - 3 * 3600
    for path in (left / "sub" / "notice.md", left / "sub", left):
        os.utime(path, (hours_ago, hours_ago))
    checking = uploads / ".incoming-checking"  # another request's, this moment
    checking.mkdir()
    (checking / "notice.md").write_text("y", encoding="utf-8")
    kept_upload = uploads / "20261201T000000000000Z-old"  # an upload kept long ago stays
    kept_upload.mkdir()
    (kept_upload / "notice.md").write_text("z", encoding="utf-8")
    os.utime(kept_upload, (hours_ago, hours_ago))
    outside = tmp_path / "outside"
    outside.mkdir()
    (uploads / ".incoming-link").symlink_to(outside)  # a link is not followed nor removed
    os.utime(uploads / ".incoming-link", (hours_ago, hours_ago), follow_symlinks=False)

    path = write_notice(tmp_path / "new.md", languages=["en"])
    assert _upload(desk(EDITOR), ("new.md", path.read_bytes())).status_code == 200

    assert not left.exists()
    assert (checking / "notice.md").read_text(encoding="utf-8") == "y"
    assert (kept_upload / "notice.md").read_text(encoding="utf-8") == "z"
    assert outside.is_dir() and (uploads / ".incoming-link").is_symlink()
    assert len(list(uploads.glob("*/new.md"))) == 1
