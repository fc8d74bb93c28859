"""An admin sets the checks' levels on the admin page; the review page shows and obeys them."""

from __future__ import annotations

from typing import Any

from core.settings import Settings
from tests.desk.conftest import ADMIN, REVIEWER
from tests.desk.test_finding_highlights import ATTENDANCE, WRONG_COUNT, _edit


def test_an_admin_makes_numbers_a_warning_in_the_notices_column(
    desk: Any, drafted: int, settings: Settings
) -> None:
    page = _edit(desk, settings, drafted, lambda source: ATTENDANCE in source, WRONG_COUNT)
    assert "<strong>error numbers</strong>" in page
    admin = desk(ADMIN)
    table = admin.get("/admin").text
    assert '<option value="numbers|要闻动态|default" selected>default</option>' in table
    saved = admin.post("/admin/checks", {"level": ["numbers|要闻动态|warning", "dates|*|default"]})
    assert saved.status_code == 303 and saved.headers["location"] == "/admin#checks"
    assert '<option value="numbers|要闻动态|warning" selected>' in admin.get("/admin").text
    reviewer = desk(REVIEWER)
    page = reviewer.get("/notices/1/en").text
    assert "<strong>warning numbers</strong>" in page
    assert "(the office's level; the check's own is error)" in page
    assert 'name="check" value="numbers"' not in page  # a warning needs no override
    assert "Approve" in page


def test_levels_that_are_not_levels_checks_or_columns_are_refused_by_name(desk: Any) -> None:
    admin = desk(ADMIN)
    for field, said in [
        ("numbers|要闻动态|fatal", "is not check|column|level"),
        ("numbers|要闻动态", "is not check|column|level"),
        ("numbrs|*|off", "no check &#39;numbrs&#39;"),
        ("numbers|新闻|off", "column 新闻: not one of the site&#39;s columns"),
    ]:
        refused = admin.post("/admin/checks", {"level": [field]})
        assert refused.status_code == 400 and "check levels: " in refused.text
        assert said in refused.text, field


def test_the_ai_reader_is_in_the_table_and_can_be_a_warning_or_off_only(desk: Any) -> None:
    table = desk(ADMIN).get("/admin").text
    assert '<option value="ai-review|*|off">off</option>' in table
    assert "ai-review|*|error" not in table  # its findings never block
