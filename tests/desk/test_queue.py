"""The queue page: badges, filters, search, and queueing by upload with the command's checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.handoff import DRAFT
from pipeline.drafting import EngineChain
from tests.desk.conftest import EDITOR, EN_ONLY, REVIEWER, HandOvers
from tests.notices import row_counts, write_notice
from tests.pipeline.steps import draft, queue
from waiwen.settings import Settings


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
    assert handed == [(DRAFT, [({"version_id": 1}, "draft-1")])]
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
    assert stored == ["escape.md", "file", "hidden.md"]
    assert not (Path(settings.home) / "escape.md").exists()
