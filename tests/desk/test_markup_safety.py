"""Raw HTML in a notice is refused at intake; in a reviewer's edit it is shown as text, never run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from content.notice import NoticeRefused
from core.settings import Settings
from pipeline.drafting import EngineChain
from tests.desk.conftest import EDITOR, REVIEWER, REVIEWER2
from tests.notices import row_counts, write_notice
from tests.pipeline.steps import approve, draft, override_all, publish, queue, segments
from tests.site_files import site_files

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [点此](javascript:alert(3)) <a href="javascript:alert(4)">链接</a>'
HOSTILE_BODY = f"""## 会议概况

3月3日，市政府外办召开会议。{HOSTILE}

<script>alert(5)</script>

<iframe src="https://evil.example/"></iframe>

各国驻沪领事机构代表约120人出席会议。
"""
# What intake takes: Markdown only. A javascript: link is Markdown; the renderer drops its address.
BODY = """## 会议概况

3月3日，市政府外办召开会议。详见[通知](javascript:alert(3))。

| 事项 | 数量 |
|---|---|
| 领事认证 | 5.6万份 |
| 外国人来华邀请 | 3200件 |

各国驻沪领事机构代表约120人出席会议。
"""
CELL = "5.6万份"
PARAGRAPH = "3月3日，市政府外办召开会议。"
# Each line would change the structure if it were pasted into the Markdown as it is.
EDIT = '<script>alert(1)</script> 5.6 | thousand\n\n# <img src=x onerror="alert(2)">\n- item'
SHOWN = '<script>alert(1)</script> 5.6 | thousand # <img src=x onerror="alert(2)"> - item'
OWN_SCRIPT = re.compile(r"/static/desk\.js|(\.\./)*assets/search\.js")
ADVICE = (
    "is not allowed in a notice; write Markdown (images as ![alt](file.png), links as [text](url))"
)


class Elements(HTMLParser):
    """Every element and attribute of a served page, as a browser would build them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


class Body(HTMLParser):
    """The text of each table cell and paragraph of a page, and the elements between them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.paragraphs: list[str] = []
        self._text: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th", "p"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._text is None:
            return
        if tag in ("td", "th"):
            self.rows[-1].append("".join(self._text))
            self._text = None
        elif tag == "p":
            self.paragraphs.append("".join(self._text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def assert_inert(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in ("iframe", "object", "embed"), (tag, attrs)
        if tag == "script":
            # The desk's own script, or the site's own search (relative to the page).
            assert OWN_SCRIPT.fullmatch(attrs.get("src", "")), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), (
                    tag,
                    name,
                    value,
                )


def test_a_notice_with_raw_html_is_refused_naming_file_line_and_rule(
    settings: Settings, tmp_path: Path
) -> None:
    path = write_notice(tmp_path / "hostile.md", body=HOSTILE_BODY, languages=["en"])
    with pytest.raises(NoticeRefused) as refused:
        queue(settings, path)
    # Lines are the file's: the body ("## 会议概况" first) starts after the front matter.
    lines = path.read_text(encoding="utf-8").split("\n")
    first = lines.index("## 会议概况") + 1
    assert [str(problem) for problem in refused.value.problems] == [
        f"{path}: body: line {first + 2}: raw HTML (<script>) {ADVICE}",
        f"{path}: body: line {first + 4}: raw HTML (<script>) {ADVICE}",
        f"{path}: body: line {first + 6}: raw HTML (<iframe>) {ADVICE}",
    ]
    assert row_counts(settings.resolved_database_url)["notices"] == 0


def test_the_desk_refuses_the_upload_and_names_the_rule_as_text(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    path = write_notice(tmp_path / "hostile.md", body=HOSTILE_BODY, languages=["en"])
    response = desk(EDITOR).post(
        "/queue", files={"files": ("hostile.md", path.read_bytes(), "text/markdown")}
    )
    assert response.status_code == 400
    assert "refused, nothing was queued" in response.text
    first = path.read_text(encoding="utf-8").split("\n").index("## 会议概况") + 1
    assert f"hostile.md: body: line {first + 2}: raw HTML (&lt;script&gt;)" in response.text
    assert_inert(response.text)
    assert row_counts(settings.resolved_database_url)["notices"] == 0


@pytest.fixture
def drafted(settings: Settings, chain: EngineChain, tmp_path: Path) -> int:
    outcome = queue(settings, write_notice(tmp_path / "notice.md", body=BODY, languages=["en"]))
    draft(settings.resolved_database_url, outcome.version_id, chain)
    return outcome.version_id


def _pages(client: Any) -> list[str]:
    return [
        "/queue",
        "/notices/1",
        "/notices/1/en",
        "/notices/1/zh",
        "/notices/1/en/preview/site",
        "/notices/1/en/preview/wechat",
        "/notices/1/zh/preview/site",
        *[f"/notices/1/en/segments/{n}/suggestions" for n in range(8)],
    ]


def _edit(client: Any, settings: Settings, version_id: int) -> dict[str, int]:
    """The reviewer puts EDIT into a table cell and into a paragraph; their positions."""
    by_text = {text: n for n, text in segments(settings.resolved_database_url, version_id).items()}
    positions = {"cell": by_text[CELL], "paragraph": by_text[PARAGRAPH]}
    for position in positions.values():
        response = client.post(
            f"/notices/1/en/segments/{position}", {"text": EDIT, "revision": "1"}
        )
        assert response.status_code == 303, response.text
    return positions


def test_markup_in_a_notice_is_never_live(desk: Any, drafted: int) -> None:
    client = desk(REVIEWER)
    for path in _pages(client):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_inert(response.text)


def test_a_reviewers_edit_stays_text_in_its_cell_and_paragraph(
    desk: Any, settings: Settings, drafted: int
) -> None:
    client = desk(REVIEWER)
    previews = ("/notices/1/en/preview/site", "/notices/1/en/preview/wechat")
    before = {path: Body(client.get(path).text) for path in previews}
    _edit(client, settings, drafted)
    for path in _pages(client):
        assert_inert(client.get(path).text)
    for path in previews:
        after = Body(client.get(path).text)
        # The same elements as before the edits: no row, cell, heading or list more or less.
        assert after.tags == before[path].tags, path
        assert [len(row) for row in after.rows] == [2, 2, 2], path
        assert after.rows[1][1] == SHOWN, path
        assert any(paragraph.startswith(SHOWN) for paragraph in after.paragraphs), path
    # The conflict page shows both texts: still inert.
    conflict = desk(REVIEWER2).post("/notices/1/en/segments/2", {"text": HOSTILE, "revision": "1"})
    assert conflict.status_code == 409
    assert_inert(conflict.text)
    assert "&lt;img src=x onerror=" in conflict.text


def test_the_published_page_feed_and_search_index_show_the_edit_as_text(
    desk: Any, settings: Settings, drafted: int
) -> None:
    url = settings.resolved_database_url
    _edit(desk(REVIEWER), settings, drafted)
    override_all(url, "1", "en", "markup typed on purpose, to see it shown as text")
    approve(url, "1", "en")
    site_dir = Path(settings.site_dir)
    publish(url, drafted, site_dir)
    written = site_files(site_dir)
    page = Body(written["en/notices/0/1.html"].decode("utf-8"))
    assert [len(row) for row in page.rows] == [2, 2, 2]
    assert page.rows[1][1] == SHOWN
    assert any(paragraph.startswith(SHOWN) for paragraph in page.paragraphs)
    for name, data in written.items():
        text = data.decode("utf-8", errors="replace")
        if name.endswith(".html"):
            assert_inert(text)
        elif name.endswith(".xml"):
            # The summary is text in the feed: no element beyond Atom's own.
            for element in ET.fromstring(data).iter():
                assert element.tag.split("}")[-1] not in ("script", "img", "a", "iframe"), name
        elif name.endswith(".json"):
            assert "<" not in text, name  # every "<" is \u003c: no file serves a live tag
            json.loads(text)
    feed = written["en/feed.xml"].decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in feed
