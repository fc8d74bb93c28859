"""Markup in a notice or in a reviewer's edit is shown as text or removed, never executed."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from pipeline.drafting import EngineChain
from tests.desk.conftest import EDITOR, REVIEWER, REVIEWER2
from tests.notices import write_notice
from tests.pipeline.steps import draft, queue
from waiwen.settings import Settings

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [点此](javascript:alert(3)) <a href="javascript:alert(4)">链接</a>'
BODY = f"""## 会议概况

3月3日，市政府外办召开会议。{HOSTILE}

<script>alert(5)</script>

<iframe src="https://evil.example/"></iframe>

各国驻沪领事机构代表约120人出席会议。
"""


class Elements(HTMLParser):
    """Every element and attribute of a served page, as a browser would build them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in ("iframe", "object", "embed"), (tag, attrs)
        if tag == "script":
            assert attrs.get("src") == "/static/desk.js", attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), (
                    tag,
                    name,
                    value,
                )


@pytest.fixture
def hostile(settings: Settings, chain: EngineChain, tmp_path: Path) -> int:
    outcome = queue(settings, write_notice(tmp_path / "hostile.md", body=BODY, languages=["en"]))
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
        *[f"/notices/1/en/segments/{n}/suggestions" for n in range(6)],
    ]


def test_hostile_markup_in_a_notice_is_never_live(desk: Any, hostile: int) -> None:
    client = desk(REVIEWER)
    for path in _pages(client):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_inert(response.text)
    review = client.get("/notices/1/zh").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in review  # shown as text to the reviewer


def test_hostile_markup_in_a_reviewers_edit_is_never_live(desk: Any, hostile: int) -> None:
    client = desk(REVIEWER)
    page = client.get("/notices/1/en").text
    assert "revision" in page
    response = client.post(
        "/notices/1/en/segments/2", {"text": f"Edited {HOSTILE}", "revision": "1"}
    )
    assert response.status_code == 303
    for path in _pages(client):
        assert_inert(client.get(path).text)
    # The conflict page shows both texts: still inert.
    conflict = desk(REVIEWER2).post("/notices/1/en/segments/2", {"text": HOSTILE, "revision": "1"})
    assert conflict.status_code == 409
    assert_inert(conflict.text)
    assert "&lt;img src=x onerror=" in conflict.text


def test_a_hostile_upload_name_and_search_are_shown_as_text(desk: Any, tmp_path: Path) -> None:
    client = desk(EDITOR)
    path = write_notice(tmp_path / "n.md", classification="内部")
    response = client.post(
        "/queue",
        files={"files": ('"><script>alert(6)</script>.md', path.read_bytes(), "text/markdown")},
    )
    assert response.status_code == 400
    assert_inert(response.text)
    searched = client.get("/queue", params={"q": '"><script>alert(7)</script>'})
    assert_inert(searched.text)
    assert "alert(7)" in searched.text
    login = desk().get("/login", params={"next": '/queue"><script>alert(8)</script>'})
    assert_inert(login.text)


def test_the_checker_catches_live_markup() -> None:
    with pytest.raises(AssertionError):
        assert_inert('<p><img src="x" onerror="alert(1)"></p>')
    with pytest.raises(AssertionError):
        assert_inert('<a href=" javascript:alert(1)">x</a>')
    with pytest.raises(AssertionError):
        assert_inert("<script>alert(1)</script>")
