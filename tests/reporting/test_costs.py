"""`waiwen report --costs` and `waiwen status`: what drafting cost at an LLM, per month and language."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from core.clock import office_today
from core.settings import Settings
from store.db import transaction
from store.models import LanguageVersion
from tests.notices import write_notice
from tests.pipeline.steps import draft, llm_engine_chain, queue
from tests.standins.chat import ChatStandIn
from waiwen.cli import main


def _drafted_twice(settings: Settings, tmp_path: Path) -> dict[str, tuple[int, int, int]]:
    """Two notices drafted in en and fr through the chat stand-in; stored usage per language."""
    url = settings.resolved_database_url
    with ChatStandIn() as chat:
        for name, title in (("a.md", "关于领事认证的通知"), ("b.md", "关于护照办理的通知")):
            path = write_notice(tmp_path / name, languages=["en", "fr"], title=title)
            draft(url, queue(settings, path).version_id, llm_engine_chain(chat.base_url))
        assert len(chat.requests) == 4
    sums: dict[str, tuple[int, int, int]] = {}
    with transaction(url) as session:
        for lang in session.scalars(
            select(LanguageVersion).where(LanguageVersion.language != "zh")
        ):
            before = sums.get(lang.language, (0, 0, 0))
            sums[lang.language] = (
                before[0] + lang.prompt_tokens,
                before[1] + lang.completion_tokens,
                before[2] + lang.engine_requests,
            )
    return sums


def test_costs_are_summed_per_month_and_language(settings: Settings, tmp_path: Path) -> None:
    sums = _drafted_twice(settings, tmp_path)
    today = office_today()
    month = f"{today.year:04d}-{today.month:02d}"

    result = CliRunner().invoke(main, ["report", "--costs", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(r["month"], r["language"]) for r in data["rows"]] == [(month, "en"), (month, "fr")]
    for row in data["rows"]:
        assert (row["prompt_tokens"], row["completion_tokens"], row["requests"]) == sums[
            row["language"]
        ]
        assert row["requests"] == 2 and row["prompt_tokens"] > 0
    assert data["total"]["requests"] == 4

    table = CliRunner().invoke(main, ["report", "--costs", "--year", str(today.year)])
    assert table.exit_code == 0
    en = sums["en"]
    assert f"| {month} | en | {en[0]:,} | {en[1]:,} | {en[2]:,} |" in table.stdout
    other = CliRunner().invoke(main, ["report", "--costs", "--year", str(today.year - 1)])
    assert other.exit_code == 0
    assert "no drafting sent anything to a batch engine in" in other.stderr
    assert other.stdout.splitlines()[-1] == "| total | | 0 | 0 | 0 |"


def test_costs_refuse_options_they_do_not_take(settings: Settings) -> None:
    refused = CliRunner().invoke(main, ["report", "--costs", "--format", "xlsx"])
    assert refused.exit_code != 0 and "--costs is printed as md or json" in refused.stderr
    refused = CliRunner().invoke(main, ["report", "--costs", "--audit", "x.csv"])
    assert refused.exit_code != 0 and "not --audit" in refused.stderr


def test_status_shows_tokens_per_language(settings: Settings, tmp_path: Path) -> None:
    sums = _drafted_twice(settings, tmp_path)
    result = CliRunner().invoke(main, ["status", "1", "--json"])
    assert result.exit_code == 0, result.output
    [notice] = json.loads(result.stdout)
    by_language = {lang["language"]: lang for lang in notice["languages"]}
    assert by_language["zh"]["engine_requests"] == 0
    assert by_language["en"]["engine_requests"] == 1
    assert by_language["en"]["prompt_tokens"] + by_language["fr"]["prompt_tokens"] > 0
    shown = CliRunner().invoke(main, ["status", "1"]).stdout
    en_line = next(line for line in shown.splitlines() if line.strip().startswith("en:"))
    assert "tokens in 1 request" in en_line
    assert sums["en"][2] == 2  # both notices; the status of notice 1 shows its own only
