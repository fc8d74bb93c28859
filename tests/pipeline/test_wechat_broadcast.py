"""The daily broadcast (群发) against the WeChat stand-in: each digest pushed exactly once.

Notices of a broadcast column go through the real WeChat channel (images and cover uploaded, the
article queued), then the broadcaster assembles digests and sends them. The stand-in keeps every
push that reached followers, so these tests count what followers' phones would hold after kills
at each step, quota answers and repeated clientmsgids.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import SecretStr, ValidationError
from sqlalchemy import select

from core.clock import OFFICE_TIME_ZONE
from core.settings import Settings, get_settings
from pipeline.broadcasts import digest_lines
from pipeline.published import page_of
from publishers.wechat.channel import WeChatChannel, WeChatOptions
from publishers.wechat.client import WeChatClient
from store.db import transaction
from store.models import LanguageVersion, WeChatBroadcast, WeChatPost
from tests.notices import write_notice
from tests.pipeline.broadcast_run import broadcaster
from tests.pipeline.publish_run import BASE_URL
from tests.pipeline.steps import approve, draft, override_all, prepare, queue
from tests.standins.wechat import WeChatStandIn
from waiwen.cli import main

ROOT = Path(__file__).resolve().parents[2]
COLUMN = "要闻动态"
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=OFFICE_TIME_ZONE)
EVENING = datetime(2026, 12, 1, 17, 30, tzinfo=OFFICE_TIME_ZONE)
NEXT_EVENING = datetime(2026, 12, 2, 17, 30, tzinfo=OFFICE_TIME_ZONE)


def channel(url: str, wechat: WeChatStandIn, columns: tuple[str, ...] = (COLUMN,)) -> WeChatChannel:
    client = WeChatClient("wx-test-appid", SecretStr("test-secret"), wechat.url, timeout=10)
    options = WeChatOptions(site_base_url=BASE_URL, author="上海外办", broadcast_columns=columns)
    return WeChatChannel(url, client, options, sleep=lambda seconds: None)


def title(n: int) -> str:
    return f"第{n}号通知：领事工作"


def queue_notices(
    settings: Settings, tmp_path: Path, count: int, *, start: int = 1, urgency: str = "normal"
) -> list[int]:
    """Notices of the broadcast column, each with only its Chinese original approved."""
    versions = []
    for n in range(start, start + count):
        extra = {"approval.leader": "办领导戊"} if urgency == "major" else {}
        path = write_notice(tmp_path / f"notice-{n}.md", title=title(n), urgency=urgency, **extra)
        version = queue(settings, path).version_id
        prepare(settings.resolved_database_url, version)  # the original is approved on entry
        versions.append(version)
    return versions


def put_on_wechat(
    url: str, wechat: WeChatStandIn, versions: list[int], language: str = "zh"
) -> list[str]:
    """Each version's language through the channel, as a publishing run does; its answers."""
    wechat_channel = channel(url, wechat)
    return [
        wechat_channel.publish(page_of(url, version, language, "wechat")[0]).state
        for version in versions
    ]


def kill_at(point: str, url: str, wechat: WeChatStandIn) -> None:
    killed = subprocess.run(
        broadcast_command(url, wechat),
        cwd=ROOT,
        env=os.environ | {"WAIWEN_FAILPOINTS": point},
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()


def rerun(url: str, wechat: WeChatStandIn) -> str:
    again = subprocess.run(
        broadcast_command(url, wechat), cwd=ROOT, env=os.environ, capture_output=True
    )
    assert again.returncode == 0, again.stderr.decode()
    return again.stdout.decode().strip()


def broadcast_command(url: str, wechat: WeChatStandIn) -> list[str]:
    return [sys.executable, "-m", "tests.pipeline.broadcast_run", url, wechat.url]


def rows(url: str) -> list[WeChatBroadcast]:
    with transaction(url) as session:
        found = list(session.scalars(select(WeChatBroadcast).order_by(WeChatBroadcast.id)))
        for row in found:
            session.expunge(row)
    return found


def test_a_broadcast_column_queues_its_articles_instead_of_publishing_them(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    versions = queue_notices(settings, tmp_path, 2)
    assert put_on_wechat(url, wechat, versions) == ["publishing", "publishing"]
    assert put_on_wechat(url, wechat, versions) == ["publishing", "publishing"]  # queued once

    assert not wechat.drafts and not wechat.publishes and not wechat.mass_sends
    assert len(wechat.materials) == 2  # the covers are on WeChat, ready for the digest
    plan = broadcaster(url, wechat.url).plan(NOON)
    assert [(p.title, p.position) for p in plan.articles] == [(title(1), 1), (title(2), 2)]
    assert plan.at == EVENING and "1 of 1 send(s) left today" in plan.quota


def test_other_columns_publish_as_before(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    [version] = queue_notices(settings, tmp_path, 1)
    wechat_channel = channel(url, wechat, columns=("政务公开",))
    assert wechat_channel.publish(page_of(url, version, "zh", "wechat")[0]).state == "published"
    assert len(wechat.articles) == 1 and not wechat.mass_sends


@pytest.mark.parametrize(
    "point",
    [
        "wechat.broadcast-draft-answered",
        "wechat.broadcast-after-draft",
        "wechat.broadcast-send-answered",
        "wechat.broadcast-after-send",
    ],
)
def test_a_kill_at_any_step_then_a_rerun_pushes_the_digest_exactly_once(
    url: str,
    settings: Settings,
    tmp_path: Path,
    wechat: WeChatStandIn,
    point: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    versions = queue_notices(settings, tmp_path, 3)
    put_on_wechat(url, wechat, versions)

    kill_at(point, url, wechat)
    assert rerun(url, wechat) == "done"
    assert rerun(url, wechat) == "nothing to send"

    assert wechat.pushed() == [[title(1), title(2), title(3)]]
    assert len(wechat.drafts) == 1  # the draft an interrupted run made was found, not made again
    [row] = rows(url)
    assert row.state == "done" and row.msg_id in wechat.mass_sends
    assert wechat.mass_sends[row.msg_id]["clientmsgid"] == row.clientmsgid
    with transaction(url) as session:
        states = session.scalars(select(WeChatPost.state)).all()
    assert states == ["published"] * 3
    if point == "wechat.broadcast-send-answered":
        assert "45065" in row.detail  # the repeat was answered with the existing task
        assert len(wechat.mass_sends) == 1
        wechat_env(monkeypatch, wechat)
        with transaction(url) as session:
            shown = "\n".join(digest_lines(get_settings(), session))
        assert f"last broadcast {row.id}: done  WeChat answered 45065" in shown


def test_eleven_articles_send_eight_and_carry_three_to_the_next_day(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    versions = queue_notices(settings, tmp_path, 11)
    put_on_wechat(url, wechat, versions)
    sender = broadcaster(url, wechat.url)

    assert sender.run(NOON) is None  # not the broadcast time yet
    assert sender.run(EVENING).state == "done"  # type: ignore[union-attr]
    assert wechat.pushed() == [[title(n) for n in range(1, 9)]]
    plan = sender.plan(EVENING)
    assert [p.title for p in plan.articles] == [title(n) for n in range(9, 12)]
    assert plan.at == NEXT_EVENING and "quota today is spent" in plan.quota
    with transaction(url) as session:
        ninth = session.scalars(
            select(LanguageVersion.id).where(LanguageVersion.version_id == versions[8])
        ).first()
    assert sender.where(ninth or 0, EVENING) == "in the broadcast of 2026-12-02 17:30, position 1"
    assert sender.run(EVENING) is None  # the day's send is spent: nothing goes twice

    wechat.advance(86400)
    assert sender.run(NEXT_EVENING).state == "done"  # type: ignore[union-attr]
    assert wechat.pushed()[1] == [title(n) for n in range(9, 12)]


def test_a_major_notice_uses_the_days_send_at_noon_and_the_evening_digest_waits(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 2))
    [major] = queue_notices(settings, tmp_path, 1, start=3, urgency="major")
    put_on_wechat(url, wechat, [major])
    sender = broadcaster(url, wechat.url)

    sent = sender.run(NOON)
    assert sent is not None and sent.major and sent.state == "done"
    # the major notice at the top, then the others as they came
    assert wechat.pushed() == [[title(3), title(1), title(2)]]
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 1, start=4))
    assert sender.run(EVENING) is None
    plan = sender.plan(EVENING)
    assert "used by a major notice" in plan.quota and plan.at == NEXT_EVENING
    assert [p.title for p in plan.articles] == [title(4)]


def test_the_chinese_original_comes_before_its_translation(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn, chain: object
) -> None:
    path = write_notice(tmp_path / "n.md", title=title(1), wechat_title={"en": "Consular work"})
    version = queue(settings, path).version_id
    draft(url, version, chain)  # type: ignore[arg-type]
    override_all(url, "1", "en", "accepted for the test")
    approve(url, "1", "en")
    [later] = queue_notices(settings, tmp_path, 1, start=2)
    put_on_wechat(url, wechat, [version], "en")  # the translation is queued first
    put_on_wechat(url, wechat, [later, version])

    broadcaster(url, wechat.url).run(EVENING)
    assert wechat.pushed() == [[title(1), "Consular work", title(2)]]


def test_a_spent_quota_leaves_the_digest_waiting_with_the_reason(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 2))
    wechat.answer_next("message/mass/sendall", 45028)
    sender = broadcaster(url, wechat.url)

    row = sender.run(EVENING)
    assert row is not None and row.state == "drafted" and not wechat.pushed()
    assert "45028" in row.waiting and "2026-12-02 17:30" in row.next_step
    assert sender.run(EVENING) is not None and not wechat.pushed()  # waits, does not retry now
    assert sender.run(NEXT_EVENING).state == "done"  # type: ignore[union-attr]
    assert len(wechat.pushed()) == 1


@pytest.mark.parametrize(
    ("errcode", "words"),
    [(48001, "接口权限"), (45011, "60 calls a minute"), (-1, "next run tries again")],
)
def test_errors_a_person_can_act_on_hold_the_send_with_the_next_step(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn, errcode: int, words: str
) -> None:
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 1))
    wechat.answer_next("message/mass/sendall", errcode)
    sender = broadcaster(url, wechat.url)

    row = sender.run(EVENING)
    assert row is not None and str(errcode) in row.waiting and not wechat.pushed()
    assert words in row.waiting + row.next_step
    assert sender.run(EVENING).state == "done"  # type: ignore[union-attr]
    assert len(wechat.pushed()) == 1


def test_a_deleted_draft_is_made_again_before_the_send(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 1))
    wechat.answer_next("message/mass/sendall", 40007)
    sender = broadcaster(url, wechat.url)

    row = sender.run(EVENING)
    assert row is not None and row.state == "assembled" and "40007" in row.waiting
    assert sender.run(EVENING).state == "done"  # type: ignore[union-attr]
    assert len(wechat.drafts) == 2 and len(wechat.pushed()) == 1


def test_a_protected_send_not_confirmed_waits_for_a_person_then_goes_once(
    url: str, settings: Settings, tmp_path: Path
) -> None:
    with WeChatStandIn(protection=True) as wechat:
        put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 1))
        sender = broadcaster(url, wechat.url)
        row = sender.run(EVENING)
        assert row is not None and row.state == "sent" and "on the phone by 18:00" in row.waiting
        first = row.clientmsgid
        wechat.advance(1800)
        row = sender.run(EVENING)
        assert row is not None and row.state == "drafted" and "SEND_FAIL" in row.waiting
        assert "waiwen wechat broadcast --now" in row.next_step
        assert sender.run(EVENING).state == "drafted"  # type: ignore[union-attr]
        row = sender.run(EVENING, force=True)
        assert row is not None and row.state == "sent" and row.clientmsgid != first
        wechat.confirm_on_phone(row.msg_id or "")
        assert sender.run(EVENING).state == "done"  # type: ignore[union-attr]
        assert len(wechat.pushed()) == 1


def test_preview_goes_to_the_reviewer_and_a_two_stage_column_waits_for_the_go(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 1))
    sender = broadcaster(url, wechat.url, preview_to="reviewer-wx", two_stage=(COLUMN,))

    row = sender.run(EVENING)
    assert row is not None and row.state == "drafted" and "approver's go" in row.waiting
    assert [p["towxname"] for p in wechat.previews] == ["reviewer-wx"] and not wechat.pushed()
    assert sender.run(EVENING).state == "drafted"  # type: ignore[union-attr]
    sender.give_go(row.id, "审批人丁")
    assert sender.run(EVENING).state == "done"  # type: ignore[union-attr]
    assert len(wechat.previews) == 1 and len(wechat.pushed()) == 1


def test_status_and_digest_show_where_each_article_stands_and_why_the_send_waits(
    url: str,
    settings: Settings,
    tmp_path: Path,
    wechat: WeChatStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wechat_env(monkeypatch, wechat)
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 2))
    wechat.answer_next("message/mass/sendall", 45028)

    sent = CliRunner().invoke(main, ["wechat", "broadcast", "--now"])
    assert sent.exit_code == 0, sent.output
    assert "45028" in sent.output and "waits for the next send" in sent.output
    assert not wechat.pushed()
    shown = CliRunner().invoke(main, ["status"]).output
    assert (
        "wechat broadcast:" in shown
        and "waiting: WeChat /cgi-bin/message/mass/sendall answered 45028" in shown
    )
    assert "in broadcast 1 (drafted), position 2" in shown
    digest = CliRunner().invoke(main, ["wechat", "digest"]).output
    assert f"1. [1] zh  {title(1)}" in digest and f"2. [2] zh  {title(2)}" in digest


def test_without_broadcast_columns_status_and_digest_say_so(
    url: str, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    queue_notices(settings, tmp_path, 1)
    assert "wechat broadcast" not in CliRunner().invoke(main, ["status"]).output
    digest = CliRunner().invoke(main, ["wechat", "digest"]).output
    assert "WAIWEN_WECHAT_BROADCAST_COLUMNS is empty" in digest
    refused = CliRunner().invoke(main, ["wechat", "broadcast", "--now"])
    assert refused.exit_code != 0 and "published (freepublish) only" in refused.output


def wechat_env(monkeypatch: pytest.MonkeyPatch, wechat: WeChatStandIn) -> None:
    """The WeChat account on the stand-in with one broadcast column, for the commands."""
    for name, value in {
        "WAIWEN_WECHAT_APPID": wechat.appid,
        "WAIWEN_WECHAT_SECRET": wechat.secret,
        "WAIWEN_WECHAT_BASE_URL": wechat.url,
        "WAIWEN_WECHAT_BROADCAST_COLUMNS": COLUMN,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def test_retract_deletes_a_broadcast_article_and_warns_that_followers_have_it(
    url: str,
    settings: Settings,
    tmp_path: Path,
    wechat: WeChatStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 2))
    broadcaster(url, wechat.url).run(EVENING)
    wechat_env(monkeypatch, wechat)

    done = CliRunner().invoke(main, ["retract", "2", "--reason", "superseded by a correction"])
    assert done.exit_code == 0, done.output
    assert "WARNING: followers already received the broadcast" in done.output
    [send] = wechat.mass_sends.values()
    assert send["deleted"] == [2]  # the second article of the send, and only it
    again = CliRunner().invoke(main, ["retract", "2", "--reason", "superseded by a correction"])
    assert again.exit_code == 0 and send["deleted"] == [2]


def test_retract_before_the_send_takes_the_article_out_of_the_digest(
    url: str,
    settings: Settings,
    tmp_path: Path,
    wechat: WeChatStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 3))
    sender = broadcaster(url, wechat.url, two_stage=(COLUMN,))
    assert sender.run(EVENING).state == "drafted"  # type: ignore[union-attr]
    wechat_env(monkeypatch, wechat)

    done = CliRunner().invoke(main, ["retract", "1", "--reason", "withdrawn by the division"])
    assert done.exit_code == 0, done.output
    row = rows(url)[0]
    assert row.state == "assembled" and row.go_by is None
    sender.give_go(row.id, "审批人丁")
    assert sender.run(EVENING).state == "done"  # type: ignore[union-attr]
    assert wechat.pushed() == [[title(2), title(3)]]


def test_a_broadcast_column_that_is_not_a_column_is_refused_by_name(settings: Settings) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(wechat_broadcast_columns="要问动态,要闻动态")
    assert "wechat_broadcast_columns" in str(refused.value) and "names 要问动态," in str(
        refused.value
    )
    assert Settings(wechat_broadcast_columns="*").wechat_broadcast_columns == ("*",)
