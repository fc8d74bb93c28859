"""`waiwen status` says where a version stands as its languages do: published, partly, or in review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from content.calendar import WorkingCalendar
from core.settings import Settings
from core.targets import all_languages, target_languages
from pipeline.drafting import EngineChain
from pipeline.status import notice_statuses, version_summary
from store.db import transaction
from tests.notices import write_notice
from tests.pipeline.steps import approve, draft, publish, queue
from waiwen.cli import main

SUMMARIES = [
    # (version state, languages' states, summary)
    pytest.param(
        "in_review",
        [("zh", "published"), ("en", "published"), ("fr", "published")],
        "published (zh, en, fr)",
        id="every-language-published",
    ),
    pytest.param(
        "in_review",
        [("zh", "published"), ("en", "published"), ("fr", "in_review")],
        "partly published: zh, en published; fr in review",
        id="some-published",
    ),
    pytest.param(
        "in_review",
        [("zh", "published"), ("en", "rejected"), ("ja", "approved"), ("fr", "published")],
        "partly published: zh, fr published; ja approved; en rejected",
        id="furthest-along-first",
    ),
    pytest.param(
        "in_review",
        [("zh", "approved"), ("en", "in_review"), ("fr", "reviewed")],
        "in review: zh approved; fr reviewed; en in review",
        id="none-published",
    ),
    pytest.param(
        "queued",
        [("zh", "queued"), ("en", "queued")],
        "queued (zh, en)",
        id="just-queued",
    ),
    pytest.param(
        "retracted",
        [("zh", "retracted"), ("en", "retracted")],
        "retracted (zh, en)",
        id="retracted",
    ),
    pytest.param("drafting", [], "drafting", id="no-languages"),
]


@pytest.mark.parametrize(("version_state", "languages", "summary"), SUMMARIES)
def test_the_summary_follows_the_languages(
    version_state: str, languages: list[tuple[str, str]], summary: str
) -> None:
    assert version_summary(version_state, languages) == summary


def _status_line(notice: str = "1") -> str:
    result = CliRunner().invoke(main, ["status", notice])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[0]


def test_a_notice_published_in_every_language_says_so(
    settings: Settings, url: str, chain: EngineChain, tmp_path: Path
) -> None:
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version_id, chain)
    approve(url, "1", "en")
    publish(url, version_id, Path(settings.site_dir))

    others = ", ".join(lang for lang in target_languages() if lang != "en")
    partly = f"v1 partly published: zh, en published; {others} in review  normal"
    assert partly in _status_line()

    for language in target_languages():
        if language != "en":
            approve(url, "1", language)
    publish(url, version_id, Path(settings.site_dir))

    line = _status_line()
    assert f"v1 published ({', '.join(all_languages())})  normal" in line
    assert "in_review" not in line
    with transaction(url) as session:
        [found] = notice_statuses(session, WorkingCalendar())
    assert found.summary == f"published ({', '.join(all_languages())})"
    # JSON keeps every key it had: the stored version state is still there, the summary is added.
    [shown] = json.loads(CliRunner().invoke(main, ["status", "1", "--json"]).output)
    assert shown["version_state"] == "in_review" and shown["summary"] == found.summary
